"""The model catalog: providers, prices, context windows and tiers.

The packaged `models.json` is the base; the user's `smartRouter.providers` and
`smartRouter.models` settings override or extend it. Prices are USD per million tokens,
held as `Decimal`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any

from smart_router.config import Settings
from smart_router.errors import ConfigError

__all__ = ["Catalog", "ModelSpec", "ProviderSpec", "load_catalog"]


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """Where a provider lives and how to authenticate against it."""

    id: str
    name: str
    base_url: str
    api_key_env: str | None
    local: bool = False
    enabled: bool = True
    kind: str = "openai"

    @property
    def needs_key(self) -> bool:
        return not self.local


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One model as the router sees it."""

    id: str
    provider: str
    api_name: str
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    context_window: int
    max_output_tokens: int
    tier: str
    price_source: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """Providers and models after the user's overrides."""

    providers: dict[str, ProviderSpec]
    models: dict[str, ModelSpec]

    def model(self, model_id: str) -> ModelSpec:
        try:
            return self.models[model_id]
        except KeyError:
            known = ", ".join(sorted(self.models))
            raise ConfigError(
                f"Unknown model '{model_id}'. Use one of: {known}; or add it under smartRouter.models.",
                kind="unknown_model",
                model=model_id,
            ) from None

    def provider(self, provider_id: str) -> ProviderSpec:
        try:
            return self.providers[provider_id]
        except KeyError:
            known = ", ".join(sorted(self.providers))
            raise ConfigError(
                f"Unknown provider '{provider_id}'. Use one of: {known}; "
                "or add it under smartRouter.providers with a baseUrl.",
                kind="unknown_provider",
                provider=provider_id,
            ) from None


def _packaged() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("models.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_catalog(settings: Settings) -> Catalog:
    """The packaged catalog with the user's provider and model settings applied."""
    data = _packaged()
    providers = {
        pid: ProviderSpec(
            id=pid,
            name=p["name"],
            base_url=p["baseUrl"],
            api_key_env=p.get("apiKeyEnv"),
            local=bool(p.get("local", False)),
        )
        for pid, p in data["providers"].items()
    }
    for pid, override in settings.providers.items():
        base = providers.get(pid)
        if base is None:
            if not override.base_url:
                raise ConfigError(
                    f"smartRouter.providers.{pid}: a new provider needs a baseUrl.",
                    kind="bad_settings",
                    provider=pid,
                )
            base = ProviderSpec(id=pid, name=pid, base_url=override.base_url, api_key_env=None)
        providers[pid] = replace(
            base,
            base_url=(override.base_url or base.base_url).rstrip("/"),
            api_key_env=override.api_key_env or base.api_key_env,
            enabled=override.enabled,
            kind=override.kind,
        )

    source = data["priceSource"]
    models = {
        m["id"]: ModelSpec(
            id=m["id"],
            provider=m["provider"],
            api_name=m.get("apiName", m["id"]),
            input_usd_per_mtok=Decimal(m["input"]),
            output_usd_per_mtok=Decimal(m["output"]),
            context_window=m["contextWindow"],
            max_output_tokens=m["maxOutput"],
            tier=m["tier"],
            price_source=source,
        )
        for m in data["models"]
    }
    for m in settings.models:
        if m.provider not in providers:
            raise ConfigError(
                f"smartRouter.models: model '{m.id}' names unknown provider '{m.provider}'. "
                f"Use one of: {', '.join(sorted(providers))}.",
                kind="bad_settings",
                model=m.id,
            )
        models[m.id] = ModelSpec(
            id=m.id,
            provider=m.provider,
            api_name=m.api_name or m.id,
            input_usd_per_mtok=m.input_usd_per_mtok,
            output_usd_per_mtok=m.output_usd_per_mtok,
            context_window=m.context_window,
            max_output_tokens=m.max_output_tokens,
            tier=m.tier,
            price_source="user settings",
        )
    return Catalog(providers=providers, models=models)
