"""The unified request and stream of events every provider adapter speaks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol

__all__ = ["ChatRequest", "Done", "Message", "Provider", "StreamEvent", "TextDelta", "Usage"]


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


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


@dataclass(frozen=True, slots=True)
class Usage:
    """Token usage as the provider reports it."""

    input_tokens: int
    output_tokens: int


@dataclass(frozen=True, slots=True)
class Done:
    finish_reason: str | None


StreamEvent = TextDelta | Usage | Done


class Provider(Protocol):
    """A provider adapter: turns a `ChatRequest` into a stream of events.

    Failures raise `smart_router.errors.ProviderError` with the right `kind` and
    `retryable`, whether they happen before the first event or in the middle of the stream.
    """

    id: str

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]: ...
