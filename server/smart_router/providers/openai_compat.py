"""OpenAI-compatible Chat Completions over httpx with SSE streaming, and its Azure OpenAI variant.

One adapter reaches OpenAI, OpenRouter, DeepSeek, Zhipu, DashScope, Moonshot, MiniMax, a
LiteLLM proxy and any other server that speaks this wire format; the style profile of the
model (`translate.profile_for`) decides the parameter names and limits. Streaming asks for the
final usage chunk (`stream_options.include_usage`); when a server does not send it, the caller
estimates. Azure OpenAI (`AzureOpenAIProvider`, kind `azure`) differs in URL, key header and
its content filter only.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx

from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, Start, StreamEvent, TextDelta, Usage
from smart_router.providers.errors import classify
from smart_router.providers.http import HttpAdapter, retry_after_s
from smart_router.providers.translate import Translated, profile_for, translate

__all__ = ["AZURE_API_VERSION", "AzureOpenAIProvider", "OpenAICompatProvider"]

AZURE_API_VERSION = "2024-10-21"
"""The latest GA data-plane version; a `ProviderSpec.api_version` overrides it."""

_FILTERED = "content_filter"


class OpenAICompatProvider(HttpAdapter):
    """Adapter for one provider entry (base URL + key) speaking Chat Completions."""

    # -- the request ----------------------------------------------------------------------------

    def _url(self, request: ChatRequest) -> str:
        return f"{self._spec.base_url}/chat/completions"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}"} if self._key else {}

    def _body(self, request: ChatRequest, t: Translated) -> dict[str, Any]:
        return {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in t.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            **t.params,
            **t.json_fields,
        }

    # -- the stream -----------------------------------------------------------------------------

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Start, text deltas, usage (when sent) and Done; failures raise `ProviderError`."""
        model = request.model
        body = self._body(request, translate(request, profile_for(self._spec.kind, model)))
        started = False
        usage: Usage | None = None
        finish: str | None = None
        finished = False
        async with aclosing(self._sse_data(self._url(request), body, model)) as stream:
            async for data in stream:
                if data == "[DONE]":
                    finished = True
                    break
                chunk = self._parse(data, model)
                if not started and (chunk.get("model") or chunk.get("choices")):
                    started = True  # Azure's first chunk (prompt filter results only) is not it
                    yield Start(str(chunk.get("model") or model), chunk.get("id") or None)
                for text, reason in self._choices(chunk, model):
                    if text:
                        yield TextDelta(text)
                    if reason:
                        finish = reason
                usage = self._usage(chunk, model) or usage
        if not finished and finish is None:
            raise self._error("stream_interrupted", model, detail="the stream ended without [DONE]")
        if not started:
            yield Start(model)
        if usage is not None:
            yield usage
        if finish == _FILTERED:
            raise self._error(
                "content_filtered", model, detail="the answer was stopped by the content filter"
            )
        yield Done(finish)

    def _parse(self, data: str, model: str) -> dict[str, Any]:
        chunk = self._json_object(data, model)
        err = chunk.get("error")
        if err:
            raise self._chunk_error(err, model)
        return chunk

    def _choices(self, chunk: dict[str, Any], model: str) -> list[tuple[str | None, str | None]]:
        try:
            out = []
            for choice in chunk.get("choices") or []:
                content = (choice.get("delta") or {}).get("content")
                if content is not None and not isinstance(content, str):
                    raise TypeError
                out.append((content, choice.get("finish_reason")))
            return out
        except (AttributeError, TypeError):
            raise self._error(
                "malformed_response", model, detail="a stream chunk has no readable choices"
            ) from None

    def _usage(self, chunk: dict[str, Any], model: str) -> Usage | None:
        usage = chunk.get("usage")
        if not usage:
            return None
        try:
            details = usage.get("prompt_tokens_details") or {}
            cached = (
                details.get("cached_tokens")
                or usage.get("prompt_cache_hit_tokens")  # DeepSeek
                or usage.get("cached_tokens")  # Moonshot
                or 0
            )
            return Usage(int(usage["prompt_tokens"]), int(usage["completion_tokens"]), int(cached))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise self._error("malformed_response", model, detail="the usage chunk is not readable") from None

    # -- errors ---------------------------------------------------------------------------------

    def _chunk_error(self, err: Any, model: str) -> ProviderError:
        """An `{"error": ...}` chunk in the middle of the stream (OpenAI, OpenRouter, LiteLLM)."""
        number, words, detail = _error_parts(err)
        return self._error(classify(number or 500, words, detail), model, detail=detail)

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        try:
            payload = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            payload = None
        err = payload.get("error") if isinstance(payload, dict) else None
        status = response.status_code
        if status < 400:  # a 200 that is not an event stream
            if err:
                return self._chunk_error(err, model)
            return self._error("malformed_response", model, detail="the answer is not an event stream")
        _, words, detail = _error_parts(err)
        kind = classify(status, words, detail)
        retry = retry_after_s(response.headers) if kind in ("rate_limited", "overloaded") else None
        return self._error(kind, model, detail=detail, status=status, retry_after=retry)


def _error_parts(err: Any) -> tuple[int | None, str, str]:
    """An OpenAI-style `error` value as (numeric code if any, code words, message).

    The code words join `code`, `type` and Azure's `innererror.code`, for `classify`."""
    if isinstance(err, str):
        return None, "", err
    if not isinstance(err, dict):
        return None, "", ""
    inner = err.get("innererror")
    inner_code = inner.get("code") if isinstance(inner, dict) else None
    code = err.get("code")
    words = " ".join(str(c) for c in (code, err.get("type"), inner_code) if c)
    number = code if isinstance(code, int) and 400 <= code < 600 else None
    return number, words, str(err.get("message") or "")


class AzureOpenAIProvider(OpenAICompatProvider):
    """Azure OpenAI: `{base_url}/openai/deployments/{deployment}/chat/completions?api-version=...`,
    key in `api-key`. The model's API name is the deployment name."""

    def _url(self, request: ChatRequest) -> str:
        base = self._spec.base_url.rstrip("/").removesuffix("/openai")
        version = self._spec.api_version or AZURE_API_VERSION
        return f"{base}/openai/deployments/{request.model}/chat/completions?api-version={version}"

    def _headers(self) -> dict[str, str]:
        return {"api-key": self._key} if self._key else {}

    def _body(self, request: ChatRequest, t: Translated) -> dict[str, Any]:
        body = super()._body(request, t)
        del body["model"]  # the deployment in the URL names the model
        return body
