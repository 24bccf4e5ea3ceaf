"""Provider adapters: one wire format each, one stream of events for all.

`make_provider(spec, client, key)` picks the adapter for a provider's `kind`; `translate`
holds the style profiles that turn the unified `ChatRequest` into each dialect.
"""

from smart_router.providers.anthropic import AnthropicProvider
from smart_router.providers.base import (
    ChatRequest,
    Done,
    Message,
    Provider,
    Start,
    StreamEvent,
    TextDelta,
    Usage,
)
from smart_router.providers.gemini import GeminiProvider
from smart_router.providers.ollama import LocalModel, OllamaProvider, list_local_models
from smart_router.providers.openai_compat import AzureOpenAIProvider, OpenAICompatProvider
from smart_router.providers.registry import KINDS, make_provider

__all__ = [
    "KINDS",
    "AnthropicProvider",
    "AzureOpenAIProvider",
    "ChatRequest",
    "Done",
    "GeminiProvider",
    "LocalModel",
    "Message",
    "OllamaProvider",
    "OpenAICompatProvider",
    "Provider",
    "Start",
    "StreamEvent",
    "TextDelta",
    "Usage",
    "list_local_models",
    "make_provider",
]
