"""The ledger: one row per provider call attempt, the source of truth for spend.

Each row is written in one statement with autocommit, so a settled row survives a crash.
Days are the user's local calendar days, fixed when the row is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import aiosqlite

__all__ = ["Ledger", "LedgerRow", "ModelSpend", "SpendSummary"]

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


def _local_now() -> datetime:
    return datetime.now().astimezone()


class Ledger:
    """Writes call rows and sums spend per day and month."""

    def __init__(self, db: aiosqlite.Connection, now: Callable[[], datetime] = _local_now) -> None:
        self._db = db
        self._now = now

    async def record(self, row: LedgerRow) -> None:
        now = self._now()
        await self._db.execute(
            "INSERT INTO ledger (ts, local_day, request_id, workspace, model, provider, intent,"
            " input_tokens, output_tokens, cost_micro_usd, usage_estimated, latency_ms, ttft_ms,"
            " status, error_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                now.astimezone(UTC).isoformat(timespec="milliseconds"),
                now.date().isoformat(),
                row.request_id,
                row.workspace,
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

    async def summary(self) -> SpendSummary:
        """Today's spend by model, and this month's total (one query)."""
        today = self._now().date().isoformat()
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
