"""Sentence embeddings for intent classification and context ranking, computed in a child process.

`EmbeddingService` (service.py) runs the sentence-transformers model in a worker process
(worker.py) that it talks to over a framed pipe protocol (framing.py); vectors reach the sidecar
as float32 blobs (vectors.py). Nothing here imports numpy, torch or sentence-transformers into
the sidecar. The model is optional (the `embeddings` extra; locate.py says how to install it);
without it, or while it loads, callers use their lexical paths.
"""

from smart_router.embeddings.locate import EXTRA_PACKAGES, OFF, PACKAGED_MODEL, install_hint, locate_model
from smart_router.embeddings.service import (
    MAX_BATCH,
    EmbeddingService,
    EmbeddingState,
    EmbeddingStatus,
    StatusListener,
    process_rss_mb,
)
from smart_router.embeddings.vectors import dot, norm, to_floats
from smart_router.errors import EmbeddingsUnavailable

__all__ = [
    "EXTRA_PACKAGES",
    "MAX_BATCH",
    "OFF",
    "PACKAGED_MODEL",
    "EmbeddingService",
    "EmbeddingState",
    "EmbeddingStatus",
    "EmbeddingsUnavailable",
    "StatusListener",
    "dot",
    "install_hint",
    "locate_model",
    "norm",
    "process_rss_mb",
    "to_floats",
]
