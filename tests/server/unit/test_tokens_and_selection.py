"""Model selection (token counting and cost arithmetic: test_tokens.py)."""

from __future__ import annotations

import pytest

from smart_router.catalog import load_catalog
from smart_router.config import Settings
from smart_router.errors import ConfigError, ContextTooLongError
from smart_router.intent.types import Classification
from smart_router.router import select_model

CATALOG = load_catalog(Settings())
EASY = Classification("general", 0.9, 0.0, "lexical")


def test_at_the_cost_setting_an_easy_prompt_goes_to_the_cheapest_model_with_a_key() -> None:
    d = select_model(
        CATALOG,
        input_tokens=100,
        output_cap=1024,
        keyed_providers={"openai"},
        today="2026-01-01",
        classification=EASY,
        preference="cost",
    )
    assert d.model.id == "gpt-4.1-nano"
    assert d.reason.startswith("gpt-4.1-nano: general, complexity 0.00") and "(cost)" in d.reason
    assert "gpt-4o-mini" in d.fallbacks
    assert all(CATALOG.model(f).provider == "openai" for f in d.fallbacks)
    assert d.estimated_micro_usd <= d.max_micro_usd


def test_retired_models_are_only_used_by_name() -> None:
    # gpt-4.1-nano is retired on 2026-10-23
    d = select_model(
        CATALOG,
        input_tokens=100,
        output_cap=1024,
        keyed_providers={"openai"},
        today="2026-10-23",
        classification=EASY,
        preference="cost",
    )
    assert d.model.id == "gpt-4o-mini" and "gpt-4.1-nano" not in d.fallbacks
    d = select_model(
        CATALOG,
        input_tokens=100,
        output_cap=1024,
        keyed_providers={"openai"},
        today="2026-10-23",
        forced="gpt-4.1-nano",
    )
    assert d.model.id == "gpt-4.1-nano"


def test_default_and_forced_models_win() -> None:
    d = select_model(CATALOG, input_tokens=5, output_cap=10, keyed_providers={"openai"}, default="gpt-4.1")
    assert d.model.id == "gpt-4.1" and "defaultModel" in d.reason
    d = select_model(
        CATALOG,
        input_tokens=5,
        output_cap=10,
        keyed_providers={"openai", "deepseek"},
        forced="deepseek-chat",
        default="gpt-4.1",
    )
    assert d.model.id == "deepseek-chat"


def test_without_keys_the_error_says_what_to_configure() -> None:
    with pytest.raises(ConfigError) as info:
        select_model(CATALOG, input_tokens=5, output_cap=10, keyed_providers=set())
    assert info.value.kind == "no_model" and "Set API Key" in info.value.message
    with pytest.raises(ConfigError) as info:
        select_model(CATALOG, input_tokens=5, output_cap=10, keyed_providers=set(), forced="gpt-4.1")
    assert info.value.kind == "no_api_key" and "OPENAI_API_KEY" in info.value.message


def test_prompts_longer_than_the_context_window_are_refused() -> None:
    with pytest.raises(ContextTooLongError, match="at most 128000"):
        select_model(
            CATALOG,
            input_tokens=200_000,
            output_cap=10,
            keyed_providers={"openai"},
            forced="gpt-4o-mini",
        )
    d = select_model(CATALOG, input_tokens=200_000, output_cap=10, keyed_providers={"openai"})
    assert d.model.context_window > 200_000
    with pytest.raises(ContextTooLongError):
        select_model(CATALOG, input_tokens=5_000_000, output_cap=10, keyed_providers={"openai"})


def test_the_output_cap_never_exceeds_what_the_window_leaves() -> None:
    d = select_model(
        CATALOG,
        input_tokens=127_990,
        output_cap=1024,
        keyed_providers={"openai"},
        forced="gpt-4o-mini",
    )
    assert d.max_output_tokens == 10
