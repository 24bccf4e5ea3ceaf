"""What the router knows about a provider and a model, after the user's overrides."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

__all__ = ["ModelFlags", "ModelSpec", "ProviderSpec", "frozen_priors"]


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """Where a provider lives, which wire format it speaks and how to authenticate against it."""

    id: str
    name: str
    base_url: str
    api_key_env: str | None
    local: bool = False
    enabled: bool = True
    kind: str = "openai"
    """Wire format: `openai` (Chat Completions), `azure`, `anthropic`, `gemini` or `ollama`."""
    api_version: str | None = None
    """Azure OpenAI's `api-version`; None for the other kinds."""

    @property
    def needs_key(self) -> bool:
        return not self.local


@dataclass(frozen=True, slots=True)
class ModelFlags:
    """What a model supports, as its provider documents it."""

    streaming: bool = True
    system_role: bool = True
    """Takes a system prompt (the adapter places it where the provider wants it)."""
    json_mode: bool = False
    """Has a native JSON output mode (else the adapter asks for JSON in the prompt)."""
    vision: bool = False


def frozen_priors(priors: Mapping[Any, float]) -> Mapping[str, float]:
    """A read-only copy of priors keyed by intent."""
    return MappingProxyType({str(k): float(v) for k, v in priors.items()})


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One model as the router sees it. Prices are USD per million tokens."""

    id: str
    provider: str
    api_name: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    context_window: int
    """Most input tokens a request may carry."""
    max_output_tokens: int
    tier: str
    """`frontier`, `fast` or `local`."""
    price_source: str
    cached_input_usd_per_mtok: Decimal | None = None
    """Price of input tokens read from the provider's prompt cache; None: no cache discount known."""
    price_date: str | None = None
    """When the price was read from `price_source` (YYYY-MM-DD); None for user and local models."""
    family: str = "openai"
    """Tokenizer and prompt-style family: openai, claude, gemini, deepseek, qwen, glm, llama, ..."""
    priors: Mapping[str, float] = field(default_factory=lambda: frozen_priors({}), hash=False)
    """Capability prior (0-10) per intent, see docs/catalog.md."""
    prior_source: str = ""
    flags: ModelFlags = ModelFlags()
    free: bool = False
    """The provider charges nothing for it (explicitly free, not local)."""
    deprecation_date: str | None = None
    """When the provider retires it, if announced (YYYY-MM-DD)."""
    canonical: str | None = None
    """Id of the model this deployment serves under another provider (OpenRouter, Azure, ...):
    deployments with the same canonical name are the same model, equivalent for routing."""

    @property
    def canonical_id(self) -> str:
        """The model's name across deployments: `canonical`, else its own id."""
        return self.canonical or self.id

    def prior(self, intent: str) -> float:
        """The capability prior for `intent` (0-10)."""
        return self.priors[intent]
