"""The native Ollama adapter and local model discovery over `httpx.MockTransport`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers import (
    ChatRequest,
    LocalModel,
    Message,
    OllamaProvider,
    list_local_models,
    make_provider,
)
from smart_router.providers.base import Done, Start, StreamEvent, TextDelta, Usage

SPEC = ProviderSpec("ollama", "Ollama", "http://127.0.0.1:11434", None, local=True, kind="ollama")
MODEL = "llama3.2"
REQUEST = ChatRequest(MODEL, (Message("user", "hi"),), max_output_tokens=50)

Handler = Callable[[httpx.Request], httpx.Response]


def ndjson(*lines: dict[str, Any] | str, status: int = 200) -> httpx.Response:
    body = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    return httpx.Response(status, headers={"content-type": "application/x-ndjson"}, content=body.encode())


def part(text: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "created_at": "2024-08-04T08:52:19.385406455-07:00",
        "message": {"role": "assistant", "content": text},
        "done": False,
    }


DONE = {
    "model": MODEL,
    "created_at": "2024-08-04T19:22:45.499127Z",
    "message": {"role": "assistant", "content": ""},
    "done": True,
    "done_reason": "stop",
    "total_duration": 4883583458,
    "load_duration": 1334875,
    "prompt_eval_count": 26,
    "prompt_eval_duration": 342546000,
    "eval_count": 282,
    "eval_duration": 4535599000,
}


async def run(
    handler: Handler, request: ChatRequest = REQUEST, spec: ProviderSpec = SPEC
) -> list[StreamEvent]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return [e async for e in OllamaProvider(spec, client, None).stream(request)]


async def collect(handler: Handler) -> tuple[list[StreamEvent], ProviderError]:
    got: list[StreamEvent] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ProviderError) as info:
            async for e in OllamaProvider(SPEC, client, None).stream(REQUEST):
                got.append(e)
    return got, info.value


async def test_every_parameter_goes_on_the_wire_in_ollama_terms() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ndjson(part("{}"), DONE)

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
        stop=("a", "b", "c", "d", "e"),
        response_format="json",
        seed=7,
    )
    await run(handler, request)
    sent = seen[0]
    assert sent.url == "http://127.0.0.1:11434/api/chat" and "authorization" not in sent.headers
    assert json.loads(sent.content) == {
        "model": MODEL,
        "messages": [
            {"role": "system", "content": "Be terse."},
            {"role": "user", "content": "Give me JSON."},
            {"role": "assistant", "content": "{}"},
            {"role": "user", "content": "Again."},
        ],
        "stream": True,
        "options": {
            "num_predict": 64,
            "temperature": 2.0,
            "top_p": 0.9,
            "stop": ["a", "b", "c", "d", "e"],
            "seed": 7,
        },
        "format": "json",
    }


async def test_the_openai_compatible_base_url_is_tolerated_and_gemma_gets_no_system_role() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ndjson(DONE)

    spec = ProviderSpec("ollama", "Ollama", "http://127.0.0.1:11434/v1", None, local=True, kind="ollama")
    request = ChatRequest(
        "gemma3:4b", (Message("system", "Be terse."), Message("user", "Hi")), max_output_tokens=5
    )
    await run(handler, request, spec)
    assert seen[0].url == "http://127.0.0.1:11434/api/chat"
    assert json.loads(seen[0].content)["messages"] == [{"role": "user", "content": "Be terse.\n\nHi"}]


async def test_a_recorded_stream_gives_start_deltas_usage_and_done() -> None:
    events = await run(lambda r: ndjson(part("The"), part(" sky"), DONE))
    assert events == [Start(MODEL), TextDelta("The"), TextDelta(" sky"), Usage(26, 282), Done("stop")]


async def test_a_length_finish_is_reported() -> None:
    events = await run(lambda r: ndjson(part("a"), {**DONE, "done_reason": "length"}))
    assert events[-1] == Done("length")


async def test_a_missing_model_says_how_to_pull_it() -> None:
    _, err = await collect(
        lambda r: httpx.Response(404, json={"error": f'model "{MODEL}" not found, try pulling it first'})
    )
    assert (err.kind, err.status) == ("model_not_found", 404)
    assert f"ollama pull {MODEL}" in err.message


@pytest.mark.parametrize(
    ("status", "message", "kind", "retryable"),
    [
        (500, "llama runner process has terminated: exit status 2", "provider_unavailable", True),
        (503, "server busy, please try again.  maximum pending requests exceeded", "overloaded", True),
        (400, "the input length exceeds the context length", "context_too_long", False),
        (
            400,
            "registry.ollama.ai/library/nomic-embed-text:latest does not support chat",
            "provider_error",
            False,
        ),
    ],
)
async def test_status_errors_map_to_kinds(status: int, message: str, kind: str, retryable: bool) -> None:
    _, err = await collect(lambda r: httpx.Response(status, json={"error": message}))
    assert (err.kind, err.retryable, err.status) == (kind, retryable, status)


async def test_an_error_line_midstream_is_raised() -> None:
    got, err = await collect(
        lambda r: ndjson(part("par"), {"error": "an error was encountered while running the model"})
    )
    assert got == [Start(MODEL), TextDelta("par")]
    assert err.kind == "provider_unavailable" and err.retryable


async def test_a_stream_cut_before_done_is_interrupted() -> None:
    _, err = await collect(lambda r: ndjson(part("a")))
    assert err.kind == "stream_interrupted" and err.retryable


async def test_a_malformed_line_is_reported() -> None:
    _, err = await collect(lambda r: ndjson(part("a"), '{"message": {"content": '))
    assert err.kind == "malformed_response"


async def test_ollama_not_running_is_a_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    _, err = await collect(handler)
    assert err.kind == "connection" and "http://127.0.0.1:11434" in err.message


TAGS = {
    "models": [
        {
            "name": "codellama:13b",
            "modified_at": "2023-11-04T14:56:49.277302595-07:00",
            "size": 7365960935,
            "digest": "9f438cb9cd581fc025612d27f7c1a6669ff83a8bb0ed86c94fcf4c5440555697",
            "details": {
                "format": "gguf",
                "family": "llama",
                "families": None,
                "parameter_size": "13B",
                "quantization_level": "Q4_0",
            },
        },
        {"name": "mystery:latest", "size": 1},
    ]
}


async def test_local_models_are_listed_from_the_tags_endpoint_with_a_short_timeout() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=TAGS)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        models = await list_local_models(client, SPEC)
    assert models == [
        LocalModel("codellama:13b", "llama", "13B", "Q4_0", 7365960935),
        LocalModel("mystery:latest", None, None, None, 1),
    ]
    assert seen[0].method == "GET" and seen[0].url == "http://127.0.0.1:11434/api/tags"
    assert seen[0].extensions["timeout"]["connect"] == 1.0


async def test_listing_local_models_when_ollama_is_not_running_is_a_connection_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(ProviderError) as info:
            await list_local_models(client, SPEC)
    assert info.value.kind == "connection" and info.value.provider == "ollama"


async def test_a_tags_answer_of_the_wrong_shape_is_malformed() -> None:
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"x": 1}))
    ) as client:
        with pytest.raises(ProviderError) as info:
            await list_local_models(client, SPEC)
    assert info.value.kind == "malformed_response"


async def test_make_provider_builds_the_ollama_adapter() -> None:
    async with httpx.AsyncClient() as client:
        assert isinstance(make_provider(SPEC, client, None), OllamaProvider)


async def test_a_connection_cut_midstream_is_interrupted() -> None:
    class Cut(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield (json.dumps(part("a")) + "\n").encode()
            raise httpx.ReadError("connection reset by peer")

    got, err = await collect(lambda r: httpx.Response(200, stream=Cut()))
    assert got == [Start(MODEL), TextDelta("a")]
    assert err.kind == "stream_interrupted" and err.retryable
