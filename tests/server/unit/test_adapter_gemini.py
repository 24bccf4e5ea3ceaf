"""The Gemini adapter over `httpx.MockTransport`: wire format, events, blocks, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import ChatRequest, GeminiProvider, Message, make_provider
from smart_router.providers.base import Done, Start, StreamEvent, TextDelta, Usage

KEY = "AIzaSyD-secret-0123456789abcdefghijk"
SPEC = ProviderSpec("gemini", "Google Gemini", "http://gemini.test/v1beta", "GEMINI_API_KEY", kind="gemini")
MODEL = "gemini-2.5-flash"
REQUEST = ChatRequest(MODEL, (Message("user", "hi"),), max_output_tokens=50)

Handler = Callable[[httpx.Request], httpx.Response]


def sse(*chunks: dict[str, Any] | str) -> httpx.Response:
    body = "".join(f"data: {c if isinstance(c, str) else json.dumps(c)}\r\n\r\n" for c in chunks)
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body.encode())


def chunk(text: str | None, finish: str | None = None, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "content": {"parts": [{"text": text}] if text else [], "role": "model"},
        "index": 0,
    }
    if finish:
        candidate["finishReason"] = finish
    out: dict[str, Any] = {
        "candidates": [candidate],
        "modelVersion": "gemini-2.5-flash",
        "responseId": "resp-1",
    }
    if usage is not None:
        out["usageMetadata"] = usage
    return out


USAGE = {"promptTokenCount": 8, "candidatesTokenCount": 3, "totalTokenCount": 11}


async def run(handler: Handler, request: ChatRequest = REQUEST) -> list[StreamEvent]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return [e async for e in GeminiProvider(SPEC, client, KEY).stream(request)]


async def collect(handler: Handler) -> tuple[list[StreamEvent], ProviderError]:
    got: list[StreamEvent] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ProviderError) as info:
            async for e in GeminiProvider(SPEC, client, KEY).stream(REQUEST):
                got.append(e)
    assert KEY not in info.value.message
    return got, info.value


async def test_every_parameter_goes_on_the_wire_in_gemini_terms() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse(chunk("{}", "STOP", USAGE))

    request = ChatRequest(
        MODEL,
        (
            Message("system", "Be terse."),
            Message("user", "Give me JSON."),
            Message("assistant", "{}"),
            Message("user", "Again."),
        ),
        max_output_tokens=64,
        temperature=2.5,
        top_p=0.9,
        stop=("a", "b", "c", "d", "e", "f"),
        response_format="json",
        seed=7,
    )
    await run(handler, request)
    sent = seen[0]
    assert str(sent.url) == "http://gemini.test/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    assert sent.headers["x-goog-api-key"] == KEY and KEY not in str(sent.url)
    assert json.loads(sent.content) == {
        "systemInstruction": {"parts": [{"text": "Be terse."}]},
        "contents": [
            {"role": "user", "parts": [{"text": "Give me JSON."}]},
            {"role": "model", "parts": [{"text": "{}"}]},
            {"role": "user", "parts": [{"text": "Again."}]},
        ],
        "generationConfig": {
            "maxOutputTokens": 64,
            "temperature": 2.0,
            "topP": 0.9,
            "stopSequences": ["a", "b", "c", "d", "e"],
            "seed": 7,
            "responseMimeType": "application/json",
        },
    }


async def test_gemma_gets_the_system_prompt_in_its_first_user_turn() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse(chunk("ok", "STOP"))

    request = ChatRequest(
        "gemma-3-27b-it", (Message("system", "Be terse."), Message("user", "Hi")), max_output_tokens=5
    )
    await run(handler, request)
    body = json.loads(seen[0].content)
    assert "systemInstruction" not in body
    assert body["contents"] == [{"role": "user", "parts": [{"text": "Be terse.\n\nHi"}]}]


async def test_a_recorded_stream_gives_start_deltas_the_last_usage_and_done() -> None:
    first = chunk("Hello", usage={"promptTokenCount": 8, "totalTokenCount": 8})
    events = await run(lambda r: sse(first, chunk(" there"), chunk(".", "STOP", USAGE)))
    assert events == [
        Start("gemini-2.5-flash", "resp-1"),
        TextDelta("Hello"),
        TextDelta(" there"),
        TextDelta("."),
        Usage(8, 3),
        Done("stop"),
    ]


async def test_cached_and_thinking_tokens_are_counted() -> None:
    usage = {**USAGE, "cachedContentTokenCount": 5, "thoughtsTokenCount": 20}
    thought = {"candidates": [{"content": {"parts": [{"text": "plan", "thought": True}], "role": "model"}}]}
    events = await run(lambda r: sse(thought, chunk("a", "STOP", usage)))
    assert Usage(8, 23, 5) in events
    assert [e for e in events if isinstance(e, TextDelta)] == [TextDelta("a")]


async def test_max_tokens_is_a_length_finish() -> None:
    events = await run(lambda r: sse(chunk("a", "MAX_TOKENS", USAGE)))
    assert events[-1] == Done("length")


async def test_a_blocked_prompt_is_content_filtered_before_any_output() -> None:
    blocked = {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []}, "usageMetadata": USAGE}
    got, err = await collect(lambda r: sse(blocked))
    assert got == [] and err.kind == "content_filtered" and "SAFETY" in err.message


@pytest.mark.parametrize("reason", ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT"])
async def test_a_filtered_finish_midstream_is_content_filtered_after_the_usage(reason: str) -> None:
    got, err = await collect(lambda r: sse(chunk("Once"), chunk(None, reason, USAGE)))
    assert TextDelta("Once") in got and got[-1] == Usage(8, 3)
    assert err.kind == "content_filtered" and not err.retryable


async def test_an_error_event_midstream_is_raised() -> None:
    error = {
        "error": {
            "code": 503,
            "message": "The model is overloaded. Please try again later.",
            "status": "UNAVAILABLE",
        }
    }
    got, err = await collect(lambda r: sse(chunk("a"), error))
    assert TextDelta("a") in got and (err.kind, err.retryable) == ("overloaded", True)


async def test_a_stream_cut_before_the_finish_reason_is_interrupted() -> None:
    _, err = await collect(lambda r: sse(chunk("a"), chunk("b")))
    assert err.kind == "stream_interrupted" and err.retryable


async def test_a_malformed_chunk_is_reported() -> None:
    _, err = await collect(lambda r: sse(chunk("a"), '{"candidates": [{"content": '))
    assert err.kind == "malformed_response"


async def test_a_chunk_of_the_wrong_shape_is_malformed() -> None:
    _, err = await collect(lambda r: sse({"candidates": [{"content": {"parts": "text"}}]}))
    assert err.kind == "malformed_response"


def google_error(code: int, status: str, message: str, *details: dict[str, Any]) -> httpx.Response:
    return httpx.Response(
        code, json={"error": {"code": code, "message": message, "status": status, "details": list(details)}}
    )


BAD_KEY = {
    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
    "reason": "API_KEY_INVALID",
    "domain": "googleapis.com",
    "metadata": {"service": "generativelanguage.googleapis.com"},
}


@pytest.mark.parametrize(
    ("response", "kind", "retryable"),
    [
        (
            google_error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", BAD_KEY),
            "auth",
            False,
        ),
        (google_error(403, "PERMISSION_DENIED", "Your API key was reported as leaked."), "permission", False),
        (
            google_error(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta"),
            "model_not_found",
            False,
        ),
        (
            google_error(
                400,
                "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
            ),
            "context_too_long",
            False,
        ),
        (
            google_error(400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature'"),
            "provider_error",
            False,
        ),
        (google_error(500, "INTERNAL", "An internal error has occurred."), "provider_unavailable", True),
        (
            google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
            "overloaded",
            True,
        ),
        (
            google_error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
            "timeout",
            True,
        ),
    ],
)
async def test_status_errors_map_to_kinds(response: httpx.Response, kind: str, retryable: bool) -> None:
    _, err = await collect(lambda r: response)
    assert (err.kind, err.retryable, err.status) == (kind, retryable, response.status_code)


async def test_resource_exhausted_is_a_rate_limit_with_the_retry_delay() -> None:
    retry = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}
    quota = {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        "violations": [{"quotaMetric": "input_token_count"}],
    }
    message = (
        "You exceeded your current quota. Quota exceeded for metric: "
        "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count"
    )
    _, err = await collect(lambda r: google_error(429, "RESOURCE_EXHAUSTED", message, quota, retry))
    assert (err.kind, err.retryable, err.retry_after_s) == ("rate_limited", True, 37.0)


async def test_a_read_timeout_is_retryable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    _, err = await collect(handler)
    assert err.kind == "timeout" and err.retryable


async def test_make_provider_builds_the_gemini_adapter() -> None:
    async with httpx.AsyncClient() as client:
        assert isinstance(make_provider(SPEC, client, KEY), GeminiProvider)
