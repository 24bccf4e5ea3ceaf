"""Reserving a battle's worst-case cost before any contestant starts.

Each member's worst case (its prompt plus its longest answer) is reserved against every hard
budget, one member after the other, so the budgets see the battle's whole maximum held before
the first token. When a member does not fit, the members already reserved are released and
the battle is refused with an `ArenaBudgetError`: the budget it would pass, the battle's
estimate, and a smaller line-up that fits (the cheapest members of the same group, or another
group such as Fast), which the user can run instead.

When a judge is set to merge the best answers (`arena.merge`), its worst case is reserved right
after the members', before the battle starts, so the budgets never see more spent than was
held. When the members fit but the judge does not, the battle runs without the merge and says
why (`reserve_judge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smart_router.arena.groups import MIN_MEMBERS
from smart_router.arena.lineup import Lineup
from smart_router.budget import BudgetKeeper, Reservation, Shortfall
from smart_router.budget.status import reset_text, usd
from smart_router.errors import BudgetExceededError
from smart_router.router import Candidate
from smart_router.tokens import micro_to_usd

__all__ = ["ArenaBudgetError", "Suggestion", "reserve_battle", "reserve_judge", "suggest"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A smaller battle that fits the budgets now."""

    group: str
    models: tuple[str, ...]
    max_micro_usd: int


class ArenaBudgetError(BudgetExceededError):
    """A battle whose worst-case cost does not fit a hard budget. Its data adds the battle's
    `estimateUsd` and a `suggestion` ({group, models, maxCostUsd}, or null when nothing fits)."""

    def __init__(
        self, message: str, *, estimate_micro_usd: int, suggestion: Suggestion | None, **budget: Any
    ) -> None:
        super().__init__(message, **budget)
        self.estimate_micro_usd = estimate_micro_usd
        self.suggestion = suggestion

    def data(self) -> dict[str, Any]:
        out = super().data()
        s = self.suggestion
        out.update(
            estimateUsd=micro_to_usd(self.estimate_micro_usd),
            estimateMicroUsd=self.estimate_micro_usd,
            suggestion=(
                {"group": s.group, "models": list(s.models), "maxCostUsd": micro_to_usd(s.max_micro_usd)}
                if s is not None
                else None
            ),
        )
        return out


def suggest(
    lineup: Lineup, headroom_micro_usd: int, alternatives: Sequence[Lineup] = ()
) -> Suggestion | None:
    """The largest battle that fits `headroom`: the cheapest members of `lineup` (kept in column
    order), or one of `alternatives` (other groups) when it has more members. None when none fits."""
    options: list[Suggestion] = []
    cheapest_first = sorted(lineup.candidates, key=lambda c: c.max_micro_usd)
    for k in range(len(cheapest_first) - 1, MIN_MEMBERS - 1, -1):
        chosen = {c.model.id for c in cheapest_first[:k]}
        total = sum(c.max_micro_usd for c in cheapest_first[:k])
        if total <= headroom_micro_usd:
            ids = tuple(c.model.id for c in lineup.candidates if c.model.id in chosen)
            options.append(Suggestion(lineup.group, ids, total))
            break
    own = {c.model.id for c in lineup.candidates}
    for alt in alternatives:
        ids = tuple(c.model.id for c in alt.candidates)
        if len(ids) >= MIN_MEMBERS and set(ids) != own and alt.max_micro_usd <= headroom_micro_usd:
            options.append(Suggestion(alt.group, ids, alt.max_micro_usd))
    if not options:
        return None
    return max(options, key=lambda s: (len(s.models), -options.index(s)))


async def reserve_battle(
    keeper: BudgetKeeper,
    lineup: Lineup,
    *,
    request_id: str,
    workspace: str | None,
    alternatives: Sequence[Lineup] = (),
) -> list[Reservation]:
    """One reservation per member, in column order; `ArenaBudgetError` when the battle does not fit."""
    limits = keeper.limits(workspace)
    held: list[Reservation] = []
    refused: Shortfall | None = None
    try:
        for c in lineup.candidates:
            got = await keeper.book.reserve(
                c.max_micro_usd, limits, request_id=request_id, workspace=workspace, model=c.model.id
            )
            if isinstance(got, Shortfall):
                refused = got
                break
            held.append(got)
    except BaseException:
        for r in held:
            await keeper.book.release(r)
        raise
    if refused is None:
        return held
    for r in held:
        await keeper.book.release(r)
    hard = [lim for lim in limits if lim.hard]
    usage = await keeper.book.usage(hard)
    headroom = min(
        (max(0, u.limit.limit_micro_usd - u.spent_micro_usd - u.reserved_micro_usd) for u in usage), default=0
    )
    binding = next((u for u in usage if u.limit == refused.usage.limit), refused.usage)
    estimate = lineup.max_micro_usd
    suggestion = suggest(lineup, headroom, alternatives)
    lim = binding.limit
    left = max(0, lim.limit_micro_usd - binding.spent_micro_usd - binding.reserved_micro_usd)
    where = (
        f"{lim.label} is {usd(lim.limit_micro_usd)}"
        if lim.name == "perRequest"
        else f"{lim.label} has {usd(left)} left of {usd(lim.limit_micro_usd)} "
        f"({usd(binding.spent_micro_usd)} spent, {usd(binding.reserved_micro_usd)} held by requests "
        "in flight)"
    )
    offer = (
        f"Run {_describe(suggestion)} instead (up to {usd(suggestion.max_micro_usd)}), or raise"
        if suggestion is not None
        else "No smaller battle fits either: wait for the budget to reset, or raise"
    )
    resets = f" It resets {reset_text(binding.resets_at)}." if binding.resets_at else ""
    message = (
        f"This battle of {len(lineup.candidates)} models could cost up to {usd(estimate)} if every "
        f"model gives its longest answer, but {where}.{resets} {offer} the budget with 'Smart Router: "
        f"Set Budget' (smart-router budget set {_CLI_NAME[lim.name]} USD)."
    )
    raise ArenaBudgetError(
        message,
        estimate_micro_usd=estimate,
        suggestion=suggestion,
        budget=lim.name,
        scope=lim.scope,
        workspace=lim.key,
        limit_micro_usd=lim.limit_micro_usd,
        spent_micro_usd=binding.spent_micro_usd,
        reserved_micro_usd=binding.reserved_micro_usd,
        required_micro_usd=estimate,
        resets_at=binding.resets_at,
    )


async def reserve_judge(
    keeper: BudgetKeeper,
    judge: Candidate,
    *,
    request_id: str,
    workspace: str | None,
    battle_micro_usd: int,
) -> Reservation | str:
    """Hold the judge's worst case after the battle's (`battle_micro_usd`, already held); the
    reason the merge is skipped when it does not fit."""
    got = await keeper.book.reserve(
        judge.max_micro_usd,
        keeper.limits(workspace),
        request_id=request_id,
        workspace=workspace,
        model=judge.model.id,
    )
    if not isinstance(got, Shortfall):
        return got
    lim, use = got.usage.limit, got.usage
    cost = f"the merge by {judge.model.id} could cost up to {usd(judge.max_micro_usd)}"
    if lim.name == "perRequest":
        where = f"over {lim.label} of {usd(lim.limit_micro_usd)}"
    else:
        left = max(0, lim.limit_micro_usd - use.spent_micro_usd - use.reserved_micro_usd)
        where = f"but {lim.label} has {usd(left)} left once the battle's {usd(battle_micro_usd)} is held"
    return (
        f"{cost}, {where}: the battle runs without it. Raise the budget with 'Smart Router: Set Budget' "
        f"(smart-router budget set {_CLI_NAME[lim.name]} USD) or choose a cheaper judge"
    )


_CLI_NAME = {"daily": "daily", "monthly": "monthly", "perRequest": "per-request"}


def _describe(s: Suggestion) -> str:
    return f"the {s.group} group with {', '.join(s.models)}"
