"""What every HTTP adapter shares: the adapter base, reading retry delays, transport errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from time import time

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
