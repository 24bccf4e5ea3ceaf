"""The unified request and stream of events every provider adapter speaks.

An adapter turns one `ChatRequest` into its provider's wire format and yields, in order:
one `Start`, any number of `TextDelta`s, at most one `Usage` (when the provider reports it),
and one `Done`. A failure, before the first event or midway, is raised as
`smart_router.errors.ProviderError` (its `kind` from `providers.errors`): that is the stream's
error event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = [
    "ChatRequest",
    "Done",
    "Message",
    "Provider",
    "Start",
    "StreamEvent",
    "TextDelta",
    "Usage",
]


@dataclass(frozen=True, slots=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One chat completion request, independent of any provider's wire format."""

    model: str
    """The provider's name for the model."""
    messages: tuple[Message, ...]
    max_output_tokens: int
    temperature: float | None = None
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    response_format: Literal["text", "json"] = "text"
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class Start:
    """The provider accepted the request and started answering."""

    model: str
    """The model name the provider reports (may differ from the one asked for)."""
    response_id: str | None = None


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Token usage as the provider reports it."""

    input_tokens: int
    output_tokens: int
    cached_input_tokens: int = 0
    """Part of `input_tokens` served from the provider's prompt cache (cheaper)."""


@dataclass(frozen=True, slots=True)
class Done:
    finish_reason: str | None


StreamEvent = Start | TextDelta | Usage | Done


class Provider(Protocol):
    """A provider adapter: turns a `ChatRequest` into a stream of events.

    Failures raise `smart_router.errors.ProviderError` with the right `kind` and
    `retryable`, whether they happen before the first event or in the middle of the stream.
    """

    id: str

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]: ...
