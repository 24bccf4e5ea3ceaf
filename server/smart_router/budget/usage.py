"""Usage reports read from the ledger: totals grouped by model, intent, day or workspace,
spend per day by model, spend per intent, and the most expensive calls.

Days are the local days stored with each row (the budgets' time zone at the time of the call);
`since` and `until` are inclusive. Money is summed as integer micro-dollars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import aiosqlite

__all__ = ["GroupBy", "Spend", "TopCall", "UsageReport", "usage_report"]

GroupBy = Literal["model", "intent", "day", "workspace"]

_COLUMN: dict[GroupBy, str] = {
    "model": "model",
    "intent": "COALESCE(intent, 'unknown')",
    "day": "local_day",
    "workspace": "COALESCE(workspace, '(none)')",
}
TOP_CALLS = 10


@dataclass(frozen=True, slots=True)
class Spend:
    key: str
    cost_micro_usd: int
    calls: int
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class TopCall:
    ts: str
    model: str
    provider: str
    intent: str | None
    workspace: str | None
    cost_micro_usd: int
    input_tokens: int
    output_tokens: int
    latency_ms: float | None
    status: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    since: str
    until: str
    by: GroupBy
    total_micro_usd: int
    calls: int
    groups: tuple[Spend, ...]
    days: tuple[tuple[str, dict[str, int]], ...]
    """(day, {model: micro-dollars}) for every day with spend, in order."""
    intents: tuple[Spend, ...]
    top: tuple[TopCall, ...]


async def usage_report(
    db: aiosqlite.Connection, *, since: str, until: str, by: GroupBy, workspace: str | None = None
) -> UsageReport:
    """The report for local days `since`..`until` (YYYY-MM-DD, inclusive), optionally one workspace."""
    where = "local_day >= ? AND local_day <= ?"
    params: list[object] = [since, until]
    if workspace is not None:
        where += " AND (workspace = ? OR workspace_name = ?)"
        params += [workspace.rstrip("/\\") or workspace, workspace]

    async def grouped(column: str, order: str) -> list[Spend]:
        rows = await db.execute_fetchall(
            f"SELECT {column} AS k, SUM(cost_micro_usd), COUNT(*), SUM(input_tokens), SUM(output_tokens)"
            f" FROM ledger WHERE {where} GROUP BY k ORDER BY {order}",
            params,
        )
        return [Spend(str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]

    order = "k" if by == "day" else "SUM(cost_micro_usd) DESC, k"
    groups = await grouped(_COLUMN[by], order)
    intents = await grouped(_COLUMN["intent"], "SUM(cost_micro_usd) DESC, k")
    per_day: dict[str, dict[str, int]] = {}
    for r in await db.execute_fetchall(
        f"SELECT local_day, model, SUM(cost_micro_usd) FROM ledger WHERE {where}"
        " GROUP BY local_day, model ORDER BY local_day, model",
        params,
    ):
        per_day.setdefault(str(r[0]), {})[str(r[1])] = int(r[2])
    top = [
        TopCall(r[0], r[1], r[2], r[3], r[4], int(r[5]), int(r[6]), int(r[7]), r[8], r[9])
        for r in await db.execute_fetchall(
            "SELECT ts, model, provider, intent, workspace, cost_micro_usd, input_tokens, output_tokens,"
            f" latency_ms, status FROM ledger WHERE {where} ORDER BY cost_micro_usd DESC, ts DESC LIMIT ?",
            [*params, TOP_CALLS],
        )
    ]
    return UsageReport(
        since=since,
        until=until,
        by=by,
        total_micro_usd=sum(g.cost_micro_usd for g in groups),
        calls=sum(g.calls for g in groups),
        groups=tuple(groups),
        days=tuple(per_day.items()),
        intents=tuple(intents),
        top=tuple(top),
    )
