"""Wire-format independent response bodies: timing, pacing and broken connections.

A wire format supplies a :class:`StreamEncoder` that turns the generated reply into
its own bytes; the functions here decide *when* those bytes are sent and how a
failure (``cut``, ``malformed``, ``hang``) looks on the connection.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from fakes.scenario import Scenario
from fakes.state import ConnectionCut, FakeState
from fakes.tokens import Generation

__all__ = [
    "HANG_LIMIT_S",
    "StreamEncoder",
    "broken_body",
    "event_stream",
    "generation_time",
]

HANG_LIMIT_S = 60.0
"""A hanging response aborts the connection after this long at most."""


class StreamEncoder(Protocol):
    """Bytes of one streamed reply in a particular wire format."""

    def opening(self) -> Sequence[bytes]:
        """Events sent before the first text (e.g. the assistant role chunk)."""
        ...

    def text(self, piece: str) -> bytes:
        """The event carrying one piece of reply text."""
        ...

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """Events after the last text: finish reason, optional usage, end marker."""
        ...

    def malformed(self) -> Sequence[bytes]:
        """A truncated, unparseable event followed by the normal end marker."""
        ...


async def _pace(state: FakeState, start: float, index: int, rate: float | None) -> None:
    """Wait until content chunk ``index`` is due (chunks are spaced evenly from start)."""
    if rate is None:
        await state.sleep(0)  # only checks for shutdown
        return
    delay = start + index / rate - time.perf_counter()
    if delay > 0:
        await state.sleep(delay)


async def event_stream(
    state: FakeState,
    scenario: Scenario,
    generation: Generation,
    encoder: StreamEncoder,
    send_usage: bool,
) -> AsyncIterator[bytes]:
    """Yield a streamed reply, honouring the scenario's timing and failure mode."""
    if scenario.fail == "hang":
        await state.sleep(HANG_LIMIT_S)
        raise ConnectionCut("hang limit reached")
    await state.sleep(scenario.ttft_s)
    for event in encoder.opening():
        yield event
    if scenario.fail == "malformed":
        if generation.pieces:
            yield encoder.text(generation.pieces[0])
        for event in encoder.malformed():
            yield event
        return
    start = time.perf_counter()
    for index, piece in enumerate(generation.pieces):
        if scenario.fail == "cut" and index >= scenario.cut_after_tokens:
            raise ConnectionCut("cut scenario")
        await _pace(state, start, index, scenario.tokens_per_second)
        yield encoder.text(piece)
    if scenario.fail == "cut":
        raise ConnectionCut("cut scenario")
    for event in encoder.closing(generation, send_usage):
        yield event


def generation_time(scenario: Scenario, generation: Generation) -> float:
    """Seconds a non-streamed reply takes: time to first token plus paced tokens."""
    delay = scenario.ttft_s
    if scenario.tokens_per_second is not None:
        delay += len(generation.pieces) / scenario.tokens_per_second
    return delay


async def broken_body(
    state: FakeState,
    scenario: Scenario,
    generation: Generation,
    body: bytes,
) -> AsyncIterator[bytes]:
    """Yield a non-streamed body that never completes (``hang`` or ``cut`` scenarios).

    ``hang`` sends nothing; ``cut`` sends the first half of the body after the
    generation time and then aborts the connection.
    """
    if scenario.fail == "hang":
        await state.sleep(HANG_LIMIT_S)
        raise ConnectionCut("hang limit reached")
    await state.sleep(generation_time(scenario, generation))
    yield body[: len(body) // 2]
    raise ConnectionCut("cut scenario")
