"""Token counting, cost arithmetic and model selection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smart_router.catalog import load_catalog
from smart_router.config import Settings
from smart_router.errors import ConfigError, ContextTooLongError
from smart_router.providers import Message
from smart_router.router import select_model
from smart_router.tokens import cost_micro_usd, count_messages, count_text

CATALOG = load_catalog(Settings())


def test_counts_tokens_with_the_chat_overhead() -> None:
    assert count_text("hello world") == 2
    assert count_messages([Message("user", "hello world")]) == 3 + 1 + 2 + 3


def test_cost_is_exact_integer_micro_dollars() -> None:
    mini = CATALOG.model("gpt-4o-mini")  # 0.15 / 0.60 USD per Mtok
    assert cost_micro_usd(mini, 1_000_000, 0) == 150_000
    assert cost_micro_usd(mini, 21, 57) == 37  # 3.15 + 34.2 = 37.35
    assert cost_micro_usd(mini, 10, 0) == 2  # 1.5 rounds half up
    total = sum(cost_micro_usd(mini, 1000, 1000) for _ in range(1000))
    assert Decimal(total) == Decimal(750) * 1000


def test_picks_the_cheapest_model_with_a_key() -> None:
    d = select_model(CATALOG, input_tokens=100, output_cap=1024, keyed_providers={"openai"})
    assert d.model.id == "gpt-4.1-nano"
    assert "cheapest" in d.reason and d.fallbacks[0] == "gpt-4o-mini"
    assert all(CATALOG.model(f).provider == "openai" for f in d.fallbacks)
    assert d.estimated_micro_usd <= d.max_micro_usd


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
