"""`make_provider` picks the adapter for a provider's wire format and refuses an unknown one."""

from __future__ import annotations

import httpx
import pytest

from smart_router.catalog import ProviderSpec
from smart_router.errors import ConfigError
from smart_router.providers import (
    KINDS,
    AnthropicProvider,
    AzureOpenAIProvider,
    GeminiProvider,
    OllamaProvider,
    OpenAICompatProvider,
    make_provider,
)


@pytest.mark.parametrize(
    ("kind", "adapter"),
    [
        ("openai", OpenAICompatProvider),
        ("azure", AzureOpenAIProvider),
        ("anthropic", AnthropicProvider),
        ("gemini", GeminiProvider),
        ("ollama", OllamaProvider),
    ],
)
async def test_each_kind_gets_its_adapter(kind: str, adapter: type) -> None:
    spec = ProviderSpec("p", "P", "http://p.test", None, kind=kind)
    async with httpx.AsyncClient() as client:
        provider = make_provider(spec, client, "key")
    assert type(provider) is adapter and provider.id == "p"
    assert kind in KINDS


async def test_an_unknown_kind_is_a_config_error_naming_the_setting_and_the_choices() -> None:
    spec = ProviderSpec("bedrock", "Bedrock", "http://b.test", None, kind="bedrock")
    async with httpx.AsyncClient() as client:
        with pytest.raises(ConfigError) as info:
            make_provider(spec, client, "secret-key-123456")
    err = info.value
    assert err.kind == "bad_settings" and err.provider == "bedrock"
    assert "smartRouter.providers.bedrock.kind" in err.message and "anthropic" in err.message
    assert "secret-key" not in err.message
