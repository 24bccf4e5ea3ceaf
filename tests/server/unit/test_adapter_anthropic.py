"""The Anthropic Messages adapter over `httpx.MockTransport`: wire format, events, errors."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import AnthropicProvider, ChatRequest, Message, make_provider
from smart_router.providers.base import Done, Start, StreamEvent, TextDelta, Usage
from smart_router.providers.translate import JSON_INSTRUCTION

KEY = "sk-ant-api03-secret-0123456789"
SPEC = ProviderSpec(
    "anthropic", "Anthropic", "http://anthropic.test/v1", "ANTHROPIC_API_KEY", kind="anthropic"
)
MODEL = "claude-sonnet-4-5"
REQUEST = ChatRequest(MODEL, (Message("user", "hi"),), max_output_tokens=50)

Handler = Callable[[httpx.Request], httpx.Response]


def event(data: dict[str, Any]) -> str:
    return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n"


def sse(*events: dict[str, Any] | str) -> httpx.Response:
    body = "".join(e if isinstance(e, str) else event(e) for e in events)
    return httpx.Response(
        200, headers={"content-type": "text/event-stream; charset=utf-8"}, content=body.encode()
    )


def message_start(**usage: int) -> dict[str, Any]:
    return {
        "type": "message_start",
        "message": {
            "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
            "type": "message",
            "role": "assistant",
            "content": [],
            "model": "claude-sonnet-4-5-20250929",
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": 25, "output_tokens": 1, **usage},
        },
    }


BLOCK_START = {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
PING = {"type": "ping"}
BLOCK_STOP = {"type": "content_block_stop", "index": 0}
STOP = {"type": "message_stop"}


def text(t: str) -> dict[str, Any]:
    return {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}}


def message_delta(stop_reason: str = "end_turn", output_tokens: int = 15) -> dict[str, Any]:
    return {
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": output_tokens},
    }


def recorded(*middle: dict[str, Any], stop_reason: str = "end_turn") -> httpx.Response:
    return sse(message_start(), BLOCK_START, PING, *middle, BLOCK_STOP, message_delta(stop_reason), STOP)


async def run(handler: Handler, request: ChatRequest = REQUEST) -> list[StreamEvent]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return [e async for e in AnthropicProvider(SPEC, client, KEY).stream(request)]


async def collect(handler: Handler) -> tuple[list[StreamEvent], ProviderError]:
    got: list[StreamEvent] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ProviderError) as info:
            async for e in AnthropicProvider(SPEC, client, KEY).stream(REQUEST):
                got.append(e)
    assert KEY not in info.value.message
    return got, info.value


async def test_every_parameter_goes_on_the_wire_in_anthropic_terms(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return recorded(text("ok"))

    request = ChatRequest(
        MODEL,
        (
            Message("system", "Be terse."),
            Message("user", "Hi"),
            Message("assistant", "Hello."),
            Message("user", "List three colours"),
        ),
        max_output_tokens=64,
        temperature=1.5,
        top_p=0.9,
        stop=("a", "b", "c", "d", "e"),
        response_format="json",
        seed=7,
    )
    with caplog.at_level(logging.WARNING, logger="smart_router.providers"):
        await run(handler, request)
    sent = seen[0]
    assert sent.url == "http://anthropic.test/v1/messages"
    assert sent.headers["x-api-key"] == KEY and sent.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in sent.headers
    assert json.loads(sent.content) == {
        "model": MODEL,
        "system": f"Be terse.\n\n{JSON_INSTRUCTION}",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "Hello."}]},
            {"role": "user", "content": [{"type": "text", "text": "List three colours"}]},
        ],
        "stream": True,
        "max_tokens": 64,
        "temperature": 1.0,
        "stop_sequences": ["a", "b", "c", "d", "e"],
    }
    logged = caplog.text
    assert "top_p dropped" in logged and "seed dropped" in logged and "no JSON mode" in logged
    assert "temperature 1.5 clamped to 1" in logged


async def test_consecutive_turns_of_one_role_are_merged() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return recorded(text("ok"))

    request = ChatRequest(MODEL, (Message("user", "one"), Message("user", "two")), max_output_tokens=5)
    await run(handler, request)
    assert json.loads(seen[0].content)["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "one\n\ntwo"}]}
    ]


async def test_a_recorded_stream_gives_start_deltas_usage_and_done() -> None:
    events = await run(lambda r: recorded(text("Hello"), text("!")))
    assert events == [
        Start("claude-sonnet-4-5-20250929", "msg_01XFDUDYJgAACzvnptvVoYEL"),
        TextDelta("Hello"),
        TextDelta("!"),
        Usage(25, 15),
        Done("stop"),
    ]


async def test_cache_reads_and_writes_count_as_input_and_reads_as_cached() -> None:
    start = message_start(cache_read_input_tokens=100, cache_creation_input_tokens=10)
    events = await run(lambda r: sse(start, text("a"), message_delta(), STOP))
    assert Usage(135, 15, 100) in events


async def test_thinking_and_signature_deltas_are_not_text() -> None:
    thinking = {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "thinking_delta", "thinking": "hm"},
    }
    signature = {
        "type": "content_block_delta",
        "index": 0,
        "delta": {"type": "signature_delta", "signature": "x"},
    }
    events = await run(lambda r: recorded(thinking, signature, text("a")))
    assert [e for e in events if isinstance(e, TextDelta)] == [TextDelta("a")]


async def test_max_tokens_is_a_length_finish() -> None:
    events = await run(lambda r: recorded(text("a"), stop_reason="max_tokens"))
    assert events[-1] == Done("length")


async def test_a_refusal_is_content_filtered_after_the_usage() -> None:
    got, err = await collect(lambda r: recorded(text("I can"), stop_reason="refusal"))
    assert got[-1] == Usage(25, 15)
    assert err.kind == "content_filtered" and not err.retryable


async def test_an_overloaded_error_event_midstream_is_retryable() -> None:
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    got, err = await collect(lambda r: sse(message_start(), BLOCK_START, text("par"), error))
    assert got == [Start("claude-sonnet-4-5-20250929", "msg_01XFDUDYJgAACzvnptvVoYEL"), TextDelta("par")]
    assert (err.kind, err.retryable) == ("overloaded", True)


async def test_a_stream_cut_before_message_stop_is_interrupted() -> None:
    _, err = await collect(lambda r: sse(message_start(), BLOCK_START, text("par")))
    assert err.kind == "stream_interrupted" and err.retryable


async def test_a_malformed_event_is_reported() -> None:
    _, err = await collect(
        lambda r: sse(message_start(), 'event: content_block_delta\ndata: {"type": "content_bl\n\n')
    )
    assert err.kind == "malformed_response"


async def test_an_event_missing_its_fields_is_malformed() -> None:
    _, err = await collect(lambda r: sse(message_start(), {"type": "content_block_delta", "index": 0}))
    assert err.kind == "malformed_response"


async def test_a_json_answer_instead_of_a_stream_is_malformed() -> None:
    _, err = await collect(lambda r: httpx.Response(200, json={"type": "message", "content": []}))
    assert err.kind == "malformed_response"


def error_response(status: int, error_type: str, message: str, **headers: str) -> httpx.Response:
    body = {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy",
    }
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "error_type", "message", "kind", "retryable"),
    [
        (
            400,
            "invalid_request_error",
            "prompt is too long: 208310 tokens > 200000 maximum",
            "context_too_long",
            False,
        ),
        (400, "invalid_request_error", "max_tokens: Field required", "provider_error", False),
        (
            400,
            "invalid_request_error",
            "Output blocked by content filtering policy",
            "content_filtered",
            False,
        ),
        (401, "authentication_error", f"invalid x-api-key {KEY}", "auth", False),
        (
            403,
            "permission_error",
            "Your API key does not have permission to use the specified resource.",
            "permission",
            False,
        ),
        (404, "not_found_error", f"model: {MODEL}", "model_not_found", False),
        (
            413,
            "request_too_large",
            "Request exceeds the maximum allowed number of bytes.",
            "context_too_long",
            False,
        ),
        (500, "api_error", "Internal server error", "provider_unavailable", True),
        (529, "overloaded_error", "Overloaded", "overloaded", True),
    ],
)
async def test_status_errors_map_to_kinds(
    status: int, error_type: str, message: str, kind: str, retryable: bool
) -> None:
    _, err = await collect(lambda r: error_response(status, error_type, message))
    assert (err.kind, err.retryable, err.status) == (kind, retryable, status)


async def test_a_rate_limit_carries_retry_after() -> None:
    message = (
        "This request would exceed the rate limit for your organization of 40,000 input tokens per minute."
    )
    _, err = await collect(
        lambda r: error_response(429, "rate_limit_error", message, **{"retry-after": "12"})
    )
    assert (err.kind, err.retryable, err.retry_after_s) == ("rate_limited", True, 12.0)


async def test_connection_refused_is_a_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    _, err = await collect(handler)
    assert err.kind == "connection" and "smartRouter.providers.anthropic.baseUrl" in err.message


async def test_make_provider_builds_the_anthropic_adapter() -> None:
    async with httpx.AsyncClient() as client:
        assert isinstance(make_provider(SPEC, client, KEY), AnthropicProvider)
