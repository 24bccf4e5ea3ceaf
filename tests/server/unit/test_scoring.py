"""Scoring: the dial, complexity, health, equivalent deployments and the explanation."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pytest

from smart_router.catalog import load_catalog
from smart_router.config import INTENTS, ModelOverride, Rule, Settings
from smart_router.errors import ConfigError, ProviderError
from smart_router.intent.types import Classification
from smart_router.router import Decision, Health, compile_rules, select_model
from smart_router.router.explain import money

CATALOG = load_catalog(Settings())
ALL_KEYS = set(CATALOG.providers)
TODAY = "2026-11-22"
PREFERENCES = ("cost", "balanced", "quality")


def route(
    intent: str = "debugging",
    complexity: float = 0.5,
    keys: Collection[str] = ALL_KEYS,
    **kw: Any,
) -> Decision:
    return select_model(
        kw.pop("catalog", CATALOG),
        input_tokens=kw.pop("tokens", 300),
        output_cap=1024,
        keyed_providers=keys,
        today=TODAY,
        classification=Classification(intent, 0.8, complexity, "lexical"),
        **kw,
    )


def prior(d: Decision) -> float:
    return d.model.priors[d.classification.intent if d.classification else "general"]


@pytest.mark.parametrize("intent", INTENTS)
@pytest.mark.parametrize("complexity", [0.0, 0.3, 0.6, 0.9])
def test_moving_the_dial_towards_quality_never_picks_a_cheaper_or_weaker_model(
    intent: str, complexity: float
) -> None:
    picks = [route(intent, complexity, preference=p) for p in PREFERENCES]
    costs = [d.estimated_micro_usd for d in picks]
    qualities = [prior(d) for d in picks]
    assert costs == sorted(costs) and qualities == sorted(qualities), [d.model.id for d in picks]


def test_the_dial_changes_the_choice_for_a_medium_prompt() -> None:
    cheap, strong = (
        route("code_generation", 0.4, preference="cost"),
        route("code_generation", 0.4, preference="quality"),
    )
    assert cheap.estimated_micro_usd * 10 < strong.estimated_micro_usd
    assert prior(strong) - prior(cheap) >= 2


@pytest.mark.parametrize("preference", PREFERENCES)
@pytest.mark.parametrize("intent", ["code_generation", "debugging", "reasoning", "architecture", "general"])
def test_higher_complexity_never_picks_a_weaker_model(preference: str, intent: str) -> None:
    qualities = [prior(route(intent, c / 10, preference=preference)) for c in range(11)]
    assert qualities == sorted(qualities)


def test_an_easy_prompt_goes_cheap_and_a_hard_one_to_a_strong_model_when_balanced() -> None:
    easy, hard = route("code_generation", 0.0), route("code_generation", 1.0)
    assert hard.estimated_micro_usd > 10 * max(easy.estimated_micro_usd, 1)
    assert prior(hard) >= 8.5 and prior(easy) < prior(hard) - 2
    assert hard.strongest is not None and CATALOG.model(hard.strongest).priors["code_generation"] == prior(
        hard
    )


def test_the_explanation_names_intent_choice_runner_up_and_savings() -> None:
    d = route("debugging", 0.3, keys={"openai", "anthropic"})
    assert d.runner_up is not None and d.runner_up != d.model.id and d.runner_up in d.fallbacks
    assert d.strongest == "claude-opus-5-5"
    assert d.savings_micro_usd is not None and d.savings_micro_usd > 0
    strongest = next(c for c in d.candidates if c.model.id == "claude-opus-5-5")
    assert d.savings_micro_usd == strongest.estimated_micro_usd - d.estimated_micro_usd
    share = d.savings_micro_usd / strongest.estimated_micro_usd
    text = d.explanation
    assert text.startswith("Debugging (lexical, 80 % sure), complexity 0.30.")
    assert f"Chose {d.model.id}: expected quality {prior(d):.1f}/10" in text
    assert f"Runner-up: {d.runner_up} (quality" in text
    assert (
        f"Saves ~{money(d.savings_micro_usd)} ({share * 100:.0f} %) against the strongest candidate, "
        "claude-opus-5-5 (quality 8.6/10)."
    ) in text
    assert d.reason.startswith(f"{d.model.id}: debugging, complexity 0.30; quality")


def test_the_strongest_candidate_saves_nothing_and_says_so() -> None:
    d = route("reasoning", 1.0, keys={"anthropic"}, preference="quality")
    assert d.model.id == "claude-opus-5-5" and d.savings_micro_usd == 0
    assert "It is the strongest candidate for this intent." in d.explanation


def test_money_keeps_two_significant_digits_for_tiny_amounts() -> None:
    assert money(4000) == "$0.0040" and money(45) == "$0.000045" and money(1_234_567) == "$1.23"


def test_a_quality_adjustment_from_arena_votes_changes_the_choice() -> None:
    base = route("code_review", 0.6, keys={"openai"})
    boosted_id = next(
        c.model.id for c in base.candidates if c.model.id != base.model.id and c.model.tier == "fast"
    )
    boosted = route(
        "code_review", 0.6, keys={"openai"}, quality_adjustments={boosted_id: {"code_review": 4.0}}
    )
    assert boosted.model.id == boosted_id
    other_intent = route(
        "writing", 0.6, keys={"openai"}, quality_adjustments={boosted_id: {"code_review": 4.0}}
    )
    assert other_intent.model.id == route("writing", 0.6, keys={"openai"}).model.id


def test_an_open_circuit_is_skipped_and_named_in_the_explanation() -> None:
    first = route("code_generation", 0.5, keys={"openai"})
    health = Health(lambda: 0.0)
    health.record(
        first.model.id,
        "openai-not",
        ok=False,
        latency_ms=1,
        ttft_ms=None,
        error_kind="rate_limited",
        retry_after_s=60,
    )
    d = route("code_generation", 0.5, keys={"openai"}, health=health)
    assert d.model.id != first.model.id and first.model.id not in d.fallbacks
    assert f"Skipped while their circuit is open: {first.model.id}." in d.explanation


def test_when_every_circuit_is_open_the_error_says_to_retry() -> None:
    health = Health(lambda: 0.0)
    for model in ("a", "b", "c"):  # three failures in a row open the provider's circuit
        health.record(model, "openai", ok=False, latency_ms=1, ttft_ms=None, error_kind="overloaded")
    with pytest.raises(ProviderError) as info:
        route(keys={"openai"}, health=health)
    assert info.value.retryable and "Retry" in info.value.message


def test_a_slow_deployment_loses_to_an_equivalent_fast_one() -> None:
    keys = {"anthropic", "openrouter"}
    direct, gateway = "claude-sonnet-4-5", "openrouter/anthropic/claude-sonnet-4.5"
    only_sonnet = {"requireModel": ["claude-sonnet-4-5"]}
    rule = Rule.model_validate({"name": "sonnet", "when": {"complexityMin": 0}, "then": only_sonnet})
    rules = compile_rules([rule], CATALOG)
    d = route("architecture", 0.5, keys=keys, rules=rules)
    assert d.model.id == direct and d.fallbacks == (gateway,)  # no history: the direct one
    assert f"Same model also reachable as {gateway}" in d.explanation
    assert d.runner_up is None  # another deployment of the same model is not a runner-up
    health = Health(lambda: 0.0)
    health.record(direct, "anthropic", ok=True, latency_ms=9000, ttft_ms=3000)
    health.record(gateway, "openrouter", ok=True, latency_ms=1500, ttft_ms=400)
    assert route("architecture", 0.5, keys=keys, rules=rules, health=health).model.id == gateway
    health.record(gateway, "openrouter", ok=False, latency_ms=None, ttft_ms=None, error_kind="provider_error")
    health.record(gateway, "openrouter", ok=False, latency_ms=None, ttft_ms=None, error_kind="provider_error")
    assert route("architecture", 0.5, keys=keys, rules=rules, health=health).model.id == direct


def test_equivalent_deployments_follow_the_chosen_model_in_the_fallback_chain() -> None:
    d = route(
        "architecture",
        0.7,
        keys={"anthropic", "openrouter"},
        preference="quality",
        forced="claude-sonnet-4-5",
    )
    assert d.fallbacks[0] == "openrouter/anthropic/claude-sonnet-4.5"


def test_a_user_model_can_declare_itself_an_equivalent_deployment() -> None:
    settings = Settings(
        providers={"gw": {"baseUrl": "http://127.0.0.1:9/v1"}},
        models=[
            ModelOverride(
                id="gw/gpt-4.1",
                provider="gw",
                canonical="gpt-4.1",
                input_usd_per_mtok=2,
                output_usd_per_mtok=8,
                context_window=1_000_000,
            )
        ],
    )
    catalog = load_catalog(settings)
    assert catalog.model("gw/gpt-4.1").canonical_id == "gpt-4.1"
    d = route("general", 0.5, keys={"openai", "gw"}, catalog=catalog, forced="gpt-4.1")
    assert d.fallbacks[0] == "gw/gpt-4.1"
    with pytest.raises(
        ConfigError, match=r"canonical: 'gpt-4.2' is not a catalog model \(did you mean 'gpt-4.1'\?\)"
    ):
        load_catalog(Settings(models=[ModelOverride(id="gpt-4o", canonical="gpt-4.2")]))


def test_a_budget_headroom_downgrades_to_a_model_that_fits() -> None:
    d = route("code_generation", 1.0, keys={"openai", "anthropic"})
    cheaper = route("code_generation", 1.0, keys={"openai", "anthropic"}, max_micro_usd=d.max_micro_usd - 1)
    assert cheaper.max_micro_usd < d.max_micro_usd
    assert all(c.max_micro_usd < d.max_micro_usd for c in cheaper.candidates)
    with pytest.raises(ConfigError) as info:
        route("code_generation", 1.0, keys={"openai"}, max_micro_usd=1)
    assert info.value.kind == "over_cost_cap" and "$0.000001" in info.value.message


def test_a_default_model_over_the_headroom_is_skipped_with_a_note() -> None:
    d = route("general", 0.2, keys={"openai"}, default="gpt-4.1", max_micro_usd=2000)
    assert d.model.id != "gpt-4.1" and "Your defaultModel gpt-4.1 was skipped" in d.explanation
    kept = route("general", 0.2, keys={"openai"}, default="gpt-4.1")
    assert kept.model.id == "gpt-4.1" and kept.reason == "gpt-4.1: your smartRouter.defaultModel"
