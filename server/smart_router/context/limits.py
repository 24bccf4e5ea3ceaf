"""The context cache's size cap and retention period (`smartRouter.context.cacheSizeMb`,
`retentionDays`).

Size: the bytes of what the context tables hold: entry texts, their embedding vectors,
conversation messages (and the context each answer recorded) and cached answers (prompt and
answer). Indexes and the full-text index come on top, roughly in proportion.

Retention deletes what has not been used for `retentionDays` (an entry by its last use, else its
creation; a conversation by its last message; a cached answer by its last hit). Pinned notes
are never deleted, neither by retention nor by the cap.

Over the cap, the rows of least value go first, until the data is back under 90 % of the cap
(so that the next few writes do not start another eviction):
- a document chunk or selection: its relevance when used (`value`, the mean score it had in the
  asks it went into; a never-used entry counts `PRIOR_VALUE`) x recency;
- a conversation, whole (never single messages): `CONVERSATION_VALUE` x recency of its last message,
  so old conversations go oldest first;
- a cached answer: `CACHE_VALUE` x (1 + hits) x recency of its last hit.
Recency halves every `HALF_LIFE_DAYS`. Embeddings no entry or cached prompt uses any more go too.

`LimitKeeper` runs this in the background: all of it once when the engine opens and every five
minutes; the cap alone after writes (`poke()`, at most every few seconds). Eviction deletes in
transactions of `BATCH` rows, so an ask never waits long for the database's write lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiosqlite

from smart_router.config import ContextSettings, Settings
from smart_router.store.transaction import transaction

__all__ = [
    "CACHE_VALUE",
    "CONVERSATION_VALUE",
    "HALF_LIFE_DAYS",
    "PRIOR_VALUE",
    "ContextSize",
    "Enforced",
    "LimitKeeper",
    "delete_cache_where",
    "delete_conversations_where",
    "delete_entries_where",
    "drop_orphan_embeddings",
    "enforce",
    "measure",
]

log = logging.getLogger(__name__)

PRIOR_VALUE = 0.2
"""Value of an entry never used in an ask (relevance scores of used ones are about 0..1)."""
CONVERSATION_VALUE = 0.5
CACHE_VALUE = 0.25
HALF_LIFE_DAYS = 14.0
TARGET_FRACTION = 0.9
"""Eviction brings the data down to this share of the cap."""
BATCH = 200
"""Rows deleted per transaction when evicting."""
ORPHAN_GRACE = timedelta(minutes=10)
"""An embedding younger than this is kept even without an owner: its entry may be on its way."""
MB = 1024 * 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class ContextSize:
    """Bytes held by each part of the context data."""

    entries: int
    embeddings: int
    messages: int
    cache: int

    @property
    def total(self) -> int:
        return self.entries + self.embeddings + self.messages + self.cache


@dataclass(slots=True)
class Enforced:
    """What one run of retention and the cap removed."""

    bytes_before: int = 0
    bytes_after: int = 0
    expired: dict[str, int] = field(default_factory=lambda: {"entries": 0, "conversations": 0, "cache": 0})
    evicted: dict[str, int] = field(default_factory=lambda: {"entries": 0, "conversations": 0, "cache": 0})
    orphan_embeddings: int = 0
    ms: float = 0.0
    removed_entry_ids: list[int] = field(default_factory=list)
    """Ids of the context entries deleted (the vector index forgets them)."""

    @property
    def removed_anything(self) -> bool:
        return bool(sum(self.expired.values()) + sum(self.evicted.values()) + self.orphan_embeddings)


_SIZE_SQL = """
SELECT
  (SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM context_entries),
  (SELECT coalesce(sum(length(vector)), 0) FROM embeddings),
  (SELECT coalesce(sum(length(CAST(content AS BLOB)) + coalesce(length(CAST(context_json AS BLOB)), 0)), 0)
     FROM messages),
  (SELECT coalesce(sum(length(CAST(prompt AS BLOB)) + length(CAST(answer AS BLOB))), 0) FROM response_cache)
"""


async def measure(db: aiosqlite.Connection) -> ContextSize:
    """The bytes of the context data now (one pass over the tables)."""
    async with db.execute(_SIZE_SQL) as cur:
        row = await cur.fetchone()
    assert row is not None
    return ContextSize(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


async def delete_entries_where(
    db: aiosqlite.Connection, where: str, params: tuple[object, ...] = ()
) -> list[int]:
    """Delete context entries (inside the caller's transaction), their full-text rows first:
    `context_fts` is an external-content index, so its rows go by the 'delete' command with the
    text they were indexed with. Returns the ids deleted."""
    async with db.execute(f"SELECT id FROM context_entries WHERE {where}", params) as cur:
        ids = [int(r[0]) async for r in cur]
    if ids:
        await db.execute(
            "INSERT INTO context_fts (context_fts, rowid, text) "
            f"SELECT 'delete', id, text FROM context_entries WHERE {where}",
            params,
        )
        await db.execute(f"DELETE FROM context_entries WHERE {where}", params)
    return ids


async def delete_conversations_where(
    db: aiosqlite.Connection, where: str, params: tuple[object, ...] = ()
) -> tuple[int, list[int]]:
    """Delete whole conversations: their message entries (and full-text rows), messages, and the
    rows. Returns how many conversations went and the ids of the entries deleted with them."""
    ids = await delete_entries_where(
        db, f"conversation_id IN (SELECT id FROM conversations WHERE {where})", params
    )
    cur = await db.execute(f"DELETE FROM conversations WHERE {where}", params)  # messages cascade
    return cur.rowcount, ids


async def delete_cache_where(db: aiosqlite.Connection, where: str, params: tuple[object, ...] = ()) -> int:
    """Delete cached answers (the files they drew on cascade)."""
    cur = await db.execute(f"DELETE FROM response_cache WHERE {where}", params)
    return cur.rowcount


async def drop_orphan_embeddings(db: aiosqlite.Connection, created_before: str | None = None) -> int:
    """Delete vectors of texts no entry and no cached prompt has any more."""
    where = (
        "content_hash NOT IN (SELECT content_hash FROM context_entries) "
        "AND content_hash NOT IN (SELECT prompt_hash FROM response_cache)"
    )
    params: tuple[object, ...] = ()
    if created_before is not None:
        where += " AND created_at < ?"
        params = (created_before,)
    cur = await db.execute(f"DELETE FROM embeddings WHERE {where}", params)
    return cur.rowcount


def _age_days(now: float, stamp: str | None) -> float:
    if not stamp:
        return 0.0
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return 0.0
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return max(0.0, (now - t.timestamp()) / 86400)


def _recency(now: float, stamp: str | None) -> float:
    return math.pow(0.5, _age_days(now, stamp) / HALF_LIFE_DAYS)


@dataclass(frozen=True, slots=True)
class _Victim:
    score: float
    kind: str  # entries | conversations | cache
    key: int | str
    size: int


async def _victims(db: aiosqlite.Connection, now: float) -> list[_Victim]:
    """Every evictable unit with its value and size, least valuable first."""
    out: list[_Victim] = []
    vector_bytes: dict[str, int] = {}
    async with db.execute(
        "SELECT content_hash, sum(length(vector)) FROM embeddings GROUP BY content_hash"
    ) as cur:
        async for h, n in cur:
            vector_bytes[h] = int(n)
    async with db.execute(
        "SELECT id, content_hash, length(CAST(text AS BLOB)), value, uses, coalesce(used_at, created_at) "
        "FROM context_entries WHERE pinned = 0 AND kind != 'message'"
    ) as cur:
        async for entry_id, h, size, value, uses, stamp in cur:
            worth = (float(value) if uses else PRIOR_VALUE) * _recency(now, stamp)
            out.append(_Victim(worth, "entries", int(entry_id), int(size) + vector_bytes.pop(h, 0)))
    async with db.execute(
        "SELECT c.id, c.updated_at, "
        "  (SELECT coalesce(sum(length(CAST(m.content AS BLOB)) "
        "                       + coalesce(length(CAST(m.context_json AS BLOB)), 0)), 0)"
        "     FROM messages m WHERE m.conversation_id = c.id), "
        "  (SELECT coalesce(sum(length(CAST(e.text AS BLOB))), 0) FROM context_entries e "
        "     WHERE e.conversation_id = c.id) "
        "FROM conversations c"
    ) as cur:
        async for conv_id, stamp, messages, entries in cur:
            size = int(messages) + int(entries)
            out.append(
                _Victim(CONVERSATION_VALUE * _recency(now, stamp), "conversations", str(conv_id), size)
            )
    async with db.execute(
        "SELECT id, hits, coalesce(hit_at, ts), length(CAST(prompt AS BLOB)) + length(CAST(answer AS BLOB)) "
        "FROM response_cache"
    ) as cur:
        async for cache_id, hits, stamp, size in cur:
            worth = CACHE_VALUE * (1 + int(hits)) * _recency(now, stamp)
            out.append(_Victim(worth, "cache", int(cache_id), int(size)))
    out.sort(key=lambda v: v.score)
    return out


async def _delete_keys(db: aiosqlite.Connection, kind: str, keys: list[int | str], report: Enforced) -> int:
    """Delete in transactions of `BATCH` rows, so an ask waiting for the write lock waits for one batch."""
    removed = 0
    for i in range(0, len(keys), BATCH):
        batch = tuple(keys[i : i + BATCH])
        marks = ",".join("?" * len(batch))
        async with transaction(db):
            if kind == "entries":
                ids = await delete_entries_where(db, f"id IN ({marks})", batch)
                removed += len(ids)
            elif kind == "conversations":
                n, ids = await delete_conversations_where(db, f"id IN ({marks})", batch)
                removed += n
            else:
                ids = []
                removed += await delete_cache_where(db, f"id IN ({marks})", batch)
        report.removed_entry_ids.extend(ids)
    return removed


async def enforce(
    db: aiosqlite.Connection, settings: ContextSettings, now: datetime | None = None, *, sweep: bool = True
) -> Enforced:
    """Apply retention and drop orphan embeddings (unless `sweep` is False: a run right after a
    write only needs the cap), then the cap. Returns what went."""
    started = time.perf_counter()
    now = now or utc_now()
    report = Enforced()
    if sweep and settings.retention_days > 0:
        cutoff = _iso(now - timedelta(days=settings.retention_days))
        async with transaction(db):
            ids = await delete_entries_where(
                db, "pinned = 0 AND kind != 'message' AND coalesce(used_at, created_at) < ?", (cutoff,)
            )
            report.expired["entries"] = len(ids)
            n, message_ids = await delete_conversations_where(db, "updated_at < ?", (cutoff,))
            report.expired["conversations"] = n
            report.expired["cache"] = await delete_cache_where(db, "coalesce(hit_at, ts) < ?", (cutoff,))
        report.removed_entry_ids.extend(ids + message_ids)
    if sweep:
        async with transaction(db):
            report.orphan_embeddings = await drop_orphan_embeddings(db, _iso(now - ORPHAN_GRACE))
    size = await measure(db)
    report.bytes_before = report.bytes_after = size.total
    cap = int(settings.cache_size_mb * MB)
    if size.total > cap:
        excess = size.total - int(cap * TARGET_FRACTION)
        chosen: dict[str, list[int | str]] = {"entries": [], "conversations": [], "cache": []}
        for victim in await _victims(db, now.timestamp()):
            if excess <= 0:
                break
            chosen[victim.kind].append(victim.key)
            excess -= victim.size
        for kind, keys in chosen.items():
            report.evicted[kind] = await _delete_keys(db, kind, keys, report)
        async with transaction(db):
            report.orphan_embeddings += await drop_orphan_embeddings(db)
        report.bytes_after = (await measure(db)).total
    report.ms = (time.perf_counter() - started) * 1000
    return report


class LimitKeeper:
    """Runs `enforce` in the background: at `start()`, after `poke()` (at most every
    `min_interval_s`), and every `period_s` regardless. One run at a time."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        settings: Callable[[], Settings],
        *,
        now: Callable[[], datetime] = utc_now,
        min_interval_s: float = 5.0,
        period_s: float = 300.0,
        on_removed: Sequence[Callable[[Sequence[int]], None]] = (),
    ) -> None:
        self._db = db
        self._on_removed = on_removed
        self._settings = settings
        self._now = now
        self._min_interval_s = min_interval_s
        self._period_s = period_s
        self._lock = asyncio.Lock()
        self._pending: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._periodic: asyncio.TimerHandle | None = None
        self._last_run = -math.inf
        self._sweep_due = True
        """Retention and the orphan sweep run at start and every `period_s`; a poke only checks the cap."""
        self._closed = False
        self.last: Enforced | None = None
        """What the latest run removed."""

    def start(self) -> None:
        """Run once now (in the background), then keep the schedule."""
        self._schedule(0.0)

    def poke(self) -> None:
        """Data was written: run within `min_interval_s` unless a run is already due."""
        wait = max(0.0, self._last_run + self._min_interval_s - time.monotonic())
        self._schedule(wait)

    def _schedule(self, delay: float) -> None:
        if self._closed or self._pending is not None:
            return
        loop = asyncio.get_running_loop()
        self._pending = loop.call_later(delay, self._fire)

    def _fire(self) -> None:
        self._pending = None
        if self._closed or (self._task is not None and not self._task.done()):
            if not self._closed:  # a run is going: look again once it has finished
                self._schedule(self._min_interval_s)
            return
        self._task = asyncio.ensure_future(self._run_logged())

    async def _run_logged(self) -> None:
        try:
            sweep, self._sweep_due = self._sweep_due, False
            await self.run_now(sweep=sweep)
        except (aiosqlite.Error, ValueError) as exc:  # closed meanwhile, or the disk is full
            log.warning("context limits not applied: %s", exc)
        finally:
            if not self._closed and self._periodic is None:
                loop = asyncio.get_running_loop()
                self._periodic = loop.call_later(self._period_s, self._periodic_fire)

    def _periodic_fire(self) -> None:
        self._periodic = None
        self._sweep_due = True
        self._schedule(0.0)

    async def run_now(self, *, sweep: bool = True) -> Enforced:
        """Apply retention and the cap at once and return what was removed."""
        async with self._lock:
            self._last_run = time.monotonic()
            report = await enforce(self._db, self._settings().context, self._now(), sweep=sweep)
            self.last = report
            if report.removed_entry_ids:
                for listener in self._on_removed:
                    listener(report.removed_entry_ids)
            if report.removed_anything:
                log.info(
                    "context limits: expired %s, evicted %s, %d orphan embedding(s); "
                    "%.1f -> %.1f MB in %.0f ms",
                    report.expired,
                    report.evicted,
                    report.orphan_embeddings,
                    report.bytes_before / MB,
                    report.bytes_after / MB,
                    report.ms,
                )
            return report

    async def close(self) -> None:
        self._closed = True
        for handle in (self._pending, self._periodic):
            if handle is not None:
                handle.cancel()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
