"""What every HTTP adapter shares: the adapter base, reading retry delays, transport errors."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable, Iterator
from contextlib import aclosing, contextmanager
from email.utils import parsedate_to_datetime
from time import time
from typing import Any

import httpx
import httpx_sse

from smart_router.catalog import ProviderSpec
from smart_router.errors import ProviderError
from smart_router.providers.errors import ErrorKind, provider_error

__all__ = ["HttpAdapter", "is_event_stream", "retry_after_s", "wire_errors"]


class HttpAdapter:
    """What every HTTP adapter shares: its provider entry, the one client, the key, and errors
    built through `providers.errors` (which keeps the key out of every message)."""

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient, api_key: str | None) -> None:
        self.id = spec.id
        self._spec = spec
        self._client = client
        self._key = api_key

    def _error(
        self,
        kind: ErrorKind,
        model: str,
        *,
        detail: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> ProviderError:
        return provider_error(
            self._spec, kind, model, detail=detail, status=status, retry_after_s=retry_after, key=self._key
        )

    def _json_object(self, data: str, model: str) -> dict[str, Any]:
        """One stream message as a JSON object; anything else is a malformed answer."""
        try:
            value = json.loads(data)
        except json.JSONDecodeError:
            raise self._error(
                "malformed_response", model, detail="a stream message is not valid JSON"
            ) from None
        if not isinstance(value, dict):
            raise self._error("malformed_response", model, detail="a stream message is not a JSON object")
        return value

    def _status_error(self, response: httpx.Response, model: str) -> ProviderError:
        """The error an answer that is not a stream stands for (each provider reads its own body)."""
        raise NotImplementedError

    def _headers(self) -> dict[str, str]:
        raise NotImplementedError

    async def _sse_data(self, url: str, body: dict[str, Any], model: str) -> AsyncGenerator[str, None]:
        """POST `body` and yield the data of each non-empty server-sent event; an error answer is
        raised through `_status_error`, transport failures through `wire_errors`. Use it inside
        `contextlib.aclosing`, so breaking off closes the stream."""
        with wire_errors(lambda kind, detail: self._error(kind, model, detail=detail)):
            async with httpx_sse.aconnect_sse(
                self._client, "POST", url, json=body, headers=self._headers()
            ) as source:
                response = source.response
                if response.status_code >= 400 or not is_event_stream(response):
                    await response.aread()
                    raise self._status_error(response, model)
                async with aclosing(source.aiter_sse()) as events:
                    async for sse in events:
                        if sse.data.strip():
                            yield sse.data


def retry_after_s(headers: httpx.Headers) -> float | None:
    """The delay a provider asks for: `retry-after-ms`, else `retry-after` in seconds or as a date."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time(), 0.0)
    except (TypeError, ValueError, IndexError):
        return None


def is_event_stream(response: httpx.Response) -> bool:
    """Whether the answer is a server-sent event stream (else it is an error body, or not an answer)."""
    return "text/event-stream" in response.headers.get("content-type", "")


@contextmanager
def wire_errors(fail: Callable[[ErrorKind, str], ProviderError]) -> Iterator[None]:
    """Turn transport failures inside the block into `ProviderError`s made by `fail(kind, detail)`."""
    try:
        yield
    except httpx_sse.SSEError:
        raise fail("malformed_response", "the answer is not an event stream") from None
    except httpx.ConnectTimeout:
        raise fail("connection", "connecting timed out") from None
    except httpx.TimeoutException:
        raise fail("timeout", "") from None
    except httpx.ConnectError:
        raise fail("connection", "") from None
    except (httpx.RemoteProtocolError, httpx.ReadError):
        raise fail("stream_interrupted", "the connection closed in the middle of the answer") from None
    except httpx.DecodingError:
        raise fail("malformed_response", "the answer cannot be decoded") from None
    except (httpx.TransportError, httpx.InvalidURL) as exc:
        raise fail("connection", type(exc).__name__) from None
