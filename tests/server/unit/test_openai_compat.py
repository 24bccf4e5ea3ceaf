"""The OpenAI-compatible adapter over `httpx.MockTransport`: wire format, events, errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import ChatRequest, Message, OpenAICompatProvider, TextDelta, Usage
from smart_router.providers.base import Done, StreamEvent
from smart_router.providers.errors import redact
from support.openai_sse import chunk, sse_response, usage_chunk

KEY = "sk-test-secret-0123456789"
SPEC = ProviderSpec("openai", "OpenAI", "http://provider.test/v1", "OPENAI_API_KEY")
REQUEST = ChatRequest("gpt-4o-mini", (Message("user", "hi"),), max_output_tokens=50)


async def run(handler: Callable[[httpx.Request], httpx.Response]) -> list[StreamEvent]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        provider = OpenAICompatProvider(SPEC, client, KEY)
        return [e async for e in provider.stream(REQUEST)]


async def fails(handler: Callable[[httpx.Request], httpx.Response]) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        await run(handler)
    assert KEY not in info.value.message
    return info.value


async def test_streams_deltas_usage_and_sends_the_openai_request() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse_response(chunk(""), chunk("Hel"), chunk("lo"), chunk(finish="stop"), usage_chunk(9, 2))

    events = await run(handler)
    assert events == [TextDelta("Hel"), TextDelta("lo"), Done("stop"), Usage(9, 2)]
    request = seen[0]
    assert request.url == "http://provider.test/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = json.loads(request.content)
    assert body == {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": 50,
    }


async def test_a_local_provider_sends_no_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse_response(chunk("ok"))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        local = ProviderSpec("ollama", "Ollama", "http://127.0.0.1:11434/v1", None, local=True)
        events = [e async for e in OpenAICompatProvider(local, client, None).stream(REQUEST)]
    assert events == [TextDelta("ok")]
    assert "authorization" not in seen[0].headers


def error_response(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "code": code}}
    return httpx.Response(status, json=body, headers=headers)


async def test_401_says_how_to_set_a_key_and_never_echoes_it() -> None:
    err = await fails(lambda r: error_response(401, "invalid_api_key", f"Incorrect API key provided: {KEY}."))
    assert err.kind == "auth" and not err.retryable
    assert "Set API Key" in err.message and "OPENAI_API_KEY" in err.message


async def test_429_is_retryable_and_carries_retry_after() -> None:
    err = await fails(
        lambda r: error_response(429, "rate_limit_exceeded", "Rate limit reached", **{"retry-after": "7"})
    )
    assert (err.kind, err.retryable, err.retry_after_s) == ("rate_limited", True, 7.0)
    assert "Retry in 7 s" in err.message


@pytest.mark.parametrize(
    ("status", "code", "kind", "retryable"),
    [
        (500, "server_error", "provider_unavailable", True),
        (503, "server_error", "overloaded", True),
        (529, "overloaded_error", "overloaded", True),
        (400, "content_filter", "content_filtered", False),
        (403, "permission_denied", "permission", False),
        (404, "model_not_found", "model_not_found", False),
        (400, "context_length_exceeded", "context_too_long", False),
        (400, "invalid_value", "provider_error", False),
    ],
)
async def test_status_errors_map_to_kinds(status: int, code: str, kind: str, retryable: bool) -> None:
    err = await fails(lambda r: error_response(status, code, f"detail with key {KEY}"))
    assert (err.kind, err.retryable, err.status) == (kind, retryable, status)


async def test_a_stream_without_done_is_interrupted() -> None:
    err = await fails(lambda r: sse_response(chunk("partial"), done=False))
    assert err.kind == "stream_interrupted" and err.retryable


async def test_a_malformed_chunk_is_reported() -> None:
    err = await fails(lambda r: sse_response(chunk("a"), '{"choices": [{"delta": {"content": '))
    assert err.kind == "malformed_response"


async def test_a_non_stream_answer_is_malformed() -> None:
    err = await fails(lambda r: httpx.Response(200, json={"choices": []}))
    assert err.kind == "malformed_response"


async def test_connection_refused_names_the_base_url_setting() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    err = await fails(handler)
    assert err.kind == "connection" and "smartRouter.providers.openai.baseUrl" in err.message


async def test_a_read_timeout_is_retryable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    err = await fails(handler)
    assert err.kind == "timeout" and err.retryable


def test_redact_removes_the_key_and_key_shaped_strings() -> None:
    assert redact(f"bad key {KEY}", KEY) == "bad key ***"
    assert "sk-proj" not in redact("Incorrect API key provided: sk-proj-abcd****wxyz.", None)
