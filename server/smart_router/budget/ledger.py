"""The ledger: one row per provider call attempt, the source of truth for spend.

A row is committed before the call counts as settled (alone, or in the same transaction that
releases the call's budget reservation), so a settled row survives a crash. Days are the
user's calendar days in the budgets' time zone, fixed when the row is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import aiosqlite

from smart_router.budget.limits import workspace_name
from smart_router.budget.periods import TimeZone
from smart_router.store.transaction import transaction

if TYPE_CHECKING:
    from smart_router.budget.status import BudgetState, Forecast

__all__ = ["Ledger", "LedgerRow", "ModelSpend", "SpendSummary", "insert_row"]

Status = Literal["ok", "error", "cancelled"]


@dataclass(frozen=True, slots=True)
class LedgerRow:
    request_id: str | None
    workspace: str | None
    model: str
    provider: str
    intent: str | None
    input_tokens: int
    output_tokens: int
    cost_micro_usd: int
    usage_estimated: bool
    latency_ms: float | None
    ttft_ms: float | None
    status: Status
    error_kind: str | None = None


@dataclass(frozen=True, slots=True)
class ModelSpend:
    model: str
    provider: str
    cost_micro_usd: int
    calls: int
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class SpendSummary:
    day: str
    today_micro_usd: int
    today_calls: int
    month_micro_usd: int
    by_model: tuple[ModelSpend, ...]
    budgets: tuple[BudgetState, ...] = ()
    """Every budget that applies, with what is spent and held against it."""
    forecast: Forecast | None = None
    time_zone: str = ""
    """The zone of `day` and of the budgets' periods."""


def _local_now() -> datetime:
    return datetime.now().astimezone()


async def insert_row(db: aiosqlite.Connection, row: LedgerRow, now: datetime, local_day: str) -> None:
    """Write one row (inside the caller's transaction)."""
    await db.execute(
        "INSERT INTO ledger (ts, local_day, request_id, workspace, workspace_name, model, provider, intent,"
        " input_tokens, output_tokens, cost_micro_usd, usage_estimated, latency_ms, ttft_ms,"
        " status, error_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            now.astimezone(UTC).isoformat(timespec="milliseconds"),
            local_day,
            row.request_id,
            row.workspace,
            workspace_name(row.workspace),
            row.model,
            row.provider,
            row.intent,
            row.input_tokens,
            row.output_tokens,
            row.cost_micro_usd,
            int(row.usage_estimated),
            row.latency_ms,
            row.ttft_ms,
            row.status,
            row.error_kind,
        ),
    )


class Ledger:
    """Writes call rows and sums spend per day and month.

    `zone` gives the time zone of the calendar days (the budgets' setting); without it, days
    are those of the aware datetimes `now` returns.
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        now: Callable[[], datetime] = _local_now,
        zone: Callable[[], TimeZone] | None = None,
    ) -> None:
        self._db = db
        self.now = now
        self._zone = zone

    def local_day(self, instant: datetime) -> str:
        return self._zone().day(instant) if self._zone else instant.date().isoformat()

    def zone_name(self) -> str:
        if self._zone:
            return self._zone().name
        return str(self.now().tzinfo)

    async def record(self, row: LedgerRow) -> None:
        """Write one row in its own transaction."""
        now = self.now()
        async with transaction(self._db) as db:
            await insert_row(db, row, now, self.local_day(now))

    async def summary(self) -> SpendSummary:
        """Today's spend by model, and this month's total (one query)."""
        today = self.local_day(self.now())
        rows = await self._db.execute_fetchall(
            "SELECT model, provider, local_day = ?, SUM(cost_micro_usd), COUNT(*), SUM(input_tokens),"
            " SUM(output_tokens) FROM ledger WHERE local_day >= ? AND local_day <= ?"
            " GROUP BY model, provider, local_day = ?",
            (today, today[:7] + "-01", today, today),
        )
        by_model = sorted(
            (ModelSpend(r[0], r[1], r[3], r[4], r[5], r[6]) for r in rows if r[2]),
            key=lambda m: (-m.cost_micro_usd, m.model),
        )
        return SpendSummary(
            day=today,
            today_micro_usd=sum(m.cost_micro_usd for m in by_model),
            today_calls=sum(m.calls for m in by_model),
            month_micro_usd=sum(r[3] for r in rows),
            by_model=tuple(by_model),
        )
