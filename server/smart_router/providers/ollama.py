"""Ollama's native API over httpx: NDJSON chat streaming and local model discovery (kind `ollama`).

`POST {base_url}/api/chat` (base URL like `http://127.0.0.1:11434`; a trailing `/v1`, the
OpenAI-compatible path, is tolerated) streams one JSON object a line: `message.content` deltas,
then a line with `done: true`, `done_reason`, `prompt_eval_count` and `eval_count`. Parameters
go in `options` (`temperature`, `top_p`, `num_predict`, `stop`, `seed`); JSON output is
`format: "json"`. Failures are `{"error": "..."}`, as a body with an HTTP status or as a line
in the middle of the stream.

`list_local_models` reads `GET {base_url}/api/tags` for run-time discovery of pulled models.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers.base import ChatRequest, Done, Start, StreamEvent, TextDelta, Usage
from smart_router.providers.errors import ErrorKind, classify, provider_error
from smart_router.providers.http import HttpAdapter, retry_after_s, wire_errors
from smart_router.providers.translate import Translated, profile_for, translate

__all__ = ["DISCOVERY_TIMEOUT", "LocalModel", "OllamaProvider", "list_local_models"]

DISCOVERY_TIMEOUT = httpx.Timeout(3.0, connect=1.0)
"""Discovery must not hang the caller when Ollama is not running."""


@dataclass(frozen=True, slots=True)
class LocalModel:
    """A model pulled into the local Ollama."""

    name: str
    """The name to send as the model, e.g. `llama3.2:latest`."""
    family: str | None
    parameter_size: str | None
    """As Ollama reports it, e.g. `7B`."""
    quantization: str | None
    """E.g. `Q4_K_M`."""
    size_bytes: int | None


def _root(base_url: str) -> str:
    return base_url.rstrip("/").removesuffix("/v1")


class OllamaProvider(HttpAdapter):
    """Adapter for Ollama's native `/api/chat`."""

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}"} if self._key else {}

    def _body(self, request: ChatRequest, t: Translated) -> dict[str, Any]:
        return {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in t.messages],
            "stream": True,
            "options": t.params,
            **t.json_fields,
        }

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Start, text deltas, usage and Done; failures (also `error` lines) raise `ProviderError`."""
        model = request.model
        body = self._body(request, translate(request, profile_for(self._spec.kind, model)))
        url = f"{_root(self._spec.base_url)}/api/chat"
        started = False
        last: dict[str, Any] | None = None
        with wire_errors(lambda kind, detail: self._error(kind, model, detail=detail)):
            async with self._client.stream("POST", url, json=body, headers=self._headers()) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise self._status_error(response, model)
                async for line in response.aiter_lines():
                    if not line.strip():
                        continue
                    obj = self._parse(line, model)
                    if not started:
                        started = True
                        yield Start(str(obj.get("model") or model))
                    text = self._text(obj, model)
                    if text:
                        yield TextDelta(text)
                    if obj.get("done"):
                        last = obj
                        break
        if last is None:
            raise self._error("stream_interrupted", model, detail="the stream ended without a done line")
        try:
            usage = Usage(int(last.get("prompt_eval_count") or 0), int(last.get("eval_count") or 0))
        except (TypeError, ValueError):
            raise self._error(
                "malformed_response", model, detail="the token counts are not numbers"
            ) from None
        yield usage
        reason = last.get("done_reason")
        yield Done(str(reason) if reason else "stop")

    def _parse(self, line: str, model: str) -> dict[str, Any]:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            raise self._error("malformed_response", model, detail="a stream line is not valid JSON") from None
        if not isinstance(obj, dict):
            raise self._error("malformed_response", model, detail="a stream line is not a JSON object")
        if obj.get("error"):
            detail = str(obj["error"])
            raise self._error(self._kind(500, detail), model, detail=self._advise(detail, model))
        return obj

    def _text(self, obj: dict[str, Any], model: str) -> str:
        message = obj.get("message") or {}
        content = message.get("content") if isinstance(message, dict) else None
        if content is not None and not isinstance(content, str):
            raise self._error("malformed_response", model, detail="message.content is not text")
        return content or ""

    @staticmethod
    def _kind(status: int, detail: str) -> ErrorKind:
        lowered = detail.lower()
        if "not found" in lowered and "model" in lowered:
            return "model_not_found"
        if "server busy" in lowered or "maximum pending requests" in lowered:
            return "overloaded"
        return classify(status, "", detail)

    @staticmethod
    def _advise(detail: str, model: str) -> str:
        if "not found" in detail.lower() and "model" in detail.lower():
            return f"{detail.rstrip('.')}. Run `ollama pull {model}` to download it."
        return detail

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        try:
            payload = response.json()
            detail = str(payload.get("error") or "") if isinstance(payload, dict) else ""
        except (json.JSONDecodeError, UnicodeDecodeError):
            detail = ""
        status = response.status_code
        kind = self._kind(status, detail)
        retry = retry_after_s(response.headers) if kind in ("rate_limited", "overloaded") else None
        return self._error(kind, model, detail=self._advise(detail, model), status=status, retry_after=retry)


async def list_local_models(client: httpx.AsyncClient, spec: ProviderSpec) -> list[LocalModel]:
    """The models pulled into the Ollama at `spec.base_url`; `ProviderError` (`connection`) when it
    is not running, within `DISCOVERY_TIMEOUT`."""

    def fail(kind: ErrorKind, detail: str, status: int | None = None) -> ProviderError:
        return provider_error(spec, kind, "", detail=detail, status=status)

    with wire_errors(fail):
        response = await client.get(f"{_root(spec.base_url)}/api/tags", timeout=DISCOVERY_TIMEOUT)
    status = response.status_code
    if status >= 400:
        kind: ErrorKind = "connection" if status == 404 else classify(status)
        raise fail(kind, "no Ollama model list at this address", status)
    try:
        models = response.json()["models"] or []
        return [
            LocalModel(
                name=str(m["name"]),
                family=(m.get("details") or {}).get("family"),
                parameter_size=(m.get("details") or {}).get("parameter_size"),
                quantization=(m.get("details") or {}).get("quantization_level"),
                size_bytes=int(m["size"]) if m.get("size") is not None else None,
            )
            for m in models
        ]
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, KeyError, TypeError, ValueError):
        raise fail("malformed_response", "/api/tags did not list models") from None
