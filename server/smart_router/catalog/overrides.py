"""The user's `smartRouter.providers` and `smartRouter.models` applied to the packaged catalog.

A provider entry changes the fields it names; a new provider needs a `baseUrl`. A model entry
whose `id` is in the catalog changes only the fields it names (priors per intent); a new id
also needs `provider`, both prices and `contextWindow`. Every error names the entry, the field
and what to do.
"""

from __future__ import annotations

import difflib
import statistics
from collections.abc import Mapping
from dataclasses import replace

from smart_router.catalog.specs import ModelFlags, ModelSpec, ProviderSpec, frozen_priors
from smart_router.config import INTENTS, ModelOverride, ProviderOverride
from smart_router.errors import ConfigError

__all__ = ["AZURE_DEFAULT_API_VERSION", "apply_model_override", "apply_provider_override", "tier_priors"]

AZURE_DEFAULT_API_VERSION = "2024-10-21"
_NEW_MODEL_NEEDS = {
    "provider": "provider",
    "input_usd_per_mtok": "inputUsdPerMtok",
    "output_usd_per_mtok": "outputUsdPerMtok",
    "context_window": "contextWindow",
}
_USER = "user settings (smartRouter.models)"


def _bad(message: str, **details: str) -> ConfigError:
    return ConfigError(message, kind="bad_settings", **details)


def apply_provider_override(pid: str, base: ProviderSpec | None, o: ProviderOverride) -> ProviderSpec:
    """`base` (None for a new provider) with the user's entry for it."""
    if base is None:
        if not o.base_url:
            raise _bad(
                f"smartRouter.providers.{pid}: a new provider needs a baseUrl. Add it, or use one of "
                "the built-in provider ids.",
                provider=pid,
            )
        base = ProviderSpec(id=pid, name=pid, base_url=o.base_url, api_key_env=None)
    kind = o.kind or base.kind
    api_version = o.api_version or base.api_version
    if kind == "azure" and not api_version:
        api_version = AZURE_DEFAULT_API_VERSION
    base_url = (o.base_url or base.base_url).rstrip("/")
    return replace(
        base,
        base_url=base_url,
        api_key_env=o.api_key_env or base.api_key_env,
        enabled=o.enabled and bool(base_url),
        kind=kind,
        api_version=api_version,
        local=base.local if o.local is None else o.local,
    )


def tier_priors(models: Mapping[str, ModelSpec], tier: str) -> dict[str, float]:
    """Per intent, the median prior of the catalog's models of `tier` (empty when it has none)."""
    same = [m for m in models.values() if m.tier == tier and m.priors]
    if not same:
        return {}
    return {i: round(statistics.median(m.priors[i] for m in same), 1) for i in INTENTS}


def apply_model_override(
    index: int,
    o: ModelOverride,
    models: Mapping[str, ModelSpec],
    providers: Mapping[str, ProviderSpec],
    defaults: Mapping[str, dict[str, float]],
) -> ModelSpec:
    """The catalog model `o.id` with the user's fields, or the new model the entry describes.

    `defaults` are the priors, per tier, of a new model that gives none (or only some).
    """
    where = f"smartRouter.models[{index}] (id '{o.id}')"
    base = models.get(o.id)
    if o.provider is not None and o.provider not in providers:
        raise _bad(
            f"{where}: model '{o.id}' names unknown provider '{o.provider}'. Use one of: "
            f"{', '.join(sorted(providers))}; or add it under smartRouter.providers with a baseUrl.",
            model=o.id,
        )
    if o.canonical is not None and o.canonical not in models:
        close = difflib.get_close_matches(o.canonical, list(models), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise _bad(
            f"{where}.canonical: '{o.canonical}' is not a catalog model{hint}. Name the catalog id of "
            "the model this entry serves, or drop canonical.",
            model=o.id,
        )
    if base is None:
        missing = [alias for f, alias in _NEW_MODEL_NEEDS.items() if getattr(o, f) is None]
        if missing:
            close = difflib.get_close_matches(o.id, list(models), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise _bad(
                f"{where}: '{o.id}' is not in the catalog{hint}, so a new model also needs "
                f"{', '.join(missing)}. Add them, or use the id of a catalog model to override its fields.",
                model=o.id,
            )
        assert o.provider and o.input_usd_per_mtok is not None and o.output_usd_per_mtok is not None
        assert o.context_window is not None
        tier = o.tier or "fast"
        base = ModelSpec(
            id=o.id,
            provider=o.provider,
            api_name=o.api_name or o.id,
            input_usd_per_mtok=o.input_usd_per_mtok,
            output_usd_per_mtok=o.output_usd_per_mtok,
            context_window=o.context_window,
            max_output_tokens=min(4096, o.context_window),
            tier=tier,
            price_source=_USER,
            priors=frozen_priors(defaults.get(tier, {})),
            prior_source=f"median of the catalog's {tier} models (no priors given)",
        )
    return _merge(base, o, where)


def _merge(base: ModelSpec, o: ModelOverride, where: str) -> ModelSpec:
    changes: dict[str, object] = {}
    for name in (
        "provider",
        "api_name",
        "context_window",
        "max_output_tokens",
        "tier",
        "family",
        "free",
        "canonical",
    ):
        value = getattr(o, name)
        if value is not None:
            changes[name] = value
    prices = {
        "input_usd_per_mtok": o.input_usd_per_mtok,
        "output_usd_per_mtok": o.output_usd_per_mtok,
        "cached_input_usd_per_mtok": o.cached_input_usd_per_mtok,
    }
    given = {k: v for k, v in prices.items() if v is not None}
    if given or o.price_source:
        changes.update(given)
        changes["price_source"] = o.price_source or _USER
        changes["price_date"] = o.price_date
    if o.priors:
        kept = [i for i in INTENTS if i not in o.priors]
        changes["priors"] = frozen_priors({**base.priors, **frozen_priors(o.priors)})
        changes["prior_source"] = o.prior_source or (
            f"{_USER} for {', '.join(o.priors)}" + (f"; other intents: {base.prior_source}" if kept else "")
        )
    elif o.prior_source:
        changes["prior_source"] = o.prior_source
    if o.flags is not None:
        f = o.flags
        changes["flags"] = ModelFlags(
            streaming=base.flags.streaming if f.streaming is None else f.streaming,
            system_role=base.flags.system_role if f.system_role is None else f.system_role,
            json_mode=base.flags.json_mode if f.json_mode is None else f.json_mode,
            vision=base.flags.vision if f.vision is None else f.vision,
        )
    spec = replace(base, **changes)  # type: ignore[arg-type]
    if len(spec.priors) != len(INTENTS):
        raise _bad(
            f"{where}: give priors for every intent ({', '.join(INTENTS)}), 0-10 each: the catalog has "
            "no models of this tier to take defaults from.",
            model=spec.id,
        )
    if spec.free and (spec.input_usd_per_mtok != 0 or spec.output_usd_per_mtok != 0):
        raise _bad(
            f"{where}: free is true but a price is not 0. Set both prices to 0 or drop free.", model=spec.id
        )
    return spec
