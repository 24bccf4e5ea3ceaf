"""The parallel runner: every contestant of a battle at once, each streaming into its column.

Each contestant is one provider call made exactly like one attempt of an ask
(`smart_router.attempts.Attempt`): it holds its own budget reservation (taken up front for the
whole battle by `arena.reserve`), streams its text to the listener, and however it ends writes
its own ledger row (with the intent and the workspace) and drops its reservation. Contestants
share the engine's HTTP client and run as separate tasks, so a battle lasts as long as its
slowest member. A contestant that fails ends with its error in its result; the others go on.
`stop()` (or cancelling `run`) stops every contestant still running; each settles what it
used, and its result says `cancelled`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from smart_router.arena.results import ArenaListener, ContestantError, ContestantResult, ContestantStatus
from smart_router.attempts import Attempt, AttemptResult, RetryElsewhere
from smart_router.budget import BudgetKeeper, Reservation, SpendSummary
from smart_router.errors import SmartRouterError
from smart_router.providers import Message
from smart_router.providers.base import Provider
from smart_router.router import Candidate, Decision
from smart_router.router.health import Health

__all__ = ["STOPPED", "BattleRunner", "ProviderFactory", "solo_decision"]

log = logging.getLogger(__name__)

ProviderFactory = Callable[[Candidate], Awaitable[Provider]]
"""The adapter for a contestant's provider, with its key (the engine's shared HTTP client)."""

STOPPED = "stopped before the end of its answer"


class _Column:
    """One contestant's stream: forwards each piece to the battle's listener and keeps the text."""

    def __init__(self, listener: ArenaListener, model: str) -> None:
        self._listener = listener
        self._model = model
        self.parts: list[str] = []

    def delta(self, request_id: str, text: str) -> None:
        self.parts.append(text)
        self._listener.delta(request_id, self._model, text)

    def settled(self, summary: SpendSummary) -> None:
        self._listener.settled(summary)


def solo_decision(c: Candidate, role: str = "arena contestant") -> Decision:
    """The decision of a call made to exactly this model, with no fallback (a contestant, the judge)."""
    return Decision(
        model=c.model,
        provider=c.provider,
        reason=f"{c.model.id}: {role}",
        input_tokens=c.input_tokens,
        max_output_tokens=c.max_output_tokens,
        estimated_micro_usd=c.estimated_micro_usd,
        max_micro_usd=c.max_micro_usd,
        fallbacks=(),
        candidates=(c,),
    )


class BattleRunner:
    """Runs the priced members of a battle in parallel; one result per member, in column order."""

    def __init__(
        self,
        *,
        request_id: str,
        candidates: Sequence[Candidate],
        reservations: Sequence[Reservation],
        messages: tuple[Message, ...],
        workspace: str | None,
        intent: str | None,
        keeper: BudgetKeeper,
        health: Health,
        providers: ProviderFactory,
        listener: ArenaListener,
    ) -> None:
        if len(candidates) != len(reservations):
            raise ValueError("one reservation per contestant")
        self._request_id = request_id
        self._candidates = tuple(candidates)
        self._reservations = tuple(reservations)
        self._messages = messages
        self._workspace = workspace
        self._intent = intent
        self._keeper = keeper
        self._health = health
        self._providers = providers
        self._listener = listener
        self._tasks: list[asyncio.Task[ContestantResult]] = []

    async def run(self, stop: asyncio.Event | None = None) -> tuple[ContestantResult, ...]:
        """Start every contestant, wait for all; `stop` set (or this coroutine cancelled) stops
        those still running. Cancelling returns only after every contestant has settled."""
        self._tasks = [
            asyncio.create_task(self._contest(i), name=f"arena-{self._request_id}-{c.model.id}")
            for i, c in enumerate(self._candidates)
        ]
        watcher = asyncio.create_task(self._watch(stop)) if stop is not None else None
        try:
            await asyncio.wait(self._tasks)
        except asyncio.CancelledError:
            self.stop()
            await asyncio.wait(self._tasks)
            raise
        finally:
            if watcher is not None:
                watcher.cancel()
        return tuple(t.result() for t in self._tasks)

    def stop(self) -> None:
        """Stop every contestant still running (each settles what it used)."""
        for t in self._tasks:
            t.cancel()

    async def _watch(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self.stop()

    async def _contest(self, i: int) -> ContestantResult:
        c, reservation = self._candidates[i], self._reservations[i]
        column = _Column(self._listener, c.model.id)
        started = time.perf_counter()
        try:
            provider = await self._providers(c)
        except SmartRouterError as exc:  # no key, or a provider kind it cannot speak
            await self._keeper.book.release(reservation)
            return self._finish(c, column, None, started, "error", exc)
        except asyncio.CancelledError:
            await self._keeper.book.release(reservation)
            return self._finish(c, column, None, started, "cancelled", None)
        attempt = Attempt(
            self._request_id,
            solo_decision(c),
            c,
            reservation,
            self._workspace,
            self._intent,
            self._keeper,
            self._health,
            column,
        )
        status: ContestantStatus = "ok"
        error: SmartRouterError | ContestantError | None = None
        try:
            await attempt.run(provider, self._messages)
        except RetryElsewhere as exc:
            status, error = "error", exc.error
        except asyncio.CancelledError:
            status = "cancelled"
        except SmartRouterError as exc:
            status, error = "error", exc
        except Exception as exc:  # a bug in an adapter: the other contestants go on
            log.exception("arena contestant %s failed", c.model.id)
            status = "error"
            error = ContestantError(f"{c.model.id} failed unexpectedly ({type(exc).__name__}).", "internal")
        return self._finish(c, column, attempt.settled, started, status, error)

    def _finish(
        self,
        c: Candidate,
        column: _Column,
        settled: AttemptResult | None,
        started: float,
        status: ContestantStatus,
        error: SmartRouterError | ContestantError | None,
    ) -> ContestantResult:
        if isinstance(error, SmartRouterError):
            error = ContestantError(error.message, error.kind)
        result = ContestantResult(
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
            usage_estimated=settled.usage_estimated if settled else False,
        )
        self._listener.contestant(self._request_id, result)
        return result
