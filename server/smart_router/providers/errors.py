"""One error taxonomy for every provider: kinds, whether they are retryable, what to tell the user.

Adapters parse their provider's error body into a status, a code and a detail, and call
`classify`; or, for failures that have no HTTP status (timeouts, broken streams), `provider_error`
with the kind directly. Details are redacted: a key never reaches a message.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from smart_router.errors import ProviderError

if TYPE_CHECKING:
    from smart_router.catalog import ProviderSpec

__all__ = ["RETRYABLE", "ErrorKind", "classify", "provider_error", "redact"]

ErrorKind = Literal[
    "auth",
    "permission",
    "model_not_found",
    "rate_limited",
    "overloaded",
    "context_too_long",
    "content_filtered",
    "timeout",
    "connection",
    "malformed_response",
    "stream_interrupted",
    "provider_unavailable",
    "provider_error",
]

RETRYABLE: frozenset[str] = frozenset(
    {
        "rate_limited",
        "overloaded",
        "timeout",
        "connection",
        "malformed_response",
        "stream_interrupted",
        "provider_unavailable",
    }
)

_KEYLIKE = re.compile(r"\b(sk|key|api|AIza)[-_]?[A-Za-z0-9*_\-.]{6,}", re.IGNORECASE)


def redact(text: str, secret: str | None) -> str:
    """`text` with the key, and anything shaped like a key, removed."""
    if secret:
        text = text.replace(secret, "***")
    return _KEYLIKE.sub("***", text)


def _advice(spec: ProviderSpec, kind: str, model: str, retry_after: float | None) -> str:
    key_hint = "'Smart Router: Set API Key'" + (
        f" or the {spec.api_key_env} environment variable" if spec.api_key_env else ""
    )
    wait = (
        f" Retry in {retry_after:g} s or pick another model."
        if retry_after is not None
        else (" Retry shortly or pick another model.")
    )
    return {
        "auth": f"rejected the API key. Set a valid key with {key_hint}.",
        "permission": f"refused access to '{model}' with this key. Check the key's permissions "
        f"or set another with {key_hint}.",
        "model_not_found": f"does not know model '{model}'. Check its apiName in smartRouter.models "
        "or pick another model.",
        "rate_limited": "rate limit reached." + wait,
        "overloaded": "is overloaded right now." + wait,
        "context_too_long": f"says the prompt is too long for '{model}'. Shorten it or pick a model "
        "with a larger context window.",
        "content_filtered": "blocked the request or the answer with its content filter. Rephrase "
        "the prompt or pick another model.",
        "timeout": "did not answer in time. Raise smartRouter.requestTimeoutSeconds or retry.",
        "connection": f"cannot be reached at {spec.base_url}. Check that it is running and "
        f"smartRouter.providers.{spec.id}.baseUrl.",
        "malformed_response": "sent an answer Smart Router cannot read. Retry or pick another model.",
        "stream_interrupted": "broke off the answer in the middle of the stream. Retry.",
        "provider_unavailable": "failed on its side. Retry shortly or pick another model.",
        "provider_error": "refused the request.",
    }[kind]


def provider_error(
    spec: ProviderSpec,
    kind: ErrorKind,
    model: str,
    *,
    detail: str = "",
    status: int | None = None,
    retry_after_s: float | None = None,
    key: str | None = None,
) -> ProviderError:
    """The error of `kind`, with a message that says what happened and what to do."""
    where = f" ({status})" if status else ""
    message = f"{spec.name}{where} {_advice(spec, kind, model, retry_after_s)}"
    detail = redact(detail.strip(), key)
    if detail and kind not in ("auth",):  # an auth detail may echo a masked key: left out
        message += f" Provider said: {detail[:300]}"
    return ProviderError(
        message,
        kind=kind,
        provider=spec.id,
        model=model,
        retryable=kind in RETRYABLE,
        retry_after_s=retry_after_s,
        status=status,
    )


_FILTER_WORDS = ("invalid_prompt", "content filter", "flagged as potentially violating")
"""OpenAI's `invalid_prompt` and Anthropic's "content filtering policy" wording."""


def classify(status: int, code: str = "", detail: str = "") -> ErrorKind:
    """The kind of an HTTP error from its status and the provider's error code or type."""
    hint = f"{code} {detail}".lower()
    if status == 429:  # its text often says tokens were exceeded: still a rate limit
        return "rate_limited"
    if any(word in hint for word in _FILTER_WORDS):
        return "content_filtered"
    if "context length" in hint and "exceed" in hint:  # Ollama's wording
        return "context_too_long"
    if (
        "context_length" in hint
        or "too long" in hint
        or "maximum context" in hint
        or ("token" in hint and "exceed" in hint)
    ):
        return "context_too_long"
    if "content_filter" in hint or "content_policy" in hint or "safety" in hint:
        return "content_filtered"
    if "overloaded" in hint or status == 529:
        return "overloaded"
    if status == 401:
        return "auth"
    if status == 403:
        return "permission"
    if status == 404:
        return "model_not_found"
    if status == 429:
        return "rate_limited"
    if status == 503:
        return "overloaded"
    if status == 408 or status == 504:
        return "timeout"
    if status >= 500:
        return "provider_unavailable"
    return "provider_error"
