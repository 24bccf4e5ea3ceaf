"""The ask pipeline end to end inside the engine, over `httpx.MockTransport`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from smart_router.budget import SpendSummary
from smart_router.config import parse_settings
from smart_router.engine import Engine
from smart_router.errors import BadInputError, ProviderError
from smart_router.keys import KeyStore
from smart_router.router import Decision
from smart_router.store import open_database
from support.openai_sse import chunk, sse_response, usage_chunk

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def routed(self, request_id: str, decision: Decision) -> None:
        self.events.append(("routed", decision.model.id))

    def delta(self, request_id: str, text: str) -> None:
        self.events.append(("delta", text))

    def settled(self, summary: SpendSummary) -> None:
        self.events.append(("settled", summary.today_micro_usd))


def make_engine(handler: Handler | httpx.AsyncBaseTransport) -> Callable[[], Any]:
    async def factory() -> Engine:
        transport = handler if isinstance(handler, httpx.AsyncBaseTransport) else httpx.MockTransport(handler)
        settings = parse_settings({"defaultModel": "gpt-4o-mini", "systemPrompt": ""})
        return Engine(
            settings,
            await open_database(":memory:"),
            httpx.AsyncClient(transport=transport),
            keys=KeyStore({"OPENAI_API_KEY": "sk-test-1"}),
        )

    return factory


async def rows(engine: Engine) -> list[tuple[Any, ...]]:
    async with engine._db.execute(
        "SELECT status, input_tokens, output_tokens, cost_micro_usd, usage_estimated, error_kind FROM ledger"
    ) as cur:
        return [tuple(r) for r in await cur.fetchall()]


@pytest.fixture
async def ok_engine() -> AsyncIterator[Engine]:
    engine = await make_engine(
        lambda r: sse_response(chunk("Hi"), chunk(" there"), chunk(finish="stop"), usage_chunk(21, 57))
    )()
    yield engine
    await engine.close()


async def test_ask_streams_then_settles_the_reported_usage(ok_engine: Engine) -> None:
    rec = Recorder()
    outcome = await ok_engine.ask("r1", "Say hi", rec)
    assert rec.events == [
        ("routed", "gpt-4o-mini"),
        ("delta", "Hi"),
        ("delta", " there"),
        ("settled", 37),
    ]
    assert (outcome.text, outcome.input_tokens, outcome.output_tokens) == ("Hi there", 21, 57)
    assert outcome.cost_micro_usd == 37 and not outcome.usage_estimated
    assert outcome.ttft_ms is not None and outcome.total_ms >= outcome.ttft_ms
    assert await rows(ok_engine) == [("ok", 21, 57, 37, 0, None)]


async def test_an_empty_prompt_is_refused_and_writes_nothing(ok_engine: Engine) -> None:
    with pytest.raises(BadInputError, match="empty"):
        await ok_engine.ask("r1", "  \n", Recorder())
    assert await rows(ok_engine) == []


async def test_missing_usage_is_estimated_from_the_text() -> None:
    engine = await make_engine(lambda r: sse_response(chunk("hello world"), chunk(finish="stop")))()
    outcome = await engine.ask("r", "hi", Recorder())
    assert outcome.usage_estimated and outcome.output_tokens == 2 and outcome.input_tokens == 8
    assert await rows(engine) == [("ok", 8, 2, 2, 1, None)]
    await engine.close()


async def test_a_refused_call_costs_nothing_but_is_recorded() -> None:
    engine = await make_engine(
        lambda r: httpx.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "3"})
    )()
    rec = Recorder()
    with pytest.raises(ProviderError) as info:
        await engine.ask("r", "hi", rec)
    assert info.value.kind == "rate_limited"
    assert rec.events == [("routed", "gpt-4o-mini"), ("settled", 0)]
    assert await rows(engine) == [("error", 0, 0, 0, 0, "rate_limited")]
    await engine.close()


async def test_a_stream_cut_midway_bills_what_was_received() -> None:
    engine = await make_engine(lambda r: sse_response(chunk("hello world"), done=False))()
    with pytest.raises(ProviderError, match="broke off the answer"):
        await engine.ask("r", "hi", Recorder())
    assert await rows(engine) == [("error", 8, 2, 2, 1, "stream_interrupted")]
    await engine.close()


class SlowStream(httpx.AsyncBaseTransport):
    """Sends one chunk, then waits until cancelled."""

    def __init__(self) -> None:
        self.first_sent = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404)  # e.g. local model discovery
        event = self.first_sent

        async def body() -> AsyncIterator[bytes]:
            yield b'data: {"choices": [{"delta": {"content": "hello world"}}]}\n\n'
            event.set()
            await asyncio.sleep(60)
            yield b"data: [DONE]\n\n"

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


async def test_cancel_settles_the_tokens_used_so_far() -> None:
    transport = SlowStream()
    engine = await make_engine(transport)()
    rec = Recorder()
    task = asyncio.create_task(engine.ask("r", "hi", rec))
    await asyncio.wait_for(transport.first_sent.wait(), 5)
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await rows(engine) == [("cancelled", 8, 2, 2, 1, None)]
    assert rec.events[-1] == ("settled", 2)
    await engine.close()


async def test_prewarm_touches_only_providers_the_user_can_use() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(f"{request.method} {request.url.host}")
        return httpx.Response(404)

    engine = await make_engine(handler)()
    assert await engine.prewarm() == 1
    assert hosts == ["HEAD api.openai.com"]
    await engine.close()
