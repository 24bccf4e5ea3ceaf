"""Conversations in a real (in-memory) SQLite database: create, continue, list, fork, delete."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiosqlite
import pytest

from smart_router.context.conversations import TITLE_CHARS, Conversations, title_of
from smart_router.errors import BadInputError
from smart_router.store import open_database


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


async def test_titles_are_the_first_line_of_the_prompt_cut_short() -> None:
    assert title_of("\n  Explain   closures\nin detail") == "Explain closures"
    long = title_of("word " * 40)
    assert len(long) == TITLE_CHARS and long.endswith("…")
    assert title_of("   ") == "Untitled conversation"


async def test_messages_are_numbered_in_order_even_when_appended_at_once(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    c = await conv.create("Explain closures", "/src/proj")
    added = await asyncio.gather(*(conv.append(c.id, "user", f"m{i}") for i in range(20)))
    assert sorted(m.seq for m in added) == list(range(1, 21))
    got = await conv.get(c.id)
    assert [m.seq for m in got.messages] == list(range(1, 21))
    assert {m.content for m in got.messages} == {f"m{i}" for i in range(20)}


async def test_list_is_most_recent_first_with_count_last_model_and_cost(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    a = await conv.create("first", "/w1")
    b = await conv.create("second", "/w2")
    await conv.append(a.id, "user", "q")
    await conv.append(a.id, "assistant", "a1", model="gpt-4o-mini", provider="openai", cost_micro_usd=40)
    await conv.append(a.id, "user", "q2")
    await conv.append(a.id, "assistant", "a2", model="claude-haiku", provider="anthropic", cost_micro_usd=60)
    listed = await conv.list()
    assert [s.id for s in listed] == [a.id, b.id]  # a was used last
    assert (listed[0].messages, listed[0].last_model, listed[0].cost_micro_usd) == (4, "claude-haiku", 100)
    assert (listed[1].messages, listed[1].last_model, listed[1].cost_micro_usd) == (0, None, 0)
    assert [s.id for s in await conv.list("/w2")] == [b.id]
    assert await conv.latest("/w1") == a.id and await conv.latest("/none") is None
    await conv.append(b.id, "user", "now b")
    assert await conv.latest() == b.id


async def test_fork_copies_the_messages_up_to_a_point_and_leaves_the_source(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    c = await conv.create("Explain closures", None)
    for i in range(1, 5):
        await conv.append(c.id, "user" if i % 2 else "assistant", f"m{i}", model=None if i % 2 else "m")
    fork = await conv.fork(c.id, 2)
    assert fork.id != c.id and fork.title == "Explain closures (fork)"
    assert (fork.forked_from, fork.fork_seq) == (c.id, 2)
    assert [(m.seq, m.content, m.model) for m in fork.messages] == [(1, "m1", None), (2, "m2", "m")]
    await conv.append(fork.id, "user", "another direction")
    assert [m.content for m in (await conv.get(fork.id)).messages][-1] == "another direction"
    assert len((await conv.get(c.id)).messages) == 4
    whole = await conv.fork(fork.id)
    assert whole.title == "Explain closures (fork)" and len(whole.messages) == 3
    with pytest.raises(BadInputError, match="messages 1 to 4"):
        await conv.fork(c.id, 9)


async def test_delete_removes_messages_and_their_context_entries_but_keeps_forks(
    db: aiosqlite.Connection,
) -> None:
    conv = Conversations(db, Clock())
    c = await conv.create("q", None)
    await conv.append(c.id, "user", "closures capture variables")
    # a context entry of the conversation, indexed for full-text search as the store does it
    cur = await db.execute(
        "INSERT INTO context_entries (kind, label, text, content_hash, tokens, conversation_id, created_at) "
        "VALUES ('message', 'you', 'closures capture variables', 'h', 3, ?, '2026-11-22')",
        (c.id,),
    )
    await db.execute(
        "INSERT INTO context_fts (rowid, text) VALUES (?, 'closures capture variables')", (cur.lastrowid,)
    )
    fork = await conv.fork(c.id)
    assert await conv.delete(c.id) is True
    assert await conv.delete(c.id) is False
    for table in ("messages WHERE conversation_id = ?", "context_entries WHERE conversation_id = ?"):
        async with db.execute(f"SELECT COUNT(*) FROM {table}", (c.id,)) as q:
            assert (await q.fetchone())[0] == 0  # type: ignore[index]
    async with db.execute("SELECT COUNT(*) FROM context_fts WHERE context_fts MATCH 'closures'") as q:
        assert (await q.fetchone())[0] == 0  # type: ignore[index]
    kept = await conv.get(fork.id)
    assert kept.forked_from is None and len(kept.messages) == 1


async def test_unknown_ids_say_to_pick_one_from_the_list(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    for call in (
        conv.get("nope"),
        conv.append("nope", "user", "x"),
        conv.fork("nope"),
        conv.rename("nope", "t"),
    ):
        with pytest.raises(BadInputError, match=r"No conversation 'nope'\. Pick one from the list") as info:
            await call
        assert info.value.kind == "unknown_conversation"


async def test_rename(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    c = await conv.create("q", None)
    assert (await conv.rename(c.id, "  Closures\nrest")).title == "Closures"
    with pytest.raises(BadInputError, match="title is empty"):
        await conv.rename(c.id, "  ")


async def test_a_conversation_can_start_with_its_first_message(db: aiosqlite.Connection) -> None:
    conv = Conversations(db, Clock())
    c = await conv.create("Explain closures", "/w", first="Explain closures", intent="code_explanation")
    await conv.append(c.id, "assistant", "They capture variables.", model="m")
    got = await conv.get(c.id)
    assert [(m.seq, m.role, m.intent) for m in got.messages] == [
        (1, "user", "code_explanation"),
        (2, "assistant", None),
    ]
