"""The context entries in SQLite (migration 4): chunks of the user's documents, selections they
asked about, notes they pinned, and past messages, with the full-text index kept in step.

Every write runs in one transaction that also updates `context_fts` (an external-content FTS5
table: a row leaves the index through the 'delete' command with its old text, so the text is
read before the row goes). `content_hash` is the sha256 of an entry's text: the key of its
embedding, so the same text is embedded once whatever entries share it. `tokens` is the text's
cl100k count (a size for stats and eviction; the ranking counts again with the chosen model's
tokenizer).

Updating a document re-chunks it: chunks whose text did not change keep their row (their id,
embedding and usage stats) and only their position is updated; the others are replaced. The
file's content hash (`DocumentUpdate.file_hash`) is the sha256 over its chunks' hashes in order,
so it changes exactly when the stored content does; the response cache compares it to invalidate
answers that drew on the file.

Listeners (`on_added`, `on_removed`) hear the ids of entries written and deleted after each
commit: the indexer embeds the new ones, the vector index drops the removed ones.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import aiosqlite

from smart_router.context.chunking import Chunk, chunk_document
from smart_router.context.secrets import redact
from smart_router.store.transaction import transaction
from smart_router.tokens import count_text, encoding_loaded

if TYPE_CHECKING:
    from smart_router.context.relevance import ContextItem

__all__ = [
    "CL100K",
    "ContextStore",
    "DocumentUpdate",
    "EntryKind",
    "PreparedChunk",
    "content_hash",
    "file_hash",
    "utc_now",
]

EntryKind = Literal["document", "selection", "note", "message"]
CL100K = "openai-cl100k"
"""The token family of the stored `tokens` column."""
_INLINE_CHARS = 2000
_NOTE_LABEL_CHARS = 60


def utc_now() -> datetime:
    return datetime.now(UTC)


def content_hash(text: str) -> str:
    """sha256 hex of a text: its entry's `content_hash` and its embedding's key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(chunk_hashes: Iterable[str]) -> str:
    """A document's content hash: sha256 over its chunks' hashes in document order."""
    return hashlib.sha256("\n".join(chunk_hashes).encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class DocumentUpdate:
    uri: str
    file_hash: str
    changed: bool
    """The stored content differs from before (a new document counts as changed)."""
    added: int
    removed: int


@dataclass(frozen=True, slots=True)
class PreparedChunk:
    chunk: Chunk
    content_hash: str
    tokens: int


def prepare(text: str, language: str | None, uri: str | None) -> list[PreparedChunk]:
    """Redact a document's credentials, chunk it, and hash and count its chunks (CPU work: run off
    the event loop)."""
    return [
        PreparedChunk(c, content_hash(c.text), count_text(c.text, CL100K))
        for c in chunk_document(redact(text), language, uri)
    ]


async def _count(text: str) -> int:
    if len(text) <= _INLINE_CHARS and encoding_loaded(CL100K):
        return count_text(text, CL100K)
    return await asyncio.to_thread(count_text, text, CL100K)


class ContextStore:
    """Writes and reads of `context_entries` (and `context_fts`) on the engine's connection."""

    def __init__(self, db: aiosqlite.Connection, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self._now = now
        self.on_added: list[Callable[[Sequence[int]], None]] = []
        self.on_removed: list[Callable[[Sequence[int]], None]] = []

    def stamp(self) -> str:
        """Now, as stored: UTC ISO 8601 with microseconds."""
        return self._now().astimezone(UTC).isoformat(timespec="microseconds")

    # -- documents ----------------------------------------------------------------------------

    async def upsert_document(
        self, uri: str, text: str, *, workspace: str | None, language: str | None
    ) -> DocumentUpdate:
        """Store a document's chunks in place of its old ones, keeping the unchanged ones (credentials
        in it are redacted first, see secrets.py)."""
        chunks = await asyncio.to_thread(prepare, text, language, uri)
        now = self.stamp()
        added: list[int] = []
        removed: list[int] = []
        async with transaction(self.db) as db:
            async with db.execute(
                "SELECT id, content_hash, text, workspace FROM context_entries "
                "WHERE uri = ? AND kind = 'document' ORDER BY start_line, id",
                (uri,),
            ) as cur:
                old = list(await cur.fetchall())
            before = file_hash(r["content_hash"] for r in old)
            by_hash: dict[str, list[aiosqlite.Row]] = {}
            for row in old:
                by_hash.setdefault(row["content_hash"], []).append(row)
            for p in chunks:
                c = p.chunk
                kept = by_hash.get(p.content_hash)
                if kept:
                    row = kept.pop(0)
                    await db.execute(
                        "UPDATE context_entries SET label = ?, start_line = ?, end_line = ?, workspace = ? "
                        "WHERE id = ?",
                        (c.label, c.start_line, c.end_line, workspace, row["id"]),
                    )
                    if row["workspace"] != workspace:  # the vector index re-reads it
                        removed.append(row["id"])
                        added.append(row["id"])
                    continue
                added.append(
                    await self._insert(
                        db,
                        "document",
                        c.text,
                        p.content_hash,
                        p.tokens,
                        now,
                        workspace=workspace,
                        uri=uri,
                        label=c.label,
                        start_line=c.start_line,
                        end_line=c.end_line,
                    )
                )
            stale = [row for rows in by_hash.values() for row in rows]
            await self._delete_rows(db, stale)
            removed += [row["id"] for row in stale]
        after = file_hash(p.content_hash for p in chunks)
        self._notify(added, removed)
        new_count = len(chunks) - (len(old) - len(stale))
        return DocumentUpdate(uri, after, after != before, new_count, len(stale))

    async def forget_document(self, uri: str) -> int:
        """Delete a file's chunks and the selections made in it; returns how many entries went."""
        async with transaction(self.db) as db:
            async with db.execute(
                "SELECT id, text FROM context_entries WHERE uri = ? AND kind IN ('document', 'selection')",
                (uri,),
            ) as cur:
                rows = list(await cur.fetchall())
            await self._delete_rows(db, rows)
        self._notify([], [r["id"] for r in rows])
        return len(rows)

    async def file_hashes(self, uris: Iterable[str]) -> dict[str, str]:
        """The content hash of each stored document among `uris` (see `file_hash`)."""
        wanted = sorted(set(uris))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        hashes: dict[str, list[str]] = {}
        rows = await self.db.execute_fetchall(
            f"SELECT uri, content_hash FROM context_entries WHERE kind = 'document' AND uri IN ({marks}) "
            "ORDER BY uri, start_line, id",
            wanted,
        )
        for row in rows:
            hashes.setdefault(row["uri"], []).append(row["content_hash"])
        return {uri: file_hash(h) for uri, h in hashes.items()}

    # -- selections, notes, messages ----------------------------------------------------------

    async def add_selection(
        self,
        uri: str | None,
        text: str,
        *,
        workspace: str | None,
        start_line: int | None,
        end_line: int | None,
    ) -> int:
        """Store a selection the user asked about (the same text in the same file is stored once)."""
        text = redact(text)
        digest = content_hash(text)
        async with transaction(self.db) as db:
            async with db.execute(
                "SELECT id FROM context_entries WHERE kind = 'selection' AND content_hash = ? AND uri IS ?",
                (digest, uri),
            ) as cur:
                row = await cur.fetchone()
            if row is not None:
                await db.execute(
                    "UPDATE context_entries SET start_line = ?, end_line = ?, workspace = ?, created_at = ? "
                    "WHERE id = ?",
                    (start_line, end_line, workspace, self.stamp(), row["id"]),
                )
                return int(row["id"])
            label = (
                f"lines {start_line + 1}-{(end_line or start_line) + 1}"
                if start_line is not None
                else "selection"
            )
            entry = await self._insert(
                db,
                "selection",
                text,
                digest,
                await _count(text),
                self.stamp(),
                workspace=workspace,
                uri=uri,
                label=label,
                start_line=start_line,
                end_line=end_line,
            )
        self._notify([entry], [])
        return entry

    async def add_note(self, text: str, *, title: str | None, workspace: str | None) -> int:
        """Pin a note: it is offered as context while relevant and never evicted."""
        text = redact(text)
        first = text.strip().split("\n", 1)[0]
        label = (title or "").strip() or (first if len(first) <= _NOTE_LABEL_CHARS else first[:57] + "...")
        async with transaction(self.db) as db:
            entry = await self._insert(
                db,
                "note",
                text,
                content_hash(text),
                await _count(text),
                self.stamp(),
                workspace=workspace,
                label=label,
                pinned=True,
            )
        self._notify([entry], [])
        return entry

    async def remove_note(self, entry_id: int) -> bool:
        """Unpin (delete) a note; False when there is no note of that id."""
        async with transaction(self.db) as db:
            async with db.execute(
                "SELECT id, text FROM context_entries WHERE id = ? AND kind = 'note'", (entry_id,)
            ) as cur:
                rows = list(await cur.fetchall())
            await self._delete_rows(db, rows)
        self._notify([], [r["id"] for r in rows])
        return bool(rows)

    async def add_message(self, conversation_id: str, role: str, text: str, *, workspace: str | None) -> int:
        """Store a message of a conversation as context for later asks."""
        text = redact(text)
        label = "you" if role == "user" else role
        async with transaction(self.db) as db:
            entry = await self._insert(
                db,
                "message",
                text,
                content_hash(text),
                await _count(text),
                self.stamp(),
                workspace=workspace,
                label=label,
                conversation_id=conversation_id,
            )
        self._notify([entry], [])
        return entry

    async def delete_entries(self, ids: Sequence[int]) -> int:
        """Delete entries by id (index rows included); returns how many existed."""
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        async with transaction(self.db) as db:
            async with db.execute(
                f"SELECT id, text FROM context_entries WHERE id IN ({marks})", list(ids)
            ) as cur:
                rows = list(await cur.fetchall())
            await self._delete_rows(db, rows)
        self._notify([], [r["id"] for r in rows])
        return len(rows)

    async def mark_used(self, items: Sequence[ContextItem]) -> None:
        """Record that these items went into an ask: uses + 1, used now, `value` the mean score."""
        if not items:
            return
        now = self.stamp()
        async with transaction(self.db) as db:
            await db.executemany(
                "UPDATE context_entries SET value = (value * uses + ?) / (uses + 1), uses = uses + 1, "
                "used_at = ? WHERE id = ?",
                [(max(0.0, item.score), now, item.entry_id) for item in items],
            )

    async def rows(self, ids: Sequence[int]) -> dict[int, aiosqlite.Row]:
        """The entries of these ids that still exist."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        async with self.db.execute(
            "SELECT id, kind, workspace, uri, label, start_line, end_line, text, content_hash, tokens, "
            f"conversation_id, created_at, used_at, pinned FROM context_entries WHERE id IN ({marks})",
            list(ids),
        ) as cur:
            return {int(r["id"]): r for r in await cur.fetchall()}

    async def rebuild_fts(self) -> None:
        """Rebuild the full-text index from the entries (after bulk deletes done without it)."""
        async with transaction(self.db) as db:
            await db.execute("INSERT INTO context_fts (context_fts) VALUES ('rebuild')")

    # -- internals ----------------------------------------------------------------------------

    async def _insert(
        self,
        db: aiosqlite.Connection,
        kind: EntryKind,
        text: str,
        digest: str,
        tokens: int,
        now: str,
        *,
        workspace: str | None,
        label: str,
        uri: str | None = None,
        start_line: int | None = None,
        end_line: int | None = None,
        conversation_id: str | None = None,
        pinned: bool = False,
    ) -> int:
        cur = await db.execute(
            "INSERT INTO context_entries (kind, workspace, uri, label, start_line, end_line, text, "
            "content_hash, tokens, conversation_id, created_at, pinned) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                workspace,
                uri,
                label,
                start_line,
                end_line,
                text,
                digest,
                tokens,
                conversation_id,
                now,
                int(pinned),
            ),
        )
        entry = cur.lastrowid
        assert entry is not None
        await db.execute("INSERT INTO context_fts (rowid, text) VALUES (?, ?)", (entry, text))
        return int(entry)

    @staticmethod
    async def _delete_rows(db: aiosqlite.Connection, rows: Sequence[aiosqlite.Row]) -> None:
        if not rows:
            return
        await db.executemany(
            "INSERT INTO context_fts (context_fts, rowid, text) VALUES ('delete', ?, ?)",
            [(r["id"], r["text"]) for r in rows],
        )
        await db.executemany("DELETE FROM context_entries WHERE id = ?", [(r["id"],) for r in rows])

    def _notify(self, added: Sequence[int], removed: Sequence[int]) -> None:
        if removed:
            for listener in self.on_removed:
                listener(removed)
        if added:
            for listener in self.on_added:
                listener(added)
