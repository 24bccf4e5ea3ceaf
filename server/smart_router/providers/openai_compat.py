"""OpenAI-compatible Chat Completions over httpx with SSE streaming.

One adapter reaches OpenAI, OpenRouter, DeepSeek, Ollama's `/v1`, a LiteLLM proxy and any
other server that speaks this wire format. Streaming asks for the final usage chunk
(`stream_options.include_usage`); when a server does not send it, the caller estimates.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import httpx_sse

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, StreamEvent, TextDelta, Usage
from smart_router.providers.errors import ErrorKind, classify, provider_error

__all__ = ["OpenAICompatProvider"]

log = logging.getLogger(__name__)


class OpenAICompatProvider:
    """Adapter for one provider entry (base URL + key) speaking Chat Completions."""

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient, api_key: str | None) -> None:
        self.id = spec.id
        self._spec = spec
        self._client = client
        self._key = api_key

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": request.max_output_tokens,
        }
        if request.temperature is not None:
            body["temperature"] = request.temperature
        return body

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "text/event-stream"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        return headers

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        url = f"{self._spec.base_url}/chat/completions"
        try:
            async with httpx_sse.aconnect_sse(
                self._client, "POST", url, json=self._body(request), headers=self._headers()
            ) as source:
                response = source.response
                if response.status_code >= 400:
                    await response.aread()
                    raise self._status_error(response, request.model)
                async for sse in source.aiter_sse():
                    if sse.data == "[DONE]":
                        return
                    for event in self._events(sse.data, request.model):
                        yield event
                raise self._error(
                    "stream_interrupted", request.model, detail="the stream ended without [DONE]"
                )
        except httpx_sse.SSEError:
            raise self._error(
                "malformed_response", request.model, detail="the answer is not an event stream"
            ) from None
        except httpx.TimeoutException:
            raise self._error("timeout", request.model) from None
        except httpx.ConnectError:
            raise self._error("connection", request.model) from None
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise self._error("stream_interrupted", request.model) from None

    def _events(self, data: str, model: str) -> list[StreamEvent]:
        try:
            chunk = json.loads(data)
            events: list[StreamEvent] = []
            for choice in chunk.get("choices") or []:
                content = (choice.get("delta") or {}).get("content")
                if content:
                    events.append(TextDelta(content))
                if choice.get("finish_reason"):
                    events.append(Done(choice["finish_reason"]))
            usage = chunk.get("usage")
            if usage:
                events.append(Usage(int(usage["prompt_tokens"]), int(usage["completion_tokens"])))
            if "error" in chunk:
                err = chunk["error"] or {}
                detail, code = str(err.get("message", "")), str(err.get("code") or err.get("type") or "")
                raise self._error(classify(500, code, detail), model, detail=detail)
            return events
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
            raise self._error(
                "malformed_response", model, detail="a stream chunk is not valid JSON"
            ) from None

    def _error(
        self,
        kind: ErrorKind,
        model: str,
        *,
        detail: str = "",
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> ProviderError:
        return provider_error(
            self._spec,
            kind,
            model,
            detail=detail,
            status=status,
            retry_after_s=retry_after_s,
            key=self._key,
        )

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        try:
            err = response.json().get("error") or {}
            detail = str(err.get("message") or "")
            code = str(err.get("code") or err.get("type") or "")
        except (json.JSONDecodeError, AttributeError):
            detail, code = "", ""
        kind = classify(response.status_code, code, detail)
        retry_after = _retry_after(response) if kind in ("rate_limited", "overloaded") else None
        return self._error(kind, model, detail=detail, status=response.status_code, retry_after_s=retry_after)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
