"""The packaged model catalog: completeness, sources, the prior rule, overrides, local models."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest
from pydantic import ValidationError

from smart_router.catalog import INTENTS, Catalog, LocalModel, load_catalog
from smart_router.catalog.priors import INTENT_SIGNALS, arena_score, derive_priors
from smart_router.catalog.schema import CatalogFile, Evidence, packaged
from smart_router.config import Settings, parse_settings
from smart_router.errors import ConfigError

CATALOG = load_catalog(Settings())
RAW: dict[str, Any] = json.loads(
    resources.files("smart_router.catalog").joinpath("models.json").read_text(encoding="utf-8")
)

REQUIRED = [
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-4o-mini",
    "gpt-5",
    "gpt-5-mini",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "claude-opus-5-5",  # the latest Opus in the LiteLLM snapshot
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "deepseek-chat",
    "deepseek-reasoner",
    "qwen-max",
    "qwen-plus",
    "qwen-turbo",
    "glm-4.5",
    "glm-4.6",
    "glm-4.5-air",
    "glm-4.7-flash",
    "glm-5",
    "minimax-m2",
    "kimi-k2.6",
    "openrouter/anthropic/claude-haiku-4.5",
    "openrouter/anthropic/claude-sonnet-4.5",
]


def _settings(*models: dict[str, Any], **providers: dict[str, Any]) -> Settings:
    return parse_settings({"models": list(models), "providers": providers})


# -- the packaged file ---------------------------------------------------------------------------


def test_every_model_is_priced_sourced_dated_and_sized() -> None:
    for m in CATALOG.models.values():
        assert m.tier in ("frontier", "fast", "local"), m.id
        assert m.family and m.api_name, m.id
        if m.free or m.tier == "local":
            assert m.input_usd_per_mtok == m.output_usd_per_mtok == 0, m.id
        else:
            assert m.input_usd_per_mtok > 0 and m.output_usd_per_mtok > 0, m.id
        cached = m.cached_input_usd_per_mtok
        assert cached is None or cached <= m.input_usd_per_mtok, m.id
        assert "litellm 1.109.1" in m.price_source and m.price_date == "2026-11-22", m.id
        assert m.context_window >= 8192 and m.max_output_tokens >= 4096, m.id
        assert m.deprecation_date is None or len(m.deprecation_date) == 10


def test_every_model_has_a_sourced_prior_for_each_intent() -> None:
    for m in CATALOG.models.values():
        assert list(m.priors) == list(INTENTS), m.id
        assert all(0 <= p <= 10 for p in m.priors.values()), m.id
        assert "LMArena" in m.prior_source and "docs/catalog.md" in m.prior_source, m.id
    assert list(INTENT_SIGNALS) == list(INTENTS)


def test_ids_are_unique_and_providers_exist() -> None:
    ids = [m["id"] for m in RAW["models"]]
    assert len(ids) == len(set(ids))
    assert {m["provider"] for m in RAW["models"]} <= set(RAW["providers"])
    for p in CATALOG.providers.values():
        assert p.kind in ("openai", "azure", "anthropic", "gemini", "ollama")
        assert p.local or p.api_key_env


def test_the_required_models_are_there_at_their_known_prices() -> None:
    assert set(REQUIRED) <= set(CATALOG.models)
    prices = {m.id: (m.input_usd_per_mtok, m.output_usd_per_mtok) for m in CATALOG.models.values()}
    assert prices["gpt-4o-mini"] == (Decimal("0.15"), Decimal("0.60"))
    assert prices["openrouter/anthropic/claude-sonnet-4.5"] == (Decimal("3.00"), Decimal("15.00"))
    openai = sorted(
        (p[0] + p[1], mid) for mid, p in prices.items() if CATALOG.models[mid].provider == "openai"
    )
    assert [mid for _, mid in openai[:2]] == ["gpt-4.1-nano", "gpt-4o-mini"]
    assert [m.id for m in CATALOG.models.values() if m.free] == ["glm-4.7-flash"]
    assert not [m for m in CATALOG.models.values() if m.tier == "local"]  # those come from discovery


def test_the_providers_and_their_conventions() -> None:
    p = CATALOG.providers
    assert (p["anthropic"].kind, p["anthropic"].api_key_env) == ("anthropic", "ANTHROPIC_API_KEY")
    assert p["gemini"].base_url == "https://generativelanguage.googleapis.com/v1beta"
    assert (p["zhipu"].base_url, p["zhipu"].api_key_env) == (
        "https://open.bigmodel.cn/api/paas/v4",
        "ZHIPUAI_API_KEY",
    )
    assert p["zai"].base_url == "https://api.z.ai/api/paas/v4"
    assert p["dashscope"].base_url == "https://dashscope-intl.aliyuncs.com/compatible-mode/v1"
    assert (p["minimax"].base_url, p["moonshot"].base_url) == (
        "https://api.minimax.io/v1",
        "https://api.moonshot.ai/v1",
    )
    assert (p["ollama"].kind, p["ollama"].local, p["ollama"].base_url) == (
        "ollama",
        True,
        "http://127.0.0.1:11434",
    )
    azure = p["azure"]
    assert (azure.kind, azure.enabled, azure.api_version) == ("azure", False, "2024-10-21")
    mine = load_catalog(_settings(azure={"baseUrl": "https://me.openai.azure.com/"})).provider("azure")
    assert (mine.enabled, mine.base_url, mine.api_version) == (
        True,
        "https://me.openai.azure.com",
        "2024-10-21",
    )


def test_priors_follow_the_documented_rule_from_the_evidence() -> None:
    method = packaged().prior_method
    refs = [packaged().local_models.default, *packaged().local_models.references]
    entries: list[tuple[str, Evidence, dict[str, float]]] = [
        (m.id, m.evidence, m.priors) for m in packaged().models
    ]
    entries += [(r.names[0], r.evidence, r.priors) for r in refs]
    for name, ev, priors in entries:
        measured = {"aider": ev.aider.pct if ev.aider else None, "swe": ev.swe.pct if ev.swe else None}
        assert derive_priors(ev.lmarena.ratings, measured, method.arena_top, method.impute) == priors, name
        assert all(r <= method.arena_top[c] for c, r in ev.lmarena.ratings.items()), name
    assert arena_score(1500, 1500) == 10 and arena_score(1100, 1500) == pytest.approx(20 / 11)


def test_a_broken_catalog_fails_validation_loudly() -> None:
    def broken(change: Any) -> str:
        data = json.loads(json.dumps(RAW))
        change(data)
        return json.dumps(data)

    cases = [
        lambda d: d["models"][0]["priors"].pop("writing"),
        lambda d: d["models"].append(d["models"][0]),
        lambda d: d["models"][0].update(provider="nowhere"),
        lambda d: d["models"][0].update(input="0"),
        lambda d: d["models"][0].update(input=0.1),
        lambda d: d["models"][0].pop("priceDate"),
        lambda d: d["models"][0]["priors"].update(writing=11),
        lambda d: d["providers"]["azure"].pop("apiVersion"),
    ]
    for change in cases:
        with pytest.raises(ValidationError):
            CatalogFile.model_validate_json(broken(change))


# -- the user's overrides ------------------------------------------------------------------------


def test_a_new_model_gets_defaults_and_the_tier_median_priors() -> None:
    catalog = load_catalog(
        _settings(
            {
                "id": "lab-70b",
                "provider": "lab",
                "inputUsdPerMtok": 0.2,
                "outputUsdPerMtok": 0.4,
                "contextWindow": 32000,
            },
            lab={"baseUrl": "http://lab/v1"},
        )
    )
    m = catalog.model("lab-70b")
    assert (m.api_name, m.tier, m.max_output_tokens, m.family) == ("lab-70b", "fast", 4096, "openai")
    assert m.price_source == "user settings (smartRouter.models)" and m.price_date is None
    fast = [x for x in CATALOG.models.values() if x.tier == "fast"]
    assert m.priors["writing"] == round(statistics.median(x.priors["writing"] for x in fast), 1)
    assert "median of the catalog's fast models" in m.prior_source
    assert catalog.provider("lab").kind == "openai"


def test_a_partial_override_changes_only_what_it_names() -> None:
    before = CATALOG.model("gpt-4.1")
    after = load_catalog(
        _settings(
            {"id": "gpt-4.1", "inputUsdPerMtok": 1.5, "priors": {"writing": 9.5}, "flags": {"vision": False}}
        )
    ).model("gpt-4.1")
    assert (
        after.input_usd_per_mtok == Decimal("1.5") and after.output_usd_per_mtok == before.output_usd_per_mtok
    )
    assert after.price_source.startswith("user settings") and after.price_date is None
    assert after.priors["writing"] == 9.5 and after.priors["general"] == before.priors["general"]
    assert after.prior_source.startswith(
        "user settings (smartRouter.models) for writing; other intents: LMArena"
    )
    assert (after.flags.vision, after.flags.json_mode) == (False, True)
    assert (after.context_window, after.tier, after.family) == (
        before.context_window,
        before.tier,
        before.family,
    )
    moved = load_catalog(_settings({"id": "glm-4.6", "provider": "zhipu"})).model("glm-4.6")
    assert moved.provider == "zhipu" and moved.input_usd_per_mtok == Decimal("0.60")


def test_bad_model_entries_say_what_to_do() -> None:
    with pytest.raises(
        ConfigError, match=r"models\[0\] \(id 'gpt-4.2'\): 'gpt-4.2' is not in the catalog \(did you mean"
    ):
        load_catalog(_settings({"id": "gpt-4.2", "inputUsdPerMtok": 1}))
    with pytest.raises(ConfigError, match=r"needs provider, outputUsdPerMtok, contextWindow\. Add them"):
        load_catalog(_settings({"id": "brand-new", "inputUsdPerMtok": 1}))
    with pytest.raises(
        ConfigError, match=r"models\[0\] \(id 'gpt-4.1'\): model 'gpt-4.1' names unknown provider 'x'"
    ):
        load_catalog(_settings({"id": "gpt-4.1", "provider": "x"}))
    with pytest.raises(ConfigError, match=r"models\[1\]: id 'gpt-4.1' is also entry \[0\]\. Merge"):
        load_catalog(_settings({"id": "gpt-4.1", "tier": "fast"}, {"id": "gpt-4.1", "family": "x"}))
    with pytest.raises(ConfigError, match=r"free is true but a price is not 0"):
        load_catalog(_settings({"id": "gpt-4.1", "free": True}))


def test_provider_overrides_keep_what_they_do_not_name() -> None:
    catalog = load_catalog(
        _settings(
            anthropic={"baseUrl": "http://proxy.test/anthropic/"},
            corp={"baseUrl": "https://corp.openai.azure.com", "kind": "azure"},
            lmstudio={"baseUrl": "http://127.0.0.1:1234/v1", "local": True},
            openai={"enabled": False},
        )
    )
    assert (catalog.provider("anthropic").kind, catalog.provider("anthropic").base_url) == (
        "anthropic",
        "http://proxy.test/anthropic",
    )
    assert (catalog.provider("corp").kind, catalog.provider("corp").api_version) == ("azure", "2024-10-21")
    assert catalog.provider("lmstudio").local and not catalog.provider("lmstudio").needs_key
    assert not catalog.provider("openai").enabled
    versioned = load_catalog(
        _settings(azure={"baseUrl": "https://x.openai.azure.com", "apiVersion": "2025-04-01-preview"})
    )
    assert versioned.provider("azure").api_version == "2025-04-01-preview"


# -- discovered local models ---------------------------------------------------------------------


def test_discovered_local_models_are_free_local_and_take_reference_priors() -> None:
    catalog = CATALOG.with_local_models(
        [
            ("llama3.1:8b", "llama", 131072),
            ("gemma3:27b-it-qat", "gemma"),
            LocalModel("mystery:7b", "mystery"),
        ]
    )
    llama, gemma, mystery = (
        catalog.model(f"ollama/{n}") for n in ("llama3.1:8b", "gemma3:27b-it-qat", "mystery:7b")
    )
    for m in (llama, gemma, mystery):
        assert (m.provider, m.tier, m.input_usd_per_mtok, m.output_usd_per_mtok) == ("ollama", "local", 0, 0)
        assert list(m.priors) == list(INTENTS) and "local reference" in m.prior_source
    assert (llama.api_name, llama.context_window, llama.family) == ("llama3.1:8b", 131072, "llama")
    assert gemma.context_window == 4096 and "matched 'gemma3:27b'" in gemma.prior_source
    assert gemma.priors["general"] > llama.priors["general"]
    assert mystery.priors == llama.priors and "default" in mystery.prior_source
    assert catalog.provider("ollama").local and not catalog.provider("ollama").needs_key


@dataclass(frozen=True)
class _Record:
    name: str
    family: str | None
    parameter_size: str | None = None


def test_discovery_records_are_taken_as_they_come() -> None:
    catalog = CATALOG.with_local_models([_Record("gemma3:12b", "gemma3"), _Record("qwen3:32b", None)])
    assert catalog.model("ollama/gemma3:12b").family == "gemma"
    assert catalog.model("ollama/qwen3:32b").family == "qwen"  # the matched reference's family
    assert catalog.model("ollama/qwen3:32b").api_name == "qwen3:32b"


def test_rediscovery_replaces_local_models_and_user_entries_apply() -> None:
    settings = _settings(
        {"id": "ollama/qwen3:30b", "priors": {"code_generation": 6}, "contextWindow": 32768},
        {
            "id": "ollama/fixed",
            "provider": "ollama",
            "inputUsdPerMtok": 0,
            "outputUsdPerMtok": 0,
            "contextWindow": 8192,
            "tier": "local",
        },
    )
    catalog = load_catalog(settings)
    assert "ollama/qwen3:30b" not in catalog.models and "ollama/fixed" in catalog.models
    first = catalog.with_local_models([("qwen3:30b", "qwen"), ("fixed", "llama", 999), ("old:1b", "llama")])
    qwen = first.model("ollama/qwen3:30b")
    assert (qwen.priors["code_generation"], qwen.context_window) == (6, 32768)
    assert first.model("ollama/fixed").context_window == 8192  # the user's definition wins
    second: Catalog = first.with_local_models([("qwen3:30b", "qwen")])
    assert "ollama/old:1b" not in second.models and "ollama/fixed" in second.models
    with pytest.raises(ConfigError, match="Unknown provider 'lmstudio'"):
        CATALOG.with_local_models([("x", "llama")], provider="lmstudio")


# -- speed ---------------------------------------------------------------------------------------


def test_loading_is_fast() -> None:
    cold = []
    for _ in range(3):
        packaged.cache_clear()
        start = time.perf_counter()
        load_catalog(Settings())
        cold.append(time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(20):
        load_catalog(Settings())
    warm = (time.perf_counter() - start) / 20
    assert min(cold) < 0.05 and warm < 0.01, (cold, warm)
