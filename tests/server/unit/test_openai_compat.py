"""The OpenAI-compatible adapter over `httpx.MockTransport`: wire format, events, errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import ChatRequest, Message, OpenAICompatProvider, TextDelta, Usage
from smart_router.providers.base import Done, Start, StreamEvent
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
    assert events == [
        Start("gpt-4o-mini", "chatcmpl-1"),
        TextDelta("Hel"),
        TextDelta("lo"),
        Usage(9, 2),
        Done("stop"),
    ]
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
    assert events == [Start("gpt-4o-mini", "chatcmpl-1"), TextDelta("ok"), Done(None)]
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
        (400, "invalid_prompt", "content_filtered", False),
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


# -- translation on the wire, usage details, mid-stream failures -----------------------------------

FULL = ChatRequest(
    "gpt-4o-mini",
    (
        Message("system", "Be terse."),
        Message("user", "Give me JSON."),
        Message("assistant", "{}"),
        Message("user", "Again."),
    ),
    max_output_tokens=64,
    temperature=2.5,
    top_p=0.9,
    stop=("a", "b", "c", "d", "e"),
    response_format="json",
    seed=7,
)


async def sent_body(request: ChatRequest, spec: ProviderSpec = SPEC) -> dict[str, object]:
    seen: list[httpx.Request] = []

    def handler(r: httpx.Request) -> httpx.Response:
        seen.append(r)
        return sse_response(chunk("x", finish="stop"))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        [e async for e in OpenAICompatProvider(spec, client, KEY).stream(request)]
    body: dict[str, object] = json.loads(seen[0].content)
    return body


async def test_every_parameter_goes_on_the_wire_in_openai_terms() -> None:
    body = await sent_body(FULL)
    assert body == {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Give me JSON."},
            {"role": "assistant", "content": "{}"},
            {"role": "user", "content": "Again."},
        ],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": 64,
        "temperature": 2.0,
        "top_p": 0.9,
        "stop": ["a", "b", "c", "d"],
        "seed": 7,
        "response_format": {"type": "json_object"},
    }


async def test_a_reasoning_model_gets_max_completion_tokens_and_no_sampling_parameters() -> None:
    body = await sent_body(replace(FULL, model="o3-mini"))
    assert body["max_completion_tokens"] == 64
    assert not {"max_tokens", "temperature", "top_p", "stop"} & body.keys()
    assert body["seed"] == 7 and body["response_format"] == {"type": "json_object"}


async def test_cached_prompt_tokens_are_reported() -> None:
    usage = usage_chunk(100, 5)
    usage["usage"]["prompt_tokens_details"] = {"cached_tokens": 64}
    events = await run(lambda r: sse_response(chunk("a", finish="stop"), usage))
    assert Usage(100, 5, 64) in events


async def test_deepseek_cache_hits_count_as_cached_tokens() -> None:
    usage = usage_chunk(100, 5)
    usage["usage"].update(prompt_cache_hit_tokens=80, prompt_cache_miss_tokens=20)
    events = await run(lambda r: sse_response(chunk("a", finish="stop"), usage))
    assert Usage(100, 5, 80) in events


async def test_an_error_chunk_midstream_is_raised_after_the_text() -> None:
    got: list[StreamEvent] = []
    error = {"error": {"message": "The server had an error", "type": "server_error", "code": None}}

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: sse_response(chunk("par"), error))
    ) as client:
        with pytest.raises(ProviderError) as info:
            async for event in OpenAICompatProvider(SPEC, client, KEY).stream(REQUEST):
                got.append(event)
    assert got == [Start("gpt-4o-mini", "chatcmpl-1"), TextDelta("par")]
    assert (info.value.kind, info.value.retryable) == ("provider_unavailable", True)


async def test_an_openrouter_error_chunk_with_a_numeric_code_keeps_its_meaning() -> None:
    error = {"error": {"code": 429, "message": "Rate limit exceeded: too many tokens"}}
    err = await fails(lambda r: sse_response(chunk("a"), error, done=False))
    assert err.kind == "rate_limited" and err.retryable


async def test_a_content_filter_finish_is_an_error_after_the_usage() -> None:
    got: list[StreamEvent] = []

    def handler(r: httpx.Request) -> httpx.Response:
        return sse_response(chunk("a"), chunk(finish="content_filter"), usage_chunk(9, 1))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ProviderError) as info:
            async for event in OpenAICompatProvider(SPEC, client, KEY).stream(REQUEST):
                got.append(event)
    assert got[-1] == Usage(9, 1)
    assert info.value.kind == "content_filtered" and not info.value.retryable


async def test_a_finished_stream_without_done_marker_is_complete() -> None:
    events = await run(lambda r: sse_response(chunk("a"), chunk(finish="length"), done=False))
    assert events[-1] == Done("length")


async def test_a_429_that_speaks_of_tokens_exceeded_is_still_a_rate_limit() -> None:
    message = "This request would exceed the rate limit of 40,000 input tokens per minute"
    err = await fails(
        lambda r: error_response(429, "rate_limit_exceeded", message, **{"retry-after-ms": "1500"})
    )
    assert (err.kind, err.retry_after_s) == ("rate_limited", 1.5)


async def test_a_json_error_body_with_status_200_is_mapped() -> None:
    body = {"error": {"message": "No endpoints found for this model", "code": 404}}
    err = await fails(lambda r: httpx.Response(200, json=body))
    assert err.kind == "model_not_found"


async def test_a_connect_timeout_is_a_connection_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    err = await fails(handler)
    assert err.kind == "connection" and err.retryable


async def test_a_connection_cut_midstream_is_interrupted() -> None:
    class Cut(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b'data: {"choices": [{"delta": {"content": "a"}}]}\n\n'
            raise httpx.RemoteProtocolError("peer closed connection")

    err = await fails(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Cut())
    )
    assert err.kind == "stream_interrupted" and err.retryable
