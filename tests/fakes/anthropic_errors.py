"""Anthropic Messages API error responses, with the bodies and statuses Anthropic sends.

Every error is ``{"type": "error", "error": {"type", "message"}, "request_id"}`` with
the same id in the ``request-id`` header.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from starlette.responses import JSONResponse, Response

from fakes.control import request_id

__all__ = [
    "API_VERSIONS",
    "OVERLOADED_EVENT",
    "anthropic_error",
    "failure_response",
    "invalid_request",
]

API_VERSIONS = frozenset({"2023-06-01", "2023-01-01"})
"""Values of the ``anthropic-version`` header the API accepts."""

OVERLOADED = {"type": "overloaded_error", "message": "Overloaded"}
OVERLOADED_EVENT = (
    "event: error\ndata: "
    + json.dumps({"type": "error", "error": OVERLOADED}, separators=(",", ":"))
    + "\n\n"
).encode()
"""The in-stream ``error`` event of an overloaded API (sent by ``stream_error``)."""

RATE_LIMIT_MESSAGE = (
    "This request would exceed the rate limit for your organization "
    "(00000000-0000-0000-0000-000000000000) of 50 requests per minute. For details, refer to: "
    "https://docs.claude.com/en/api/rate-limits. You can see the response headers for current "
    "usage. Please reduce the prompt length or the maximum tokens requested, or try again later. "
    "You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options "
    "for a rate limit increase."
)


def anthropic_error(
    status: int, type_: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An Anthropic error response."""
    rid = request_id()
    body = {"type": "error", "error": {"type": type_, "message": message}, "request_id": rid}
    return JSONResponse(body, status_code=status, headers={"request-id": rid, **(headers or {})})


def invalid_request(message: str) -> JSONResponse:
    """A 400 ``invalid_request_error``."""
    return anthropic_error(400, "invalid_request_error", message)


def _rate_limit_headers(retry_after_s: int) -> dict[str, str]:
    reset = (datetime.now(UTC) + timedelta(seconds=retry_after_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "retry-after": str(retry_after_s),
        "anthropic-ratelimit-requests-limit": "50",
        "anthropic-ratelimit-requests-remaining": "0",
        "anthropic-ratelimit-requests-reset": reset,
    }


def failure_response(fail: str, model: str, retry_after_s: int) -> Response | None:
    """The error response of a scenario failure mode answered before any body.

    ``None`` for modes that show in the body; ``stream_error`` is a 529 here (a
    streamed request gets the ``error`` event instead).
    """
    if fail == "auth":
        return anthropic_error(401, "authentication_error", "invalid x-api-key")
    if fail == "permission":
        msg = "Your API key does not have permission to use the specified resource."
        return anthropic_error(403, "permission_error", msg)
    if fail == "rate_limit":
        headers = _rate_limit_headers(retry_after_s)
        return anthropic_error(429, "rate_limit_error", RATE_LIMIT_MESSAGE, headers)
    if fail == "server_error":
        return anthropic_error(500, "api_error", "Internal server error")
    if fail in ("overloaded", "stream_error"):
        return anthropic_error(529, OVERLOADED["type"], OVERLOADED["message"])
    if fail == "not_found":
        return anthropic_error(404, "not_found_error", f"model: {model}")
    if fail == "context_length":
        return invalid_request("prompt is too long: 210000 tokens > 200000 maximum")
    if fail in ("content_filter", "prompt_blocked"):
        return invalid_request("Output blocked by content filtering policy")
    return None
