"""Model selection: the user's chosen model, else the best trade-off of quality against cost.

Candidates are catalog models whose provider is enabled and has a key (or is local), whose
context window fits the prompt, that the provider has not retired, that the user's rules allow,
whose circuit is not open (Health) and whose worst-case cost fits the caps. They are ranked by
`scoring` (docs/routing.md); the chosen model comes first in `Decision.candidates`, then its
equivalent deployments, then the rest: the fallback chain.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from smart_router.catalog import Catalog, ModelSpec, ProviderSpec
from smart_router.editor import EditorContext
from smart_router.errors import ConfigError, ContextTooLongError, ProviderError
from smart_router.intent.types import Classification
from smart_router.router.explain import Pick, explain, summary
from smart_router.router.health import Health
from smart_router.router.rules import CompiledRule, RequestFacts, RuleEffect, match_rules
from smart_router.router.scoring import (
    COST_FLOOR_MICRO_USD,
    COST_POINTS_PER_DECADE,
    PREFER_BONUS,
    QualityAdjustments,
    Row,
    ScoringTable,
    health_penalty,
    quality,
    value,
)
from smart_router.tokens import cost_micro_usd
from smart_router.tokens import usd_text as money

__all__ = ["TYPICAL_ANSWER_TOKENS", "Candidate", "Decision", "select_model"]

TYPICAL_ANSWER_TOKENS = 400
"""Answer length assumed for the estimated cost; the maximum cost uses the output cap."""
_UNCLASSIFIED = ("general", 0.5)


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
    """One line: the model, intent, complexity, quality and cost."""
    input_tokens: int
    max_output_tokens: int
    estimated_micro_usd: int
    max_micro_usd: int
    fallbacks: tuple[str, ...]
    candidates: tuple[Candidate, ...] = ()
    """The chosen model first, then the fallback chain in order, each priced for this prompt."""
    classification: Classification | None = None
    runner_up: str | None = None
    """The next-best different model (not another deployment of the chosen one)."""
    savings_micro_usd: int | None = None
    """Estimated cost of the strongest candidate minus the chosen one's (negative: it costs more)."""
    explanation: str = ""
    """The decision in words: why this model, the runner-up, the savings, rules applied."""
    strongest: str | None = None
    """The candidate with the highest expected quality for this intent."""
    rules: tuple[str, ...] = ()
    """Names of the rules that matched this request."""


@dataclass(slots=True)
class _Scored:
    row: Row
    candidate: Candidate
    quality: float
    score: float


def select_model(
    catalog: Catalog,
    *,
    input_tokens: int | Callable[[ModelSpec], int],
    output_cap: int,
    keyed_providers: Collection[str],
    forced: str | None = None,
    default: str | None = None,
    today: str | None = None,
    classification: Classification | None = None,
    preference: str = "balanced",
    rules: Sequence[CompiledRule] = (),
    editor: EditorContext | None = None,
    workspace: str | None = None,
    health: Health | None = None,
    quality_adjustments: QualityAdjustments | None = None,
    max_micro_usd: int | None = None,
    rule_tokens: int | None = None,
) -> Decision:
    """Pick the model for a prompt of `input_tokens` tokens.

    `forced` is a model the request names; `default` the user's `defaultModel` setting.
    `input_tokens` is the prompt's size, or a function giving it for each model (token counts
    differ between tokenizer families). `keyed_providers` are the providers with a key
    available (local ones need none). `today` (YYYY-MM-DD, default the local date) decides
    which models are retired. `classification` gives intent and complexity (None: general,
    0.5); `preference` is the dial; `rules` the compiled `smartRouter.rules`; `health` leaves
    out open circuits and supplies latency; `quality_adjustments` shift priors per model and
    intent (arena votes); `max_micro_usd` caps each candidate's worst-case cost (the budget's
    headroom, for a downgrade). `rule_tokens` is the prompt size the rules compare with
    (default: the count for the first catalog model's tokenizer).
    """
    today = today or date.today().isoformat()
    intent, complexity = (
        (classification.intent, classification.complexity) if classification else _UNCLASSIFIED
    )
    by_family: dict[str, int] = {}

    def tokens_for(m: ModelSpec) -> int:
        if not callable(input_tokens):
            return input_tokens
        n = by_family.get(m.family)
        if n is None:
            n = by_family[m.family] = input_tokens(m)
        return n

    def usable_provider(m: ModelSpec) -> bool:
        p = catalog.providers.get(m.provider)
        return p is not None and p.enabled and (p.local or p.id in keyed_providers)

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

    facts = RequestFacts(
        intent=intent,
        complexity=complexity,
        tokens=rule_tokens
        if rule_tokens is not None
        else (tokens_for(next(iter(catalog.models.values()))) if catalog.models else 0),
        language=editor.language if editor else None,
        file_path=editor.file_path if editor else None,
        workspace=(editor.workspace if editor and editor.workspace else workspace),
    )
    effect = match_rules(rules, facts)
    caps = [c for c in (effect.max_micro_usd, max_micro_usd) if c is not None]
    cap = min(caps) if caps else None
    per_decade = COST_POINTS_PER_DECADE.get(preference, COST_POINTS_PER_DECADE["balanced"])

    scored: list[_Scored] = []
    refused: list[str] = []
    open_circuits: list[str] = []
    over_cap: list[str] = []
    any_usable = any_fit = False
    for row in ScoringTable.for_catalog(catalog).rows:
        m, p = row.model, row.provider
        if not (p.enabled and (p.local or p.id in keyed_providers)):
            continue
        any_usable = True
        if tokens_for(m) >= m.context_window:
            continue
        any_fit = True
        if m.deprecation_date is not None and m.deprecation_date <= today:
            continue
        if effect.applied:
            why = effect.refuses(m, p)
            if why:
                refused.append(why)
                continue
        state = health.state(m.id, p.id) if health is not None else "closed"
        if state == "open":
            open_circuits.append(m.id)
            continue
        cand = priced(m)
        if cap is not None and cand.max_micro_usd > cap:
            over_cap.append(m.id)
            continue
        q = quality(m, intent, quality_adjustments)
        score = value(q, complexity) - per_decade * math.log10(
            max(float(cand.estimated_micro_usd), COST_FLOOR_MICRO_USD)
        )
        if health is not None:
            stats = health.model(m.id)
            if stats is not None or state != "closed":
                score -= health_penalty(
                    stats.latency_ms if stats else None,
                    stats.error_rate if stats else 0.0,
                    state == "half-open",
                )
        if effect.applied:
            score += PREFER_BONUS * len(effect.prefers(m, p))
        scored.append(_Scored(row, cand, q, score))
    scored.sort(key=lambda s: (-s.score, not s.row.direct, s.row.model.id))

    notes = _notes(effect, refused, open_circuits, over_cap, cap)
    why_chosen: str | None = None
    first: Candidate | None = None
    if forced:
        first = _forced(catalog, forced, tokens_for, usable_provider, effect, priced)
        why_chosen = "the model this request asked for"
    elif default:
        model = catalog.model(default)
        _check_usable(catalog, model, tokens_for, usable_provider)
        skip = effect.refuses(model, catalog.providers[model.provider]) if effect.applied else None
        if skip is None and health is not None and not health.available(model.id, model.provider):
            skip = "its circuit is open after recent failures"
        candidate = priced(model)
        if skip is None and cap is not None and candidate.max_micro_usd > cap:
            skip = f"it may cost up to {money(candidate.max_micro_usd)}, above the cap of {money(cap)}"
        if skip is None:
            first, why_chosen = candidate, "your smartRouter.defaultModel"
        else:
            notes.insert(0, f"Your defaultModel {default} was skipped: {skip}.")
    if first is None:
        if not scored:
            raise _nothing_left(
                catalog, any_usable, any_fit, tokens_for, usable_provider, effect, refused, over_cap, cap
            )
        first = scored[0].candidate

    chosen = first.model
    rest = [s for s in scored if s.row.model.id != chosen.id]
    same = [s for s in rest if s.row.model.canonical_id == chosen.canonical_id]
    others = [s for s in rest if s.row.model.canonical_id != chosen.canonical_id]
    chain = (first, *(s.candidate for s in same), *(s.candidate for s in others))

    q_chosen = quality(chosen, intent, quality_adjustments)
    pick = Pick(chosen.id, q_chosen, first.estimated_micro_usd)
    runner = (
        Pick(others[0].row.model.id, others[0].quality, others[0].candidate.estimated_micro_usd)
        if others
        else None
    )
    pool = scored if scored else []
    strongest_s = max(pool, key=lambda s: (s.quality, -s.candidate.estimated_micro_usd), default=None)
    strongest: Pick | None = None
    savings: int | None = None
    if strongest_s is not None:
        if strongest_s.quality <= q_chosen:
            strongest = pick
        else:
            strongest = Pick(
                strongest_s.row.model.id, strongest_s.quality, strongest_s.candidate.estimated_micro_usd
            )
        savings = strongest.estimated_micro_usd - pick.estimated_micro_usd
    reason = f"{chosen.id}: {why_chosen}" if why_chosen else summary(pick, intent, complexity, preference)
    text = explain(
        classification=classification,
        intent=intent,
        complexity=complexity,
        preference=preference,
        chosen=pick,
        why_chosen=why_chosen,
        runner_up=runner,
        strongest=strongest,
        candidates=len(scored),
        rules=effect.names,
        notes=notes,
        equivalents=[s.row.model.id for s in same],
    )
    return Decision(
        model=chosen,
        provider=first.provider,
        reason=reason,
        input_tokens=first.input_tokens,
        max_output_tokens=first.max_output_tokens,
        estimated_micro_usd=first.estimated_micro_usd,
        max_micro_usd=first.max_micro_usd,
        fallbacks=tuple(c.model.id for c in chain[1:]),
        candidates=chain,
        classification=classification,
        runner_up=runner.model if runner else None,
        savings_micro_usd=savings,
        explanation=text,
        strongest=strongest.model if strongest else None,
        rules=effect.names,
    )


def _notes(
    effect: RuleEffect, refused: list[str], open_circuits: list[str], over_cap: list[str], cap: int | None
) -> list[str]:
    notes = []
    if refused:
        notes.append(f"Left out by rules: {len(refused)} model{'s' if len(refused) != 1 else ''}.")
    if open_circuits:
        notes.append(f"Skipped while their circuit is open: {', '.join(open_circuits)}.")
    if over_cap and cap is not None:
        notes.append(
            f"Over the cost cap of {money(cap)}: {len(over_cap)} model{'s' if len(over_cap) != 1 else ''}."
        )
    return notes


def _check_usable(
    catalog: Catalog,
    model: ModelSpec,
    tokens_for: Callable[[ModelSpec], int],
    usable_provider: Callable[[ModelSpec], bool],
) -> None:
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
    if tokens_for(model) >= model.context_window:
        raise ContextTooLongError(
            f"The prompt has {tokens_for(model)} tokens but '{model.id}' takes at most "
            f"{model.context_window}. Shorten it, select less code, or pick a model with a "
            "larger context window.",
            provider=provider.id,
            model=model.id,
        )


def _forced(
    catalog: Catalog,
    model_id: str,
    tokens_for: Callable[[ModelSpec], int],
    usable_provider: Callable[[ModelSpec], bool],
    effect: RuleEffect,
    priced: Callable[[ModelSpec], Candidate],
) -> Candidate:
    """The model a request names: it must be usable and allowed by the rules (a circuit that is
    open does not stop an explicit choice)."""
    model = catalog.model(model_id)
    _check_usable(catalog, model, tokens_for, usable_provider)
    why = effect.refuses(model, catalog.providers[model.provider]) if effect.applied else None
    if why:
        raise ConfigError(
            f"'{model.id}' cannot take this request: {why}. Pick an allowed model or change the rule "
            "in smartRouter.rules.",
            kind="rule_refused",
            model=model.id,
        )
    return priced(model)


def _nothing_left(
    catalog: Catalog,
    any_usable: bool,
    any_fit: bool,
    tokens_for: Callable[[ModelSpec], int],
    usable_provider: Callable[[ModelSpec], bool],
    effect: RuleEffect,
    refused: list[str],
    over_cap: list[str],
    cap: int | None,
) -> Exception:
    """The error that says why no model is left, and what to do."""
    if not any_usable:
        return ConfigError(
            "No model is usable: no provider has an API key. Set one with 'Smart Router: Set "
            "API Key' (or smart-router keys set openai), set OPENAI_API_KEY / "
            "OPENROUTER_API_KEY / DEEPSEEK_API_KEY, or add a local Ollama model under "
            "smartRouter.models.",
            kind="no_model",
        )
    if not any_fit:
        largest = max(
            (m for m in catalog.models.values() if usable_provider(m)), key=lambda m: m.context_window
        )
        return ContextTooLongError(
            f"The prompt has {tokens_for(largest)} tokens; no usable model takes more than "
            f"{largest.context_window}. Shorten it or select less code.",
        )
    if effect.local_only:
        names = ", ".join(f"'{r.name}'" for r in effect.applied if r.then.local_only)
        return ConfigError(
            f"Rule {names} keeps this request on this machine, but no local model is usable. Start "
            "Ollama with a model pulled (ollama pull llama3.1), or add a local model under "
            "smartRouter.models, or change the rule in smartRouter.rules.",
            kind="no_local_model",
        )
    if refused and not over_cap:
        names = ", ".join(f"'{n}'" for n in effect.names)
        return ConfigError(
            f"No usable model satisfies the rules {names}. Set a key for a provider they allow, or "
            "change them in smartRouter.rules.",
            kind="no_model",
        )
    if cap is not None and over_cap:
        return ConfigError(
            f"No usable model can answer this request for at most {money(cap)}. Shorten the prompt, "
            "lower smartRouter.maxOutputTokens, or raise the cap.",
            kind="over_cost_cap",
        )
    return ProviderError(
        "Every usable model is failing right now (their circuits are open after rate limits, "
        "overload or timeouts). Retry in a minute, or add a key for another provider.",
        kind="provider_unavailable",
        retryable=True,
    )
