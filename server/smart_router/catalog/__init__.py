"""The model catalog: providers, prices, context windows, tiers, capability priors.

The packaged `models.json` is the base (schema in `catalog.schema`, how priors are derived in
`catalog.priors`, the fields and sources in docs/catalog.md); the user's `smartRouter.providers`
and `smartRouter.models` settings override or extend it (`catalog.overrides`), and models a
local server reports are added at run time with `Catalog.with_local_models` (`catalog.local`).
Prices are USD per million tokens, held as `Decimal`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from smart_router.catalog.local import (
    DEFAULT_LOCAL_CONTEXT,
    Discovered,
    LocalModel,
    as_local_model,
    local_model_spec,
)
from smart_router.catalog.overrides import apply_model_override, apply_provider_override, tier_priors
from smart_router.catalog.schema import ModelEntry, ProviderEntry, packaged
from smart_router.catalog.specs import ModelFlags, ModelSpec, ProviderSpec, frozen_priors
from smart_router.config import INTENTS, ModelOverride, Settings
from smart_router.errors import ConfigError

__all__ = [
    "DEFAULT_LOCAL_CONTEXT",
    "INTENTS",
    "Catalog",
    "Discovered",
    "LocalModel",
    "ModelFlags",
    "ModelSpec",
    "ProviderSpec",
    "load_catalog",
]


@dataclass(frozen=True, slots=True)
class Catalog:
    """Providers and models after the user's overrides."""

    providers: dict[str, ProviderSpec]
    models: dict[str, ModelSpec]
    pending: Mapping[str, tuple[int, ModelOverride]] = field(default_factory=lambda: MappingProxyType({}))
    """User entries for local models not discovered yet, by id, with their index in the settings."""
    discovered: frozenset[str] = frozenset()
    """Ids added by `with_local_models`."""

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

    def with_local_models(
        self,
        found: Iterable[Discovered | tuple[str, str | None] | tuple[str, str | None, int | None]],
        *,
        provider: str = "ollama",
    ) -> Catalog:
        """A new catalog whose `<provider>/<name>` models are exactly `found`: `(name, family[,
        context_window])` tuples or discovery records with `name` and `family`, at price 0, tier
        `local`. A model the user defined in settings under the same id wins; the user's partial
        entries for these ids apply on top."""
        spec = self.provider(provider)
        prefix = f"{provider}/"
        models = {
            mid: m
            for mid, m in self.models.items()
            if not (mid in self.discovered and mid.startswith(prefix))
        }
        added: set[str] = {d for d in self.discovered if not d.startswith(prefix)}
        for item in found:
            local = as_local_model(item)
            mid = prefix + local.name
            if mid in models:
                continue
            m = local_model_spec(spec.id, local)
            if mid in self.pending:
                index, entry = self.pending[mid]
                m = apply_model_override(index, entry, {mid: m}, self.providers, {})
            models[mid] = m
            added.add(mid)
        return Catalog(self.providers, models, self.pending, frozenset(added))


def _provider(pid: str, p: ProviderEntry) -> ProviderSpec:
    return ProviderSpec(
        id=pid,
        name=p.name,
        base_url=p.base_url.rstrip("/"),
        api_key_env=p.api_key_env,
        local=p.local,
        enabled=bool(p.base_url),
        kind=p.kind,
        api_version=p.api_version,
    )


def _model(m: ModelEntry) -> ModelSpec:
    return ModelSpec(
        id=m.id,
        provider=m.provider,
        api_name=m.api_name,
        input_usd_per_mtok=Decimal(m.input),
        output_usd_per_mtok=Decimal(m.output),
        context_window=m.context_window,
        max_output_tokens=m.max_output,
        tier=m.tier,
        price_source=m.price_source,
        cached_input_usd_per_mtok=None if m.cached_input is None else Decimal(m.cached_input),
        price_date=m.price_date,
        family=m.family,
        priors=frozen_priors(m.priors),
        prior_source=m.prior_source,
        flags=ModelFlags(m.flags.streaming, m.flags.system_role, m.flags.json_mode, m.flags.vision),
        free=m.free,
        deprecation_date=m.deprecation_date,
        canonical=m.canonical,
    )


def _base() -> tuple[dict[str, ProviderSpec], dict[str, ModelSpec], dict[str, dict[str, float]]]:
    """The packaged providers and models, and the default priors per tier for new models."""
    data = packaged()
    providers = {pid: _provider(pid, p) for pid, p in data.providers.items()}
    models = {m.id: _model(m) for m in data.models}
    defaults = {tier: tier_priors(models, tier) for tier in ("frontier", "fast")}
    defaults["local"] = dict(frozen_priors(data.local_models.default.priors))
    return providers, models, defaults


def load_catalog(settings: Settings) -> Catalog:
    """The packaged catalog with the user's provider and model settings applied."""
    providers, models, defaults = _base()
    for pid, override in settings.providers.items():
        providers[pid] = apply_provider_override(pid, providers.get(pid), override)

    seen: dict[str, int] = {}
    pending: dict[str, tuple[int, ModelOverride]] = {}
    local_prefixes = tuple(f"{pid}/" for pid, p in providers.items() if p.local)
    for index, entry in enumerate(settings.models):
        if entry.id in seen:
            raise ConfigError(
                f"smartRouter.models[{index}]: id '{entry.id}' is also entry [{seen[entry.id]}]. "
                "Merge the two entries into one.",
                kind="bad_settings",
                model=entry.id,
            )
        seen[entry.id] = index
        incomplete = (
            entry.provider is None or entry.input_usd_per_mtok is None or entry.context_window is None
        )
        if entry.id not in models and entry.id.startswith(local_prefixes) and incomplete:
            pending[entry.id] = (index, entry)  # applies when the local server reports the model
            continue
        models[entry.id] = apply_model_override(index, entry, models, providers, defaults)
    return Catalog(providers, models, MappingProxyType(pending))
