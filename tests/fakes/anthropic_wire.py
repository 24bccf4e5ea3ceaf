"""Anthropic Messages API wire format: ``POST /v1/messages`` (and ``/v1/messages/count_tokens``).

An adapter's base URL is ``http://HOST:PORT/v1`` (the SDKs' ``base_url`` is the root).
Requests need ``x-api-key`` (accepted keys as for OpenAI) and ``anthropic-version``.

Input tokens are an approximation: the OpenAI chat accounting of the ``cl100k_base``
encoding over the system prompt (as a first message) and the messages; output tokens
are exact for the streamed text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from fakes.anthropic_errors import (
    API_VERSIONS,
    OVERLOADED_EVENT,
    anthropic_error,
    failure_response,
    invalid_request,
)
from fakes.control import read_and_record, request_id
from fakes.replies import reply_for
from fakes.state import FakeState
from fakes.streaming import event_stream, reply_response, served_generation, upfront_failure
from fakes.tokens import Generation, count_chat_tokens, generate, message_text

__all__ = [
    "MessagesEncoder",
    "MessagesRequest",
    "message_object",
    "parse_messages_request",
    "routes",
    "stop_reason",
]

KNOWN_FIELDS = frozenset(
    {
        "model", "messages", "max_tokens", "system", "stream", "temperature", "top_p", "top_k",
        "stop_sequences", "metadata", "tools", "tool_choice", "thinking", "service_tier",
        "container", "mcp_servers", "context_management",
    }
)  # fmt: skip
ROLES = ("user", "assistant")
STOP_REASONS = {"stop": "end_turn", "length": "max_tokens", "content_filter": "refusal"}


@dataclass(frozen=True)
class MessagesRequest:
    """The fields of a Messages request the fake model uses."""

    model: str
    system: str
    messages: list[dict[str, Any]]
    max_tokens: int | None
    stream: bool
    stop_sequences: tuple[str, ...]

    @property
    def input_tokens(self) -> int:
        """Approximate input tokens (see the module docstring)."""
        system = [{"role": "system", "content": self.system}] if self.system else []
        return count_chat_tokens([*system, *self.messages])


def _text_blocks_error(blocks: object, where: str) -> str | None:
    if isinstance(blocks, str):
        return None
    if not isinstance(blocks, list):
        return f"{where}: Input should be a valid list"
    for n, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            return f"{where}.{n}: Input should be a valid dictionary or object to extract fields from"
    return None


def _message_error(messages: object) -> str | None:
    if not isinstance(messages, list):
        return "messages: Input should be a valid list"
    for n, message in enumerate(messages):
        if not isinstance(message, dict):
            return f"messages.{n}: Input should be a valid dictionary"
        if message.get("role") not in ROLES:
            return f"messages.{n}.role: Input should be 'user' or 'assistant'"
        if "content" not in message:
            return f"messages.{n}.content: Field required"
        problem = _text_blocks_error(message["content"], f"messages.{n}.content")
        if problem:
            return problem
    return None


def parse_messages_request(body: Any, counting: bool = False) -> MessagesRequest | Response:
    """Validate a Messages request body like Anthropic does, for the fields the fake uses.

    ``counting``: the body of ``/v1/messages/count_tokens`` (no ``max_tokens``).
    """
    if not isinstance(body, dict):
        return invalid_request(
            "There was an error parsing the body of your request. Please check it is valid JSON."
        )
    known = KNOWN_FIELDS - {"max_tokens", "stream", "stop_sequences", "temperature", "top_p", "top_k"}
    for name in body:
        if name not in (known if counting else KNOWN_FIELDS):
            return invalid_request(f"{name}: Extra inputs are not permitted")
    required = ("model", "messages") if counting else ("model", "max_tokens", "messages")
    for name in required:
        if name not in body:
            return invalid_request(f"{name}: Field required")
    model, limit = body["model"], body.get("max_tokens")
    if not isinstance(model, str) or not model:
        return invalid_request("model: Input should be a valid string")
    if not counting and not (isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1):
        return invalid_request("max_tokens: Input should be a valid integer greater than or equal to 1")
    problem = _message_error(body["messages"]) or _text_blocks_error(body.get("system", ""), "system")
    if problem:
        return invalid_request(problem)
    if not body["messages"]:
        return invalid_request("messages: at least one message is required")
    temperature = body.get("temperature", 1.0)
    if not isinstance(temperature, int | float) or isinstance(temperature, bool) or not 0 <= temperature <= 1:
        return invalid_request("temperature: Input should be a number between 0 and 1")
    stops = body.get("stop_sequences", [])
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        return invalid_request("stop_sequences: Input should be a valid list of strings")
    system = message_text(body.get("system", ""))
    stream = body.get("stream") is True
    return MessagesRequest(model, system, body["messages"], limit, stream, tuple(stops))


def stop_reason(generation: Generation) -> str:
    """Anthropic's ``stop_reason`` of a generation."""
    if generation.stop_sequence is not None:
        return "stop_sequence"
    return STOP_REASONS[generation.finish_reason]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": output_tokens,
        "service_tier": "standard",
    }


def message_object(
    message_id: str, model: str, input_tokens: int, generation: Generation | None, send_usage: bool
) -> dict[str, Any]:
    """A ``message`` object: complete, or (``generation=None``) as ``message_start`` has it."""
    text = generation.text if generation is not None else ""
    message: dict[str, Any] = {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": text}] if text else [],
        "stop_reason": stop_reason(generation) if generation is not None else None,
        "stop_sequence": generation.stop_sequence if generation is not None else None,
    }
    if send_usage:
        output = generation.completion_tokens if generation is not None else 1
        message["usage"] = _usage(input_tokens, output)
    return message


class MessagesEncoder:
    """Server-sent events of a streamed message, as the Messages API sends them."""

    def __init__(self, message_id: str, model: str, input_tokens: int, send_usage: bool = True):
        """Prepare the ``message_start`` event of one response."""
        self._id, self._model, self._input_tokens = message_id, model, input_tokens
        self._send_usage = send_usage

    @staticmethod
    def _event(name: str, data: dict[str, Any]) -> bytes:
        return f"event: {name}\ndata: {_dumps(data)}\n\n".encode()

    def opening(self) -> Sequence[bytes]:
        """``message_start``, ``content_block_start`` and a ``ping``."""
        message = message_object(self._id, self._model, self._input_tokens, None, self._send_usage)
        block = {"type": "text", "text": ""}
        return [
            self._event("message_start", {"type": "message_start", "message": message}),
            self._event(
                "content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}
            ),
            self._event("ping", {"type": "ping"}),
        ]

    def text(self, piece: str) -> bytes:
        """A ``content_block_delta`` with a ``text_delta``."""
        delta = {"type": "text_delta", "text": piece}
        return self._event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """``content_block_stop``, ``message_delta`` (stop reason, usage), ``message_stop``."""
        delta: dict[str, Any] = {
            "type": "message_delta",
            "delta": {"stop_reason": stop_reason(generation), "stop_sequence": generation.stop_sequence},
        }
        if send_usage:
            delta["usage"] = {"output_tokens": generation.completion_tokens}
        return [
            self._event("content_block_stop", {"type": "content_block_stop", "index": 0}),
            self._event("message_delta", delta),
            self._event("message_stop", {"type": "message_stop"}),
        ]

    def malformed(self) -> Sequence[bytes]:
        """A truncated delta, then ``message_stop`` as if nothing were wrong."""
        broken = b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"ty\n\n'
        return [broken, self._event("message_stop", {"type": "message_stop"})]

    def stream_error(self) -> Sequence[bytes]:
        """An ``error`` event with an ``overloaded_error``."""
        return [OVERLOADED_EVENT]


def _check_headers(state: FakeState, request: Request) -> Response | None:
    key = request.headers.get("x-api-key")
    if not key:
        return anthropic_error(401, "authentication_error", "x-api-key header is required")
    if not state.key_accepted(key):
        return anthropic_error(401, "authentication_error", "invalid x-api-key")
    version = request.headers.get("anthropic-version")
    if version is None:
        return invalid_request("anthropic-version: header is required")
    if version not in API_VERSIONS:
        return invalid_request(f'anthropic-version: "{version}" is not a valid version')
    return None


async def _messages(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    denied = _check_headers(state, request)
    if denied is not None:
        return denied
    parsed = parse_messages_request(body)
    if isinstance(parsed, Response):
        return parsed
    scenario = state.scenario_for(parsed.model)
    fail = upfront_failure(scenario, parsed.stream)
    if fail is not None:
        failed = failure_response(fail, parsed.model, scenario.retry_after_s)
        if failed is not None:
            return failed
    reply = reply_for(scenario.reply, parsed.messages)
    generation = generate(reply, parsed.max_tokens, parsed.stop_sequences)
    message_id = f"msg_fake{state.next_id():016d}"
    headers = {"request-id": request_id()}
    send_usage = scenario.include_usage_override is not False
    if parsed.stream:
        encoder = MessagesEncoder(message_id, parsed.model, parsed.input_tokens, send_usage)
        return StreamingResponse(
            event_stream(state, scenario, generation, encoder, send_usage),
            media_type="text/event-stream; charset=utf-8",
            headers={**headers, "cache-control": "no-cache"},
        )
    generation = served_generation(scenario, generation)
    message = message_object(message_id, parsed.model, parsed.input_tokens, generation, send_usage)
    data = _dumps(message).encode()
    return await reply_response(state, scenario, generation, data, "application/json", headers)


async def _count_tokens(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    denied = _check_headers(state, request)
    if denied is not None:
        return denied
    parsed = parse_messages_request(body, counting=True)
    if isinstance(parsed, Response):
        return parsed
    return JSONResponse({"input_tokens": parsed.input_tokens})


def routes(state: FakeState) -> list[BaseRoute]:
    """The routes of this wire format, bound to ``state``."""

    async def messages(request: Request) -> Response:
        return await _messages(state, request)

    async def count_tokens(request: Request) -> Response:
        return await _count_tokens(state, request)

    return [
        Route("/v1/messages", messages, methods=["POST"]),
        Route("/v1/messages/count_tokens", count_tokens, methods=["POST"]),
    ]
