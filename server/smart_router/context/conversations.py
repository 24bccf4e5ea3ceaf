"""Conversations: the chat sessions a user keeps, with every message, across restarts.

A conversation is created by the first ask that does not continue one (its title is that
prompt's first line), and each answered ask appends the user's message and the model's
answer (with the model, intent, cost and the context that went in). Forking copies the
messages up to a point into a new conversation, so the user can take another direction
without losing the first; deleting removes the messages and their context entries too.

Messages are numbered 1, 2, ... within their conversation; the number is assigned inside
the insert's transaction, so two asks appending at once never share one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import aiosqlite

from smart_router.context.secrets import redact
from smart_router.errors import BadInputError
from smart_router.store.transaction import transaction

__all__ = [
    "TITLE_CHARS",
    "Conversation",
    "ConversationMessage",
    "ConversationSummary",
    "Conversations",
    "Role",
    "title_of",
]

TITLE_CHARS = 60
"""A conversation's title is at most this long: the first line of its first prompt."""

Role = Literal["user", "assistant"]


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    id: int
    conversation_id: str
    seq: int
    ts: str
    role: Role
    content: str
    model: str | None = None
    provider: str | None = None
    intent: str | None = None
    cost_micro_usd: int = 0
    cached: bool = False
    request_id: str | None = None
    context_json: str | None = None
    """The context items that went into an answer (JSON list of ContextItemInfo, snake_case)."""


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    title: str
    workspace: str | None
    created_at: str
    updated_at: str
    forked_from: str | None = None
    fork_seq: int | None = None
    messages: tuple[ConversationMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    """A row of the conversation list."""

    id: str
    title: str
    workspace: str | None
    created_at: str
    updated_at: str
    messages: int
    last_model: str | None
    cost_micro_usd: int
    forked_from: str | None


def title_of(prompt: str) -> str:
    """The title a prompt gives its conversation: its first non-blank line, spaces collapsed,
    cut to `TITLE_CHARS` characters (with an ellipsis)."""
    line = next((ln for ln in prompt.splitlines() if ln.strip()), "")
    line = " ".join(line.split())
    if len(line) > TITLE_CHARS:
        line = line[: TITLE_CHARS - 1].rstrip() + "…"
    return line or "Untitled conversation"


def _now() -> datetime:
    return datetime.now(UTC)


_MESSAGE_COLUMNS = (
    "id, conversation_id, seq, ts, role, content, model, provider, intent, cost_micro_usd, cached, "
    "request_id, context_json"
)
_CONVERSATION_COLUMNS = "id, title, workspace, created_at, updated_at, forked_from, fork_seq"


def _message(row: aiosqlite.Row) -> ConversationMessage:
    return ConversationMessage(
        id=row[0],
        conversation_id=row[1],
        seq=row[2],
        ts=row[3],
        role=row[4],
        content=row[5],
        model=row[6],
        provider=row[7],
        intent=row[8],
        cost_micro_usd=row[9],
        cached=bool(row[10]),
        request_id=row[11],
        context_json=row[12],
    )


class Conversations:
    """Create, read, continue, fork, rename and delete conversations in the user's database."""

    def __init__(self, db: aiosqlite.Connection, now: Callable[[], datetime] = _now) -> None:
        self._db = db
        self._now = now
        self.on_entries_removed: list[Callable[[Sequence[int]], None]] = []
        """Told the ids of context entries removed with a conversation (the vector index drops them)."""

    def _stamp(self) -> str:
        return self._now().astimezone(UTC).isoformat(timespec="microseconds")

    async def create(
        self, title: str, workspace: str | None = None, *, first: str | None = None, intent: str | None = None
    ) -> Conversation:
        """A new conversation titled after `title` (a prompt: see `title_of`), empty, or holding the
        user's message `first` (of `intent`), written in the same transaction."""
        ts = self._stamp()
        first = redact(first) if first is not None else None
        conversation = Conversation(uuid.uuid4().hex, title_of(redact(title)), workspace, ts, ts)
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO conversations (id, title, workspace, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (conversation.id, conversation.title, workspace, ts, ts),
            )
            if first is not None:
                await db.execute(
                    "INSERT INTO messages (conversation_id, seq, ts, role, content, intent)"
                    " VALUES (?, 1, ?, 'user', ?, ?)",
                    (conversation.id, ts, first, intent),
                )
        return conversation

    async def get(self, conversation_id: str) -> Conversation:
        """The conversation with all its messages, oldest first."""
        async with self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            raise _unknown(conversation_id)
        async with self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq",
            (conversation_id,),
        ) as cur:
            messages = tuple(_message(r) for r in await cur.fetchall())
        return Conversation(row[0], row[1], row[2], row[3], row[4], row[5], row[6], messages)

    async def list(self, workspace: str | None = None, limit: int = 50) -> list[ConversationSummary]:
        """The conversations (of `workspace`, or all), the most recently used first."""
        query = f"""
            SELECT {_CONVERSATION_COLUMNS},
                   (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id),
                   (SELECT m.model FROM messages m WHERE m.conversation_id = c.id AND m.role = 'assistant'
                     ORDER BY m.seq DESC LIMIT 1),
                   (SELECT COALESCE(SUM(m.cost_micro_usd), 0) FROM messages m WHERE m.conversation_id = c.id)
            FROM conversations c
            WHERE ?1 IS NULL OR c.workspace = ?1
            ORDER BY c.updated_at DESC, c.rowid DESC
            LIMIT ?2
        """
        async with self._db.execute(query, (workspace, max(1, limit))) as cur:
            rows = await cur.fetchall()
        return [
            ConversationSummary(
                id=r[0],
                title=r[1],
                workspace=r[2],
                created_at=r[3],
                updated_at=r[4],
                forked_from=r[5],
                messages=r[7],
                last_model=r[8],
                cost_micro_usd=r[9],
            )
            for r in rows
        ]

    async def latest(self, workspace: str | None = None) -> str | None:
        """The id of the most recently used conversation (of `workspace`, or any), if there is one."""
        found = await self.list(workspace, limit=1)
        return found[0].id if found else None

    async def append(
        self,
        conversation_id: str,
        role: Role,
        content: str,
        *,
        model: str | None = None,
        provider: str | None = None,
        intent: str | None = None,
        cost_micro_usd: int = 0,
        cached: bool = False,
        request_id: str | None = None,
        context_json: str | None = None,
    ) -> ConversationMessage:
        """Add a message at the end of the conversation (its number assigned in the same
        transaction) and mark the conversation as just used. Credentials in it are redacted."""
        content = redact(content)
        ts = self._stamp()
        async with transaction(self._db) as db:
            touched = await db.execute(
                "UPDATE conversations SET updated_at = ? WHERE id = ?", (ts, conversation_id)
            )
            if touched.rowcount == 0:
                raise _unknown(conversation_id)
            async with db.execute(
                """
                INSERT INTO messages (conversation_id, seq, ts, role, content, model, provider, intent,
                                      cost_micro_usd, cached, request_id, context_json)
                SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
                FROM messages WHERE conversation_id = ?1
                RETURNING id, seq
                """,
                (
                    conversation_id,
                    ts,
                    role,
                    content,
                    model,
                    provider,
                    intent,
                    cost_micro_usd,
                    int(cached),
                    request_id,
                    context_json,
                ),
            ) as cur:
                row = await cur.fetchone()
        assert row is not None  # INSERT ... RETURNING always gives the new row
        return ConversationMessage(
            row[0],
            conversation_id,
            row[1],
            ts,
            role,
            content,
            model,
            provider,
            intent,
            cost_micro_usd,
            cached,
            request_id,
            context_json,
        )

    async def fork(self, conversation_id: str, at_seq: int | None = None) -> Conversation:
        """A new conversation holding copies of messages 1..`at_seq` (all when None) of this one."""
        source = await self.get(conversation_id)
        last = source.messages[-1].seq if source.messages else 0
        seq = last if at_seq is None else at_seq
        if not 0 <= seq <= last:
            raise BadInputError(
                f"Conversation '{conversation_id}' has messages 1 to {last}; fork at one of those.",
                kind="bad_input",
            )
        ts = self._stamp()
        title = title_of(source.title.removesuffix(" (fork)"))
        title = (
            title[: TITLE_CHARS - 7].rstrip() + " (fork)"
            if len(title) > TITLE_CHARS - 7
            else f"{title} (fork)"
        )
        new_id = uuid.uuid4().hex
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO conversations"
                " (id, title, workspace, created_at, updated_at, forked_from, fork_seq)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (new_id, title, source.workspace, ts, ts, source.id, seq),
            )
            await db.execute(
                """
                INSERT INTO messages (conversation_id, seq, ts, role, content, model, provider, intent,
                                      cost_micro_usd, cached, request_id, context_json)
                SELECT ?1, seq, ts, role, content, model, provider, intent, cost_micro_usd, cached,
                       request_id, context_json
                FROM messages WHERE conversation_id = ?2 AND seq <= ?3 ORDER BY seq
                """,
                (new_id, source.id, seq),
            )
        return await self.get(new_id)

    async def rename(self, conversation_id: str, title: str) -> Conversation:
        """Give the conversation a new title (one line, cut to `TITLE_CHARS` characters)."""
        if not title.strip():
            raise BadInputError("The title is empty. Type a title for the conversation.")
        new_title = title_of(title)
        async with transaction(self._db) as db:
            done = await db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (new_title, conversation_id)
            )
            if done.rowcount == 0:
                raise _unknown(conversation_id)
        return await self.get(conversation_id)

    async def delete(self, conversation_id: str) -> bool:
        """Remove the conversation, its messages and their context entries. False when it did not exist.

        The context entries' full-text rows are removed first (the index is kept in step by code,
        not triggers); forks of it stay, no longer pointing at it."""
        async with transaction(self._db) as db:
            async with db.execute(
                "SELECT id FROM context_entries WHERE conversation_id = ?", (conversation_id,)
            ) as cur:
                entries = [int(r[0]) for r in await cur.fetchall()]
            await db.execute(
                "INSERT INTO context_fts (context_fts, rowid, text) "
                "SELECT 'delete', id, text FROM context_entries WHERE conversation_id = ?",
                (conversation_id,),
            )
            await db.execute("DELETE FROM context_entries WHERE conversation_id = ?", (conversation_id,))
            done = await db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if entries:
            for hook in self.on_entries_removed:
                hook(entries)
        return done.rowcount > 0


def _unknown(conversation_id: str) -> BadInputError:
    return BadInputError(
        f"No conversation '{conversation_id}'. Pick one from the list of conversations "
        "(the chat panel's history, or `smart-router conversations`).",
        kind="unknown_conversation",
    )
