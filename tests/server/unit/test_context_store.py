"""The context store on a real SQLite database: documents re-chunked with unchanged chunks kept,
the full-text index in step with every write (FTS5's own integrity check), selections, notes,
messages, usage, and the file hash the response cache relies on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiosqlite
import pytest

from smart_router.context.relevance import ContextItem
from smart_router.context.store import ContextStore, content_hash
from smart_router.store import open_database
from smart_router.tokens import count_text

DOC = '''"""Budget checks."""


def reserve(amount, limit):
    """Hold an amount against the limit."""
    if amount > limit:
        raise ValueError("over the limit")
    return amount


def settle(amount, used):
    """Release what was not used."""
    left = amount - used
    return max(0, left)


def forecast(days, spent):
    """Spend at this pace until the month ends."""
    per_day = spent / max(1, days)
    return per_day * 30
'''


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


async def _fts_ok(db: aiosqlite.Connection) -> None:
    """FTS5 compares its index with the content table and raises on any difference."""
    await db.execute("INSERT INTO context_fts (context_fts, rank) VALUES ('integrity-check', 1)")


async def _rows(db: aiosqlite.Connection, uri: str) -> list[aiosqlite.Row]:
    async with db.execute(
        "SELECT * FROM context_entries WHERE uri = ? AND kind = 'document' ORDER BY start_line", (uri,)
    ) as cur:
        return list(await cur.fetchall())


async def _match(db: aiosqlite.Connection, word: str) -> list[int]:
    async with db.execute("SELECT rowid FROM context_fts WHERE context_fts MATCH ?", (word,)) as cur:
        return [int(r[0]) for r in await cur.fetchall()]


async def test_a_document_is_stored_as_chunks_with_hash_and_tokens(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    update = await store.upsert_document("file:///w/budget.py", DOC, workspace="/w", language="python")
    rows = await _rows(db, "file:///w/budget.py")
    assert update.changed and update.added == len(rows) >= 3 and update.removed == 0
    assert any(r["label"] == "reserve" or "reserve" in r["label"] for r in rows)
    for r in rows:
        assert r["content_hash"] == content_hash(r["text"])
        assert r["tokens"] == count_text(r["text"], "openai-cl100k")
        assert r["workspace"] == "/w"
    await _fts_ok(db)
    assert len(await _match(db, "forecast")) == 1


async def test_unchanged_chunks_keep_their_rows_and_stats(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    uri = "file:///w/budget.py"
    first = await store.upsert_document(uri, DOC, workspace="/w", language="python")
    before = {r["content_hash"]: r["id"] for r in await _rows(db, uri)}
    settle_id = next(r["id"] for r in await _rows(db, uri) if "settle" in r["text"])
    await db.execute("UPDATE context_entries SET uses = 3, value = 0.5 WHERE id = ?", (settle_id,))

    same = await store.upsert_document(uri, DOC, workspace="/w", language="python")
    assert not same.changed and same.added == 0 and same.removed == 0
    assert same.file_hash == first.file_hash

    edited = DOC.replace("return per_day * 30", "return per_day * 31")
    update = await store.upsert_document(uri, edited, workspace="/w", language="python")
    after = {r["content_hash"]: r["id"] for r in await _rows(db, uri)}
    assert update.changed and update.added == 1 and update.removed == 1
    assert update.file_hash != first.file_hash
    kept = set(before) & set(after)
    assert len(kept) == len(before) - 1 and all(before[h] == after[h] for h in kept)
    async with db.execute("SELECT uses, value FROM context_entries WHERE id = ?", (settle_id,)) as cur:
        assert tuple(await cur.fetchone()) == (3, 0.5)  # type: ignore[arg-type]
    await _fts_ok(db)
    assert await _match(db, "31") and not await _match(db, "30")


async def test_lines_move_without_a_new_row(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    uri = "file:///w/budget.py"
    await store.upsert_document(uri, DOC, workspace="/w", language="python")
    ids = {r["content_hash"]: (r["id"], r["start_line"]) for r in await _rows(db, uri)}
    await store.upsert_document(uri, "\n\n\n" + DOC, workspace="/w", language="python")
    moved = {r["content_hash"]: (r["id"], r["start_line"]) for r in await _rows(db, uri)}
    shared = set(ids) & set(moved)
    assert shared
    for h in shared:
        assert moved[h][0] == ids[h][0] and moved[h][1] == ids[h][1] + 3


async def test_emptying_and_forgetting_a_document_clears_the_index(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    removed: list[int] = []
    store.on_removed.append(removed.extend)
    uri = "file:///w/budget.py"
    await store.upsert_document(uri, DOC, workspace="/w", language="python")
    count = len(await _rows(db, uri))
    sel = await store.add_selection(uri, "if amount > limit:", workspace="/w", start_line=5, end_line=5)
    update = await store.upsert_document(uri, "", workspace="/w", language="python")
    assert update.changed and update.removed == count and not await _rows(db, uri)
    await store.upsert_document(uri, DOC, workspace="/w", language="python")
    assert await store.forget_document(uri) == count + 1  # the chunks and the selection made in the file
    assert sel in removed and len(removed) == 2 * count + 1
    await _fts_ok(db)
    assert not await _match(db, "forecast")


async def test_file_hashes_match_the_updates(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    a = await store.upsert_document("file:///w/a.py", DOC, workspace="/w", language="python")
    b = await store.upsert_document(
        "file:///w/b.md", "# Notes\n\nSome prose.\n", workspace="/w", language=None
    )
    hashes = await store.file_hashes(["file:///w/a.py", "file:///w/b.md", "file:///w/none.py"])
    assert hashes == {"file:///w/a.py": a.file_hash, "file:///w/b.md": b.file_hash}


async def test_selections_notes_and_messages(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    added: list[int] = []
    store.on_added.append(added.extend)
    s1 = await store.add_selection(
        "file:///w/a.py", "x = compute()", workspace="/w", start_line=3, end_line=3
    )
    s2 = await store.add_selection(
        "file:///w/a.py", "x = compute()", workspace="/w", start_line=9, end_line=9
    )
    assert s1 == s2  # the same text in the same file is kept once, at its latest place
    note = await store.add_note(
        "Prefer httpx over requests.\nAlways set timeouts.", title=None, workspace=None
    )
    await db.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c1', 't', 'x', 'x')"
    )
    msg = await store.add_message("c1", "user", "How do I set a timeout?", workspace="/w")
    async with db.execute(
        "SELECT id, kind, label, pinned, start_line, conversation_id FROM context_entries"
    ) as cur:
        rows = {r["id"]: r for r in await cur.fetchall()}
    assert rows[s1]["start_line"] == 9 and rows[s1]["label"] == "lines 4-4"
    assert rows[note]["kind"] == "note" and rows[note]["pinned"] == 1
    assert rows[note]["label"] == "Prefer httpx over requests."
    assert (
        rows[msg]["kind"] == "message"
        and rows[msg]["label"] == "you"
        and rows[msg]["conversation_id"] == "c1"
    )
    assert added == [s1, note, msg]
    assert await store.remove_note(note) and not await store.remove_note(note)
    assert not await store.remove_note(msg)  # only notes are unpinned this way
    await _fts_ok(db)
    assert await _match(db, "timeout") == [msg]


async def test_mark_used_counts_uses_and_mean_value(db: aiosqlite.Connection) -> None:
    when = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    store = ContextStore(db, now=lambda: when)
    note = await store.add_note("Use the ledger.", title="ledger", workspace=None)

    def item(score: float) -> ContextItem:
        return ContextItem(note, "note", "ledger", None, None, None, "Use the ledger.", 4, score, (), "h")

    await store.mark_used([item(0.8)])
    await store.mark_used([item(0.4)])
    async with db.execute("SELECT uses, value, used_at FROM context_entries WHERE id = ?", (note,)) as cur:
        uses, value, used_at = await cur.fetchone()  # type: ignore[misc]
    assert uses == 2 and value == pytest.approx(0.6) and used_at.startswith("2026-11-22T10:00:00")


async def test_delete_entries_and_rebuild(db: aiosqlite.Connection) -> None:
    store = ContextStore(db)
    await store.upsert_document("file:///w/a.py", DOC, workspace="/w", language="python")
    ids = [r["id"] for r in await _rows(db, "file:///w/a.py")]
    assert await store.delete_entries([*ids[:2], 999999]) == 2
    await _fts_ok(db)
    await store.rebuild_fts()
    await _fts_ok(db)
    assert len(await store.rows(ids)) == len(ids) - 2
