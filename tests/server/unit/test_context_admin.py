"""Context statistics and clearing by scope and workspace, on a real SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiosqlite
import pytest

from smart_router.config import ContextSettings, Settings
from smart_router.context.admin import ContextAdmin
from smart_router.context.limits import MB
from smart_router.errors import BadInputError
from smart_router.store import open_database
from support.context_rows import add_cache, add_conversation, add_entry, add_vector, count, fts_hits

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
EARLIER = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
WS_A, WS_B = "/src/alpha", "/src/beta"


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


async def _seed(db: aiosqlite.Connection) -> None:
    for i in range(3):
        await add_entry(
            db, f"chunk apple {i}", created=NOW, workspace=WS_A, uri=f"file:///src/alpha/m{i % 2}.py"
        )
    await add_entry(db, "chunk banana", created=EARLIER, workspace=WS_B, uri="file:///src/beta/b.py")
    await add_entry(db, "selected cherry", kind="selection", created=NOW, workspace=WS_A)
    await add_entry(db, "note damson", kind="note", created=NOW, pinned=True)
    await add_entry(db, "note elder", kind="note", created=NOW, pinned=True, workspace=WS_B)
    await add_conversation(db, ["fig question", "fig answer"], updated=NOW, workspace=WS_A)
    await add_conversation(db, ["grape question"], updated=NOW, workspace=WS_B)
    await add_cache(db, "why?", "because", ts=NOW, hits=3, saved_micro_usd=1500, workspace=WS_A)
    await add_cache(db, "how?", "so", ts=NOW, workspace=WS_B)
    await add_vector(db, "chunk apple 0", created=NOW)
    await add_vector(db, "chunk banana", created=NOW)


def _admin(db: aiosqlite.Connection, **context: object) -> ContextAdmin:
    settings = Settings(context=ContextSettings.model_validate(context))
    return ContextAdmin(db, lambda: settings, now=lambda: NOW)


async def test_stats_count_every_kind_and_size_against_the_cap(db: aiosqlite.Connection) -> None:
    await _seed(db)
    s = await _admin(db, cacheSizeMb=2, retentionDays=30).stats(("lexical", "ranking by keywords"))
    assert s.entries == {"document": 4, "selection": 1, "note": 2, "message": 3}
    assert (s.files, s.conversations, s.messages) == (3, 2, 3)
    assert (s.embedded, s.pending) == (2, 8)
    assert (s.cache_entries, s.cache_hits, s.saved_micro_usd) == (2, 3, 1500)
    assert s.bytes > 0 and s.cap_bytes == 2 * MB and s.retention_days == 30
    assert (s.mode, s.mode_detail) == ("lexical", "ranking by keywords")
    assert s.oldest == EARLIER.isoformat()


async def test_stats_of_one_workspace_include_notes_without_one(db: aiosqlite.Connection) -> None:
    await _seed(db)
    s = await _admin(db).stats(("embedding", "ready"), WS_A + "/")
    assert s.entries == {"document": 3, "selection": 1, "note": 1, "message": 2}
    assert (s.files, s.conversations, s.messages, s.cache_entries) == (2, 1, 2, 1)
    assert s.oldest == NOW.isoformat()


async def test_stats_say_off_when_context_is_disabled(db: aiosqlite.Connection) -> None:
    s = await _admin(db, enabled=False).stats(("embedding", "ready"))
    assert s.mode == "off" and "smartRouter.context.enabled" in s.mode_detail
    assert s.entries == {"document": 0, "selection": 0, "note": 0, "message": 0} and s.oldest is None


@pytest.mark.parametrize(
    ("scope", "entries", "conversations", "cache", "words_gone"),
    [
        ("project", 5, 0, 0, ["apple", "banana", "cherry"]),
        ("notes", 2, 0, 0, ["damson", "elder"]),
        ("conversations", 3, 2, 0, ["fig", "grape"]),
        ("cache", 0, 0, 2, []),
        ("all", 10, 2, 2, ["apple", "cherry", "damson", "fig"]),
    ],
)
async def test_clear_removes_its_scope_only(
    db: aiosqlite.Connection, scope: str, entries: int, conversations: int, cache: int, words_gone: list[str]
) -> None:
    await _seed(db)
    admin = _admin(db)
    cleared = await admin.clear(scope)  # type: ignore[arg-type]
    assert (cleared.entries, cleared.conversations, cleared.cache_entries) == (entries, conversations, cache)
    assert await count(db, "SELECT count(*) FROM context_entries") == 10 - entries
    assert await count(db, "SELECT count(*) FROM conversations") == 2 - conversations
    assert await count(db, "SELECT count(*) FROM response_cache") == 2 - cache
    for word in words_gone:
        assert await fts_hits(db, word) == [], word
    kept = {"project": "damson", "notes": "apple", "conversations": "apple", "cache": "fig"}.get(scope)
    if kept:
        assert await fts_hits(db, kept)
    if scope in ("project", "all"):  # the cleared chunks' vectors went with them
        assert await count(db, "SELECT count(*) FROM embeddings") == 0


async def test_clear_of_one_workspace_keeps_the_others(db: aiosqlite.Connection) -> None:
    await _seed(db)
    cleared = await _admin(db).clear("all", WS_B)
    assert (cleared.entries, cleared.conversations, cleared.cache_entries) == (3, 1, 1)
    assert await fts_hits(db, "banana") == [] and await fts_hits(db, "elder") == []
    assert await fts_hits(db, "apple") and await fts_hits(db, "damson")  # alpha's and the global note stay
    assert await count(db, "SELECT count(*) FROM embeddings") == 1


async def test_an_unknown_scope_is_refused_by_name(db: aiosqlite.Connection) -> None:
    with pytest.raises(BadInputError, match=r"'everything'.*all, project, conversations, cache, notes"):
        await _admin(db).clear("everything")  # type: ignore[arg-type]
