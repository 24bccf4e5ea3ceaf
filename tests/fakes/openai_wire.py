"""OpenAI Chat Completions wire format: ``/v1/chat/completions`` and ``/v1/models``."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from fakes.control import read_and_record, request_id
from fakes.openai_errors import (
    BAD_JSON_MESSAGE,
    NO_KEY_MESSAGE,
    SERVER_ERROR,
    error_response,
    failure_response,
)
from fakes.replies import default_reply, reply_for
from fakes.state import FakeState
from fakes.streaming import event_stream, reply_response, served_generation, upfront_failure
from fakes.tokens import Generation, count_chat_tokens, generate

__all__ = [
    "DEFAULT_MODELS",
    "SYSTEM_FINGERPRINT",
    "ChatRequest",
    "ChunkEncoder",
    "completion_usage",
    "default_reply",
    "invalid_url",
    "parse_chat_request",
    "routes",
]

DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano")
SYSTEM_FINGERPRINT = "fp_5f4e3d2c1b"
MODEL_CREATED = 1715367049


@dataclass(frozen=True)
class ChatRequest:
    """The fields of a chat completion request the fake model uses."""

    model: str
    messages: list[dict[str, Any]]
    stream: bool
    include_usage: bool
    max_tokens: int | None
    stop: tuple[str, ...]


def parse_chat_request(body: Any, model: str | None = None) -> ChatRequest | Response:
    """Validate a request body like OpenAI does, for the fields the fake uses.

    ``model`` overrides the body's model (Azure names the deployment in the path).
    """
    if not isinstance(body, dict):
        return error_response(400, BAD_JSON_MESSAGE, "invalid_request_error")
    model = model if model is not None else body.get("model")
    if not isinstance(model, str) or not model:
        return error_response(400, "you must provide a model parameter", "invalid_request_error")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return error_response(
            400,
            "Missing required parameter: 'messages'.",
            "invalid_request_error",
            param="messages",
            code="missing_required_parameter",
        )
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        return error_response(
            400,
            "Invalid type for 'messages': expected an array of message objects.",
            "invalid_request_error",
            param="messages",
            code="invalid_type",
        )
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        name = "max_completion_tokens" if "max_completion_tokens" in body else "max_tokens"
        return error_response(
            400,
            f"Invalid '{name}': integer below minimum value. Expected a value >= 1, "
            f"but got {limit!r} instead.",
            "invalid_request_error",
            param=name,
            code="integer_below_min_value",
        )
    stop = body.get("stop")
    stops = (stop,) if isinstance(stop, str) else tuple(s for s in stop or () if isinstance(s, str))
    options = body.get("stream_options")
    include_usage = isinstance(options, dict) and options.get("include_usage") is True
    return ChatRequest(model, messages, body.get("stream") is True, include_usage, limit, stops)


def completion_usage(prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    """The ``usage`` object of a chat completion."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ChunkEncoder:
    """``chat.completion.chunk`` server-sent events, byte for byte as OpenAI sends them."""

    def __init__(self, completion_id: str, model: str, prompt_tokens: int, include_usage: bool):
        """Prepare the parts shared by every chunk of one response."""
        self._prompt_tokens = prompt_tokens
        self._head = (
            f'data: {{"id":"{completion_id}","object":"chat.completion.chunk",'
            f'"created":{int(time.time())},"model":{_dumps(model)},'
            f'"system_fingerprint":"{SYSTEM_FINGERPRINT}","choices":['
        )
        self._tail = '],"usage":null}\n\n' if include_usage else "]}\n\n"

    def _choice(self, delta: str, finish_reason: str | None) -> bytes:
        finish = "null" if finish_reason is None else f'"{finish_reason}"'
        choice = f'{{"index":0,"delta":{delta},"logprobs":null,"finish_reason":{finish}}}'
        return (self._head + choice + self._tail).encode()

    def opening(self) -> Sequence[bytes]:
        """The chunk announcing the assistant role."""
        return [self._choice('{"role":"assistant","content":""}', None)]

    def text(self, piece: str) -> bytes:
        """A content chunk."""
        return self._choice(f'{{"content":{_dumps(piece)}}}', None)

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """The finish chunk, the usage chunk when wanted, and ``[DONE]``."""
        events = [self._choice("{}", generation.finish_reason)]
        if send_usage:
            usage = _dumps(completion_usage(self._prompt_tokens, generation.completion_tokens))
            events.append(f'{self._head}],"usage":{usage}}}\n\n'.encode())
        events.append(b"data: [DONE]\n\n")
        return events

    def malformed(self) -> Sequence[bytes]:
        """Truncated JSON, then ``[DONE]`` as if nothing were wrong."""
        return [b'data: {"choices": [{"delta": {"content": \n\n', b"data: [DONE]\n\n"]

    def stream_error(self) -> Sequence[bytes]:
        """An error object in place of a chunk; the stream then ends (no ``[DONE]``)."""
        return [f"data: {_dumps({'error': SERVER_ERROR})}\n\n".encode()]


def _bearer_key(request: Request) -> str | None:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    key = key.strip()
    return key if scheme.lower() == "bearer" and key else None


def _auth_error(state: FakeState, request: Request) -> tuple[str, Response | None]:
    key = _bearer_key(request)
    if key is None:
        return "", error_response(401, NO_KEY_MESSAGE, "invalid_request_error")
    if not state.key_accepted(key):
        return key, failure_response("auth", "", key, 0)
    return key, None


async def _chat_completions(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    key, denied = _auth_error(state, request)
    if denied is not None:
        return denied
    parsed = parse_chat_request(body)
    if isinstance(parsed, Response):
        return parsed
    scenario = state.scenario_for(parsed.model)
    fail = upfront_failure(scenario, parsed.stream)
    if fail is not None:
        failed = failure_response(fail, parsed.model, key, scenario.retry_after_s)
        if failed is not None:
            return failed
    reply = reply_for(scenario.reply, parsed.messages)
    prompt_tokens = count_chat_tokens(parsed.messages)
    generation = generate(reply, parsed.max_tokens, parsed.stop)
    completion_id = f"chatcmpl-fake{state.next_id():016d}"
    headers = {"x-request-id": request_id(), "openai-version": "2020-10-01"}
    override = scenario.include_usage_override
    if parsed.stream:
        send_usage = parsed.include_usage if override is None else override
        encoder = ChunkEncoder(completion_id, parsed.model, prompt_tokens, send_usage)
        return StreamingResponse(
            event_stream(state, scenario, generation, encoder, send_usage),
            media_type="text/event-stream; charset=utf-8",
            headers={**headers, "cache-control": "no-cache"},
        )
    generation = served_generation(scenario, generation)
    completion: dict[str, Any] = {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": parsed.model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": generation.text,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": generation.finish_reason,
            }
        ],
        "service_tier": "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }
    if override is not False:
        completion["usage"] = completion_usage(prompt_tokens, generation.completion_tokens)
    data = _dumps(completion).encode()
    return await reply_response(state, scenario, generation, data, "application/json", headers)


async def _list_models(state: FakeState, request: Request) -> Response:
    await read_and_record(state, request)
    _, denied = _auth_error(state, request)
    if denied is not None:
        return denied
    names = dict.fromkeys([*(m for m in state.scenarios() if m != "*"), *DEFAULT_MODELS])
    data = [{"id": name, "object": "model", "created": MODEL_CREATED, "owned_by": "system"} for name in names]
    return JSONResponse({"object": "list", "data": data}, headers={"x-request-id": request_id()})


def invalid_url(request: Request) -> Response:
    """OpenAI's 404 for unknown ``/v1`` paths (the app's fallback uses it)."""
    msg = f"Invalid URL ({request.method} {request.url.path})"
    return error_response(404, msg, "invalid_request_error")


def routes(state: FakeState) -> list[BaseRoute]:
    """The routes of this wire format, bound to ``state``."""

    async def chat_completions(request: Request) -> Response:
        return await _chat_completions(state, request)

    async def list_models(request: Request) -> Response:
        return await _list_models(state, request)

    return [
        Route("/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/v1/models", list_models, methods=["GET"]),
    ]
