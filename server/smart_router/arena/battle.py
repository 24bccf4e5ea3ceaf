"""One arena battle from prompt to verdict.

1. Line-up: the group (or the models listed) as it can run now, each member priced for the prompt.
2. Intent: the classifier's (it weighs the models' priors in the verdict and files the votes).
3. Budget: the battle's worst case is reserved up front; a battle that does not fit is refused
   with its estimate and a smaller line-up that fits (`arena.reserve`).
4. Record the battle (so it can be voted on), tell the listener it started (before any token).
5. Run every contestant at once (`arena.runner`).
6. Converge: pick the best answer and say why (`arena.convergence`), with the embedding model when
   it is ready, else lexically, and the user's votes shifting the priors.
7. Merge: when a judge is set (`smartRouter.arenaJudge`) and at least two contestants answered,
   the judge writes one answer from the best ones (`arena.merge`, `arena.judge`). Its worst case
   is planned and reserved at step 3 with the battle's; a judge that cannot run or does not fit
   the budget skips the merge with a reason, never the battle.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from smart_router.arena.convergence import Answer, Embed, Verdict, converge
from smart_router.arena.judge import MergeJob, run_merge
from smart_router.arena.lineup import Lineup, choose_lineup, resolve_members
from smart_router.arena.merge import MERGE_SOURCES, JudgePlan, plan_judge
from smart_router.arena.ratings import load_ratings
from smart_router.arena.reserve import reserve_battle, reserve_judge
from smart_router.arena.results import (
    ArenaListener,
    ArenaOutcome,
    ArenaStart,
    ContestantResult,
    Member,
    MergeResult,
    Pick,
)
from smart_router.arena.runner import STOPPED, BattleRunner, ProviderFactory
from smart_router.arena.votes import VoteStore
from smart_router.budget import BudgetKeeper, Reservation
from smart_router.catalog import Catalog, ModelSpec
from smart_router.editor import EditorContext
from smart_router.errors import SmartRouterError
from smart_router.intent import Classifier
from smart_router.providers import Message
from smart_router.router.health import Health

__all__ = ["ALTERNATIVE_GROUP", "ArenaDeps", "ArenaRequest", "run_battle"]

ALTERNATIVE_GROUP = "Fast"
"""The group offered when a battle does not fit the budget (besides fewer members of its own)."""


@dataclass(frozen=True, slots=True)
class ArenaDeps:
    """What a battle needs of the engine."""

    catalog: Catalog
    keyed_providers: frozenset[str]
    local_up: bool
    user_groups: Mapping[str, Sequence[str]]
    output_cap: int
    keeper: BudgetKeeper
    health: Health
    classifier: Classifier
    votes: VoteStore
    providers: ProviderFactory
    embed: Embed | None
    """The embedding service's `embed` when it is ready; None: lexical similarity."""
    judge: str = ""
    """`smartRouter.arenaJudge`: the catalog id of the model that merges the best answers; empty: none."""


@dataclass(frozen=True, slots=True)
class ArenaRequest:
    request_id: str
    prompt: str
    messages: tuple[Message, ...]
    prompt_tokens: Callable[[ModelSpec], int]
    group: str | None = None
    models: Sequence[str] | None = None
    editor: EditorContext | None = None
    workspace: str | None = None


def _lineup(deps: ArenaDeps, req: ArenaRequest, group: str | None, models: Sequence[str] | None) -> Lineup:
    resolved = resolve_members(
        deps.catalog,
        deps.keyed_providers,
        deps.local_up,
        group=group,
        models=models,
        user_groups=deps.user_groups,
    )
    return choose_lineup(
        resolved,
        deps.catalog,
        prompt_tokens=req.prompt_tokens,
        output_cap=deps.output_cap,
        health=deps.health,
    )


def _alternatives(deps: ArenaDeps, req: ArenaRequest, current: Lineup) -> list[Lineup]:
    if current.group.lower() == ALTERNATIVE_GROUP.lower():
        return []
    try:
        return [_lineup(deps, req, ALTERNATIVE_GROUP, None)]
    except SmartRouterError:  # the user cannot run it either
        return []


def _answer(r: ContestantResult) -> Answer:
    if r.status == "cancelled":
        return Answer(r.model, r.text, STOPPED)
    return Answer(r.model, r.text, r.error.message if r.error else None)


async def run_battle(
    deps: ArenaDeps,
    req: ArenaRequest,
    listener: ArenaListener,
    stop: asyncio.Event | None = None,
) -> ArenaOutcome:
    """Run the battle `req` asks for; `stop` set stops the contestants still running (the verdict is
    then given on the answers that finished). Raises `ArenaBudgetError` when it does not fit."""
    began = time.perf_counter()
    lineup = _lineup(deps, req, req.group, req.models)
    classification = await deps.classifier.classify_async(req.prompt, req.editor)
    intent = classification.intent
    plan = await _plan_judge(deps, req, lineup) if deps.judge.strip() else None
    reservations = await reserve_battle(
        deps.keeper,
        lineup,
        request_id=req.request_id,
        workspace=req.workspace,
        alternatives=_alternatives(deps, req, lineup),
    )
    skipped = plan if isinstance(plan, str) else None
    judge: tuple[JudgePlan, Reservation] | None = None
    try:
        if isinstance(plan, JudgePlan):
            held = await reserve_judge(
                deps.keeper,
                plan.candidate,
                request_id=req.request_id,
                workspace=req.workspace,
                battle_micro_usd=lineup.max_micro_usd,
            )
            if isinstance(held, str):
                skipped = held
            else:
                judge = (plan, held)
        members = tuple(Member(c.model.id, c.provider.id) for c in lineup.candidates)
        battle = await deps.votes.record_battle(
            [m.model for m in members], prompt=req.prompt, intent=intent, battle_id=uuid.uuid4().hex
        )
    except BaseException:
        for r in [*reservations, *([judge[1]] if judge else [])]:
            await deps.keeper.book.release(r)
        raise
    judge_member = Member(judge[0].candidate.model.id, judge[0].candidate.provider.id) if judge else None
    most = lineup.max_micro_usd + (judge[0].candidate.max_micro_usd if judge else 0)
    start = ArenaStart(
        req.request_id, battle.id, lineup.group, members, lineup.dropped, most, intent, judge_member, skipped
    )
    runner = BattleRunner(
        request_id=req.request_id,
        candidates=lineup.candidates,
        reservations=reservations,
        messages=req.messages,
        workspace=req.workspace,
        intent=intent,
        keeper=deps.keeper,
        health=deps.health,
        providers=deps.providers,
        listener=listener,
    )
    merged: MergeResult | None = None
    try:
        listener.started(start)
        results = await runner.run(stop)
        ratings = await load_ratings(deps.votes)
        verdict = await converge(
            req.prompt,
            [_answer(r) for r in results],
            intent=intent,
            catalog=deps.catalog,
            ratings=ratings,
            embed=deps.embed,
        )
        if judge is not None:
            plan_, held_ = judge
            sources = _sources(verdict, results)
            if stop is not None and stop.is_set():
                skipped = "the battle was stopped before the merge"
            elif len(sources) < 2:
                skipped = (
                    "only one contestant answered: nothing to merge"
                    if sources
                    else "no contestant answered: nothing to merge"
                )
            else:
                judge = None  # the merge owns its reservation now
                merged = await run_merge(
                    plan_,
                    held_,
                    MergeJob(req.request_id, _question(req), sources, _names(lineup), req.workspace, intent),
                    keeper=deps.keeper,
                    health=deps.health,
                    providers=deps.providers,
                    listener=listener,
                    stop=stop,
                )
    finally:
        if judge is not None:  # no merge after all: give its reservation back
            await deps.keeper.book.release(judge[1])
    pick = (
        Pick(verdict.pick, verdict.reason, {s.model: round(s.score, 4) for s in verdict.scores})
        if verdict.pick is not None
        else None
    )
    return ArenaOutcome(start, results, pick, (time.perf_counter() - began) * 1000, merged, skipped)


async def _plan_judge(deps: ArenaDeps, req: ArenaRequest, lineup: Lineup) -> JudgePlan | str | None:
    return await asyncio.to_thread(
        plan_judge,
        deps.judge,
        deps.catalog,
        keyed_providers=deps.keyed_providers,
        local_up=deps.local_up,
        health=deps.health,
        question=_question(req),
        members=lineup.candidates,
        output_cap=deps.output_cap,
    )


def _question(req: ArenaRequest) -> str:
    """What the user asked, as the contestants read it (with the editor's selection)."""
    return next((m.content for m in reversed(req.messages) if m.role == "user"), req.prompt)


def _names(lineup: Lineup) -> tuple[str, ...]:
    return tuple({n for c in lineup.candidates for n in (c.model.id, c.model.api_name)})


def _sources(verdict: Verdict, results: tuple[ContestantResult, ...]) -> tuple[tuple[str, str], ...]:
    """(model, answer) of the best usable answers, best first."""
    text = {r.model: r.text for r in results}
    usable = [s.model for s in verdict.scores if s.failure is None]
    return tuple((m, text[m]) for m in usable[:MERGE_SOURCES])
