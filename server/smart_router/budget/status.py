"""Where each budget stands: its limit, what is spent and held against it, when it resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from smart_router.budget.limits import Limit
from smart_router.tokens import usd_text as usd

__all__ = ["BudgetState", "Forecast", "Level", "level_for", "reset_text", "usd", "warning_percent"]

Level = Literal["ok", "warning", "exceeded"]


def reset_text(iso: str) -> str:
    """`at 00:00 on 23 Nov` for a period's end, an ISO 8601 instant in the budget's time zone."""
    at = datetime.fromisoformat(iso)
    return f"at {at:%H:%M} on {at.day} {at:%b}"


@dataclass(frozen=True, slots=True)
class Forecast:
    """Projected spend at the end of today and of this month (see budget/forecast.py)."""

    day_micro_usd: int
    month_micro_usd: int


@dataclass(frozen=True, slots=True)
class BudgetState:
    limit: Limit
    spent_micro_usd: int
    """Settled spend in the current period (the ledger's sum); 0 for the per-request budget."""
    reserved_micro_usd: int
    """Held by requests in flight that count against this budget."""
    period: str | None
    """YYYY-MM-DD or YYYY-MM; None for the per-request budget."""
    resets_at: str | None
    """ISO 8601 with the zone's offset; None for the per-request budget."""
    level: Level

    @property
    def percent(self) -> float:
        """Settled spend as a percentage of the limit (a limit of 0 is at 100 % at once)."""
        if self.limit.limit_micro_usd <= 0:
            return 100.0
        return round(100 * self.spent_micro_usd / self.limit.limit_micro_usd, 2)

    @property
    def left_micro_usd(self) -> int:
        """What a new request may still reserve."""
        return max(0, self.limit.limit_micro_usd - self.spent_micro_usd - self.reserved_micro_usd)


def warning_percent(thresholds: list[int]) -> int:
    """Where a budget turns to `warning`: the highest alert threshold below 100 (80 by default)."""
    below = [t for t in thresholds if t < 100]
    return max(below) if below else 80


def level_for(limit: Limit, spent: int, thresholds: list[int]) -> Level:
    if limit.name == "perRequest":
        return "ok"
    if spent >= limit.limit_micro_usd:
        return "exceeded"
    if limit.limit_micro_usd and 100 * spent >= warning_percent(thresholds) * limit.limit_micro_usd:
        return "warning"
    return "ok"
