"""What an arena run reports: each contestant's result, the battle's start and its outcome.

An adapter hears about a battle through an `ArenaListener`: `started` once the members are
chosen and the battle's worst-case cost is reserved (before any token), `delta` for each piece
of text of each contestant, `contestant` as each one finishes (answered, failed or stopped),
`settled` after each contestant's ledger row is written (the new spend), and `merge` when a
judge merges the best answers (`arena.merge`): once with an empty piece when the judge is called,
then each piece of the merged answer. The engine's `arena` returns the `ArenaOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from smart_router.budget import SpendSummary

__all__ = [
    "ArenaListener",
    "ArenaOutcome",
    "ArenaStart",
    "ContestantError",
    "ContestantResult",
    "ContestantStatus",
    "Member",
    "MergeResult",
    "Pick",
]

ContestantStatus = Literal["ok", "error", "cancelled"]


@dataclass(frozen=True, slots=True)
class Member:
    """One column of the battle: a catalog model and the provider that serves it."""

    model: str
    provider: str


@dataclass(frozen=True, slots=True)
class ContestantError:
    """Why a contestant gave no (full) answer: a message for the user and a machine `kind`."""

    message: str
    kind: str


@dataclass(frozen=True, slots=True)
class ContestantResult:
    """How one contestant did. `text` is what it streamed, also when it failed or was stopped."""

    model: str
    provider: str
    status: ContestantStatus
    text: str
    error: ContestantError | None
    ttft_ms: float | None
    total_ms: float
    input_tokens: int
    output_tokens: int
    cost_micro_usd: int
    usage_estimated: bool = False


@dataclass(frozen=True, slots=True)
class ArenaStart:
    """The battle as it starts: who fights, who was left out and why, the most it may cost."""

    request_id: str
    battle_id: str
    group: str
    members: tuple[Member, ...]
    dropped: tuple[tuple[str, str], ...]
    """(model id, reason) for each model the group would take but cannot use now."""
    estimated_max_micro_usd: int
    """The battle's worst case as reserved: every member's, plus the judge's when it merges."""
    intent: str
    judge: Member | None = None
    """The model that will merge the best answers; None when no merge is planned."""
    merge_skipped: str | None = None
    """Why a configured judge will not merge (unknown, no key, over budget); None otherwise."""


@dataclass(frozen=True, slots=True)
class Pick:
    """The convergence verdict: the best answer, why, and every contestant's score."""

    model: str
    reason: str
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MergeResult(ContestantResult):
    """The judge's merged answer: a contestant's result plus the answers it merged."""

    sources: tuple[str, ...] = ()
    """The models whose answers were merged, best first (the judge saw them as A, B, C)."""


@dataclass(frozen=True, slots=True)
class ArenaOutcome:
    start: ArenaStart
    contestants: tuple[ContestantResult, ...]
    """In column order (the members' order)."""
    pick: Pick | None
    """None when no answer is usable."""
    wall_ms: float
    merged: MergeResult | None = None
    """The judge's merged answer; None when there was no merge."""
    merge_skipped: str | None = None
    """Why a configured judge did not merge; None when it did or when no judge is configured."""

    @property
    def total_cost_micro_usd(self) -> int:
        merged = self.merged.cost_micro_usd if self.merged is not None else 0
        return sum(c.cost_micro_usd for c in self.contestants) + merged


class ArenaListener(Protocol):
    """What an adapter hears during a battle."""

    def started(self, start: ArenaStart) -> None: ...
    def delta(self, request_id: str, model: str, text: str) -> None: ...
    def contestant(self, request_id: str, result: ContestantResult) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...
    def merge(self, request_id: str, judge: str, sources: tuple[str, ...], text: str) -> None: ...
