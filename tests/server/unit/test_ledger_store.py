"""The database and the ledger: migrations, WAL, exact sums per local day and month."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import pytest

from smart_router.budget import Ledger, LedgerRow
from smart_router.errors import ConfigError
from smart_router.store import open_database
from smart_router.store.migrations import MIGRATIONS


def row(model: str = "gpt-4o-mini", cost: int = 10, status: str = "ok") -> LedgerRow:
    return LedgerRow(
        request_id="r",
        workspace=None,
        model=model,
        provider="openai",
        intent=None,
        input_tokens=5,
        output_tokens=7,
        cost_micro_usd=cost,
        usage_estimated=False,
        latency_ms=12.5,
        ttft_ms=3.0,
        status=status,  # type: ignore[arg-type]
    )


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


async def test_a_file_database_is_in_wal_mode_and_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "sr.db"
    for _ in range(2):
        conn = await open_database(path)
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"  # type: ignore[index]
        async with conn.execute("PRAGMA user_version") as cur:
            assert (await cur.fetchone())[0] == len(MIGRATIONS)  # type: ignore[index]
        await conn.close()


async def test_a_newer_schema_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "sr.db"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(ConfigError, match="newer Smart Router"):
        await open_database(path)


async def test_an_unwritable_path_says_which_setting_to_change(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match=r"smartRouter\.databasePath"):
        await open_database(blocker / "sub" / "sr.db")


async def test_rows_survive_a_new_connection(tmp_path: Path) -> None:
    path = tmp_path / "sr.db"
    conn = await open_database(path)
    await Ledger(conn).record(row(cost=42))
    # no close: a settled row is committed as soon as it is written
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT SUM(cost_micro_usd) FROM ledger").fetchone()[0] == 42
    await conn.close()


async def test_summary_sums_today_by_model_and_the_month(db: aiosqlite.Connection) -> None:
    tz = timezone(timedelta(hours=-5))
    clock = [datetime(2026, 11, 30, 23, 30, tzinfo=tz)]
    ledger = Ledger(db, now=lambda: clock[0])
    await ledger.record(row("gpt-4.1", 300))
    await ledger.record(row("gpt-4o-mini", 7))
    await ledger.record(row("gpt-4o-mini", 8, status="cancelled"))
    s = await ledger.summary()
    assert (s.day, s.today_micro_usd, s.today_calls, s.month_micro_usd) == (
        "2026-11-30",
        315,
        3,
        315,
    )
    assert [(m.model, m.cost_micro_usd, m.calls) for m in s.by_model] == [
        ("gpt-4.1", 300, 1),
        ("gpt-4o-mini", 15, 2),
    ]
    # 05:30 UTC on Dec 1 is still Nov 30 locally; an hour later it is Dec 1 locally
    clock[0] = datetime(2026, 12, 1, 0, 30, tzinfo=tz)
    await ledger.record(row(cost=1))
    s = await ledger.summary()
    assert (s.day, s.today_micro_usd, s.month_micro_usd) == ("2026-12-01", 1, 1)
