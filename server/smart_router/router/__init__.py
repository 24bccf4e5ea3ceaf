"""Choosing the model for a request, and explaining the choice."""

from smart_router.router.selection import Decision, select_model

__all__ = ["Decision", "select_model"]
