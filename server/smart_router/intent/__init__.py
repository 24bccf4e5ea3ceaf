"""Intent classification: which of the eleven intents a request is, how sure we are, and how
complex it is (docs/architecture.md). `Classifier` is the entry point; `p_strong`
(`difficulty.py`) turns a classification into the probability that a strong model is needed."""

from smart_router.intent.classifier import EMBEDDING_TIMEOUT_S, Classifier, Embedder
from smart_router.intent.types import Classification

__all__ = ["EMBEDDING_TIMEOUT_S", "Classification", "Classifier", "Embedder"]
