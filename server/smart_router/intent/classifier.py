"""The intent classifier the engine holds: a sparse linear model over the request's words,
character n-grams, code shape and editor context (`linear.py`) that answers at once, and an
embedding probe (`probe.py`) blended in when the embedding worker is ready.

Both models are learned offline from a generated corpus of editor requests plus our hand-written
exemplars (`training/`). `classify` is synchronous and never waits for anything. `classify_async`
asks the embedding service with a short timeout and blends the probe's calibrated probabilities
with the linear model's; when the service is not ready, is slow or fails, it answers with the
linear model alone, so a request is never held up.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from smart_router.config import INTENTS
from smart_router.editor import EditorContext
from smart_router.errors import BadInputError, SmartRouterError
from smart_router.intent.complexity import complexity
from smart_router.intent.features import measure_shape
from smart_router.intent.linear import linear_model
from smart_router.intent.probe import blend, embedding_text, probe
from smart_router.intent.types import Classification
from smart_router.intent.vectorize import vectorize
from smart_router.intent.vectors import first_vector

__all__ = ["EMBEDDING_TIMEOUT_S", "SURE", "Classifier", "Embedder", "embedding_text"]

log = logging.getLogger(__name__)

EMBEDDING_TIMEOUT_S = 0.25
"""Longest a request waits for the embedding path before it takes the linear model's answer."""
SURE = 0.9
"""The linear model's probability above which the embedding path is not asked: it rarely changes
such an answer and costs an ask about 20 ms (about 70 % of editor requests are this sure)."""


class Embedder(Protocol):
    """What the classifier needs of the embedding service (`smart_router.embeddings`)."""

    @property
    def state(self) -> str:
        """`ready` when `embed` can answer."""

    async def embed(self, texts: list[str]) -> Any:
        """L2-normalised float32 vectors, one per text (an array, or one float32 blob per text)."""


def _answer(probs: dict[str, float], level_of: Any, source: str) -> Classification:
    intent = max(probs, key=probs.__getitem__)
    return Classification(
        intent=intent,
        confidence=round(probs[intent], 4),
        complexity=level_of(intent),
        source=source,  # type: ignore[arg-type]
        scores={k: round(probs.get(k, 0.0), 4) for k in INTENTS},
    )


class Classifier:
    """Classifies requests into the eleven intents, with a confidence and a complexity.

    Built once per engine. With `embeddings` (the embedding service), `classify_async` blends in
    the embedding probe once the service is ready; without it both methods use the linear model.
    The models are read from the package on the first classification (or at `warm_up`).
    """

    def __init__(self, embeddings: Embedder | None = None, *, timeout_s: float = EMBEDDING_TIMEOUT_S) -> None:
        self._embeddings = embeddings
        self._timeout_s = timeout_s

    def _linear(self, prompt: str, editor: EditorContext | None) -> tuple[dict[str, float], Any]:
        groups, shape = vectorize(prompt, editor)
        probs = linear_model().probabilities(groups)
        return probs, lambda intent: complexity(shape, intent)

    def classify(
        self, prompt: str, editor: EditorContext | None = None, preset: str | None = None
    ) -> Classification:
        """The linear model's answer, at once (well under a millisecond)."""
        if preset is not None:
            return _preset(prompt, preset)
        probs, level_of = self._linear(prompt, editor)
        return _answer(probs, level_of, "lexical")

    async def classify_async(
        self, prompt: str, editor: EditorContext | None = None, preset: str | None = None
    ) -> Classification:
        """The linear and embedding answers blended when the embedding service is ready in time,
        else the linear one."""
        if preset is not None:
            return _preset(prompt, preset)
        probs, level_of = self._linear(prompt, editor)
        sure = max(probs.values()) >= SURE
        if sure or self._embeddings is None or self._embeddings.state != "ready":
            return _answer(probs, level_of, "lexical")
        try:
            vectors = await asyncio.wait_for(
                self._embeddings.embed([embedding_text(prompt, editor)]), self._timeout_s
            )
            embedded = probe().probabilities(first_vector(vectors))
        except TimeoutError:
            log.debug("embedding path slower than %.2fs; linear answer used", self._timeout_s)
            return _answer(probs, level_of, "lexical")
        except (SmartRouterError, OSError, ValueError) as exc:  # the embedding path is optional
            log.warning("embedding path failed (%s: %s); linear answer used", type(exc).__name__, exc)
            return _answer(probs, level_of, "lexical")
        mixed = blend(probs, embedded, probe())
        linear_top = max(probs, key=probs.__getitem__)
        top = max(mixed, key=mixed.__getitem__)
        source = "embedding" if top != linear_top or embedded[top] > probs[top] else "lexical"
        return _answer(mixed, level_of, source)

    async def warm_up(self) -> None:
        """Read the models now, off the request path, rather than on the first request."""
        await asyncio.to_thread(_load_models, self._embeddings is not None)


def _load_models(with_probe: bool) -> None:
    linear_model()
    if with_probe:
        probe()


def _preset(prompt: str, preset: str) -> Classification:
    if preset not in INTENTS:
        raise BadInputError(f"unknown intent {preset!r}: use one of {', '.join(INTENTS)}")
    shape = measure_shape(prompt)
    return Classification(
        intent=preset,
        confidence=1.0,
        complexity=complexity(shape, preset),
        source="preset",
        scores={i: 1.0 if i == preset else 0.0 for i in INTENTS},
    )
