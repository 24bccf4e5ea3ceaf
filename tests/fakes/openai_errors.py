"""OpenAI error responses, with the bodies and headers OpenAI really sends."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from fakes.control import request_id

__all__ = [
    "BAD_JSON_MESSAGE",
    "NO_KEY_MESSAGE",
    "SERVER_ERROR",
    "error_response",
    "failure_response",
    "mask_key",
]

KEYS_URL = "https://platform.openai.com/account/api-keys"
NO_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password "
    "field (with blank username) if you're accessing the API from your browser and are "
    f"prompted for a username and password. You can obtain an API key from {KEYS_URL}."
)
BAD_JSON_MESSAGE = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
    "sent was not valid JSON. If you have trouble figuring out how to fix this, please "
    "contact us through our help center at help.openai.com.)"
)

SERVER_ERROR = {
    "message": "The server had an error while processing your request. Sorry about that!",
    "type": "server_error",
    "param": None,
    "code": None,
}
"""The error object of a server error (also sent in-stream by ``stream_error``)."""
INVALID_PROMPT = (
    "Invalid prompt: your prompt was flagged as potentially violating our usage policy. "
    "Please try again with a different prompt: "
    "https://platform.openai.com/docs/guides/reasoning#advice-on-prompting"
)


def mask_key(key: str) -> str:
    """Mask an API key the way OpenAI's error messages do: ``sk-te****1234``.

    Short keys are masked completely so an error message never reveals a whole key.
    """
    if len(key) < 13:
        return "*" * len(key)
    return key[:5] + "*" * (len(key) - 9) + key[-4:]


def error_response(
    status: int,
    message: str,
    type_: str,
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """An OpenAI error response: ``{"error": {"message", "type", "param", "code"}}``."""
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    all_headers = {"x-request-id": request_id()}
    all_headers.update(headers or {})
    return JSONResponse(body, status_code=status, headers=all_headers)


def failure_response(fail: str, model: str, key: str, retry_after_s: int) -> Response | None:
    """The error response of a scenario failure mode answered before any body.

    ``None`` for modes that show in the body (``cut``, ``candidate_blocked``, ...);
    ``stream_error`` is a 500 here (a streamed request gets it in the stream instead).
    """
    if fail == "auth":
        msg = f"Incorrect API key provided: {mask_key(key)}. You can find your API key at {KEYS_URL}."
        return error_response(401, msg, "invalid_request_error", code="invalid_api_key")
    if fail == "rate_limit":
        msg = (
            f"Rate limit reached for {model} in organization org-xxx on requests per min "
            f"(RPM): Limit 3, Used 3, Requested 1. Please try again in {retry_after_s}s."
        )
        headers = {
            "retry-after": str(retry_after_s),
            "x-ratelimit-limit-requests": "3",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": f"{retry_after_s}s",
        }
        return error_response(429, msg, "requests", code="rate_limit_exceeded", headers=headers)
    if fail == "permission":
        msg = f"Project `proj_fake` does not have access to model `{model}`"
        return error_response(403, msg, "invalid_request_error", code="model_not_found")
    if fail in ("server_error", "stream_error"):
        return error_response(500, str(SERVER_ERROR["message"]), "server_error")
    if fail == "overloaded":
        msg = "The engine is currently overloaded, please try again later."
        return error_response(503, msg, "server_error")
    if fail == "not_found":
        msg = f"The model `{model}` does not exist or you do not have access to it."
        return error_response(404, msg, "invalid_request_error", code="model_not_found")
    if fail == "context_length":
        msg = (
            "This model's maximum context length is 128000 tokens. However, your messages "
            "resulted in 130000 tokens. Please reduce the length of the messages."
        )
        return error_response(
            400, msg, "invalid_request_error", param="messages", code="context_length_exceeded"
        )
    if fail in ("content_filter", "prompt_blocked"):
        return error_response(400, INVALID_PROMPT, "invalid_request_error", code="invalid_prompt")
    return None
