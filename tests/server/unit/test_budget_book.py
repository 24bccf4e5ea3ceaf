"""Reservations, alerts and the webhook, against a real SQLite file and a mock HTTP transport."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from smart_router.budget import Ledger, LedgerRow, Reservation, Shortfall
from smart_router.budget.alerts import AlertBook
from smart_router.budget.forecast import project
from smart_router.budget.limits import Limit, limits_for
from smart_router.budget.periods import resolve_zone
from smart_router.budget.reservations import ReservationBook
from smart_router.budget.status import BudgetState
from smart_router.budget.webhook import Webhook
from smart_router.config import parse_settings
from smart_router.store import open_database

UTC_ZONE = resolve_zone("UTC")
DAILY = Limit("daily", "global", None, 1000, hard=True)
DAILY_2000 = Limit("daily", "global", None, 2000, hard=True)  # global: counts every workspace


def row(cost: int, workspace: str | None = None) -> LedgerRow:
    return LedgerRow("r", workspace, "m", "p", None, 1, 1, cost, False, 1.0, 1.0, "ok")


@pytest.fixture
async def b(tmp_path: Path) -> AsyncIterator[ReservationBook]:
    db = await open_database(tmp_path / "sr.db")
    ledger = Ledger(db, now=lambda: datetime.now(UTC), zone=lambda: UTC_ZONE)
    yield ReservationBook(db, ledger, lambda: UTC_ZONE)
    await db.close()


async def test_reservations_hold_budget_until_settled_and_settle_is_exact(b: ReservationBook) -> None:
    first = await b.reserve(600, [DAILY], request_id="a", workspace=None, model="m")
    assert isinstance(first, Reservation)
    refused = await b.reserve(500, [DAILY], request_id="b", workspace=None, model="m")
    assert isinstance(refused, Shortfall)
    assert (refused.usage.spent_micro_usd, refused.usage.reserved_micro_usd) == (0, 600)
    await b.settle(first, row(250))
    [use] = await b.usage([DAILY])
    assert (use.spent_micro_usd, use.reserved_micro_usd) == (250, 0)
    assert isinstance(await b.reserve(750, [DAILY], request_id="c", workspace=None, model="m"), Reservation)
    assert isinstance(await b.reserve(1, [DAILY], request_id="d", workspace=None, model="m"), Shortfall)


async def test_workspace_budgets_count_only_their_workspace_by_name_or_path(b: ReservationBook) -> None:
    budgets = parse_settings({"budgets": {"workspaces": {"app": {"daily": {"usd": 0.001}}}}}).budgets
    [ws] = limits_for(budgets, "/home/me/app")
    assert ws.key == "app" and limits_for(budgets, "/home/me/other") == []
    await b.settle(None, row(400, "/home/me/app"))
    await b.settle(None, row(300, "/srv/other"))
    got = await b.reserve(601, [ws], request_id="x", workspace="/home/me/app", model="m")
    assert isinstance(got, Shortfall) and got.usage.spent_micro_usd == 400
    assert isinstance(
        await b.reserve(600, [ws], request_id="x", workspace="/home/me/app", model="m"), Reservation
    )
    assert isinstance(
        await b.reserve(600, [DAILY_2000], request_id="y", workspace="/srv/other", model="m"), Reservation
    )


async def test_reservations_of_a_dead_process_or_past_expiry_are_reconciled(
    b: ReservationBook, tmp_path: Path
) -> None:
    path = tmp_path / "sr.db"
    live = await b.reserve(100, [DAILY], request_id="live", workspace=None, model="m")
    assert isinstance(live, Reservation)
    now = datetime.now(UTC)
    with sqlite3.connect(path) as raw:
        for owner, expires in (
            ("999999999:dead", now + timedelta(hours=1)),
            ("1:old", now - timedelta(seconds=1)),
        ):
            raw.execute(
                "INSERT INTO reservations (model, amount_micro_usd, owner, created_at, expires_at)"
                " VALUES ('m', 500, ?, ?, ?)",
                (owner, now.isoformat(), expires.isoformat()),
            )
    [use] = await b.usage([DAILY])
    assert use.reserved_micro_usd == 600  # the expired one no longer counts, the orphan still does
    assert await b.reconcile() == 2
    [use] = await b.usage([DAILY])
    assert use.reserved_micro_usd == 100


async def test_an_alert_fires_once_for_the_highest_threshold_crossed(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "sr.db")
    alerts = AlertBook(db)

    def state(spent: int, period: str = "2026-05-01") -> BudgetState:
        return BudgetState(DAILY, spent, 0, period, "2026-05-02T00:00:00+00:00", "ok")

    assert await alerts.crossed([state(400)], [50, 80, 100]) == []
    [a] = await alerts.crossed([state(850)], [50, 80, 100])
    assert a.threshold == 80 and "85% of the daily budget" in a.message and "at 00:00 on 2 May" in a.message
    assert await alerts.crossed([state(900)], [50, 80, 100]) == []
    assert [x.threshold for x in await AlertBook(db).crossed([state(1000)], [50, 80, 100])] == [100]
    assert [x.threshold for x in await alerts.crossed([state(600, "2026-05-02")], [50, 80, 100])] == [50]
    await db.close()


async def test_the_webhook_retries_with_backoff_and_never_raises() -> None:
    calls: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(json.loads(request.content))
        return httpx.Response(503 if len(calls) < 3 else 200)

    hook = Webhook(
        httpx.AsyncClient(transport=httpx.MockTransport(handler)), first_wait_s=0.01, max_wait_s=0.05
    )
    assert await hook.post("https://hooks.example/T/B/secret", "80% used") is True
    await hook.close()
    assert calls == [{"text": "80% used"}] * 3

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    hook = Webhook(httpx.AsyncClient(transport=httpx.MockTransport(down)), attempts=2, first_wait_s=0.01)
    assert await hook.post("https://hooks.example/x", "t") is False
    gone = Webhook(httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404))))
    assert await gone.post("https://hooks.example/x", "t") is False


async def test_a_slow_webhook_does_not_hold_up_the_caller() -> None:
    release = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200)

    hook = Webhook(httpx.AsyncClient(transport=httpx.MockTransport(slow)))
    task = hook.post("https://hooks.example/x", "t")  # returns at once
    assert not task.done()
    await hook.close(wait_s=0.05)  # gives up on it at close
    assert task.cancelled()


@pytest.mark.parametrize(
    ("now", "day", "month"),
    [
        # 18:00: 6 hours left today at $1/h (3 spent in the last 3 h) -> 10 + 6 = 16; the month:
        # 10 spent before today + today's 16 + 21 days after today at $1/day (7 in the last 7 days)
        (datetime(2026, 5, 10, 18, tzinfo=UTC), 16_000_000, 10_000_000 + 16_000_000 + 21_000_000),
    ],
)
def test_the_forecast_extrapolates_the_recent_rate(now: datetime, day: int, month: int) -> None:
    f = project(
        now=now,
        zone=UTC_ZONE,
        spent_today=10_000_000,
        spent_month=20_000_000,
        recent_day_window=3_000_000,
        recent_month_window=7_000_000,
        first_ts=now - timedelta(days=30),
    )
    assert (f.day_micro_usd, f.month_micro_usd) == (day, month)
    quiet = project(
        now=now,
        zone=UTC_ZONE,
        spent_today=5,
        spent_month=9,
        recent_day_window=0,
        recent_month_window=0,
        first_ts=None,
    )
    assert (quiet.day_micro_usd, quiet.month_micro_usd) == (5, 9)


def test_the_month_forecast_is_never_below_the_day_forecast() -> None:
    # a burst today and nothing in the week before: the month still holds today's projection
    f = project(
        now=datetime(2026, 5, 10, 9, tzinfo=UTC),
        zone=UTC_ZONE,
        spent_today=100,
        spent_month=100,
        recent_day_window=100,
        recent_month_window=100,
        first_ts=datetime(2026, 5, 10, 8, tzinfo=UTC),
    )
    assert f.day_micro_usd == 100 + round(100 / 3 * 15)
    assert f.month_micro_usd >= f.day_micro_usd


def test_limits_round_down_to_whole_micro_dollars() -> None:
    budgets = parse_settings(
        {"budgets": {"daily": {"usd": 0.0000019}, "perRequest": {"usd": 2, "mode": "soft"}}}
    )
    daily, per = limits_for(budgets.budgets, None)
    assert (daily.limit_micro_usd, daily.hard) == (1, True) and (per.limit_micro_usd, per.hard) == (
        2_000_000,
        False,
    )
    assert Decimal("0.0000019") == budgets.budgets.daily.usd  # type: ignore[union-attr]
