"""Spend and budgets: the ledger of provider calls, budgets enforced by reservation, alerts,
usage reports and the forecast (docs/budgets.md)."""

from smart_router.budget.alerts import BudgetAlert
from smart_router.budget.keeper import BudgetKeeper, Placement
from smart_router.budget.ledger import Ledger, LedgerRow, ModelSpend, SpendSummary
from smart_router.budget.limits import Limit
from smart_router.budget.reservations import Reservation, Shortfall
from smart_router.budget.status import BudgetState, Forecast
from smart_router.budget.usage import GroupBy, UsageReport

__all__ = [
    "BudgetAlert",
    "BudgetKeeper",
    "BudgetState",
    "Forecast",
    "GroupBy",
    "Ledger",
    "LedgerRow",
    "Limit",
    "ModelSpend",
    "Placement",
    "Reservation",
    "Shortfall",
    "SpendSummary",
    "UsageReport",
]
