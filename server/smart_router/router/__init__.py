"""Choosing the model for a request, and explaining the choice."""

from smart_router.router.selection import Candidate, Decision, select_model

__all__ = ["Candidate", "Decision", "select_model"]
