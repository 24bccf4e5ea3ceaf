"""What the context cache holds, and clearing it: `smartRouter/contextStats`, `contextClear` and
`smart-router context stats|clear`.

Clear scopes:
- `project`: document chunks and selections (what document sync and asks about a selection stored);
- `conversations`: conversations, their messages and the message entries drawn from them;
- `cache`: the response cache (cached answers and the files they drew on);
- `notes`: pinned notes;
- `all`: everything above.
With a workspace, only what was recorded for that workspace folder goes. Embeddings no remaining
text uses are dropped with what they belonged to. Freed pages are reused by later writes (no VACUUM).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from smart_router.config import Settings
from smart_router.context.limits import (
    MB,
    LimitKeeper,
    delete_cache_where,
    delete_conversations_where,
    delete_entries_where,
    drop_orphan_embeddings,
    measure,
    utc_now,
)
from smart_router.errors import BadInputError
from smart_router.store.transaction import transaction

__all__ = ["SCOPES", "Cleared", "ContextAdmin", "ContextStats", "Scope"]

Scope = Literal["all", "project", "conversations", "cache", "notes"]
SCOPES: tuple[Scope, ...] = ("all", "project", "conversations", "cache", "notes")
KINDS = ("document", "selection", "note", "message")


@dataclass(frozen=True, slots=True)
class ContextStats:
    entries: dict[str, int]
    """Entries per kind: document, selection, note, message."""
    files: int
    """Distinct documents with chunks stored."""
    conversations: int
    messages: int
    embedded: int
    pending: int
    cache_entries: int
    cache_hits: int
    saved_micro_usd: int
    bytes: int
    cap_bytes: int
    retention_days: int
    mode: str
    mode_detail: str
    oldest: str | None


@dataclass(frozen=True, slots=True)
class Cleared:
    entries: int = 0
    conversations: int = 0
    cache_entries: int = 0


def _workspace(workspace: str | None) -> str | None:
    """The key the engine records: the folder's path without a trailing separator."""
    if not workspace:
        return None
    return workspace.rstrip("/\\") or workspace


class ContextAdmin:
    """Statistics and clearing of the context tables; holds the size cap's `LimitKeeper`."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        settings: Callable[[], Settings],
        *,
        now: Callable[[], datetime] = utc_now,
        on_removed: Sequence[Callable[[Sequence[int]], None]] = (),
    ) -> None:
        self._db = db
        self._settings = settings
        self._on_removed = on_removed
        """Hear the ids of deleted entries (the store's `on_removed`: the vector index forgets them)."""
        self.limits = LimitKeeper(db, settings, now=now, on_removed=on_removed)
        """Retention and the size cap, run in the background (`limits.poke()` after writes)."""

    async def stats(self, mode: tuple[str, str], workspace: str | None = None) -> ContextStats:
        """Counts, size against the cap, and how context is ranked now (`mode`: (mode, detail)).

        With `workspace`, the counts are of that workspace's entries, conversations and cached
        answers (notes without a workspace count everywhere); the size is always the whole
        database's, which is what the cap applies to."""
        ws = _workspace(workspace)
        cond, params = (
            ("(workspace = ? OR (workspace IS NULL AND kind = 'note'))", (ws,)) if ws else ("1", ())
        )
        db = self._db
        entries = dict.fromkeys(KINDS, 0)
        async with db.execute(
            f"SELECT kind, count(*) FROM context_entries WHERE {cond} GROUP BY kind", params
        ) as c:
            async for kind, n in c:
                entries[str(kind)] = int(n)
        files = await self._one(
            f"SELECT count(DISTINCT uri) FROM context_entries WHERE kind = 'document' AND {cond}", params
        )
        embedded = await self._one(
            f"SELECT count(*) FROM context_entries e WHERE {cond} AND EXISTS "
            "(SELECT 1 FROM embeddings v WHERE v.content_hash = e.content_hash)",
            params,
        )
        wcond, wparams = ("workspace = ?", (ws,)) if ws else ("1", ())
        conversations = await self._one(f"SELECT count(*) FROM conversations WHERE {wcond}", wparams)
        messages = await self._one(
            "SELECT count(*) FROM messages WHERE conversation_id IN "
            f"(SELECT id FROM conversations WHERE {wcond})",
            wparams,
        )
        async with db.execute(
            "SELECT count(*), coalesce(sum(hits), 0), coalesce(sum(saved_micro_usd), 0) "
            f"FROM response_cache WHERE {wcond}",
            wparams,
        ) as c:
            row = await c.fetchone()
        cache_entries, cache_hits, saved = (int(x) for x in row) if row else (0, 0, 0)
        oldest = await self._oldest(cond, params, wcond, wparams)
        settings = self._settings().context
        size = await measure(db)
        total = sum(entries.values())
        return ContextStats(
            entries=entries,
            files=files,
            conversations=conversations,
            messages=messages,
            embedded=embedded,
            pending=total - embedded,
            cache_entries=cache_entries,
            cache_hits=cache_hits,
            saved_micro_usd=saved,
            bytes=size.total,
            cap_bytes=int(settings.cache_size_mb * MB),
            retention_days=settings.retention_days,
            mode=mode[0] if settings.enabled else "off",
            mode_detail=mode[1]
            if settings.enabled
            else "context is turned off (smartRouter.context.enabled)",
            oldest=oldest,
        )

    async def _one(self, sql: str, params: tuple[object, ...]) -> int:
        async with self._db.execute(sql, params) as c:
            row = await c.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def _oldest(
        self, cond: str, params: tuple[object, ...], wcond: str, wparams: tuple[object, ...]
    ) -> str | None:
        async with self._db.execute(
            f"SELECT min(t) FROM (SELECT min(created_at) AS t FROM context_entries WHERE {cond} "
            f"UNION ALL SELECT min(created_at) FROM conversations WHERE {wcond} "
            f"UNION ALL SELECT min(ts) FROM response_cache WHERE {wcond})",
            (*params, *wparams, *wparams),
        ) as c:
            row = await c.fetchone()
        return str(row[0]) if row and row[0] is not None else None

    async def clear(self, scope: Scope, workspace: str | None = None) -> Cleared:
        """Delete the scope's data (of one workspace, or all) in one transaction; returns the counts."""
        if scope not in SCOPES:
            raise BadInputError(f"Unknown scope '{scope}': use one of {', '.join(SCOPES)}.")
        ws = _workspace(workspace)
        wcond, wparams = (" AND workspace = ?", (ws,)) if ws else ("", ())
        removed: list[int] = []
        conversations = cache = 0
        async with transaction(self._db) as db:
            if scope in ("all", "project"):
                removed += await delete_entries_where(
                    db, f"kind IN ('document', 'selection'){wcond}", wparams
                )
            if scope in ("all", "notes"):
                removed += await delete_entries_where(db, f"kind = 'note'{wcond}", wparams)
            if scope in ("all", "conversations"):
                conversations, ids = await delete_conversations_where(db, f"1{wcond}", wparams)
                removed += ids
                # message entries whose conversation is gone (none expected; kept honest)
                removed += await delete_entries_where(
                    db,
                    "kind = 'message' AND (conversation_id IS NULL OR conversation_id NOT IN "
                    f"(SELECT id FROM conversations)){wcond}",
                    wparams,
                )
            if scope in ("all", "cache"):
                cache = await delete_cache_where(db, f"1{wcond}", wparams)
            await drop_orphan_embeddings(db)
        if removed:
            for listener in self._on_removed:
                listener(removed)
        return Cleared(entries=len(removed), conversations=conversations, cache_entries=cache)

    async def close(self) -> None:
        await self.limits.close()
