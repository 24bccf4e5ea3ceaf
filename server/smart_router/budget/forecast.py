"""Projected spend to the end of the day and of the month, from the recent rate.

The method, deliberately simple and explainable in a tooltip:

* **day**: the spend rate over the last 3 hours (spend in that window / 3 h), times the hours
  left until local midnight, added to what today has spent so far;
* **month**: the day's forecast, plus the daily rate over the last 7 days (spend in that window
  / 7 days, or / the days since the first ledger row when that is shorter, but never less than
  1 day) times the days left after today, added to what the month spent before today. So the
  month's forecast is never below the day's.

Both are never less than the spend so far. `now` is taken to the minute, so the forecast
changes once a minute rather than on every read.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiosqlite

from smart_router.budget.periods import TimeZone, window
from smart_router.budget.status import Forecast

__all__ = ["DAY_WINDOW", "MONTH_WINDOW", "forecast"]

DAY_WINDOW = timedelta(hours=3)
MONTH_WINDOW = timedelta(days=7)


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds")


async def forecast(
    db: aiosqlite.Connection,
    *,
    now: datetime,
    zone: TimeZone,
    spent_today: int,
    spent_month: int,
) -> Forecast:
    """The projection for the global spend (micro-dollars)."""
    now = now.replace(second=0, microsecond=0)
    async with db.execute(
        "SELECT (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM ledger WHERE ts > ? AND ts <= ?),"
        " (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM ledger WHERE ts > ? AND ts <= ?),"
        " (SELECT MIN(ts) FROM ledger)",
        (_iso(now - DAY_WINDOW), _iso(now), _iso(now - MONTH_WINDOW), _iso(now)),
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    recent_hours, recent_days, first = int(row[0]), int(row[1]), row[2]
    return project(
        now=now,
        zone=zone,
        spent_today=spent_today,
        spent_month=spent_month,
        recent_day_window=recent_hours,
        recent_month_window=recent_days,
        first_ts=datetime.fromisoformat(first) if first else None,
    )


def project(
    *,
    now: datetime,
    zone: TimeZone,
    spent_today: int,
    spent_month: int,
    recent_day_window: int,
    recent_month_window: int,
    first_ts: datetime | None,
) -> Forecast:
    """The arithmetic of the forecast, on sums already read."""
    day_end = window("day", now, zone).end
    day_left_h = (day_end - now).total_seconds() / 3600
    days_after_today = (window("month", now, zone).end - day_end).total_seconds() / 86400
    per_hour = recent_day_window / (DAY_WINDOW.total_seconds() / 3600)
    history_days = MONTH_WINDOW.days if first_ts is None else (now - first_ts).total_seconds() / 86400
    span_days = min(float(MONTH_WINDOW.days), max(1.0, history_days))
    per_day = recent_month_window / span_days
    day = spent_today + round(per_hour * max(0.0, day_left_h))
    return Forecast(
        day_micro_usd=day,
        month_micro_usd=spent_month - spent_today + day + round(per_day * max(0.0, days_after_today)),
    )
