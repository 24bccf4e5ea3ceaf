"""Wire-format independent response bodies: timing, pacing and broken connections.

A wire format supplies a :class:`StreamEncoder` that turns the generated reply into
its own bytes; the functions here decide *when* those bytes are sent and how a
failure (``cut``, ``malformed``, ``hang``, ``stream_error``, ``candidate_blocked``)
looks on the connection.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from starlette.responses import Response, StreamingResponse

from fakes.scenario import Scenario
from fakes.state import ConnectionCut, FakeState
from fakes.tokens import Generation

__all__ = [
    "HANG_LIMIT_S",
    "StreamEncoder",
    "broken_body",
    "event_stream",
    "fixed_stream",
    "generation_time",
    "reply_response",
    "served_generation",
    "upfront_failure",
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

    def stream_error(self) -> Sequence[bytes]:
        """The provider's in-stream error event (after which the stream ends)."""
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
    sent = len(generation.pieces)
    if scenario.fail in ("cut", "stream_error", "candidate_blocked"):
        sent = min(sent, scenario.cut_after_tokens)
    start = time.perf_counter()
    for index, piece in enumerate(generation.pieces[:sent]):
        await _pace(state, start, index, scenario.tokens_per_second)
        yield encoder.text(piece)
    if scenario.fail == "cut":
        raise ConnectionCut("cut scenario")
    if scenario.fail == "stream_error":
        for event in encoder.stream_error():
            yield event
        return
    if scenario.fail == "candidate_blocked":
        generation = generation.truncated(sent, "content_filter")
    for event in encoder.closing(generation, send_usage):
        yield event


async def fixed_stream(state: FakeState, scenario: Scenario, events: Sequence[bytes]) -> AsyncIterator[bytes]:
    """Yield ``events`` after the time to first token (a reply without generated text)."""
    await state.sleep(scenario.ttft_s)
    for event in events:
        yield event


def upfront_failure(scenario: Scenario, stream: bool) -> str | None:
    """The failure mode a request may be answered with before any body (an error status).

    ``stream_error`` of a streamed request shows in the stream instead.
    """
    return None if stream and scenario.fail == "stream_error" else scenario.fail


def served_generation(scenario: Scenario, generation: Generation) -> Generation:
    """The generation a non-streamed reply carries (cut short by ``candidate_blocked``)."""
    if scenario.fail == "candidate_blocked":
        return generation.truncated(scenario.cut_after_tokens, "content_filter")
    return generation


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


async def reply_response(
    state: FakeState,
    scenario: Scenario,
    generation: Generation,
    body: bytes,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """A non-streamed reply: sent after the generation time, or broken as the scenario says."""
    if scenario.fail in ("hang", "cut"):
        return StreamingResponse(
            broken_body(state, scenario, generation, body), media_type=media_type, headers=headers
        )
    await state.sleep(generation_time(scenario, generation))
    if scenario.fail == "malformed":
        body = body[: len(body) // 2]
    return Response(body, media_type=media_type, headers=headers)
