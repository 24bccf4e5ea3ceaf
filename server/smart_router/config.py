"""Typed settings, mirroring `contributes.configuration` (`smartRouter.*`) in package.json.

Inside VS Code the extension hands the `smartRouter` section over in `initializationOptions`
and on every change. Outside VS Code (the `smart-router` command, tests, benchmarks) they come
from a settings file with the same schema: `$SMART_ROUTER_CONFIG`, else
`<user config dir>/smart-router/settings.json` (`$XDG_CONFIG_HOME/smart-router/settings.json`
on Linux). The file may use VS Code's flat keys (`"smartRouter.defaultModel": "..."`) or a
nested `{"smartRouter": {...}}` object.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from smart_router.errors import ConfigError

__all__ = [
    "APP_NAME",
    "DEFAULT_SYSTEM_PROMPT",
    "INTENTS",
    "Intent",
    "ModelFlagsOverride",
    "ModelOverride",
    "ProviderKind",
    "ProviderOverride",
    "Settings",
    "Tier",
    "config_path",
    "database_path",
    "load_settings_file",
    "parse_settings",
]

APP_NAME = "smart-router"
SECTION = "smartRouter"


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


INTENTS: tuple[str, ...] = (
    "code_generation",
    "code_explanation",
    "debugging",
    "refactoring",
    "test_generation",
    "documentation",
    "code_review",
    "architecture",
    "reasoning",
    "writing",
    "general",
)
"""The fixed intent labels; every catalog model has a capability prior (0-10) for each."""

Intent = Literal[
    "code_generation",
    "code_explanation",
    "debugging",
    "refactoring",
    "test_generation",
    "documentation",
    "code_review",
    "architecture",
    "reasoning",
    "writing",
    "general",
]
ProviderKind = Literal["openai", "azure", "anthropic", "gemini", "ollama"]
Tier = Literal["frontier", "fast", "local"]
Prior = Annotated[float, Field(ge=0, le=10)]
UsdPerMtok = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class ProviderOverride(_Model):
    """Per-provider settings: where it lives, how it is spoken to and where its key comes from."""

    base_url: str | None = None
    """Base URL of the API, e.g. `http://127.0.0.1:4000/v1` (LiteLLM) or your Azure resource."""
    api_key_env: str | None = None
    """Environment variable holding the key (default: the provider's usual one)."""
    enabled: bool = True
    """False hides the provider and its models from routing."""
    kind: ProviderKind | None = None
    """Wire format; default: the catalog provider's, `openai` for a new provider."""
    api_version: str | None = Field(default=None, min_length=1)
    """Azure OpenAI data-plane `api-version` (default `2024-10-21`)."""
    local: bool | None = None
    """True for a server on this machine that needs no key (default: the catalog's, else false)."""


class ModelFlagsOverride(_Model):
    """What a model supports; unset flags keep the catalog's value."""

    streaming: bool | None = None
    system_role: bool | None = None
    json_mode: bool | None = None
    vision: bool | None = None


class ModelOverride(_Model):
    """A model the user adds to the catalog, or fields of a catalog model they override.

    Only `id` is required. For an id the catalog already has, the given fields replace the
    catalog's (priors per intent); a new id also needs `provider`, `inputUsdPerMtok`,
    `outputUsdPerMtok` and `contextWindow` (checked when the catalog is built).
    """

    id: str = Field(min_length=1)
    provider: str | None = Field(default=None, min_length=1)
    api_name: str | None = Field(default=None, min_length=1)
    """Name sent to the provider (default: `id`)."""
    input_usd_per_mtok: UsdPerMtok | None = None
    output_usd_per_mtok: UsdPerMtok | None = None
    cached_input_usd_per_mtok: UsdPerMtok | None = None
    """Price of a million input tokens read from the provider's prompt cache."""
    price_source: str | None = Field(default=None, min_length=1)
    price_date: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    context_window: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    tier: Tier | None = None
    family: str | None = Field(default=None, min_length=1)
    """Tokenizer and prompt-style family: openai, claude, gemini, llama, qwen, ..."""
    priors: dict[Intent, Prior] | None = None
    """Capability prior (0-10) per intent; unset intents keep the catalog's (or the tier's median)."""
    prior_source: str | None = Field(default=None, min_length=1)
    flags: ModelFlagsOverride | None = None
    free: bool | None = None
    """True only for a model the provider does not charge for (both prices must be 0)."""

    @model_validator(mode="after")
    def _free_means_no_charge(self) -> ModelOverride:
        if self.free and any(p for p in (self.input_usd_per_mtok, self.output_usd_per_mtok)):
            raise ValueError("free is true but a price is not 0: set both prices to 0 or drop free")
        return self


DEFAULT_SYSTEM_PROMPT = (
    "You are Smart Router, a coding assistant inside the user's editor. Answer precisely and "
    "concisely. Use Markdown, and put code in fenced blocks with a language tag."
)


class Settings(_Model):
    """All settings of the `smartRouter` section."""

    python_path: str = ""
    """Python interpreter that runs the sidecar (used by the extension only)."""
    default_model: str = ""
    """Catalog id of the model to use; empty: the cheapest usable model."""
    providers: dict[str, ProviderOverride] = Field(default_factory=dict)
    """Per-provider overrides keyed by provider id (`openai`, `anthropic`, `gemini`, `ollama`, ...)."""
    models: list[ModelOverride] = Field(default_factory=list)
    """Models to add to the catalog, or fields of catalog models to override (docs/catalog.md)."""
    system_prompt: str = DEFAULT_SYSTEM_PROMPT
    """Instructions sent with every ask as the system prompt; empty: none."""
    max_output_tokens: int = Field(default=1024, gt=0)
    """Upper bound on the length of an answer, in tokens."""
    request_timeout_seconds: float = Field(default=60, gt=0)
    """How long a provider may stay silent before the call fails."""
    database_path: str = ""
    """SQLite database file; empty: `<user data dir>/smart-router/smart-router.db`."""
    log_level: Literal["error", "warning", "info", "debug"] = "info"


def parse_settings(raw: Any, *, origin: str = "settings") -> Settings:
    """Validate a `smartRouter` settings object; a bad one gets an error naming the entry and field."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected an object of smartRouter.* settings.")
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(err['loc'], raw)}: {_say(err)}" for err in exc.errors())
        raise ConfigError(f"{origin} has invalid settings ({problems}). Fix them and retry.") from None


def _where(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    """`smartRouter.models[2] (id 'x').contextWindow` for a pydantic error location."""
    out = SECTION
    node: Any = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" (id '{node['id']}')"
        elif part != "[key]":  # pydantic's marker for a bad dict key: the key is already named
            out += f".{part}"
            node = node.get(part) if isinstance(node, dict) else None
    return out


def _say(err: Any) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return "not a known setting (check its spelling)"
    return msg.removeprefix("Value error, ")


def _unflatten(raw: dict[str, Any]) -> dict[str, Any]:
    """Accept VS Code's flat `smartRouter.x` keys as well as a nested section."""
    nested = dict(raw.get(SECTION) or {})
    prefix = SECTION + "."
    for key, value in raw.items():
        if key.startswith(prefix):
            nested[key[len(prefix) :]] = value
    return nested


def config_path() -> Path:
    """Where the settings file lives outside VS Code."""
    env = os.environ.get("SMART_ROUTER_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "settings.json"


def load_settings_file(path: Path | None = None) -> Settings:
    """Settings from the user's settings file; defaults when there is none."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Cannot read settings file {path}: {exc}. Fix the JSON and retry.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"Settings file {path} must hold a JSON object.")
    return parse_settings(_unflatten(raw), origin=f"Settings file {path}")


def database_path(settings: Settings) -> Path:
    """`$SMART_ROUTER_DB`, else the `databasePath` setting, else the user data dir."""
    env = os.environ.get("SMART_ROUTER_DB")
    if env:
        return Path(env)
    if settings.database_path:
        return Path(settings.database_path).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "smart-router.db"
