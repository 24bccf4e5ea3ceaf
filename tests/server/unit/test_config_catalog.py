"""Settings parsing and the catalog with the user's overrides."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest
from pydantic import BaseModel

from smart_router.catalog import load_catalog
from smart_router.config import (
    INTENTS,
    ModelFlagsOverride,
    ModelOverride,
    ProviderKind,
    ProviderOverride,
    Settings,
    database_path,
    load_settings_file,
    parse_settings,
)
from smart_router.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def test_package_json_defaults_validate_on_the_server() -> None:
    manifest = json.loads((ROOT / "package.json").read_text())
    props = manifest["contributes"]["configuration"]["properties"]
    defaults = {key.removeprefix("smartRouter."): p["default"] for key, p in props.items()}
    assert parse_settings(defaults) == Settings()
    # `smartRouter.context.enabled` and its siblings are the fields of the `context` object
    assert {key.split(".")[0] for key in defaults} == {f.alias for f in Settings.model_fields.values()}
    assert {key for key in defaults if key.startswith("context.")} == {
        f"context.{f.alias}"
        for f in Settings.model_fields["context"].annotation.model_fields.values()  # type: ignore[union-attr]
    }


def test_flat_and_nested_settings_files_mean_the_same(user_env: Path) -> None:
    path = user_env / "settings.json"
    path.write_text(json.dumps({"smartRouter.defaultModel": "gpt-4.1", "editor.fontSize": 14}))
    assert load_settings_file().default_model == "gpt-4.1"
    path.write_text(json.dumps({"smartRouter": {"maxOutputTokens": 99}}))
    assert load_settings_file().max_output_tokens == 99


def test_context_settings_from_flat_keys_and_bad_values_named(user_env: Path) -> None:
    path = user_env / "settings.json"
    flat = {"smartRouter.context.enabled": False, "smartRouter.context.exclude": ["*.sql"]}
    path.write_text(json.dumps(flat))
    context = load_settings_file().context
    assert (context.enabled, context.exclude, context.cache_size_mb) == (False, ["*.sql"], 25)
    path.write_text(json.dumps({"smartRouter.context.cacheSizeMb": 0}))
    with pytest.raises(ConfigError, match=r"smartRouter\.context\.cacheSizeMb: Input should be greater"):
        load_settings_file()
    with pytest.raises(ConfigError, match=r"smartRouter\.context\.retentionDays"):
        parse_settings({"context": {"retentionDays": -1}})
    with pytest.raises(ConfigError, match=r"smartRouter\.context\.exclude\[1\]"):
        parse_settings({"context": {"exclude": ["*.pem", ""]}})
    with pytest.raises(ConfigError, match=r"smartRouter\.context\.maxTokenz: not a known setting"):
        parse_settings({"context.maxTokenz": 5})


def test_a_bad_settings_file_names_the_field(user_env: Path) -> None:
    (user_env / "settings.json").write_text(json.dumps({"smartRouter.maxOutputTokens": -5}))
    with pytest.raises(ConfigError, match=r"smartRouter\.maxOutputTokens"):
        load_settings_file()
    (user_env / "settings.json").write_text("{not json")
    with pytest.raises(ConfigError, match="Fix the JSON"):
        load_settings_file()


def test_unknown_settings_are_refused_by_name() -> None:
    with pytest.raises(ConfigError, match=r"smartRouter\.defaultModl"):
        parse_settings({"defaultModl": "x"})


def test_database_path_prefers_the_environment(user_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert database_path(Settings(database_path="/elsewhere/x.db")) == user_env / "smart-router.db"
    monkeypatch.delenv("SMART_ROUTER_DB")
    assert database_path(Settings(database_path="/elsewhere/x.db")) == Path("/elsewhere/x.db")
    assert database_path(Settings()) == user_env / "data" / "smart-router" / "smart-router.db"


def test_packaged_catalog_has_prices_sources_and_windows() -> None:
    catalog = load_catalog(Settings())
    mini = catalog.model("gpt-4o-mini")
    assert (mini.input_usd_per_mtok, mini.output_usd_per_mtok) == (Decimal("0.15"), Decimal("0.60"))
    for m in catalog.models.values():
        assert m.provider in catalog.providers
        if not (m.free or m.tier == "local"):
            assert m.input_usd_per_mtok > 0 and m.output_usd_per_mtok > 0, m.id
        assert m.context_window > 0 and m.max_output_tokens > 0 and m.price_source and m.price_date


def test_package_json_entries_mirror_the_override_models() -> None:
    manifest = json.loads((ROOT / "package.json").read_text())
    props = manifest["contributes"]["configuration"]["properties"]
    model_item = props["smartRouter.models"]["items"]
    provider_item = props["smartRouter.providers"]["additionalProperties"]

    def aliases(cls: type[BaseModel]) -> set[str]:
        return {f.alias or name for name, f in cls.model_fields.items()}

    assert set(model_item["properties"]) == aliases(ModelOverride)
    assert model_item["required"] == ["id"]
    assert set(model_item["properties"]["flags"]["properties"]) == aliases(ModelFlagsOverride)
    assert list(model_item["properties"]["priors"]["properties"]) == list(INTENTS)
    assert set(provider_item["properties"]) == aliases(ProviderOverride)
    assert tuple(provider_item["properties"]["kind"]["enum"]) == get_args(ProviderKind)


def test_a_bad_model_entry_names_the_entry_and_the_field() -> None:
    with pytest.raises(ConfigError, match=r"smartRouter\.models\[1\] \(id 'lab'\)\.contextWindow") as info:
        parse_settings({"models": [{"id": "gpt-4.1"}, {"id": "lab", "contextWindow": 0}]})
    assert "Fix them and retry" in info.value.message
    with pytest.raises(ConfigError, match=r"models\[0\] \(id 'x'\)\.priors\.writng"):
        parse_settings({"models": [{"id": "x", "priors": {"writng": 5}}]})
    with pytest.raises(
        ConfigError, match=r"models\[0\] \(id 'x'\)\.priors\.writing: .*less than or equal to 10"
    ):
        parse_settings({"models": [{"id": "x", "priors": {"writing": 11}}]})
    with pytest.raises(ConfigError, match=r"models\[0\] \(id 'x'\)\.inputUsdPerMtk: not a known setting"):
        parse_settings({"models": [{"id": "x", "inputUsdPerMtk": 1}]})
    with pytest.raises(ConfigError, match=r"models\[0\] \(id 'x'\): free is true but a price is not 0"):
        parse_settings({"models": [{"id": "x", "free": True, "inputUsdPerMtok": 1}]})
    with pytest.raises(ConfigError, match=r"smartRouter\.providers\.azure\.kind"):
        parse_settings({"providers": {"azure": {"kind": "azure-openai"}}})


def test_overrides_move_a_provider_and_add_models() -> None:
    settings = parse_settings(
        {
            "providers": {
                "openai": {"baseUrl": "http://127.0.0.1:9/v1/"},
                "lab": {"baseUrl": "http://lab/v1"},
            },
            "models": [
                {
                    "id": "lab-7b",
                    "provider": "lab",
                    "inputUsdPerMtok": 0,
                    "outputUsdPerMtok": 0,
                    "contextWindow": 8192,
                    "tier": "local",
                }
            ],
        }
    )
    catalog = load_catalog(settings)
    assert catalog.provider("openai").base_url == "http://127.0.0.1:9/v1"
    assert catalog.provider("openai").api_key_env == "OPENAI_API_KEY"
    assert catalog.model("lab-7b").api_name == "lab-7b"


def test_bad_overrides_say_what_to_fix() -> None:
    with pytest.raises(ConfigError, match="needs a baseUrl"):
        load_catalog(parse_settings({"providers": {"nowhere": {}}}))
    bad_model = {
        "id": "m",
        "provider": "nope",
        "inputUsdPerMtok": 1,
        "outputUsdPerMtok": 1,
        "contextWindow": 10,
    }
    with pytest.raises(ConfigError, match="unknown provider 'nope'"):
        load_catalog(parse_settings({"models": [bad_model]}))
    with pytest.raises(ConfigError, match="Unknown model 'gpt-9'"):
        load_catalog(Settings()).model("gpt-9")
