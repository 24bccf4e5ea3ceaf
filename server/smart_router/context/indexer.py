"""Embedding new context entries in the background, never on an ask's path.

The indexer wakes when the store writes entries (`poke`), waits a short moment so that a burst of
writes (a document opened, a file saved twice) goes out together, and then embeds every text
that has no vector of the current model yet: distinct content hashes only (the same text is
embedded once, whatever entries share it), `BATCH` texts per call to the embedding worker.
Vectors go to the `embeddings` table and the new rows to the vector index.

While the embedding model loads the indexer waits for it to be ready, then catches up with what
was stored meanwhile (and, at start, with what earlier sessions stored). When the model is
missing, failed or off, it checks again every `RECHECK_S`: context is ranked by keywords until
then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

import aiosqlite

from smart_router.context.store import utc_now
from smart_router.context.vectors import ROWS_SQL, IndexRow, VectorIndex
from smart_router.embeddings import PACKAGED_MODEL, EmbeddingService
from smart_router.errors import EmbeddingsUnavailable
from smart_router.store.transaction import transaction

__all__ = ["BATCH", "DEBOUNCE_S", "RECHECK_S", "Indexer", "model_key"]

log = logging.getLogger(__name__)

BATCH = 64
"""Texts per call to the embedding worker."""
DEBOUNCE_S = 0.3
"""Quiet time after a write before embedding starts."""
RECHECK_S = 30.0
"""How often the indexer looks again at an embedding model that is missing, failed or off."""


def model_key(embeddings: EmbeddingService) -> str:
    """The `embeddings.model` key of the service's vectors: the model path of
    `smartRouter.embeddingModel`, or `all-MiniLM-L6-v2` for the packaged model."""
    return embeddings.model_path.strip() or PACKAGED_MODEL


_PENDING_SQL = (
    "SELECT e.content_hash, min(e.text) FROM context_entries e WHERE NOT EXISTS "
    "(SELECT 1 FROM embeddings v WHERE v.content_hash = e.content_hash AND v.model = ?) "
    "GROUP BY e.content_hash LIMIT ?"
)


class Indexer:
    """The background task that embeds entries without a vector; see the module docstring."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        embeddings: EmbeddingService,
        index: VectorIndex,
        *,
        batch: int = BATCH,
        debounce_s: float = DEBOUNCE_S,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._embeddings = embeddings
        self._index = index
        self._batch = batch
        self._debounce_s = debounce_s
        self._now = now
        self._wake = asyncio.Event()
        self._new_ids: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        self.embedded = 0
        """Texts sent to the embedding model since start."""
        self.maybe_pending = True
        """False once a catch-up found nothing left and no entry was stored since: the ranking
        then skips the keyword pass over entries without a vector."""
        self._pokes = 0
        self.idle = asyncio.Event()
        """Set while nothing waits to be embedded (or the model cannot embed now)."""

    @property
    def model(self) -> str:
        return model_key(self._embeddings)

    def start(self) -> None:
        """Start the background task (no-op while it runs); it catches up at once."""
        if self._task is None or self._task.done():
            self._wake.set()
            self._task = asyncio.ensure_future(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def poke(self, ids: Sequence[int] = ()) -> None:
        """New entries were stored (the store's `on_added` listener)."""
        self._new_ids.update(ids)
        self._pokes += 1
        self.maybe_pending = True
        self.idle.clear()
        self._wake.set()

    async def pending(self) -> int:
        """Entries without a vector of the current model."""
        async with self._db.execute(
            "SELECT count(*) FROM context_entries e WHERE NOT EXISTS (SELECT 1 FROM embeddings v "
            "WHERE v.content_hash = e.content_hash AND v.model = ?)",
            (self.model,),
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def run_once(self) -> int:
        """Embed everything pending now (the model must be ready); returns the texts embedded."""
        done = 0
        model = self.model
        while True:
            pokes = self._pokes
            async with self._db.execute(_PENDING_SQL, (model, self._batch)) as cur:
                todo = [(str(r[0]), str(r[1])) for r in await cur.fetchall()]
            if not todo:
                self.maybe_pending = self._pokes != pokes
                break
            vectors = await self._embeddings.embed([text for _, text in todo])
            dim = len(vectors[0]) // 4 if vectors else 0
            stamp = self._now().isoformat(timespec="microseconds")
            async with transaction(self._db) as db:
                await db.executemany(
                    "INSERT OR IGNORE INTO embeddings (content_hash, model, dim, vector, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(h, model, dim, v, stamp) for (h, _), v in zip(todo, vectors, strict=True)],
                )
                async with db.execute(
                    "SELECT id FROM context_entries WHERE content_hash IN ({})".format(
                        ",".join("?" * len(todo))
                    ),
                    [h for h, _ in todo],
                ) as cur:
                    self._new_ids.update(int(r[0]) for r in await cur.fetchall())
            done += len(todo)
            self.embedded += len(todo)
        await self._index_new(model)
        return done

    async def _index_new(self, model: str) -> None:
        """Hand the new entries that have a vector to the index (when it is loaded)."""
        ids, self._new_ids = sorted(self._new_ids), set()
        if not self._index.loaded or self._index.model != model:
            return
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            sql = f"{ROWS_SQL} WHERE e.id IN ({','.join('?' * len(part))})"
            async with self._db.execute(sql, (model, *part)) as cur:
                rows = [IndexRow(*r) for r in await cur.fetchall()]
            self._index.add(rows)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            state = self._embeddings.state
            if state == "loading":
                await self._embeddings.wait_ready()
                self._wake.set()
                continue
            if state != "ready":
                self.idle.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), RECHECK_S)
                self._wake.set()
                continue
            await asyncio.sleep(self._debounce_s)
            try:
                count = await self.run_once()
            except EmbeddingsUnavailable as exc:  # the worker went away: wait for it again
                log.info("context entries not embedded now: %s", exc.message)
                await asyncio.sleep(1.0)
                self._wake.set()
                continue
            except (sqlite3.Error, ValueError) as exc:  # a closed or locked database: retry later
                log.warning("context indexer: %s", exc)
                await asyncio.sleep(5.0)
                self._wake.set()
                continue
            if count:
                log.info("embedded %d context text(s)", count)
            if not self._wake.is_set():
                self.idle.set()
