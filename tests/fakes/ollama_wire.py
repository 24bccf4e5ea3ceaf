"""Ollama's native API: ``POST /api/chat``, ``GET /api/tags``, ``GET /api/version``, ``GET /``.

An adapter's base URL is ``http://HOST:PORT``; there is no authentication. ``/api/chat``
streams NDJSON by default (``"stream": false`` for one object). Only the models of
:meth:`FakeState.ollama_models` exist (``llama3.2`` means ``llama3.2:latest``); they
are set with ``FakeProvider(ollama_models=...)`` or ``PUT /__fake__/ollama/models``.
Ollama's OpenAI-compatible ``/v1/chat/completions`` is the OpenAI wire format.

``prompt_eval_count`` is an approximation (OpenAI's chat accounting of ``cl100k_base``);
``eval_count`` is exact. Durations are deterministic, derived from the scenario's pace.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from fakes.control import read_and_record
from fakes.ollama_models import OllamaModelError, canonical_name
from fakes.replies import reply_for
from fakes.scenario import Scenario
from fakes.state import FakeState
from fakes.streaming import event_stream, fixed_stream, reply_response, upfront_failure
from fakes.tokens import Generation, count_chat_tokens, generate

__all__ = ["OLLAMA_VERSION", "NdjsonEncoder", "OllamaChatRequest", "parse_chat_request", "routes"]

OLLAMA_VERSION = "0.9.6"
NDJSON = "application/x-ndjson"
JSON = "application/json; charset=utf-8"
LOAD_NS = 12_345_678
PROMPT_NS_PER_TOKEN = 250_000
EVAL_NS_PER_TOKEN = 10_000_000  # 100 tokens/s when the scenario sets no pace
STREAM_ERROR = "an error was encountered while running the model: unexpected EOF"
FILTER_MODES = ("content_filter", "prompt_blocked", "candidate_blocked")


def ollama_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """Ollama's error response: ``{"error": "..."}``."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _not_found(model: str) -> JSONResponse:
    return ollama_error(404, f'model "{model}" not found, try pulling it first')


def failure_response(fail: str, model: str, retry_after_s: int) -> Response | None:
    """The error response of a scenario failure mode answered before any body."""
    statuses = {
        "auth": (401, "unauthorized"),
        "permission": (403, "forbidden"),
        "server_error": (500, "llama runner process has terminated: exit status 2"),
        "overloaded": (503, "server busy, please try again.  maximum pending requests exceeded"),
        "context_length": (400, "the input length exceeds the context length"),
        "stream_error": (500, STREAM_ERROR),
    }
    if fail in statuses:
        return ollama_error(*statuses[fail])
    if fail == "rate_limit":
        return ollama_error(429, "too many requests", {"retry-after": str(retry_after_s)})
    if fail == "not_found":
        return _not_found(model)
    return None


@dataclass(frozen=True)
class OllamaChatRequest:
    """The fields of an ``/api/chat`` request the fake model uses."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool
    num_predict: int | None
    stop: tuple[str, ...]
    json_mode: bool


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_chat_request(body: Any) -> OllamaChatRequest | Response:
    """Validate an ``/api/chat`` body like Ollama does, for the fields the fake uses."""
    if not isinstance(body, dict):
        return ollama_error(400, "invalid character looking for beginning of value")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return ollama_error(400, "model is required")
    messages = body.get("messages") or []
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return ollama_error(400, "json: cannot unmarshal object into Go struct field ChatRequest.messages")
    for message in messages:
        if not isinstance(message.get("content", ""), str):
            return ollama_error(
                400,
                "json: cannot unmarshal array into Go struct field Message.messages.content of type string",
            )
    options = body.get("options") or {}
    if not isinstance(options, dict):
        return ollama_error(400, "json: cannot unmarshal into Go struct field ChatRequest.options")
    limit = options.get("num_predict")
    if limit is not None and not _is_int(limit):
        return ollama_error(400, 'invalid option type for "num_predict"')
    stop = options.get("stop") or []
    stops = [stop] if isinstance(stop, str) else stop
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        return ollama_error(400, 'invalid option type for "stop"')
    fmt = body.get("format")
    if fmt not in (None, "", "json") and not isinstance(fmt, dict):
        return ollama_error(400, 'invalid format: expected "json" or a valid JSON schema')
    num_predict = limit if limit is not None and limit >= 0 else None  # -1, -2: no limit
    stream = body.get("stream") is not False
    return OllamaChatRequest(model, messages, stream, num_predict, tuple(stops), fmt not in (None, ""))


def _created_at() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class NdjsonEncoder:
    """``/api/chat`` objects, one JSON object per line, as Ollama streams them."""

    def __init__(self, model: str, prompt_tokens: int, scenario: Scenario, generation: Generation):
        """Prepare the parts shared by every line of one response."""
        self._model, self._prompt, self._scenario = model, prompt_tokens, scenario
        self._generation = generation

    def message(self, content: str, done: bool = False) -> dict[str, Any]:
        """An object carrying ``content``; the final one adds its statistics separately."""
        return {
            "model": self._model,
            "created_at": _created_at(),
            "message": {"role": "assistant", "content": content},
            "done": done,
        }

    def final(self, generation: Generation, content: str, send_usage: bool) -> dict[str, Any]:
        """The ``done`` object: reason, durations and (unless turned off) token counts."""
        tps = self._scenario.tokens_per_second
        prompt_ns = self._prompt * PROMPT_NS_PER_TOKEN
        eval_ns = max(generation.completion_tokens, 1) * (int(1e9 / tps) if tps else EVAL_NS_PER_TOKEN)
        final: dict[str, Any] = {
            "model": self._model,
            "created_at": _created_at(),
            "message": {"role": "assistant", "content": content},
            "done_reason": generation.finish_reason,
            "done": True,
            "total_duration": LOAD_NS + prompt_ns + eval_ns + int(self._scenario.ttft_ms * 1e6),
            "load_duration": LOAD_NS,
            "prompt_eval_count": self._prompt,
            "prompt_eval_duration": prompt_ns,
            "eval_count": generation.completion_tokens,
            "eval_duration": eval_ns,
        }
        if not send_usage:
            del final["prompt_eval_count"], final["eval_count"]
        return final

    @staticmethod
    def line(data: dict[str, Any]) -> bytes:
        """One NDJSON line."""
        return (_dumps(data) + "\n").encode()

    def opening(self) -> Sequence[bytes]:
        """Nothing: Ollama starts with the first text."""
        return []

    def text(self, piece: str) -> bytes:
        """A line with one piece of text."""
        return self.line(self.message(piece))

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """The ``done`` line with empty content."""
        return [self.line(self.final(generation, "", send_usage))]

    def malformed(self) -> Sequence[bytes]:
        """A truncated line, then the ``done`` line as if nothing were wrong."""
        broken = f'{{"model":{_dumps(self._model)},"message":{{"role":"assistant","content":"\n'
        return [broken.encode(), *self.closing(self._generation, True)]

    def stream_error(self) -> Sequence[bytes]:
        """An error line; the stream then ends."""
        return [self.line({"error": STREAM_ERROR})]


async def _chat(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    parsed = parse_chat_request(body)
    if isinstance(parsed, Response):
        return parsed
    if canonical_name(parsed.model) not in {entry["name"] for entry in state.ollama_models()}:
        return _not_found(parsed.model)
    scenario = state.scenario_for(parsed.model)
    if scenario.fail in FILTER_MODES:  # Ollama has no content filter
        scenario = dataclasses.replace(scenario, fail=None)
    fail = upfront_failure(scenario, parsed.stream)
    if fail is not None:
        failed = failure_response(fail, parsed.model, scenario.retry_after_s)
        if failed is not None:
            return failed
    reply = reply_for(scenario.reply, parsed.messages, parsed.json_mode)
    generation = generate(reply, parsed.num_predict, parsed.stop)
    prompt_tokens = count_chat_tokens(parsed.messages)
    encoder = NdjsonEncoder(parsed.model, prompt_tokens, scenario, generation)
    send_usage = scenario.include_usage_override is not False
    if not parsed.messages:  # loads the model and answers at once
        loaded = encoder.message("", done=True)
        loaded["done_reason"] = "load"
        if parsed.stream:
            return StreamingResponse(fixed_stream(state, scenario, [encoder.line(loaded)]), media_type=NDJSON)
        return Response(_dumps(loaded), media_type=JSON)
    if parsed.stream:
        stream = event_stream(state, scenario, generation, encoder, send_usage)
        return StreamingResponse(stream, media_type=NDJSON)
    data = _dumps(encoder.final(generation, generation.text, send_usage)).encode()
    return await reply_response(state, scenario, generation, data, JSON, {})


def routes(state: FakeState) -> list[BaseRoute]:
    """The routes of this wire format (and its control endpoint), bound to ``state``."""

    async def chat(request: Request) -> Response:
        return await _chat(state, request)

    async def tags(request: Request) -> Response:
        await read_and_record(state, request)
        return JSONResponse({"models": state.ollama_models()})

    async def version(request: Request) -> Response:
        await read_and_record(state, request)
        return JSONResponse({"version": OLLAMA_VERSION})

    async def root(request: Request) -> Response:
        await read_and_record(state, request)
        return PlainTextResponse("Ollama is running")

    async def put_models(request: Request) -> Response:
        try:
            state.set_ollama_models(json.loads(await request.body()))
        except ValueError as exc:  # JSON errors and OllamaModelError alike
            message = str(exc) if isinstance(exc, OllamaModelError) else "invalid JSON"
            return JSONResponse({"error": {"message": message}}, status_code=400)
        return JSONResponse({"models": state.ollama_models()})

    return [
        Route("/api/chat", chat, methods=["POST"]),
        Route("/api/tags", tags, methods=["GET"]),
        Route("/api/version", version, methods=["GET"]),
        Route("/", root, methods=["GET", "HEAD"]),
        Route("/__fake__/ollama/models", put_models, methods=["PUT"]),
    ]
