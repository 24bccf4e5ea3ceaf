"""The arena's payloads on the wire (camelCase): `smartRouter/arena`, `smartRouter/arenaVote`,
`smartRouter/leaderboard` and the arena notifications (with `smartRouter/arenaMerge`, the judge's
merged answer as it streams). The method names live in `protocol.py`;
docs/protocol.md describes the same surface for people. Dumped without aliases (snake_case),
the same models are the `--json` output of `smart-router arena` and `smart-router leaderboard`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from smart_router.arena.ratings import Rating
from smart_router.arena.results import ArenaOutcome, ArenaStart, ContestantResult, MergeResult
from smart_router.config import Intent
from smart_router.protocol import EditorContextParams, WireModel
from smart_router.tokens import micro_to_usd

__all__ = [
    "ArenaContestantNotification",
    "ArenaMergeNotification",
    "ArenaParams",
    "ArenaResult",
    "ArenaStartedNotification",
    "ArenaStreamNotification",
    "ArenaVoteParams",
    "ArenaVoteResult",
    "ContestantErrorInfo",
    "ContestantInfo",
    "DroppedInfo",
    "LeaderboardEntry",
    "LeaderboardParams",
    "LeaderboardResult",
    "MemberInfo",
    "MergedInfo",
    "PickInfo",
    "arena_result",
    "arena_started",
    "contestant_info",
    "leaderboard_entry",
    "merged_info",
]


class ArenaParams(WireModel):
    request_id: str = Field(min_length=1, max_length=200)
    prompt: str
    group: str | None = None
    """`frontier`, `fast`, `hybrid` (default) or a group of `smartRouter.arenaGroups`."""
    models: list[str] | None = Field(default=None, min_length=2)
    """Catalog ids to battle instead of a group."""
    context: EditorContextParams | None = None
    workspace: str | None = None
    blind: bool = False
    """The client hides model names until the vote; the server answers the same either way."""
    work_done_token: str | int | None = None
    """LSP work-done progress token: the server reports "2 of 4 answered"; cancelling it stops
    the contestants and returns the verdict on the answers that finished."""
    partial_result_token: str | int | None = None


class MemberInfo(WireModel):
    model: str
    provider: str


class DroppedInfo(WireModel):
    model: str
    reason: str


class ContestantErrorInfo(WireModel):
    message: str
    kind: str


class ContestantInfo(WireModel):
    model: str
    provider: str
    status: Literal["ok", "error", "cancelled"]
    text: str
    error: ContestantErrorInfo | None
    ttft_ms: float | None
    total_ms: float
    input_tokens: int
    output_tokens: int
    cost_usd: float
    cost_micro_usd: int


class MergedInfo(ContestantInfo):
    """The judge's merged answer: a contestant's fields plus the models whose answers it merged."""

    sources: list[str]


class PickInfo(WireModel):
    model: str
    reason: str
    scores: dict[str, float]


class ArenaResult(WireModel):
    request_id: str
    battle_id: str
    group: str
    intent: str
    members: list[MemberInfo]
    dropped: list[DroppedInfo]
    contestants: list[ContestantInfo]
    pick: PickInfo | None
    merged: MergedInfo | None
    """The judge's merged answer (`smartRouter.arenaJudge`); null when there was no merge."""
    merge_skipped: str | None
    """Why a configured judge did not merge; null when it did or no judge is set."""
    total_cost_usd: float
    """Contestants and the merge."""
    total_cost_micro_usd: int
    estimated_max_cost_usd: float
    wall_ms: float


class ArenaStartedNotification(WireModel):
    request_id: str
    battle_id: str
    group: str
    intent: str
    members: list[MemberInfo]
    dropped: list[DroppedInfo]
    estimated_max_cost_usd: float
    judge: MemberInfo | None = None
    """The model that will merge the best answers once they are judged; null: no merge planned."""
    merge_skipped: str | None = None
    """Why a configured judge will not merge (unknown id, no key, over budget)."""


class ArenaStreamNotification(WireModel):
    request_id: str
    model: str
    delta: str


class ArenaMergeNotification(WireModel):
    """A piece of the merged answer; the first, with an empty `delta`, says the judge was called."""

    request_id: str
    model: str
    """The judge."""
    sources: list[str]
    """The models whose answers it merges, best first."""
    delta: str


class ArenaContestantNotification(WireModel):
    request_id: str
    contestant: ContestantInfo


class ArenaVoteParams(WireModel):
    battle_id: str = Field(min_length=1)
    vote: Literal["left", "right", "tie", "all_bad", "pick"]
    winner: str | None = None
    """The model picked, with `vote: "pick"`."""


class LeaderboardEntry(WireModel):
    model: str
    rating: float
    ci_low: float
    ci_high: float
    rank: int
    battles: int
    wins: int
    losses: int
    ties: int


class ArenaVoteResult(WireModel):
    battle_id: str
    recorded: bool
    leaderboard: list[LeaderboardEntry]


class LeaderboardParams(WireModel):
    intent: Intent | None = None


class LeaderboardResult(WireModel):
    intent: str | None
    entries: list[LeaderboardEntry]


def _members(start: ArenaStart) -> tuple[list[MemberInfo], list[DroppedInfo]]:
    return (
        [MemberInfo(model=m.model, provider=m.provider) for m in start.members],
        [DroppedInfo(model=mid, reason=why) for mid, why in start.dropped],
    )


def arena_started(s: ArenaStart) -> ArenaStartedNotification:
    members, dropped = _members(s)
    return ArenaStartedNotification(
        request_id=s.request_id,
        battle_id=s.battle_id,
        group=s.group,
        intent=s.intent,
        members=members,
        dropped=dropped,
        estimated_max_cost_usd=micro_to_usd(s.estimated_max_micro_usd),
        judge=MemberInfo(model=s.judge.model, provider=s.judge.provider) if s.judge else None,
        merge_skipped=s.merge_skipped,
    )


def contestant_info(c: ContestantResult) -> ContestantInfo:
    return ContestantInfo(
        model=c.model,
        provider=c.provider,
        status=c.status,
        text=c.text,
        error=ContestantErrorInfo(message=c.error.message, kind=c.error.kind) if c.error else None,
        ttft_ms=round(c.ttft_ms, 1) if c.ttft_ms is not None else None,
        total_ms=round(c.total_ms, 1),
        input_tokens=c.input_tokens,
        output_tokens=c.output_tokens,
        cost_usd=micro_to_usd(c.cost_micro_usd),
        cost_micro_usd=c.cost_micro_usd,
    )


def merged_info(m: MergeResult) -> MergedInfo:
    return MergedInfo(**dict(contestant_info(m)), sources=list(m.sources))


def arena_result(o: ArenaOutcome) -> ArenaResult:
    members, dropped = _members(o.start)
    return ArenaResult(
        request_id=o.start.request_id,
        battle_id=o.start.battle_id,
        group=o.start.group,
        intent=o.start.intent,
        members=members,
        dropped=dropped,
        contestants=[contestant_info(c) for c in o.contestants],
        pick=PickInfo(model=o.pick.model, reason=o.pick.reason, scores=o.pick.scores) if o.pick else None,
        merged=merged_info(o.merged) if o.merged else None,
        merge_skipped=o.merge_skipped,
        total_cost_usd=micro_to_usd(o.total_cost_micro_usd),
        total_cost_micro_usd=o.total_cost_micro_usd,
        estimated_max_cost_usd=micro_to_usd(o.start.estimated_max_micro_usd),
        wall_ms=round(o.wall_ms, 1),
    )


def leaderboard_entry(r: Rating) -> LeaderboardEntry:
    return LeaderboardEntry(
        model=r.model,
        rating=round(r.rating, 1),
        ci_low=round(r.ci_low, 1),
        ci_high=round(r.ci_high, 1),
        rank=r.rank,
        battles=r.battles,
        wins=r.wins,
        losses=r.losses,
        ties=r.ties,
    )
