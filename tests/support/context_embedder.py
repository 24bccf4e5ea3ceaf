"""A deterministic stand-in for the embedding service in context tests: the interface the context
cache uses (`state`, `detail`, `model_path`, `model_name`, `wait_ready`, `async embed` returning
float32 blobs), with vectors chosen by the test (`vectors[text]`) or else a hashed bag of words
(texts sharing words get a positive cosine), L2-normalised."""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from array import array
from collections.abc import Sequence

from smart_router.errors import EmbeddingsUnavailable

__all__ = ["DIM", "FakeEmbeddings", "axis", "blend"]

DIM = 384
_WORD = re.compile(r"\w+")


def axis(i: int, dim: int = DIM) -> list[float]:
    v = [0.0] * dim
    v[i] = 1.0
    return v


def blend(*parts: tuple[float, list[float]]) -> bytes:
    """sum(weight x vector), L2-normalised, as a float32 blob."""
    out = [0.0] * len(parts[0][1])
    for weight, vector in parts:
        out = [a + weight * b for a, b in zip(out, vector, strict=True)]
    length = math.sqrt(sum(x * x for x in out)) or 1.0
    return array("f", [x / length for x in out]).tobytes()


class FakeEmbeddings:
    def __init__(self, state: str = "ready", model_path: str = "") -> None:
        self.state = state
        self.detail = f"fake embeddings {state}"
        self.model_path = model_path
        self.model_name = "fake-model"
        self.vectors: dict[str, bytes] = {}
        self.calls: list[list[str]] = []
        self.ready = asyncio.Event()

    def become_ready(self) -> None:
        self.state = "ready"
        self.ready.set()

    async def wait_ready(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        if self.state == "loading":
            await asyncio.wait_for(self.ready.wait(), timeout)
        return self.state == "ready"

    async def embed(self, texts: Sequence[str]) -> list[bytes]:
        if self.state != "ready":
            raise EmbeddingsUnavailable(self.detail, kind=f"embeddings_{self.state}")
        self.calls.append(list(texts))
        return [self.vectors.get(t) or _hashed(t) for t in texts]

    @property
    def texts_embedded(self) -> list[str]:
        return [t for call in self.calls for t in call]


def _hashed(text: str) -> bytes:
    bins = [0.0] * DIM
    for word in _WORD.findall(text.lower()):
        bins[int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % DIM] += 1.0
    length = math.sqrt(sum(b * b for b in bins)) or 1.0
    return array("f", [b / length for b in bins]).tobytes()
