"""Provider adapters: one wire format each, one stream of events for all."""

from smart_router.providers.base import (
    ChatRequest,
    Message,
    Provider,
    Start,
    StreamEvent,
    TextDelta,
    Usage,
)
from smart_router.providers.openai_compat import OpenAICompatProvider

__all__ = [
    "ChatRequest",
    "Message",
    "OpenAICompatProvider",
    "Provider",
    "Start",
    "StreamEvent",
    "TextDelta",
    "Usage",
]
