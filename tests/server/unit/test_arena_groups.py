"""Battle groups: chosen from catalog data, adapted to the keys the user has, drops explained."""

from __future__ import annotations

import pytest

from smart_router.arena.groups import (
    CHINESE_VENDORS,
    GROUP_SIZE,
    LOCAL_SLOT,
    blended_price,
    group_names,
    mean_prior,
    resolve_group,
)
from smart_router.catalog import Catalog, load_catalog
from smart_router.config import Settings, parse_settings
from smart_router.errors import ConfigError

TODAY = "2026-11-22"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Settings())


def every_key(catalog: Catalog) -> set[str]:
    return set(catalog.providers)


def test_frontier_takes_the_strongest_model_of_the_strongest_vendors(catalog: Catalog) -> None:
    group = resolve_group("Frontier", catalog, every_key(catalog), False, today=TODAY)
    assert len(group.members) == GROUP_SIZE and group.dropped == ()
    families = [m.family for m in group.members]
    assert len(set(families)) == GROUP_SIZE  # one model per vendor
    for m in group.members:
        same_vendor = [o for o in catalog.models.values() if o.family == m.family and o.tier == "frontier"]
        assert m.tier == "frontier" and mean_prior(m) == max(mean_prior(o) for o in same_vendor)
    # the vendors left out are all weaker than every vendor taken
    weakest_taken = min(mean_prior(m) for m in group.members)
    for o in catalog.models.values():
        if o.tier == "frontier" and o.family not in families:
            assert mean_prior(o) <= weakest_taken


def test_fast_takes_each_vendors_cheapest_fast_model(catalog: Catalog) -> None:
    group = resolve_group("fast", catalog, every_key(catalog), False, today=TODAY)
    assert len(group.members) == GROUP_SIZE and len({m.family for m in group.members}) == GROUP_SIZE
    for m in group.members:
        rivals = [o for o in catalog.models.values() if o.family == m.family and o.tier == "fast"]
        current = [o for o in rivals if not o.deprecation_date or o.deprecation_date > TODAY]
        assert m.tier == "fast" and blended_price(m) == min(blended_price(o) for o in current)


def test_built_in_groups_never_take_a_retired_model(catalog: Catalog) -> None:
    retired = {m.id for m in catalog.models.values() if m.deprecation_date and m.deprecation_date <= TODAY}
    assert retired, "the catalog has retired models to test with"
    for name in ("Frontier", "Fast", "Hybrid"):
        group = resolve_group(name, catalog, every_key(catalog), False, today=TODAY)
        assert not retired & set(group.member_ids)


def test_a_missing_key_drops_the_vendor_with_the_reason_and_the_next_vendor_fills_in(
    catalog: Catalog,
) -> None:
    full = resolve_group("Frontier", catalog, every_key(catalog), False, today=TODAY)
    lost = full.members[0]
    keys = every_key(catalog) - {lost.provider, "openrouter"}
    group = resolve_group("Frontier", catalog, keys, False, today=TODAY)
    assert lost.id not in group.member_ids and len(group.members) == GROUP_SIZE
    assert lost.family not in {m.family for m in group.members}
    [(mid, reason)] = group.dropped
    provider = catalog.providers[lost.provider]
    assert mid == lost.id and "no API key" in reason and provider.name in reason
    assert provider.api_key_env and provider.api_key_env in reason


def test_a_vendor_reachable_through_openrouter_keeps_its_place(catalog: Catalog) -> None:
    group = resolve_group("Frontier", catalog, {"openrouter", "openai"}, False, today=TODAY)
    claude = [m for m in group.members if m.family == "claude"]
    assert claude and claude[0].provider == "openrouter"
    assert all(mid != claude[0].id for mid, _ in group.dropped)


def test_with_one_key_the_group_is_too_small_and_says_what_to_add(catalog: Catalog) -> None:
    group = resolve_group("Frontier", catalog, {"openai"}, False, today=TODAY)
    assert [m.provider for m in group.members] == ["openai"]
    assert len(group.dropped) == GROUP_SIZE - 1
    with pytest.raises(ConfigError, match="needs 2") as exc:
        group.require_battle()
    assert "no API key" in exc.value.message and exc.value.kind == "arena_group_too_small"


def test_hybrid_mixes_frontier_fast_chinese_and_local_when_ollama_is_up(catalog: Catalog) -> None:
    local = catalog.with_local_models([("llama3.1:8b", "llama"), ("qwen2.5-coder:7b", "qwen2")])
    group = resolve_group("Hybrid", local, every_key(local), True, today=TODAY)
    tiers = [m.tier for m in group.members]
    assert tiers[:2] == ["frontier", "fast"] and tiers[-1] == "local" and len(group.members) == 4
    assert group.members[2].family in CHINESE_VENDORS and group.dropped == ()
    assert len(set(group.member_ids)) == 4


def test_hybrid_without_ollama_says_why_there_is_no_local_model(catalog: Catalog) -> None:
    group = resolve_group("Hybrid", catalog, every_key(catalog), False, today=TODAY)
    assert [m.tier for m in group.members][:2] == ["frontier", "fast"] and len(group.members) == 3
    assert group.dropped == ((LOCAL_SLOT, "Ollama is not running: start it and pull a model to add one"),)


def test_hybrid_without_chinese_keys_drops_the_strongest_chinese_model(catalog: Catalog) -> None:
    keys = {
        p
        for p in every_key(catalog)
        if p not in {"deepseek", "dashscope", "zai", "zhipu", "moonshot", "minimax"}
    }
    group = resolve_group("Hybrid", catalog, keys, False, today=TODAY)
    assert not any(m.family in CHINESE_VENDORS for m in group.members)
    dropped = dict(group.dropped)
    chinese = [
        mid for mid in dropped if mid in catalog.models and catalog.models[mid].family in CHINESE_VENDORS
    ]
    assert chinese and all("no API key" in dropped[mid] for mid in chinese)


def test_user_groups_resolve_in_order_and_explain_drops(catalog: Catalog) -> None:
    settings = parse_settings(
        {"arenaGroups": {"Coders": ["gpt-5.1", "glm-4.6", "gpt-5.1", "deepseek-chat", "ollama/llama3:8b"]}}
    )
    group = resolve_group(
        "Coders", catalog, {"openai", "zai"}, False, user_groups=settings.arena_groups, today=TODAY
    )
    assert group.member_ids == ("gpt-5.1", "glm-4.6") and not group.builtin
    dropped = dict(group.dropped)
    assert "retired it on 2026-07-24" in dropped["deepseek-chat"]
    assert "local server does not report it" in dropped["ollama/llama3:8b"]


def test_a_user_group_may_replace_a_built_in(catalog: Catalog) -> None:
    user = {"frontier": ["gpt-5.1", "glm-4.6"]}
    group = resolve_group("Frontier", catalog, every_key(catalog), False, user_groups=user, today=TODAY)
    assert group.member_ids == ("gpt-5.1", "glm-4.6")
    assert group_names(user) == ["Fast", "Hybrid", "frontier"]


def test_unknown_groups_and_models_are_clear_errors(catalog: Catalog) -> None:
    with pytest.raises(
        ConfigError, match=r"Unknown arena group 'Nope'\. Use one of: Frontier, Fast, Hybrid, Mine"
    ):
        resolve_group("Nope", catalog, set(), False, user_groups={"Mine": ["gpt-5", "gpt-5.1"]})
    with pytest.raises(ConfigError, match=r"arenaGroups\['Mine'\] names unknown model 'gpt-9'") as exc:
        resolve_group("Mine", catalog, set(), False, user_groups={"Mine": ["gpt-5", "gpt-9"]})
    assert exc.value.kind == "unknown_model"


def test_the_setting_needs_two_models_per_group() -> None:
    with pytest.raises(ConfigError, match=r"smartRouter.arenaGroups.Solo: List should have at least 2 items"):
        parse_settings({"arenaGroups": {"Solo": ["gpt-5"]}})
    assert parse_settings({}).arena_groups == {}
