"""Model selection: the user's chosen model, else the cheapest usable one.

A model is usable when its provider is enabled and has a key (or is local), the prompt fits
its context window, and its provider has not retired it. The ranked rest is the fallback chain.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from smart_router.catalog import Catalog, ModelSpec, ProviderSpec
from smart_router.errors import ConfigError, ContextTooLongError
from smart_router.tokens import cost_micro_usd

__all__ = ["TYPICAL_ANSWER_TOKENS", "Candidate", "Decision", "select_model"]

TYPICAL_ANSWER_TOKENS = 400
"""Answer length assumed for the estimated cost; the maximum cost uses the output cap."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One model the request may go to, priced for this prompt."""

    model: ModelSpec
    provider: ProviderSpec
    input_tokens: int
    max_output_tokens: int
    estimated_micro_usd: int
    max_micro_usd: int


@dataclass(frozen=True, slots=True)
class Decision:
    model: ModelSpec
    provider: ProviderSpec
    reason: str
    input_tokens: int
    max_output_tokens: int
    estimated_micro_usd: int
    max_micro_usd: int
    fallbacks: tuple[str, ...]
    candidates: tuple[Candidate, ...] = ()
    """The chosen model first, then the fallback chain in order, each priced for this prompt."""


def _blended_price(m: ModelSpec) -> tuple[object, ...]:
    return (m.input_usd_per_mtok + m.output_usd_per_mtok, m.id)


def select_model(
    catalog: Catalog,
    *,
    input_tokens: int | Callable[[ModelSpec], int],
    output_cap: int,
    keyed_providers: Collection[str],
    forced: str | None = None,
    default: str | None = None,
    today: str | None = None,
) -> Decision:
    """Pick the model for a prompt of `input_tokens` tokens.

    `forced` is a model the request names; `default` the user's `defaultModel` setting.
    `input_tokens` is the prompt's size, or a function giving it for each model (token counts
    differ between tokenizer families). `keyed_providers` are the providers with a key
    available (local ones need none).
    `today` (YYYY-MM-DD, default the local date) decides which models are retired.
    """
    today = today or date.today().isoformat()

    def tokens_for(m: ModelSpec) -> int:
        return input_tokens(m) if callable(input_tokens) else input_tokens

    def usable_provider(m: ModelSpec) -> bool:
        p = catalog.providers.get(m.provider)
        return p is not None and p.enabled and (p.local or p.id in keyed_providers)

    def fits(m: ModelSpec) -> bool:
        return tokens_for(m) < m.context_window

    def current(m: ModelSpec) -> bool:  # retired models are only used when asked for by name
        return m.deprecation_date is None or m.deprecation_date > today

    ranked = sorted(
        (m for m in catalog.models.values() if usable_provider(m) and fits(m) and current(m)),
        key=_blended_price,
    )
    chosen_id = forced or default
    if chosen_id:
        model = catalog.model(chosen_id)
        provider = catalog.provider(model.provider)
        if not provider.enabled:
            raise ConfigError(
                f"Model '{model.id}' belongs to provider '{provider.id}', which is disabled in "
                f"smartRouter.providers.{provider.id}.enabled. Enable it or pick another model.",
                kind="bad_settings",
                provider=provider.id,
                model=model.id,
            )
        if not usable_provider(model):
            hint = f" or the {provider.api_key_env} environment variable" if provider.api_key_env else ""
            raise ConfigError(
                f"No API key for {provider.name}, needed by '{model.id}'. Set one with "
                f"'Smart Router: Set API Key' (smart-router keys set {provider.id}){hint}.",
                kind="no_api_key",
                provider=provider.id,
                model=model.id,
            )
        if not fits(model):
            raise ContextTooLongError(
                f"The prompt has {tokens_for(model)} tokens but '{model.id}' takes at most "
                f"{model.context_window}. Shorten it, select less code, or pick a model with a "
                "larger context window.",
                provider=provider.id,
                model=model.id,
            )
        why = "the model this request asked for" if forced else "your smartRouter.defaultModel"
        reason = f"{model.id}: {why}"
    else:
        if not ranked:
            if any(usable_provider(m) for m in catalog.models.values()):
                largest = max(
                    (m for m in catalog.models.values() if usable_provider(m)), key=lambda m: m.context_window
                )
                raise ContextTooLongError(
                    f"The prompt has {tokens_for(largest)} tokens; no usable model takes more than "
                    f"{largest.context_window}. Shorten it or select less code.",
                )
            raise ConfigError(
                "No model is usable: no provider has an API key. Set one with 'Smart Router: Set "
                "API Key' (or smart-router keys set openai), set OPENAI_API_KEY / "
                "OPENROUTER_API_KEY / DEEPSEEK_API_KEY, or add a local Ollama model under "
                "smartRouter.models.",
                kind="no_model",
            )
        model = ranked[0]
        provider = catalog.providers[model.provider]
        reason = (
            f"{model.id}: the cheapest of {len(ranked)} usable models "
            f"(${model.input_usd_per_mtok}/${model.output_usd_per_mtok} per Mtok in/out)"
        )
    def priced(m: ModelSpec) -> Candidate:
        prompt = tokens_for(m)
        out_cap = max(1, min(output_cap, m.max_output_tokens, m.context_window - prompt))
        return Candidate(
            model=m,
            provider=catalog.providers[m.provider],
            input_tokens=prompt,
            max_output_tokens=out_cap,
            estimated_micro_usd=cost_micro_usd(m, prompt, min(out_cap, TYPICAL_ANSWER_TOKENS)),
            max_micro_usd=cost_micro_usd(m, prompt, out_cap),
        )

    chain = (priced(model), *(priced(m) for m in ranked if m.id != model.id))
    first = chain[0]
    return Decision(
        model=model,
        provider=provider,
        reason=reason,
        input_tokens=first.input_tokens,
        max_output_tokens=first.max_output_tokens,
        estimated_micro_usd=first.estimated_micro_usd,
        max_micro_usd=first.max_micro_usd,
        fallbacks=tuple(c.model.id for c in chain[1:]),
        candidates=chain,
    )
