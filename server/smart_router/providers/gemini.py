"""Google's Gemini API (generativelanguage) over httpx with SSE streaming (kind `gemini`).

`POST {base_url}/models/{model}:streamGenerateContent?alt=sse` (base URL like
`https://generativelanguage.googleapis.com/v1beta`), key in the `x-goog-api-key` header (never
in the URL). The system prompt is `systemInstruction`; turns are `contents` with roles `user`
and `model`, each a list of `parts`; parameters live in `generationConfig`.

Each event is a `GenerateContentResponse`: `candidates[0].content.parts[].text`, a
`finishReason` on the last one, `usageMetadata` (cumulative: the last one counts),
`promptFeedback.blockReason` when the prompt itself was blocked. There is no end marker: the
stream ends after the chunk with the finish reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx

from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, Start, StreamEvent, TextDelta, Usage
from smart_router.providers.errors import ErrorKind, classify
from smart_router.providers.http import HttpAdapter, retry_after_s
from smart_router.providers.translate import Translated, profile_for, translate

__all__ = ["GeminiProvider"]

FILTERED = frozenset({"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"})
"""Finish reasons that mean the content filter stopped the answer."""

_FINISH = {"STOP": "stop", "MAX_TOKENS": "length"}

_STATUS_KIND: dict[str, ErrorKind] = {
    "UNAUTHENTICATED": "auth",
    "PERMISSION_DENIED": "permission",
    "NOT_FOUND": "model_not_found",
    "RESOURCE_EXHAUSTED": "rate_limited",
    "UNAVAILABLE": "overloaded",
    "DEADLINE_EXCEEDED": "timeout",
    "INTERNAL": "provider_unavailable",
}
"""google.rpc status codes whose meaning does not depend on the message."""

_API_KEY_REASONS = frozenset({"API_KEY_INVALID", "API_KEY_EXPIRED"})


class GeminiProvider(HttpAdapter):
    """Adapter for the Gemini API's `streamGenerateContent`."""

    def _url(self, model: str) -> str:
        return f"{self._spec.base_url}/models/{model.removeprefix('models/')}:streamGenerateContent?alt=sse"

    def _headers(self) -> dict[str, str]:
        return {"x-goog-api-key": self._key} if self._key else {}

    def _body(self, t: Translated) -> dict[str, Any]:
        body: dict[str, Any] = {
            "contents": [
                {"role": "model" if m.role == "assistant" else "user", "parts": [{"text": m.content}]}
                for m in t.messages
            ],
            "generationConfig": {**t.params, **t.json_fields},
        }
        if t.system:
            body["systemInstruction"] = {"parts": [{"text": t.system}]}
        return body

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Start, text deltas, usage and Done; blocks and failures raise `ProviderError`."""
        model = request.model
        body = self._body(translate(request, profile_for(self._spec.kind, model)))
        started = False
        usage: Usage | None = None
        finish: str | None = None
        async with aclosing(self._sse_data(self._url(model), body, model)) as stream:
            async for data in stream:
                chunk = self._parse(data, model)
                texts, reason = self._read(chunk, model)
                usage = self._usage(chunk, model) or usage
                if not started:
                    started = True
                    yield Start(str(chunk.get("modelVersion") or model), chunk.get("responseId"))
                for text in texts:
                    yield TextDelta(text)
                finish = reason or finish
        if finish is None:
            raise self._error("stream_interrupted", model, detail="the stream ended without a finishReason")
        if usage is not None:
            yield usage
        if finish in FILTERED:
            raise self._error(
                "content_filtered", model, detail=f"the answer was stopped (finishReason {finish})"
            )
        yield Done(_FINISH.get(finish, finish.lower()))

    def _parse(self, data: str, model: str) -> dict[str, Any]:
        chunk = self._json_object(data, model)
        if chunk.get("error"):
            raise self._body_error(chunk, model, status=None)
        return chunk

    def _read(self, chunk: dict[str, Any], model: str) -> tuple[list[str], str | None]:
        """The texts and the finish reason of one chunk; a blocked prompt raises."""
        try:
            block = (chunk.get("promptFeedback") or {}).get("blockReason")
            if block:
                raise self._error("content_filtered", model, detail=f"the prompt was blocked ({block})")
            candidates = chunk.get("candidates") or []
            if not candidates:
                return [], None
            candidate = candidates[0]
            parts = (candidate.get("content") or {}).get("parts") or []
            texts = [str(p["text"]) for p in parts if p.get("text") and not p.get("thought")]
            reason = candidate.get("finishReason")
            return texts, str(reason) if reason else None
        except (AttributeError, KeyError, TypeError):
            raise self._error(
                "malformed_response", model, detail="a stream chunk has no readable candidate"
            ) from None

    def _usage(self, chunk: dict[str, Any], model: str) -> Usage | None:
        meta = chunk.get("usageMetadata")
        if not meta:
            return None
        try:
            # Thinking tokens are billed as output; the prompt count includes the cached part.
            output = int(meta.get("candidatesTokenCount") or 0) + int(meta.get("thoughtsTokenCount") or 0)
            cached = int(meta.get("cachedContentTokenCount") or 0)
            return Usage(int(meta.get("promptTokenCount") or 0), output, cached)
        except (AttributeError, TypeError, ValueError):
            raise self._error("malformed_response", model, detail="usageMetadata is not readable") from None

    def _body_error(
        self, payload: Any, model: str, *, status: int | None, headers: httpx.Headers | None = None
    ) -> ProviderError:
        """`{"error": {"code", "message", "status", "details"}}` as a kind (a list of one, too)."""
        if isinstance(payload, list) and payload:
            payload = payload[0]
        err = payload.get("error") if isinstance(payload, dict) else None
        err = err if isinstance(err, dict) else {}
        detail, rpc_status = str(err.get("message") or ""), str(err.get("status") or "")
        code = err.get("code")
        http = status or (code if isinstance(code, int) else 500)
        details = [d for d in err.get("details") or [] if isinstance(d, dict)]
        reasons = {str(d.get("reason")) for d in details if d.get("reason")}
        kind: ErrorKind
        if reasons & _API_KEY_REASONS or rpc_status == "UNAUTHENTICATED":
            kind = "auth"
        elif rpc_status in _STATUS_KIND:
            kind = _STATUS_KIND[rpc_status]
        else:
            kind = classify(http, rpc_status, detail)
        retry = None
        if kind in ("rate_limited", "overloaded"):
            retry = _retry_delay(details) or (retry_after_s(headers) if headers is not None else None)
        return self._error(kind, model, detail=detail, status=status, retry_after=retry)

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        try:
            payload = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            payload = None
        if response.status_code < 400:
            if isinstance(payload, dict) and payload.get("error"):
                return self._body_error(payload, model, status=None)
            return self._error("malformed_response", model, detail="the answer is not an event stream")
        return self._body_error(payload, model, status=response.status_code, headers=response.headers)


def _retry_delay(details: list[dict[str, Any]]) -> float | None:
    """`google.rpc.RetryInfo.retryDelay` (like `"37s"` or `"0.5s"`) in seconds."""
    for d in details:
        if str(d.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = re.fullmatch(r"(\d+(?:\.\d+)?)s", str(d.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None
