"""Budget enforcement under load: reserve + settle throughput and latency with many asks at once.

    python tests/bench/bench_budget.py [--asks 1000] [--budget-usd 0.5]

1,000 asks start at once through the real engine against the fake provider (loopback HTTP,
OpenAI wire format, short answers), with daily, monthly and per-request hard budgets and a
workspace budget, on an on-disk SQLite database in WAL mode. Every reserve (one `BEGIN
IMMEDIATE` transaction checking each budget) and every settle (ledger row + release in one
transaction) is timed. Prints the asks per second end to end, reserve and settle latency
percentiles, and checks the invariants (no hard limit passed, no reservation left, the
ledger's sum equals the answers' costs).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

import httpx  # noqa: E402

from fakes.provider import FakeProvider  # noqa: E402
from fakes.scenario import Scenario  # noqa: E402
from smart_router.budget import SpendSummary  # noqa: E402
from smart_router.config import parse_settings  # noqa: E402
from smart_router.engine import Engine  # noqa: E402
from smart_router.errors import BudgetExceededError  # noqa: E402
from smart_router.keys import KeyStore  # noqa: E402
from smart_router.router import Decision  # noqa: E402
from smart_router.store import open_database  # noqa: E402


class Quiet:
    def routed(self, request_id: str, decision: Decision) -> None: ...
    def delta(self, request_id: str, text: str) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(target: Any, name: str, into: list[float]) -> None:
    original = getattr(target, name)

    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - t0) * 1000)

    setattr(target, name, wrapper)


async def run(asks: int, budget_usd: float) -> None:
    with FakeProvider() as fake, tempfile.TemporaryDirectory() as tmp:
        fake.set_scenario("*", Scenario(reply="ok " * 20))
        settings = parse_settings(
            {
                "providers": {"openai": {"baseUrl": fake.base_url}},
                "defaultModel": "gpt-4o-mini",
                "systemPrompt": "",
                "maxOutputTokens": 64,
                "budgets": {
                    "daily": {"usd": budget_usd},
                    "monthly": {"usd": budget_usd * 2},
                    "perRequest": {"usd": 0.01},
                    "workspaces": {"bench": {"daily": {"usd": budget_usd}}},
                },
            }
        )
        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=200, max_keepalive_connections=200))
        engine = Engine(
            settings,
            await open_database(Path(tmp) / "bench.db"),
            client,
            keys=KeyStore({"OPENAI_API_KEY": "sk-test-bench"}),
        )
        reserve_ms: list[float] = []
        settle_ms: list[float] = []
        timed(engine.budget.book, "reserve", reserve_ms)
        timed(engine.budget.book, "settle", settle_ms)
        await engine.ask("warm", "warm up", Quiet(), workspace="bench")
        reserve_ms.clear()
        settle_ms.clear()

        async def one(i: int) -> Any:
            try:
                return await engine.ask(f"b{i}", f"question {i}", Quiet(), workspace="bench")
            except BudgetExceededError as exc:
                return exc

        t0 = time.perf_counter()
        results = await asyncio.gather(*(one(i) for i in range(asks)))
        wall = time.perf_counter() - t0
        ok = [r for r in results if not isinstance(r, BaseException)]
        refused = len(results) - len(ok)
        async with engine._db.execute("SELECT COUNT(*), SUM(cost_micro_usd) FROM ledger") as cur:
            rows, total = await cur.fetchone()  # type: ignore[misc]
        async with engine._db.execute("SELECT COUNT(*) FROM reservations") as cur:
            (held,) = await cur.fetchone()  # type: ignore[misc]
        await engine.close()

        limit = round(budget_usd * 1_000_000)
        answered = sum(r.cost_micro_usd for r in ok)
        print(f"{asks} concurrent asks: {len(ok)} answered, {refused} refused by the budget, in {wall:.2f} s")
        print(f"  end to end: {asks / wall:.0f} asks/s (each: route, reserve, stream, settle, status)")
        print(
            f"  transactions: {len(reserve_ms) + len(settle_ms)} in {wall:.2f} s = "
            f"{(len(reserve_ms) + len(settle_ms)) / wall:.0f}/s"
        )
        for name, values in (("reserve", reserve_ms), ("settle", settle_ms)):
            print(
                f"  {name:<8} n={len(values):<5} p50 {statistics.median(values):7.2f} ms  "
                f"p95 {pct(values, 0.95):7.2f} ms  p99 {pct(values, 0.99):7.2f} ms  max {max(values):7.2f} ms"
            )
        print(
            f"  spend: {total} of {limit} micro-USD daily limit; {rows} ledger rows; {held} reservations held"
        )
        assert held == 0, "a reservation was left held"
        assert total <= limit, "the daily budget was passed"
        assert total == answered + ok_warmup_cost(rows, len(ok), total, answered), "ledger sum differs"


async def book_only(n: int) -> None:
    """The same transactions without HTTP: n tasks at once each reserve, then settle."""
    from smart_router.budget import Ledger, LedgerRow, Reservation
    from smart_router.budget.limits import limits_for
    from smart_router.budget.periods import resolve_zone
    from smart_router.budget.reservations import ReservationBook

    with tempfile.TemporaryDirectory() as tmp:
        db = await open_database(Path(tmp) / "book.db")
        zone = resolve_zone("Europe/Amsterdam")
        ledger = Ledger(db, zone=lambda: zone)
        book = ReservationBook(db, ledger, lambda: zone)
        budgets = parse_settings(
            {
                "budgets": {
                    "daily": {"usd": 1},
                    "monthly": {"usd": 2},
                    "workspaces": {"w": {"daily": {"usd": 1}}},
                }
            }
        ).budgets
        limits = limits_for(budgets, "w")
        waits: list[float] = []

        async def one(i: int) -> None:
            t0 = time.perf_counter()
            got = await book.reserve(500, limits, request_id=str(i), workspace="w", model="m")
            assert isinstance(got, Reservation)
            await book.settle(got, LedgerRow(str(i), "w", "m", "p", None, 10, 10, 300, False, 1.0, 1.0, "ok"))
            waits.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        wall = time.perf_counter() - t0
        await db.close()
        print(
            f"reserve+settle alone, {n} at once ({len(limits)} budgets each): {n / wall:.0f} pairs/s; "
            f"per pair incl. queueing p50 {statistics.median(waits):.1f} ms, p99 {pct(waits, 0.99):.1f} ms; "
            f"service time {wall / n * 1000:.2f} ms per pair"
        )


def ok_warmup_cost(rows: int, answered: int, total: int, answered_cost: int) -> int:
    """The warm-up ask's cost (the one row beyond the burst's answers)."""
    assert rows == answered + 1, f"{rows} rows for {answered} answers and one warm-up"
    return total - answered_cost


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--asks", type=int, default=1000)
    p.add_argument("--budget-usd", type=float, default=0.5, help="daily budget (high: few refusals)")
    args = p.parse_args()
    asyncio.run(run(args.asks, args.budget_usd))
    asyncio.run(book_only(args.asks))


if __name__ == "__main__":
    main()
