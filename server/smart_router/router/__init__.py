"""Choosing the model for a request, and explaining the choice: candidates, scoring
(`scoring`), the user's rules (`rules`), health and circuit breakers (`health`), the
explanation in words (`explain`). docs/routing.md describes the whole."""

from smart_router.router.health import Health
from smart_router.router.rules import CompiledRule, compile_rules
from smart_router.router.selection import Candidate, Decision, select_model

__all__ = ["Candidate", "CompiledRule", "Decision", "Health", "compile_rules", "select_model"]
