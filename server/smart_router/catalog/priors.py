"""Capability priors: the documented rule that turns leaderboard results into 0-10 per intent.

Every packaged model carries its `evidence` (the leaderboard numbers, as published) and its
`priors` (this rule applied to them); a unit test checks that the two agree, so a prior is never
typed by hand. The rule, explained with its sources in docs/catalog.md:

1. LMArena text leaderboard (style control), per category c: a rating R becomes
   `min(10, 20 / (1 + 10 ** ((top_c - R) / 400)))`, twice the expected win rate against that
   category's leader: the leader scores 10, a model the leader beats 3 times in 4 scores 5.
2. Aider polyglot and SWE-bench Verified (bash-only): the share of tasks solved, `percent / 10`.
   When a model was not run, the percentage is imputed from its LMArena coding rating by the
   least-squares line fitted over all models present on both boards (`PriorMethod.impute`).
3. Each intent is the plain mean of its signals (`INTENT_SIGNALS`), rounded to 0.1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from smart_router.config import INTENTS

__all__ = [
    "ARENA_CATEGORIES",
    "EXEC_BENCHMARKS",
    "INTENTS",
    "INTENT_SIGNALS",
    "Line",
    "arena_score",
    "derive_priors",
    "exec_percent",
]

ARENA_CATEGORIES: tuple[str, ...] = ("full", "coding", "math", "creative_writing", "hard_6", "expert", "if")
"""LMArena text categories used: overall, coding, math, creative writing, hard prompts,
expert prompts, instruction following."""

EXEC_BENCHMARKS: tuple[str, ...] = ("aider", "swe")
"""Execution-checked coding benchmarks: Aider polyglot, SWE-bench Verified bash-only."""

INTENT_SIGNALS: dict[str, tuple[str, ...]] = {
    "code_generation": ("coding", "aider", "swe"),
    "code_explanation": ("coding", "full"),
    "debugging": ("coding", "swe"),
    "refactoring": ("coding", "aider"),
    "test_generation": ("coding", "aider", "swe"),
    "documentation": ("coding", "if"),
    "code_review": ("coding", "expert", "swe"),
    "architecture": ("coding", "expert", "hard_6"),
    "reasoning": ("math", "hard_6"),
    "writing": ("creative_writing", "if"),
    "general": ("full",),
}
"""The signals averaged for each intent (equal weights)."""


def arena_score(rating: float, top: float) -> float:
    """0-10 from an LMArena rating: twice the expected win rate against the category leader."""
    return min(10.0, 20.0 / (1.0 + float(10.0 ** ((top - rating) / 400.0))))


class Line(Protocol):
    """A fitted line `percent = intercept + slope * coding rating`."""

    @property
    def intercept(self) -> float: ...
    @property
    def slope(self) -> float: ...


def exec_percent(measured: float | None, coding_rating: float, fit: Line) -> float:
    """The benchmark's percentage: measured, else imputed from the LMArena coding rating (0-100)."""
    if measured is not None:
        return measured
    return max(0.0, min(100.0, fit.intercept + fit.slope * coding_rating))


def derive_priors(
    ratings: Mapping[str, float],
    measured: Mapping[str, float | None],
    arena_top: Mapping[str, float],
    impute: Mapping[str, Line],
) -> dict[str, float]:
    """Priors per intent from LMArena `ratings` (per category) and `measured` percentages
    (per execution benchmark, None when not run)."""
    signals = {c: arena_score(ratings[c], arena_top[c]) for c in ARENA_CATEGORIES}
    for bench in EXEC_BENCHMARKS:
        signals[bench] = exec_percent(measured.get(bench), ratings["coding"], impute[bench]) / 10.0
    return {
        intent: round(sum(signals[s] for s in sigs) / len(sigs), 1) for intent, sigs in INTENT_SIGNALS.items()
    }
