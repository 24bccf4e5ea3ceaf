"""OpenAI-compatible Chat Completions over httpx with SSE streaming.

One adapter reaches OpenAI, OpenRouter, DeepSeek, Ollama's `/v1`, a LiteLLM proxy and any
other server that speaks this wire format. Streaming asks for the final usage chunk
(`stream_options.include_usage`); when a server does not send it, the caller estimates.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import httpx_sse

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, StreamEvent, TextDelta, Usage

__all__ = ["OpenAICompatProvider", "redact"]

log = logging.getLogger(__name__)

_KEYLIKE = re.compile(r"\b(sk|key|api)[-_][A-Za-z0-9*_\-.]{4,}", re.IGNORECASE)


def redact(text: str, secret: str | None) -> str:
    """`text` with the key, and anything shaped like a key, removed."""
    if secret:
        text = text.replace(secret, "***")
    return _KEYLIKE.sub("***", text)


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
                    "stream_interrupted",
                    "ended the stream without its final [DONE] message",
                    request.model,
                    retryable=True,
                )
        except httpx_sse.SSEError:
            raise self._error(
                "malformed_response", "did not answer with an event stream", request.model
            ) from None
        except httpx.TimeoutException as exc:
            raise self._error(
                "timeout",
                f"did not answer in time ({type(exc).__name__}). Raise smartRouter."
                "requestTimeoutSeconds or try again",
                request.model,
                retryable=True,
            ) from None
        except httpx.ConnectError:
            raise self._error(
                "connection",
                f"cannot be reached at {self._spec.base_url}. Check that it is running and "
                f"smartRouter.providers.{self.id}.baseUrl",
                request.model,
                retryable=True,
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise self._error(
                "stream_interrupted",
                "broke off the answer in the middle of the stream. Try again",
                request.model,
                retryable=True,
            ) from None

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
                detail = str((chunk["error"] or {}).get("message", "unknown error"))
                raise self._error("provider_error", f"reported an error: {redact(detail, self._key)}", model)
            return events
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
            raise self._error(
                "malformed_response", "sent a malformed stream chunk", model, retryable=True
            ) from None

    def _error(
        self,
        kind: str,
        what: str,
        model: str,
        *,
        retryable: bool = False,
        retry_after_s: float | None = None,
        status: int | None = None,
    ) -> ProviderError:
        return ProviderError(
            f"{self._spec.name} {what}.",
            kind=kind,
            provider=self.id,
            model=model,
            retryable=retryable,
            retry_after_s=retry_after_s,
            status=status,
        )

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        status = response.status_code
        try:
            err = response.json().get("error") or {}
            detail = redact(str(err.get("message") or ""), self._key)
            code = str(err.get("code") or err.get("type") or "")
        except (json.JSONDecodeError, AttributeError):
            detail, code = "", ""
        env = self._spec.api_key_env
        key_hint = (
            f"'Smart Router: Set API Key' or the {env} environment variable"
            if env
            else ("'Smart Router: Set API Key'")
        )
        if status == 401:
            return self._error(
                "auth",
                f"rejected the API key (401). Set a valid key with {key_hint}",
                model,
                status=status,
            )
        if status == 403:
            return self._error(
                "auth",
                f"refused access (403): {detail or 'permission denied'}. Check the key's "
                f"permissions or set another with {key_hint}",
                model,
                status=status,
            )
        if status == 404:
            return self._error(
                "model_not_found",
                f"does not know model '{model}' (404). Check the model's "
                "apiName in smartRouter.models or pick another model",
                model,
                status=status,
            )
        if status == 429:
            retry_after = _retry_after(response)
            wait = f" Retry in {retry_after:g} s" if retry_after is not None else ""
            return self._error(
                "rate_limited",
                f"rate limit reached (429).{wait} or pick another model",
                model,
                retryable=True,
                retry_after_s=retry_after,
                status=status,
            )
        if status == 400 and "context_length" in code:
            return self._error(
                "context_too_long",
                f"says the prompt is too long for '{model}': {detail} "
                "Shorten it or pick a model with a larger context window",
                model,
                status=status,
            )
        if status >= 500:
            return self._error(
                "provider_unavailable",
                f"failed on its side ({status}): {detail or 'server error'} "
                "Try again shortly or pick another model",
                model,
                retryable=True,
                status=status,
            )
        return self._error(
            "provider_error",
            f"refused the request ({status}): {detail or 'no detail given'}",
            model,
            status=status,
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
