"""Spend tracking: the ledger of provider calls and the summaries read from it."""

from smart_router.budget.ledger import Ledger, LedgerRow, ModelSpend, SpendSummary

__all__ = ["Ledger", "LedgerRow", "ModelSpend", "SpendSummary"]
