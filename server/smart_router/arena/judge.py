"""The judge's call: merge a battle's best answers into one, streamed like a contestant's.

The call is one attempt (`smart_router.attempts.Attempt`) on the reservation taken up front with
the battle's (`arena.reserve`): it writes its own ledger row (the battle's request id and intent)
and drops its reservation however it ends. It is not retried on another model. The listener
hears `merge` once with an empty piece when the judge is called, then each piece of the merged
answer. `stop` set (or the coroutine cancelled) stops the judge; it settles what it used and the
result says `cancelled`. A failing judge ends with its error in the result; the contestants'
results are not touched.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from smart_router.arena.merge import MERGE_SOURCES, JudgePlan, merge_messages
from smart_router.arena.results import ArenaListener, ContestantError, ContestantStatus, MergeResult
from smart_router.arena.runner import ProviderFactory, solo_decision
from smart_router.attempts import Attempt, AttemptResult, RetryElsewhere
from smart_router.budget import BudgetKeeper, Reservation, SpendSummary
from smart_router.errors import SmartRouterError
from smart_router.router.health import Health

__all__ = ["MergeJob", "run_merge"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MergeJob:
    """What the judge merges: the user's prompt and the best answers, best first."""

    request_id: str
    question: str
    sources: tuple[tuple[str, str], ...]
    """(model, answer) of the answers to merge, best first (at most `MERGE_SOURCES`)."""
    names: tuple[str, ...]
    """Model ids (and API names) to scrub from the answers."""
    workspace: str | None
    intent: str | None


class _MergeColumn:
    def __init__(self, listener: ArenaListener, judge: str, sources: tuple[str, ...]) -> None:
        self._listener = listener
        self._judge = judge
        self._sources = sources
        self.parts: list[str] = []

    def delta(self, request_id: str, text: str) -> None:
        self.parts.append(text)
        self._listener.merge(request_id, self._judge, self._sources, text)

    def settled(self, summary: SpendSummary) -> None:
        self._listener.settled(summary)


async def run_merge(
    plan: JudgePlan,
    reservation: Reservation,
    job: MergeJob,
    *,
    keeper: BudgetKeeper,
    health: Health,
    providers: ProviderFactory,
    listener: ArenaListener,
    stop: asyncio.Event | None = None,
) -> MergeResult:
    """Call the judge on `job` and return the merged answer (also when it failed or was stopped)."""
    c = plan.candidate
    sources = tuple(model for model, _ in job.sources[:MERGE_SOURCES])
    column = _MergeColumn(listener, c.model.id, sources)
    started = time.perf_counter()
    status: ContestantStatus = "ok"
    error: SmartRouterError | ContestantError | None = None
    attempt: Attempt | None = None
    listener.merge(job.request_id, c.model.id, sources, "")
    try:
        messages = await asyncio.to_thread(
            merge_messages,
            job.question,
            [text for _, text in job.sources],
            family=c.model.family,
            answer_tokens=plan.answer_tokens,
            names=job.names,
        )
        provider = await providers(c)
        if time.monotonic() >= reservation.renew_at:  # the contestants took long
            reservation = await keeper.book.renew(reservation)
        attempt = Attempt(
            job.request_id,
            solo_decision(plan.candidate, "arena judge"),
            c,
            reservation,
            job.workspace,
            job.intent,
            keeper,
            health,
            column,
        )
        await _stoppable(attempt.run(provider, messages), stop, f"arena-merge-{job.request_id}")
    except _Stopped:
        status = "cancelled"
    except RetryElsewhere as exc:
        status, error = "error", exc.error
    except SmartRouterError as exc:  # no key, or the provider refused
        status, error = "error", exc
    except Exception as exc:  # a bug in an adapter: the battle's verdict still stands
        log.exception("arena judge %s failed", c.model.id)
        status = "error"
        error = ContestantError(
            f"The judge {c.model.id} failed unexpectedly ({type(exc).__name__}).", "internal"
        )
    finally:
        if attempt is None or attempt.settled is None:  # never called, or stopped before it began
            await keeper.book.release(reservation)
    settled = attempt.settled if attempt is not None else None
    return _result(plan, column, settled, started, status, error, sources)


class _Stopped(Exception):
    """The battle was stopped while the judge was writing."""


async def _stoppable(run: Coroutine[Any, Any, AttemptResult], stop: asyncio.Event | None, name: str) -> None:
    """Run the judge's attempt; `stop` set cancels it (it settles) and raises `_Stopped`.
    Cancelling this coroutine cancels the attempt too, and returns once it has settled."""
    task = asyncio.create_task(run, name=name)
    watcher = asyncio.create_task(stop.wait()) if stop is not None else None
    try:
        await asyncio.wait(
            {task} if watcher is None else {task, watcher}, return_when=asyncio.FIRST_COMPLETED
        )
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
            if task.cancelled():
                raise _Stopped
        task.result()
    except asyncio.CancelledError:
        task.cancel()
        await asyncio.wait({task})
        raise
    finally:
        if watcher is not None:
            watcher.cancel()


def _result(
    plan: JudgePlan,
    column: _MergeColumn,
    settled: AttemptResult | None,
    started: float,
    status: ContestantStatus,
    error: SmartRouterError | ContestantError | None,
    sources: Sequence[str],
) -> MergeResult:
    if isinstance(error, SmartRouterError):
        error = ContestantError(error.message, error.kind)
    c = plan.candidate
    return MergeResult(
        model=c.model.id,
        provider=c.provider.id,
        status=status,
        text="".join(column.parts),
        error=error,
        ttft_ms=settled.ttft_ms if settled else None,
        total_ms=settled.total_ms if settled else (time.perf_counter() - started) * 1000,
        input_tokens=settled.input_tokens if settled else 0,
        output_tokens=settled.output_tokens if settled else 0,
        cost_micro_usd=settled.cost_micro_usd if settled else 0,
        sources=tuple(sources),
        usage_estimated=settled.usage_estimated if settled else False,
    )
