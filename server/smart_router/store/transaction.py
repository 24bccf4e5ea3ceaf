"""Write transactions on the shared database connection.

The engine holds one aiosqlite connection, and many asks run on it at once. A transaction
that reads, decides and writes (reserve a budget, settle a call) must not interleave with
another task's statements, and must not race another process (the `smart-router` command
and the sidecar share the file). `transaction(db)` gives both: an asyncio lock per
connection inside the process, and `BEGIN IMMEDIATE` (the database's write lock, waited for
up to the busy timeout) across processes. Everything in the block commits together or not
at all; a crash mid-block leaves the database as it was before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import aiosqlite

__all__ = ["run_to_completion", "transaction", "write_lock"]

T = TypeVar("T")

_LOCKS: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(db: aiosqlite.Connection) -> asyncio.Lock:
    """The lock that serialises write transactions on `db` within this process."""
    lock = _LOCKS.get(db)
    if lock is None:
        lock = _LOCKS[db] = asyncio.Lock()
    return lock


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """`async with transaction(db) as tx:` runs the block in one `BEGIN IMMEDIATE` transaction."""
    async with write_lock(db):
        await _settled(db, "BEGIN IMMEDIATE", undo="ROLLBACK")
        try:
            yield db
        except BaseException:
            await _settled(db, "ROLLBACK")
            raise
        await _settled(db, "COMMIT")


async def _settled(db: aiosqlite.Connection, sql: str, undo: str | None = None) -> None:
    """Run `sql` to its end even when the caller is cancelled meanwhile (the statement runs on
    the connection's thread regardless; leaving before it ends would let the next transaction
    start inside this one), then run `undo` and let the cancel through."""
    statement = asyncio.ensure_future(db.execute(sql))
    try:
        await asyncio.shield(statement)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):  # the cancel is the news; the database keeps its state
            await statement
            if undo is not None:
                await db.execute(undo)
        raise


async def run_to_completion(work: Awaitable[T], undo: Callable[[T], Awaitable[object]] | None = None) -> T:
    """Await `work` (a transaction), letting it finish even if the caller is cancelled meanwhile.

    A cancelled caller waits for the transaction to commit or roll back, runs `undo` on its
    result (e.g. releases a reservation nobody will use), then is cancelled as asked. So a
    cancel never leaves a transaction half-done nor a result nobody owns.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        try:
            result = await task
        except Exception:  # the work failed on its own: nothing to undo
            raise asyncio.CancelledError() from None
        if undo is not None:
            await undo(result)
        raise
