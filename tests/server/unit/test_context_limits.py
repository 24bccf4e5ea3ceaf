"""The context cache's size cap and retention, on a real SQLite database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import aiosqlite
import pytest

from smart_router.config import ContextSettings, Settings
from smart_router.context.limits import MB, LimitKeeper, enforce, measure
from smart_router.store import open_database
from support.context_rows import add_cache, add_conversation, add_entry, add_vector, count, fts_hits

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return NOW - timedelta(days=n)


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


async def test_size_counts_bytes_of_texts_vectors_messages_and_cached_answers(
    db: aiosqlite.Connection,
) -> None:
    await add_entry(db, "héllo", created=NOW)  # 6 bytes in UTF-8
    await add_vector(db, "héllo", created=NOW, dim=4)  # 16 bytes
    await add_conversation(db, ["ab", "cde"], updated=NOW)  # 5 bytes of messages + 5 of message entries
    await add_cache(db, "q?", "an answer", ts=NOW)  # 2 + 9
    size = await measure(db)
    assert (size.entries, size.embeddings, size.messages, size.cache) == (6 + 5, 16, 5, 11)
    assert size.total == 43


async def test_retention_deletes_what_was_not_used_for_long_but_keeps_pinned_notes(
    db: aiosqlite.Connection,
) -> None:
    stale = await add_entry(db, "stale alpha chunk", created=days_ago(100))
    used = await add_entry(db, "used beta chunk", created=days_ago(100), used=days_ago(3), uses=2, value=0.8)
    fresh = await add_entry(db, "fresh gamma chunk", created=days_ago(1))
    note = await add_entry(db, "pinned delta note", kind="note", created=days_ago(400), pinned=True)
    old_chat = await add_conversation(db, ["old epsilon question", "old answer"], updated=days_ago(95))
    await add_conversation(db, ["recent zeta question"], updated=days_ago(2))
    await add_cache(db, "old prompt", "old answer", ts=days_ago(120))
    await add_cache(db, "hit prompt", "kept answer", ts=days_ago(120), hits=1)  # hit_at == ts: old too
    kept_cache = await add_cache(db, "new prompt", "new answer", ts=days_ago(5))
    await add_vector(db, "stale alpha chunk", created=days_ago(100))
    await add_vector(db, "used beta chunk", created=days_ago(100))
    await add_vector(db, "nobody's text", created=days_ago(1))  # orphan, old enough
    await add_vector(db, "in flight", created=NOW - timedelta(minutes=1))  # orphan within the grace

    report = await enforce(db, ContextSettings(retention_days=90), NOW)

    assert report.expired == {"entries": 1, "conversations": 1, "cache": 2}
    left = [r async for r in await db.execute("SELECT id FROM context_entries WHERE kind != 'message'")]
    assert sorted(r[0] for r in left) == sorted([used, fresh, note])
    assert stale not in [r[0] for r in left]
    assert await count(db, "SELECT count(*) FROM conversations WHERE id = ?", (old_chat,)) == 0
    assert await count(db, "SELECT count(*) FROM messages WHERE conversation_id = ?", (old_chat,)) == 0
    assert await count(db, "SELECT count(*) FROM context_entries WHERE conversation_id = ?", (old_chat,)) == 0
    assert [r[0] async for r in await db.execute("SELECT id FROM response_cache")] == [kept_cache]
    # the full-text index is in step: deleted texts are not found, kept ones are
    assert await fts_hits(db, "alpha") == [] and await fts_hits(db, "epsilon") == []
    assert await fts_hits(db, "beta") == [used] and await fts_hits(db, "delta") == [note]
    assert len(await fts_hits(db, "zeta")) == 1
    # vectors: the deleted entry's and the old orphan go, the used entry's and the young orphan stay
    assert report.orphan_embeddings == 2
    assert await count(db, "SELECT count(*) FROM embeddings") == 2


async def test_retention_zero_keeps_everything(db: aiosqlite.Connection) -> None:
    await add_entry(db, "ancient text", created=days_ago(3000))
    await add_conversation(db, ["ancient question"], updated=days_ago(3000))
    report = await enforce(db, ContextSettings(retention_days=0), NOW)
    assert not report.removed_anything
    assert await count(db, "SELECT count(*) FROM context_entries") == 2


async def _fill(
    db: aiosqlite.Connection,
    n: int,
    *,
    size: int,
    created: datetime,
    tag: str,
    used: datetime | None = None,
    uses: int = 0,
    value: float = 0.0,
) -> list[int]:
    text = "x" * size
    return [
        await add_entry(db, f"{tag}{i} {text}", created=created, used=used, uses=uses, value=value)
        for i in range(n)
    ]


async def test_over_the_cap_the_least_valuable_go_first_down_to_ninety_percent(
    db: aiosqlite.Connection,
) -> None:
    # 30 chunks of ~10 KB: 10 never used and old, 10 never used and new, 10 used with high relevance
    old = await _fill(db, 10, size=10_000, created=days_ago(40), tag="old")
    new = await _fill(db, 10, size=10_000, created=days_ago(1), tag="new")
    valued = await _fill(
        db, 10, size=10_000, created=days_ago(40), tag="val", used=days_ago(1), uses=3, value=0.9
    )
    total = (await measure(db)).total
    cap_mb = (total - 12_000) / MB  # a bit over one chunk too many
    report = await enforce(db, ContextSettings(cache_size_mb=cap_mb, retention_days=0), NOW)
    left = {r[0] async for r in await db.execute("SELECT id FROM context_entries")}
    assert set(valued) <= left and set(new) <= left
    gone = set(old) - left
    assert gone and report.evicted["entries"] == len(gone)
    assert report.bytes_after <= cap_mb * MB * 0.9 < report.bytes_before
    assert await fts_hits(db, "old0") == []


async def test_pinned_notes_survive_any_cap_and_conversations_go_whole_oldest_first(
    db: aiosqlite.Connection,
) -> None:
    note = await add_entry(db, "pinned " + "n" * 5000, kind="note", created=days_ago(200), pinned=True)
    older = await add_conversation(db, ["q " * 1000, "a " * 1000], updated=days_ago(30))
    newer = await add_conversation(db, ["q " * 1000, "a " * 1000], updated=days_ago(2))
    size = (await measure(db)).total
    # room for the note and one conversation
    report = await enforce(db, ContextSettings(cache_size_mb=(size - 4000) / MB, retention_days=0), NOW)
    assert report.evicted["conversations"] == 1
    assert [r[0] async for r in await db.execute("SELECT id FROM conversations")] == [newer]
    assert await count(db, "SELECT count(*) FROM messages WHERE conversation_id = ?", (older,)) == 0
    assert await count(db, "SELECT count(*) FROM messages WHERE conversation_id = ?", (newer,)) == 2
    # a cap smaller than the note alone: everything else goes, the note stays
    await enforce(db, ContextSettings(cache_size_mb=100 / MB, retention_days=0), NOW)
    assert [r[0] async for r in await db.execute("SELECT id FROM context_entries")] == [note]


async def test_cached_answers_are_kept_by_hits_times_recency(db: aiosqlite.Connection) -> None:
    popular = await add_cache(db, "popular", "a" * 4000, ts=days_ago(10), hits=12)
    await add_cache(db, "unused", "b" * 4000, ts=days_ago(10))
    await add_cache(db, "unused too", "c" * 4000, ts=days_ago(3))
    size = (await measure(db)).total
    await enforce(db, ContextSettings(cache_size_mb=(size - 4500) / MB, retention_days=0), NOW)
    ids = [r[0] async for r in await db.execute("SELECT id FROM response_cache")]
    assert popular in ids and len(ids) == 1


async def test_the_keeper_sweeps_at_start_and_periodically_and_checks_the_cap_after_a_poke(
    db: aiosqlite.Connection,
) -> None:
    settings = Settings(context=ContextSettings(retention_days=30, cache_size_mb=1000 / MB))
    heard: list[list[int]] = []
    keeper = LimitKeeper(
        db, lambda: settings, now=lambda: NOW, min_interval_s=0.05, period_s=1.5, on_removed=[heard.append]
    )
    old = await add_entry(db, "old one", created=days_ago(60))
    keeper.start()
    await _until(lambda: _left(db), 0)
    first = keeper.last
    assert first is not None and first.expired["entries"] == 1 and heard == [[old]]
    big = await add_entry(db, "fresh but too big " + "y" * 3000, created=NOW)
    keeper.poke()
    keeper.poke()  # a second poke joins the pending run
    await _until(lambda: _left(db), 0)
    assert keeper.last is not None and keeper.last.evicted["entries"] == 1 and heard[-1] == [big]
    await add_entry(db, "old two", created=days_ago(60))
    keeper.poke()  # a poke checks the cap only: retention waits for the periodic sweep ...
    await asyncio.sleep(0.2)
    assert await _left(db) == 1
    await _until(lambda: _left(db), 0)  # ... which comes within period_s
    await keeper.close()
    await add_entry(db, "old three", created=days_ago(60))
    keeper.poke()  # after close nothing runs, and nothing fails
    await asyncio.sleep(0.7)
    assert await _left(db) == 1


async def _left(db: aiosqlite.Connection) -> int:
    return await count(db, "SELECT count(*) FROM context_entries")


async def _until(probe: Callable[[], Awaitable[int]], want: int, within_s: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + within_s
    while await probe() != want:
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)
