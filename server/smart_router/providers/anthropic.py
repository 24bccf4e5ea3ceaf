"""Anthropic's native Messages API over httpx with SSE streaming (kind `anthropic`).

`POST {base_url}/messages` (base URL like `https://api.anthropic.com/v1`) with `x-api-key` and
`anthropic-version`. The system prompt is the top-level `system`; turns alternate user/assistant
(the profile merges runs of one role); each turn is a list of text blocks; `max_tokens` is required.

The stream is a sequence of typed events: `message_start` (id, model, input usage),
`content_block_start`, `content_block_delta` (`text_delta` carries the text), `content_block_stop`,
`message_delta` (stop reason, cumulative output usage), `message_stop`; `ping` keeps the
connection alive and `error` reports a failure after the 200 (e.g. `overloaded_error`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx

from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, Start, StreamEvent, TextDelta, Usage
from smart_router.providers.errors import ErrorKind, classify
from smart_router.providers.http import HttpAdapter, retry_after_s
from smart_router.providers.translate import Translated, profile_for, translate

__all__ = ["ANTHROPIC_VERSION", "AnthropicProvider"]

ANTHROPIC_VERSION = "2023-06-01"

_ERROR_STATUS = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "billing_error": 402,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}
"""Anthropic's error types and the HTTP status each comes with (docs: API errors)."""

_FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "pause_turn": "stop",
}


class AnthropicProvider(HttpAdapter):
    """Adapter for the Anthropic Messages API."""

    def _headers(self) -> dict[str, str]:
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        if self._key:
            headers["x-api-key"] = self._key
        return headers

    def _body(self, request: ChatRequest, t: Translated) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "messages": [
                {"role": m.role, "content": [{"type": "text", "text": m.content}]}
                for m in t.messages
                if m.content.strip()  # the API refuses empty text blocks
            ],
            "stream": True,
            **t.params,
        }
        if t.system:
            body["system"] = t.system
        return body

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Start, text deltas, usage and Done; failures (also `error` events) raise `ProviderError`."""
        model = request.model
        body = self._body(request, translate(request, profile_for(self._spec.kind, model)))
        url = f"{self._spec.base_url}/messages"
        state = _State()
        async with aclosing(self._sse_data(url, body, model)) as stream:
            async for data in stream:
                for event in self._event(self._parse(data, model), state, model):
                    yield event
                if state.stopped:
                    break
        if not state.stopped:
            raise self._error("stream_interrupted", model, detail="the stream ended before message_stop")
        if state.usage is not None:
            yield state.usage.event()
        if state.stop_reason == "refusal":
            raise self._error(
                "content_filtered", model, detail="the model refused to answer (stop_reason refusal)"
            )
        yield Done(_FINISH.get(state.stop_reason or "", state.stop_reason))

    def _parse(self, data: str, model: str) -> dict[str, Any]:
        event = self._json_object(data, model)
        return event

    def _event(self, event: dict[str, Any], state: _State, model: str) -> list[StreamEvent]:
        kind = event.get("type")
        try:
            if kind == "message_start":
                message = event["message"]
                state.usage = _Usage.read(message.get("usage") or {})
                return [Start(str(message.get("model") or model), message.get("id"))]
            if kind == "content_block_delta":
                delta = event["delta"]
                if delta.get("type") == "text_delta" and delta["text"]:
                    return [TextDelta(str(delta["text"]))]
                return []
            if kind == "message_delta":
                state.stop_reason = (event.get("delta") or {}).get("stop_reason") or state.stop_reason
                if event.get("usage"):
                    state.usage = (state.usage or _Usage()).update(event["usage"])
                return []
            if kind == "message_stop":
                state.stopped = True
                return []
            if kind == "error":
                raise self._stream_error(event.get("error"), model)
            return []  # ping, content_block_start/stop, and event types added later
        except (AttributeError, KeyError, TypeError, ValueError):
            raise self._error("malformed_response", model, detail=f"a {kind} event is not readable") from None

    def _kind(self, status: int, error_type: str, detail: str) -> ErrorKind:
        if error_type == "request_too_large":
            return "context_too_long"
        return classify(status, error_type, detail)

    def _stream_error(self, err: Any, model: str) -> ProviderError:
        """An `error` event after the 200 (`overloaded_error` is the usual one)."""
        err = err if isinstance(err, dict) else {}
        error_type, detail = str(err.get("type") or ""), str(err.get("message") or "")
        kind = self._kind(_ERROR_STATUS.get(error_type, 500), error_type, detail)
        return self._error(kind, model, detail=detail)

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        error_type, detail = "", ""
        try:
            payload = response.json()
            err = payload.get("error") if isinstance(payload, dict) else None
            if isinstance(err, dict):
                error_type, detail = str(err.get("type") or ""), str(err.get("message") or "")
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        status = response.status_code
        if status < 400:
            return self._error("malformed_response", model, detail="the answer is not an event stream")
        kind = self._kind(status, error_type, detail)
        retry = retry_after_s(response.headers) if kind in ("rate_limited", "overloaded") else None
        return self._error(kind, model, detail=detail, status=status, retry_after=retry)


class _Usage:
    """Anthropic's usage: `input_tokens` excludes the cache reads and writes, which we add back."""

    def __init__(self) -> None:
        self.input = self.cache_read = self.cache_write = self.output = 0

    @classmethod
    def read(cls, raw: dict[str, Any]) -> _Usage:
        return cls().update(raw)

    def update(self, raw: dict[str, Any]) -> _Usage:
        """Fields of `message_delta` usage are cumulative: a present one replaces the earlier value."""
        self.input = int(raw.get("input_tokens") or self.input)
        self.cache_read = int(raw.get("cache_read_input_tokens") or self.cache_read)
        self.cache_write = int(raw.get("cache_creation_input_tokens") or self.cache_write)
        self.output = int(raw.get("output_tokens") or self.output)
        return self

    def event(self) -> Usage:
        return Usage(self.input + self.cache_read + self.cache_write, self.output, self.cache_read)


class _State:
    def __init__(self) -> None:
        self.usage: _Usage | None = None
        self.stop_reason: str | None = None
        self.stopped = False
