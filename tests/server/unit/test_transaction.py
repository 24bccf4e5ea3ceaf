"""A write transaction whose task is cancelled while `BEGIN IMMEDIATE` waits for the database's
write lock leaves the connection as it found it: the next transaction starts normally."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiosqlite
import pytest

from smart_router.store import open_database
from smart_router.store.transaction import transaction

ADD = "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, 't', 'x', 'x')"


async def test_a_cancel_while_begin_waits_leaves_no_transaction_open(tmp_path: Path) -> None:
    path = tmp_path / "sr.db"
    db = await open_database(path)
    other = await aiosqlite.connect(path, isolation_level=None)
    try:
        await other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

        async def write() -> None:
            async with transaction(db) as tx:
                await tx.execute(ADD, ("a",))

        task = asyncio.ensure_future(write())
        await asyncio.sleep(0.3)  # BEGIN IMMEDIATE is waiting on the connection's thread
        task.cancel()
        await asyncio.sleep(0.1)
        await other.execute("COMMIT")  # the lock frees: the waiting BEGIN goes through
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not db.in_transaction
        async with transaction(db) as tx:  # before: "cannot start a transaction within a transaction"
            await tx.execute(ADD, ("b",))
        async with db.execute("SELECT group_concat(id) FROM conversations") as cur:
            assert (await cur.fetchone())[0] == "b"  # type: ignore[index]
    finally:
        await other.close()
        await db.close()
