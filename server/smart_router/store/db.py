"""Opening the database: WAL mode, busy timeout, migrations applied in one transaction each."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from smart_router.errors import ConfigError
from smart_router.store.migrations import MIGRATIONS

__all__ = ["open_database"]


async def open_database(path: Path | str) -> aiosqlite.Connection:
    """Open (creating if needed) the database at `path`, migrated to the latest schema.

    `":memory:"` gives a private in-memory database, for tests.
    """
    if str(path) != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Cannot create the folder for the database {path}: {exc.strerror}. "
                "Set smartRouter.databasePath (or SMART_ROUTER_DB) to a writable file."
            ) from None
    try:
        db = await aiosqlite.connect(path, isolation_level=None)
    except Exception as exc:  # aiosqlite re-raises sqlite3 errors of several types
        raise ConfigError(
            f"Cannot open the database {path}: {exc}. "
            "Set smartRouter.databasePath (or SMART_ROUTER_DB) to a writable file."
        ) from None
    db.row_factory = aiosqlite.Row
    try:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute("PRAGMA foreign_keys=ON")
        await _migrate(db)
    except BaseException:
        await db.close()
        raise
    return db


async def _migrate(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    version = int(row[0]) if row else 0
    if version > len(MIGRATIONS):
        raise ConfigError(
            f"The database was written by a newer Smart Router (schema {version}). "
            "Update Smart Router, or point smartRouter.databasePath at another file."
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in filter(str.strip, script.split(";")):
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version={number}")
            await db.execute("COMMIT")
        except BaseException:
            await db.execute("ROLLBACK")
            raise
