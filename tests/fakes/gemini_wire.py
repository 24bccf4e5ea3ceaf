"""Gemini API wire format: ``POST /v1beta/models/{model}:generateContent`` and friends.

An adapter's base URL is ``http://HOST:PORT/v1beta``. The key goes in the
``x-goog-api-key`` header or the ``key`` query parameter (accepted keys as for OpenAI).
``:streamGenerateContent?alt=sse`` streams server-sent events framed with CRLF, as
Google does; without ``alt=sse`` it streams a JSON array. Request bodies are parsed by
:mod:`fakes.gemini_request` (prompt tokens are approximate there); candidate tokens
are exact.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from fakes.control import read_and_record
from fakes.gemini_errors import (
    BLOCKED_RATINGS,
    STREAM_ERROR,
    bad_key,
    failure_response,
    google_error,
    no_key,
)
from fakes.gemini_request import field, parse_generate_request
from fakes.replies import reply_for
from fakes.state import FakeState
from fakes.streaming import event_stream, fixed_stream, reply_response, served_generation, upfront_failure
from fakes.tokens import Generation, generate

__all__ = ["FINISH_REASONS", "GeminiEncoder", "routes"]

FINISH_REASONS = {"stop": "STOP", "length": "MAX_TOKENS", "content_filter": "SAFETY"}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class GeminiEncoder:
    """``GenerateContentResponse`` chunks, as SSE events or as elements of a JSON array."""

    def __init__(self, model: str, response_id: str, prompt_tokens: int, sse: bool = True):
        """Prepare the parts shared by every chunk of one response."""
        self._model, self._id, self._prompt = model, response_id, prompt_tokens
        self._sse = sse
        self._first = True

    def usage(self, candidates_tokens: int | None) -> dict[str, Any]:
        """``usageMetadata``; ``None``: the prompt only (intermediate chunks, blocked prompts)."""
        usage: dict[str, Any] = {"promptTokenCount": self._prompt}
        if candidates_tokens:  # Google omits zero counts
            usage["candidatesTokenCount"] = candidates_tokens
        usage["totalTokenCount"] = self._prompt + (candidates_tokens or 0)
        usage["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": self._prompt}]
        return usage

    def response(
        self, candidate: dict[str, Any] | None, usage: dict[str, Any] | None, **extra: Any
    ) -> dict[str, Any]:
        """A whole ``GenerateContentResponse``."""
        data: dict[str, Any] = {"candidates": [candidate]} if candidate is not None else {}
        data.update(extra)
        if usage is not None:
            data["usageMetadata"] = usage
        data.update(modelVersion=self._model, responseId=self._id)
        return data

    def candidate(self, text: str | None, finish_reason: str | None = None) -> dict[str, Any]:
        """A candidate: text (``None``: no content), finish reason, safety ratings when blocked."""
        candidate: dict[str, Any] = {}
        if text is not None:
            candidate["content"] = {"parts": [{"text": text}], "role": "model"}
        if finish_reason is not None:
            candidate["finishReason"] = FINISH_REASONS[finish_reason]
        candidate["index"] = 0
        if finish_reason == "content_filter":
            candidate["safetyRatings"] = BLOCKED_RATINGS
        return candidate

    def frame(self, data: dict[str, Any]) -> bytes:
        """One chunk on the wire."""
        if self._sse:
            return f"data: {_dumps(data)}\r\n\r\n".encode()
        prefix, self._first = ("[" if self._first else ",\r\n"), False
        return (prefix + _dumps(data)).encode()

    def end(self) -> list[bytes]:
        """What ends the stream: nothing for SSE, ``]`` for a JSON array."""
        return [] if self._sse else [b"]"]

    def opening(self) -> Sequence[bytes]:
        """Nothing: Gemini starts with the first text."""
        return []

    def text(self, piece: str) -> bytes:
        """A chunk with one piece of text."""
        return self.frame(self.response(self.candidate(piece), self.usage(None)))

    def closing(self, generation: Generation, send_usage: bool) -> Sequence[bytes]:
        """The last chunk: finish reason and the final usage."""
        blocked = generation.finish_reason == "content_filter"
        candidate = self.candidate(None if blocked else "", generation.finish_reason)
        usage = self.usage(generation.completion_tokens) if send_usage else None
        return [self.frame(self.response(candidate, usage)), *self.end()]

    def malformed(self) -> Sequence[bytes]:
        """A truncated chunk, then the end of the stream."""
        broken = '{"candidates":[{"content":{"parts":[{"text":'
        if self._sse:
            return [f"data: {broken}\r\n\r\n".encode()]
        return [(",\r\n" + broken).encode(), b"]"]

    def stream_error(self) -> Sequence[bytes]:
        """An error object in place of a chunk; the stream then ends."""
        return [self.frame({"error": STREAM_ERROR}), *self.end()]


def _key_error(state: FakeState, request: Request) -> Response | None:
    key = request.headers.get("x-goog-api-key") or request.query_params.get("key")
    if not key:
        return no_key()
    return None if state.key_accepted(key) else bad_key()


async def _generate(state: FakeState, request: Request, model: str, stream: bool) -> Response:
    body = await read_and_record(state, request)
    denied = _key_error(state, request)
    if denied is not None:
        return denied
    parsed = parse_generate_request(body)
    if isinstance(parsed, Response):
        return parsed
    scenario = state.scenario_for(model)
    fail = upfront_failure(scenario, stream)
    if fail is not None:
        failed = failure_response(fail, model, scenario.retry_after_s)
        if failed is not None:
            return failed
    sse = request.query_params.get("alt") == "sse"
    encoder = GeminiEncoder(model, f"fake{state.next_id():016d}", parsed.prompt_tokens, sse)
    media_type = "text/event-stream" if stream and sse else "application/json; charset=UTF-8"
    send_usage = scenario.include_usage_override is not False
    if scenario.fail in ("prompt_blocked", "content_filter"):
        feedback = {"blockReason": "SAFETY", "safetyRatings": BLOCKED_RATINGS}
        blocked = encoder.response(None, encoder.usage(None) if send_usage else None, promptFeedback=feedback)
        if stream:
            events = [encoder.frame(blocked), *encoder.end()]
            return StreamingResponse(fixed_stream(state, scenario, events), media_type=media_type)
        await state.sleep(scenario.ttft_s)
        return Response(_dumps(blocked), media_type=media_type)
    reply = reply_for(scenario.reply, parsed.messages, parsed.json_mode)
    generation = generate(reply, parsed.max_tokens, parsed.stop)
    if stream:
        return StreamingResponse(
            event_stream(state, scenario, generation, encoder, send_usage), media_type=media_type
        )
    generation = served_generation(scenario, generation)
    filtered = generation.finish_reason == "content_filter"
    if filtered:  # a blocked candidate has no content at all
        generation = generation.truncated(0, "content_filter")
    candidate = encoder.candidate(None if filtered else generation.text, generation.finish_reason)
    usage = encoder.usage(generation.completion_tokens) if send_usage else None
    data = _dumps(encoder.response(candidate, usage)).encode()
    return await reply_response(state, scenario, generation, data, media_type, {})


async def _count_tokens(state: FakeState, request: Request) -> Response:
    body = await read_and_record(state, request)
    denied = _key_error(state, request)
    if denied is not None:
        return denied
    inner = field(body, "generate_content_request") if isinstance(body, dict) else None
    parsed = parse_generate_request(inner if isinstance(inner, dict) else body)
    if isinstance(parsed, Response):
        return parsed
    tokens = parsed.prompt_tokens
    return JSONResponse(
        {"totalTokens": tokens, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": tokens}]}
    )


def routes(state: FakeState) -> list[BaseRoute]:
    """The routes of this wire format, bound to ``state``."""

    async def model_method(request: Request) -> Response:
        model, _, method = request.path_params["target"].rpartition(":")
        if method == "generateContent" and model:
            return await _generate(state, request, model, stream=False)
        if method == "streamGenerateContent" and model:
            return await _generate(state, request, model, stream=True)
        if method == "countTokens" and model:
            return await _count_tokens(state, request)
        await read_and_record(state, request)
        return google_error(404, "NOT_FOUND", f"Method not found: {request.url.path}")

    return [Route("/v1beta/models/{target}", model_method, methods=["POST"])]
