"""How each model and provider has been doing: latency, time to first token, errors, and a
circuit breaker that stops sending requests to a deployment that keeps failing.

Every attempt of an ask is recorded here. The router reads `available` to leave out deployments
whose circuit is open, and the observed latency to prefer the faster of two equivalent
deployments. The breaker opens on the failures that say "not now" (rate limits, overload,
timeouts, 5xx): a model's at once when the provider sends `retry-after` (for that long), else
after three in a row; a provider's after three in a row of any of its models. Its cooldown
doubles each time a trial request (half-open) fails again. Errors that say "never" for this
request (a bad key, a prompt too long) count in the error rate but do not open the breaker:
retrying elsewhere is the router's job, not the breaker's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BREAKER_KINDS",
    "BreakerState",
    "Health",
    "HealthStats",
]

BreakerState = Literal["closed", "open", "half-open"]

BREAKER_KINDS: frozenset[str] = frozenset(
    {"rate_limited", "overloaded", "timeout", "provider_unavailable", "connection"}
)
"""Error kinds (from `smart_router.providers.errors`) that count toward opening the breaker."""

_ALPHA = 0.3
"""Weight of the newest observation in the moving averages."""
_FAILURES_TO_OPEN = 3
"""Consecutive breaker failures that open a closed circuit (a 429 with retry-after opens at once)."""
_BASE_COOLDOWN_S = 15.0
_MAX_COOLDOWN_S = 600.0


def _ema(old: float | None, new: float | None) -> float | None:
    if new is None:
        return old
    return new if old is None else old + _ALPHA * (new - old)


@dataclass(slots=True)
class HealthStats:
    """Moving averages and breaker state of one model deployment or one provider."""

    latency_ms: float | None = None
    ttft_ms: float | None = None
    error_rate: float = 0.0
    """Moving average of failures (1) and successes (0)."""
    calls: int = 0
    errors: int = 0
    state: BreakerState = "closed"
    consecutive_failures: int = 0
    open_until: float = 0.0
    """Clock time when an open circuit lets one trial request through."""
    cooldown_s: float = _BASE_COOLDOWN_S
    """The next cooldown; doubles while trials keep failing, resets on success."""
    last_error: str | None = None

    def observe(
        self,
        now: float,
        *,
        ok: bool,
        latency_ms: float | None,
        ttft_ms: float | None,
        error_kind: str | None,
        retry_after_s: float | None,
        at_once: bool = True,
    ) -> None:
        """One outcome. `at_once`: a `retry-after` opens the circuit immediately (a model's);
        else only the run of consecutive failures does (a provider's: one model's rate limit
        does not stop its siblings)."""
        self.calls += 1
        self.error_rate = self.error_rate + _ALPHA * ((0.0 if ok else 1.0) - self.error_rate)
        if ok:
            self.latency_ms = _ema(self.latency_ms, latency_ms)
            self.ttft_ms = _ema(self.ttft_ms, ttft_ms)
            self.state, self.consecutive_failures = "closed", 0
            self.cooldown_s = _BASE_COOLDOWN_S
            return
        self.errors += 1
        self.last_error = error_kind
        if error_kind not in BREAKER_KINDS:
            return
        if error_kind == "timeout":  # a timeout is a latency observation too
            self.latency_ms = _ema(self.latency_ms, latency_ms)
        self.consecutive_failures += 1
        trial_failed = self.state != "closed"
        paused = retry_after_s is not None and at_once
        if trial_failed or paused or self.consecutive_failures >= _FAILURES_TO_OPEN:
            cooldown = self.cooldown_s
            if retry_after_s is not None:
                cooldown = max(cooldown if trial_failed or not at_once else 0.0, retry_after_s)
            self.state = "open"
            self.open_until = now + min(cooldown, _MAX_COOLDOWN_S)
            self.cooldown_s = min(self.cooldown_s * 2, _MAX_COOLDOWN_S)

    def current_state(self, now: float) -> BreakerState:
        if self.state == "open" and now >= self.open_until:
            return "half-open"
        return self.state

    def as_dict(self, now: float) -> dict[str, object]:
        state = self.current_state(now)
        return {
            "state": state,
            "latencyMs": None if self.latency_ms is None else round(self.latency_ms, 1),
            "ttftMs": None if self.ttft_ms is None else round(self.ttft_ms, 1),
            "errorRate": round(self.error_rate, 3),
            "calls": self.calls,
            "errors": self.errors,
            "retryInS": round(self.open_until - now, 1) if state == "open" else None,
            "lastError": self.last_error,
        }


class Health:
    """Health of every model deployment (model id) and provider seen since the sidecar started.

    `clock` returns seconds (monotonic); tests pass their own to step through cooldowns.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._models: dict[str, HealthStats] = {}
        self._providers: dict[str, HealthStats] = {}

    def record(
        self,
        model_id: str,
        provider_id: str,
        *,
        ok: bool,
        latency_ms: float | None,
        ttft_ms: float | None,
        error_kind: str | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        """One attempt's outcome: `latency_ms` whole-answer time, `ttft_ms` time to first token."""
        now = self._clock()
        for table, key, at_once in ((self._models, model_id, True), (self._providers, provider_id, False)):
            stats = table.get(key)
            if stats is None:
                stats = table[key] = HealthStats()
            stats.observe(
                now,
                ok=ok,
                latency_ms=latency_ms,
                ttft_ms=ttft_ms,
                error_kind=error_kind,
                retry_after_s=retry_after_s,
                at_once=at_once,
            )

    def state(self, model_id: str, provider_id: str) -> BreakerState:
        """The worse of the model's and the provider's breaker state."""
        now = self._clock()
        states = [
            s.current_state(now) for s in (self._models.get(model_id), self._providers.get(provider_id)) if s
        ]
        if "open" in states:
            return "open"
        return "half-open" if "half-open" in states else "closed"

    def available(self, model_id: str, provider_id: str) -> bool:
        """Whether a request may go to this deployment now (closed, or half-open for a trial)."""
        return self.state(model_id, provider_id) != "open"

    def model(self, model_id: str) -> HealthStats | None:
        return self._models.get(model_id)

    def provider(self, provider_id: str) -> HealthStats | None:
        return self._providers.get(provider_id)

    def latency_ms(self, model_id: str) -> float | None:
        """Observed moving-average latency of a deployment, None before its first answer."""
        stats = self._models.get(model_id)
        return None if stats is None else stats.latency_ms

    def snapshot(self) -> dict[str, dict[str, dict[str, object]]]:
        """`{"models": {id: stats}, "providers": {id: stats}}` for status displays (JSON-ready)."""
        now = self._clock()
        return {
            "models": {k: v.as_dict(now) for k, v in sorted(self._models.items())},
            "providers": {k: v.as_dict(now) for k, v in sorted(self._providers.items())},
        }
