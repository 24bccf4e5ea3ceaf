"""The Azure OpenAI variant of the Chat Completions adapter: URL, key header, content filter, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import AzureOpenAIProvider, ChatRequest, Message, make_provider
from smart_router.providers.base import Done, Start, StreamEvent, TextDelta, Usage

KEY = "0123456789abcdef0123456789abcdef"
SPEC = ProviderSpec(
    "azure", "Azure OpenAI", "https://contoso.openai.azure.com", "AZURE_OPENAI_API_KEY", kind="azure"
)
REQUEST = ChatRequest(
    "my-gpt4o",
    (
        Message("system", "Be terse."),
        Message("user", "Hi"),
        Message("assistant", "Hello."),
        Message("user", "Bye"),
    ),
    max_output_tokens=32,
    temperature=0.3,
    stop=("END",),
    seed=1,
)

Handler = Callable[[httpx.Request], httpx.Response]


def sse(*chunks: dict[str, Any], done: bool = True) -> httpx.Response:
    text = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + ("data: [DONE]\n\n" if done else "")
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=text.encode())


PROMPT_FILTER = {
    "choices": [],
    "created": 0,
    "id": "",
    "model": "",
    "object": "",
    "prompt_filter_results": [
        {"prompt_index": 0, "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}}}
    ],
}


def delta(text: str | None = None, finish: str | None = None) -> dict[str, Any]:
    return {
        "choices": [
            {
                "content_filter_results": {},
                "delta": {} if text is None else {"content": text},
                "finish_reason": finish,
                "index": 0,
                "logprobs": None,
            }
        ],
        "created": 1727000000,
        "id": "chatcmpl-A1",
        "model": "gpt-4o-2024-08-06",
        "object": "chat.completion.chunk",
    }


USAGE = {
    "choices": [],
    "id": "chatcmpl-A1",
    "model": "gpt-4o-2024-08-06",
    "usage": {
        "prompt_tokens": 20,
        "completion_tokens": 3,
        "total_tokens": 23,
        "prompt_tokens_details": {"cached_tokens": 0},
    },
}


async def run(handler: Handler, spec: ProviderSpec = SPEC) -> list[StreamEvent]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return [e async for e in make_provider(spec, client, KEY).stream(REQUEST)]


async def fails(handler: Handler) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        await run(handler)
    assert KEY not in info.value.message
    return info.value


async def test_the_request_goes_to_the_deployment_with_the_api_key_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse(PROMPT_FILTER, delta(""), delta("Bye"), delta("."), delta(finish="stop"), USAGE)

    events = await run(handler)
    assert events == [
        Start("gpt-4o-2024-08-06", "chatcmpl-A1"),
        TextDelta("Bye"),
        TextDelta("."),
        Usage(20, 3, 0),
        Done("stop"),
    ]
    request = seen[0]
    assert str(request.url) == (
        "https://contoso.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
    )
    assert request.headers["api-key"] == KEY and "authorization" not in request.headers
    assert json.loads(request.content) == {
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello."},
            {"role": "user", "content": "Bye"},
        ],
        "stream": True,
        "stream_options": {"include_usage": True},
        "max_tokens": 32,
        "temperature": 0.3,
        "stop": ["END"],
        "seed": 1,
    }


async def test_the_catalog_api_version_overrides_the_default() -> None:
    spec = ProviderSpec(
        "azure",
        "Azure",
        "https://contoso.openai.azure.com/openai/",
        None,
        kind="azure",
        api_version="2025-01-01-preview",
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse(delta("a", finish="stop"))

    await run(handler, spec)
    assert seen[0].url.path == "/openai/deployments/my-gpt4o/chat/completions"
    assert seen[0].url.params["api-version"] == "2025-01-01-preview"


async def test_make_provider_builds_the_azure_adapter() -> None:
    async with httpx.AsyncClient() as client:
        assert isinstance(make_provider(SPEC, client, KEY), AzureOpenAIProvider)


async def test_a_filtered_prompt_is_content_filtered() -> None:
    body = {
        "error": {
            "message": "The response was filtered due to the prompt triggering Azure OpenAI's content "
            "management policy. Please modify your prompt and retry.",
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {
                "code": "ResponsibleAIPolicyViolation",
                "content_filter_result": {"violence": {"filtered": True, "severity": "medium"}},
            },
        }
    }
    err = await fails(lambda r: httpx.Response(400, json=body))
    assert (err.kind, err.retryable, err.status) == ("content_filtered", False, 400)


async def test_an_answer_stopped_by_the_filter_midstream_is_content_filtered() -> None:
    got: list[StreamEvent] = []

    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: sse(delta("Once"), delta(finish="content_filter"), USAGE))
    ) as client:
        with pytest.raises(ProviderError) as info:
            async for event in make_provider(SPEC, client, KEY).stream(REQUEST):
                got.append(event)
    assert TextDelta("Once") in got and got[-1] == Usage(20, 3, 0)
    assert info.value.kind == "content_filtered"


@pytest.mark.parametrize(
    ("status", "body", "headers", "kind", "retry_after"),
    [
        (
            401,
            {
                "error": {
                    "code": "401",
                    "message": "Access denied due to invalid subscription key or wrong API endpoint.",
                }
            },
            {},
            "auth",
            None,
        ),
        (
            404,
            {
                "error": {
                    "code": "DeploymentNotFound",
                    "message": "The API deployment for this resource does not exist.",
                }
            },
            {},
            "model_not_found",
            None,
        ),
        (
            429,
            {
                "error": {
                    "code": "429",
                    "message": "Requests to the ChatCompletions_Create Operation have exceeded token "
                    "rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds.",
                }
            },
            {"retry-after": "6", "retry-after-ms": "6000"},
            "rate_limited",
            6.0,
        ),
        (
            400,
            {
                "error": {
                    "message": "This model's maximum context length is 128000 tokens.",
                    "type": "invalid_request_error",
                    "code": "context_length_exceeded",
                }
            },
            {},
            "context_too_long",
            None,
        ),
        (
            500,
            {"error": {"code": "InternalServerError", "message": "Backend returned unexpected response."}},
            {},
            "provider_unavailable",
            None,
        ),
    ],
)
async def test_azure_errors_map_to_kinds(
    status: int, body: dict[str, Any], headers: dict[str, str], kind: str, retry_after: float | None
) -> None:
    err = await fails(lambda r: httpx.Response(status, json=body, headers=headers))
    assert (err.kind, err.status, err.retry_after_s) == (kind, status, retry_after)
