"""Rows of the context tables written the way the store writes them (entry + its full-text row),
for tests of limits, statistics and clearing that must not depend on chunking or ranking."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import aiosqlite

__all__ = ["add_cache", "add_conversation", "add_entry", "add_vector", "count", "fts_hits", "iso"]


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


async def add_entry(
    db: aiosqlite.Connection,
    text: str,
    *,
    kind: str = "document",
    created: datetime,
    used: datetime | None = None,
    value: float = 0.0,
    uses: int = 0,
    pinned: bool = False,
    workspace: str | None = None,
    uri: str | None = "file:///p/a.py",
    conversation_id: str | None = None,
) -> int:
    h = hashlib.sha256(text.encode()).hexdigest()
    cur = await db.execute(
        "INSERT INTO context_entries (kind, workspace, uri, label, text, content_hash, tokens,"
        " conversation_id, created_at, used_at, uses, value, pinned)"
        " VALUES (?, ?, ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            workspace,
            uri if kind in ("document", "selection") else None,
            text,
            h,
            len(text) // 4,
            conversation_id,
            iso(created),
            iso(used) if used else None,
            uses,
            value,
            int(pinned),
        ),
    )
    entry_id = cur.lastrowid
    assert entry_id is not None
    await db.execute("INSERT INTO context_fts (rowid, text) VALUES (?, ?)", (entry_id, text))
    return entry_id


async def add_vector(db: aiosqlite.Connection, text: str, *, created: datetime, dim: int = 384) -> None:
    h = hashlib.sha256(text.encode()).hexdigest()
    await db.execute(
        "INSERT OR IGNORE INTO embeddings (content_hash, model, dim, vector, created_at)"
        " VALUES (?, 'm', ?, ?, ?)",
        (h, dim, b"\0" * (4 * dim), iso(created)),
    )


async def add_conversation(
    db: aiosqlite.Connection, messages: list[str], *, updated: datetime, workspace: str | None = None
) -> str:
    cid = uuid.uuid4().hex
    await db.execute(
        "INSERT INTO conversations (id, title, workspace, created_at, updated_at) VALUES (?, 't', ?, ?, ?)",
        (cid, workspace, iso(updated), iso(updated)),
    )
    for seq, text in enumerate(messages, 1):
        role = "user" if seq % 2 else "assistant"
        await db.execute(
            "INSERT INTO messages (conversation_id, seq, ts, role, content) VALUES (?, ?, ?, ?, ?)",
            (cid, seq, iso(updated), role, text),
        )
        await add_entry(
            db, text, kind="message", created=updated, workspace=workspace, conversation_id=cid, uri=None
        )
    return cid


async def add_cache(
    db: aiosqlite.Connection,
    prompt: str,
    answer: str,
    *,
    ts: datetime,
    hits: int = 0,
    saved_micro_usd: int = 0,
    workspace: str | None = None,
) -> int:
    h = hashlib.sha256(prompt.encode()).hexdigest()
    cur = await db.execute(
        "INSERT INTO response_cache (ts, prompt, prompt_key, prompt_hash, intent, tier, fingerprint,"
        " workspace, model, provider, answer, cost_micro_usd, hits, hit_at, saved_micro_usd)"
        " VALUES (?, ?, ?, ?, 'general', 'fast', 'f', ?, 'gpt-4o-mini', 'openai', ?, 10, ?, ?, ?)",
        (iso(ts), prompt, h, h, workspace, answer, hits, iso(ts) if hits else None, saved_micro_usd),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


async def count(db: aiosqlite.Connection, sql: str, params: tuple[object, ...] = ()) -> int:
    async with db.execute(sql, params) as c:
        row = await c.fetchone()
    assert row is not None
    return int(row[0])


async def fts_hits(db: aiosqlite.Connection, word: str) -> list[int]:
    """Row ids the full-text index still finds for a word (a stale index finds deleted rows)."""
    async with db.execute(
        "SELECT rowid FROM context_fts WHERE context_fts MATCH ? ORDER BY rowid", (word,)
    ) as c:
        return [int(r[0]) async for r in c]
