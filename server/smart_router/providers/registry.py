"""Which adapter speaks a provider's wire format: `make_provider` dispatches on `ProviderSpec.kind`.

kind        adapter                 wire format
openai      OpenAICompatProvider    Chat Completions (OpenAI, OpenRouter, DeepSeek, LiteLLM, ...)
azure       AzureOpenAIProvider     Chat Completions on an Azure OpenAI deployment
anthropic   AnthropicProvider       Anthropic Messages
gemini      GeminiProvider          Gemini streamGenerateContent
ollama      OllamaProvider          Ollama /api/chat (NDJSON)
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from smart_router.catalog import ProviderSpec
from smart_router.errors import ConfigError
from smart_router.providers.anthropic import AnthropicProvider
from smart_router.providers.base import Provider
from smart_router.providers.gemini import GeminiProvider
from smart_router.providers.ollama import OllamaProvider
from smart_router.providers.openai_compat import AzureOpenAIProvider, OpenAICompatProvider

__all__ = ["KINDS", "make_provider"]

_Factory = Callable[[ProviderSpec, httpx.AsyncClient, "str | None"], Provider]

_FACTORIES: dict[str, _Factory] = {
    "openai": OpenAICompatProvider,
    "azure": AzureOpenAIProvider,
    "anthropic": AnthropicProvider,
    "gemini": GeminiProvider,
    "ollama": OllamaProvider,
}

KINDS: tuple[str, ...] = tuple(_FACTORIES)
"""The wire formats Smart Router speaks (the values of a provider's `kind`)."""


def make_provider(spec: ProviderSpec, client: httpx.AsyncClient, api_key: str | None) -> Provider:
    """The adapter for `spec`, sharing `client`; `ConfigError` when its kind is unknown."""
    factory = _FACTORIES.get(spec.kind)
    if factory is None:
        raise ConfigError(
            f"smartRouter.providers.{spec.id}.kind: unknown wire format '{spec.kind}'. "
            f"Use one of: {', '.join(KINDS)}.",
            kind="bad_settings",
            provider=spec.id,
        )
    return factory(spec, client, api_key)
