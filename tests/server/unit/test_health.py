"""Health: moving averages per model and provider, and the circuit breaker (clock injected)."""

from __future__ import annotations

import pytest

from smart_router.router.health import Health


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_latency_and_ttft_are_exponential_moving_averages(clock: Clock) -> None:
    h = Health(clock)
    h.record("m", "p", ok=True, latency_ms=1000, ttft_ms=200)
    stats = h.model("m")
    assert stats is not None and stats.latency_ms == 1000 and stats.ttft_ms == 200
    h.record("m", "p", ok=True, latency_ms=2000, ttft_ms=None)
    assert stats.latency_ms == pytest.approx(1000 + 0.3 * 1000)
    assert stats.ttft_ms == 200  # no observation: unchanged
    provider = h.provider("p")
    assert provider is not None and provider.calls == 2 and provider.latency_ms == pytest.approx(1300)
    assert h.latency_ms("m") == pytest.approx(1300) and h.latency_ms("unknown") is None


def test_error_rate_rises_with_failures_and_falls_with_successes(clock: Clock) -> None:
    h = Health(clock)
    h.record("m", "p", ok=False, latency_ms=5, ttft_ms=None, error_kind="auth")
    stats = h.model("m")
    assert stats is not None and stats.error_rate == pytest.approx(0.3) and stats.errors == 1
    assert h.available("m", "p")  # an auth error is not the breaker's business
    h.record("m", "p", ok=True, latency_ms=5, ttft_ms=1)
    assert stats.error_rate == pytest.approx(0.21)


def test_a_429_with_retry_after_opens_the_circuit_until_then(clock: Clock) -> None:
    h = Health(clock)
    h.record("m", "p", ok=False, latency_ms=50, ttft_ms=None, error_kind="rate_limited", retry_after_s=30)
    assert not h.available("m", "p") and h.state("m", "p") == "open"
    assert h.available("other-model", "p")  # one model's rate limit does not stop its siblings
    snap = h.snapshot()
    assert snap["models"]["m"]["state"] == "open" and snap["models"]["m"]["retryInS"] == 30
    assert (
        snap["providers"]["p"]["lastError"] == "rate_limited" and snap["providers"]["p"]["state"] == "closed"
    )
    clock.now += 29.9
    assert not h.available("m", "p")
    clock.now += 0.2
    assert h.available("m", "p") and h.state("m", "p") == "half-open"


def test_the_half_open_trial_closes_on_success_and_backs_off_on_failure(clock: Clock) -> None:
    h = Health(clock)
    for _ in range(3):  # three consecutive timeouts open a closed circuit
        assert h.available("m", "p")
        h.record("m", "p", ok=False, latency_ms=60_000, ttft_ms=None, error_kind="timeout")
    assert h.state("m", "p") == "open"
    clock.now += 15  # base cooldown
    assert h.state("m", "p") == "half-open"
    h.record("m", "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="overloaded")
    assert h.state("m", "p") == "open"
    clock.now += 15
    assert h.state("m", "p") == "open"  # the cooldown doubled to 30 s
    clock.now += 15
    assert h.state("m", "p") == "half-open"
    h.record("m", "p", ok=True, latency_ms=800, ttft_ms=100)
    assert h.state("m", "p") == "closed"
    stats = h.model("m")
    assert stats is not None and stats.cooldown_s == 15 and stats.consecutive_failures == 0


def test_two_failures_do_not_open_the_circuit_and_a_success_resets_the_count(clock: Clock) -> None:
    h = Health(clock)
    for _ in range(2):
        h.record("m", "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="provider_unavailable")
    h.record("m", "p", ok=True, latency_ms=100, ttft_ms=10)
    h.record("m", "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="connection")
    assert h.state("m", "p") == "closed"


def test_retry_after_never_shortens_a_backed_off_cooldown(clock: Clock) -> None:
    h = Health(clock)
    h.record("m", "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="rate_limited", retry_after_s=1)
    clock.now += 1
    assert h.state("m", "p") == "half-open"
    # the trial fails again with a short retry-after: the backed-off cooldown (30 s) wins
    h.record("m", "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="rate_limited", retry_after_s=1)
    clock.now += 10
    assert h.state("m", "p") == "open"


def test_a_provider_opens_after_three_failures_in_a_row_of_any_of_its_models(clock: Clock) -> None:
    h = Health(clock)
    for model in ("a", "b", "c"):
        h.record(model, "p", ok=False, latency_ms=None, ttft_ms=None, error_kind="overloaded")
    assert h.state("d", "p") == "open" and h.available("d", "other")
