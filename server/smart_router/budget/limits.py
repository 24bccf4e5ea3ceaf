"""The budgets the settings define, and which of them apply to a request.

Global daily and monthly budgets apply to every request, a workspace's to the requests made
from it, the per-request cap to each request alone. A workspace budget is keyed by the
workspace folder's name (`my-app`) or its path (`/home/me/src/my-app`, `~` allowed); the
editor sends the folder's path with each ask.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Literal

from smart_router.budget.periods import PeriodKind
from smart_router.config import BudgetLimit, Budgets

__all__ = [
    "BudgetName",
    "Limit",
    "Scope",
    "defined_limits",
    "limits_for",
    "usd_to_micro",
    "workspace_name",
]

BudgetName = Literal["daily", "monthly", "perRequest"]
Scope = Literal["global", "workspace"]

_PERIOD: dict[BudgetName, PeriodKind | None] = {"daily": "day", "monthly": "month", "perRequest": None}


def usd_to_micro(usd: Decimal) -> int:
    """A limit in USD as integer micro-dollars, rounded down (a limit is never exceeded by rounding)."""
    return int((usd * 1_000_000).to_integral_value(rounding=ROUND_DOWN))


def workspace_name(workspace: str | None) -> str | None:
    """The last part of a workspace path (its folder name), as stored in the ledger."""
    if not workspace:
        return None
    return os.path.basename(workspace.rstrip("/\\")) or workspace


@dataclass(frozen=True, slots=True)
class Limit:
    """One budget: `daily`/`monthly`/`perRequest`, global or for the workspace `key`."""

    name: BudgetName
    scope: Scope
    key: str | None
    """The workspace key as written in the settings (None for global budgets)."""
    limit_micro_usd: int
    hard: bool

    @property
    def period(self) -> PeriodKind | None:
        return _PERIOD[self.name]

    @property
    def mode(self) -> Literal["hard", "soft"]:
        return "hard" if self.hard else "soft"

    @property
    def label(self) -> str:
        """How the user reads it: `the daily budget`, `the monthly budget of workspace my-app`."""
        what = {"daily": "daily budget", "monthly": "monthly budget", "perRequest": "per-request budget"}
        suffix = f" of workspace {self.key}" if self.key is not None else ""
        return f"the {what[self.name]}{suffix}"

    @property
    def setting(self) -> str:
        """The setting that defines it."""
        if self.key is None:
            return f"smartRouter.budgets.{self.name}"
        return f'smartRouter.budgets.workspaces["{self.key}"].{self.name}'

    def workspace_values(self) -> tuple[list[str], list[str]]:
        """Ledger `workspace` values and `workspace_name` values that belong to this budget."""
        assert self.key is not None
        key = self.key.rstrip("/\\") or self.key
        paths = sorted({key, os.path.expanduser(key)})
        names = [key] if not any(sep in key for sep in "/\\~") else []
        return paths, names

    def covers(self, workspace: str | None) -> bool:
        """Whether a request made from `workspace` counts against this budget."""
        if self.key is None:
            return True
        if not workspace:
            return False
        paths, names = self.workspace_values()
        return workspace.rstrip("/\\") in paths or workspace_name(workspace) in names


def _limit(name: BudgetName, key: str | None, spec: BudgetLimit | None) -> list[Limit]:
    if spec is None:
        return []
    scope: Scope = "global" if key is None else "workspace"
    return [Limit(name, scope, key, usd_to_micro(spec.usd), spec.mode == "hard")]


def defined_limits(budgets: Budgets, workspace: str | None = None) -> list[Limit]:
    """Every budget in the settings; with `workspace`, the global ones and those of that workspace."""
    out = [
        *_limit("daily", None, budgets.daily),
        *_limit("monthly", None, budgets.monthly),
        *_limit("perRequest", None, budgets.per_request),
    ]
    for key, ws in budgets.workspaces.items():
        out += [*_limit("daily", key, ws.daily), *_limit("monthly", key, ws.monthly)]
    if workspace is not None:
        out = [lim for lim in out if lim.key is None or lim.covers(workspace) or lim.key == workspace]
    return out


def limits_for(budgets: Budgets, workspace: str | None) -> list[Limit]:
    """The budgets a request made from `workspace` counts against."""
    return [lim for lim in defined_limits(budgets) if lim.covers(workspace)]
