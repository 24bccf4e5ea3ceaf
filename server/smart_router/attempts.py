"""One provider call attempt of an ask: stream it, then settle it.

An attempt holds a budget reservation for its worst case. However it ends, it settles: the
ledger row with what was used (the provider's usage, else an estimate from the text) is
written and the reservation dropped in one transaction, health is told how it went, and the
listener hears the new spend. A retryable failure before the first token comes back as
`RetryElsewhere`, so the ask can try the next candidate; every other failure is raised.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from smart_router.budget import BudgetKeeper, LedgerRow, Reservation, SpendSummary
from smart_router.errors import ProviderError
from smart_router.providers import ChatRequest, Message, TextDelta, Usage
from smart_router.providers.base import Provider
from smart_router.router import Candidate, Decision
from smart_router.router.health import Health
from smart_router.tokens import INLINE_CHARS, cost_micro_usd, count_text

__all__ = ["Attempt", "AttemptResult", "RetryElsewhere"]


class _Listener(Protocol):
    def delta(self, request_id: str, text: str) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...


class RetryElsewhere(Exception):
    """A retryable provider failure before any token: another candidate may answer."""

    def __init__(self, error: ProviderError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True, slots=True)
class AttemptResult:
    text: str
    input_tokens: int
    output_tokens: int
    cost_micro_usd: int
    usage_estimated: bool
    ttft_ms: float | None
    total_ms: float


Status = Literal["ok", "error", "cancelled"]


@dataclass(slots=True)
class Attempt:
    """The call of one candidate, with its reservation."""

    request_id: str
    decision: Decision
    candidate: Candidate
    reservation: Reservation
    workspace: str | None
    intent: str | None
    keeper: BudgetKeeper
    health: Health
    listener: _Listener
    settled: AttemptResult | None = None
    """What the attempt was billed, once it settled (also after a failure or a cancel)."""

    async def run(self, provider: Provider, messages: tuple[Message, ...]) -> AttemptResult:
        c = self.candidate
        request = ChatRequest(
            model=c.model.api_name, messages=messages, max_output_tokens=c.max_output_tokens
        )
        parts: list[str] = []
        usage: Usage | None = None
        ttft_ms: float | None = None
        start = time.perf_counter()
        elapsed: Callable[[], float] = lambda: (time.perf_counter() - start) * 1000  # noqa: E731
        try:
            async for event in provider.stream(request):
                if isinstance(event, TextDelta):
                    if ttft_ms is None:
                        ttft_ms = elapsed()
                    parts.append(event.text)
                    self.listener.delta(self.request_id, event.text)
                    if time.monotonic() >= self.reservation.renew_at:  # a very long answer
                        self.reservation = await self.keeper.book.renew(self.reservation)
                elif isinstance(event, Usage):
                    usage = event
        except ProviderError as exc:
            self.health.record(
                c.model.id,
                c.provider.id,
                ok=False,
                latency_ms=elapsed(),
                ttft_ms=ttft_ms,
                error_kind=exc.kind,
                retry_after_s=exc.retry_after_s,
            )
            await self._settle("error", parts, usage, ttft_ms, elapsed(), exc.kind)
            if exc.retryable and not parts:
                raise RetryElsewhere(exc) from exc
            raise
        except asyncio.CancelledError:
            await self._settle("cancelled", parts, usage, ttft_ms, elapsed(), None)
            raise
        except BaseException as exc:  # a bug or an interpreter exit: still account for it
            await self._settle("error", parts, usage, ttft_ms, elapsed(), type(exc).__name__)
            raise
        self.health.record(c.model.id, c.provider.id, ok=True, latency_ms=elapsed(), ttft_ms=ttft_ms)
        return await self._settle("ok", parts, usage, ttft_ms, elapsed(), None)

    async def _settle(
        self,
        status: Status,
        parts: list[str],
        usage: Usage | None,
        ttft_ms: float | None,
        total_ms: float,
        error_kind: str | None,
    ) -> AttemptResult:
        c = self.candidate
        text = "".join(parts)
        if usage is not None:
            tokens_in, tokens_out, estimated = usage.input_tokens, usage.output_tokens, False
        elif status == "error" and not parts:
            tokens_in, tokens_out, estimated = 0, 0, False  # refused before any work
        else:
            tokens_in = c.input_tokens
            family = c.model.family
            counted = (
                await asyncio.to_thread(count_text, text, family)
                if len(text) > INLINE_CHARS
                else count_text(text, family)
            )
            tokens_out = min(counted, c.max_output_tokens)  # no answer is longer than the cap asked for
            estimated = True
        cached = usage.cached_input_tokens if usage is not None else 0
        cost = cost_micro_usd(c.model, tokens_in, tokens_out, cached)
        summary = await self.keeper.settle(
            self.reservation,
            LedgerRow(
                request_id=self.request_id,
                workspace=self.workspace,
                model=c.model.id,
                provider=c.provider.id,
                intent=self.intent,
                input_tokens=tokens_in,
                output_tokens=tokens_out,
                cost_micro_usd=cost,
                usage_estimated=estimated,
                latency_ms=total_ms,
                ttft_ms=ttft_ms,
                status=status,
                error_kind=error_kind,
            ),
        )
        self.listener.settled(summary)
        self.settled = AttemptResult(text, tokens_in, tokens_out, cost, estimated, ttft_ms, total_ms)
        return self.settled
