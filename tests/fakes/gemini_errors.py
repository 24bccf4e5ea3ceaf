"""Gemini API (Google AI) error responses: ``{"error": {"code", "message", "status", "details"}}``."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

__all__ = [
    "BLOCKED_RATINGS",
    "STREAM_ERROR",
    "bad_key",
    "failure_response",
    "google_error",
    "invalid_argument",
    "no_key",
    "unknown_field",
]

BAD_KEY_MESSAGE = "API key not valid. Please pass a valid API key."
NO_KEY_MESSAGE = (
    "Method doesn't allow unregistered callers (callers without established identity). "
    "Please use API Key or other form of API consumer identity to call this API."
)
QUOTA_MESSAGE = (
    "You exceeded your current quota, please check your plan and billing details. For more "
    "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."
)
STREAM_ERROR = {
    "code": 503,
    "message": "The model is overloaded. Please try again later.",
    "status": "UNAVAILABLE",
}
"""The error object of an overloaded model (sent in-stream by ``stream_error``)."""

BLOCKED_RATINGS = [
    {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": True},
]
"""``safetyRatings`` of a prompt or candidate blocked for ``SAFETY``."""

_TYPE = "type.googleapis.com/google.rpc."
_SERVICE = "generativelanguage.googleapis.com"


def google_error(
    code: int,
    status: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """A Google API error response."""
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=code)


def invalid_argument(message: str, details: list[dict[str, Any]] | None = None) -> JSONResponse:
    """A 400 ``INVALID_ARGUMENT``."""
    return google_error(400, "INVALID_ARGUMENT", message, details)


def unknown_field(name: str, where: str | None) -> JSONResponse:
    """The 400 for a field the request message does not have."""
    at = f" at '{where}'" if where else ""
    message = f'Invalid JSON payload received. Unknown name "{name}"{at}: Cannot find field.'
    violation = {"field": where or "", "description": message}
    return invalid_argument(message, [{"@type": _TYPE + "BadRequest", "fieldViolations": [violation]}])


def bad_key() -> JSONResponse:
    """The 400 of an API key that does not authenticate (it is not a 401 at Google)."""
    details: list[dict[str, Any]] = [
        {
            "@type": _TYPE + "ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": _SERVICE},
        },
        {"@type": _TYPE + "LocalizedMessage", "locale": "en-US", "message": BAD_KEY_MESSAGE},
    ]
    return invalid_argument(BAD_KEY_MESSAGE, details)


def no_key() -> JSONResponse:
    """The 403 of a request without any API key."""
    return google_error(403, "PERMISSION_DENIED", NO_KEY_MESSAGE)


def _quota(model: str, retry_after_s: int) -> JSONResponse:
    violation = {
        "quotaMetric": f"{_SERVICE}/generate_content_free_tier_requests",
        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        "quotaDimensions": {"location": "global", "model": model},
        "quotaValue": "10",
    }
    details: list[dict[str, Any]] = [
        {"@type": _TYPE + "QuotaFailure", "violations": [violation]},
        {
            "@type": _TYPE + "Help",
            "links": [
                {
                    "description": "Learn more about Gemini API quotas",
                    "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
                }
            ],
        },
        {"@type": _TYPE + "RetryInfo", "retryDelay": f"{retry_after_s}s"},
    ]
    return google_error(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, details)


def failure_response(fail: str, model: str, retry_after_s: int) -> Response | None:
    """The error response of a scenario failure mode answered before any body.

    ``None`` for modes that show in a 200 body (safety blocks, ``cut``, ...);
    ``stream_error`` is a 503 here (a streamed request gets it in the stream instead).
    """
    if fail == "auth":
        return bad_key()
    if fail == "permission":
        return google_error(403, "PERMISSION_DENIED", "The caller does not have permission")
    if fail == "rate_limit":
        return _quota(model, retry_after_s)
    if fail == "server_error":
        message = (
            "An internal error has occurred. Please retry or report in "
            "https://developers.generativeai.google/guide/troubleshooting"
        )
        return google_error(500, "INTERNAL", message)
    if fail in ("overloaded", "stream_error"):
        return google_error(503, "UNAVAILABLE", str(STREAM_ERROR["message"]))
    if fail == "not_found":
        message = (
            f"models/{model} is not found for API version v1beta, or is not supported for "
            "generateContent. Call ListModels to see the list of available models and their "
            "supported methods."
        )
        return google_error(404, "NOT_FOUND", message)
    if fail == "context_length":
        message = "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."
        return invalid_argument(message)
    return None
