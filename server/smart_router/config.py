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
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from smart_router.errors import ConfigError

__all__ = [
    "APP_NAME",
    "ModelOverride",
    "ProviderOverride",
    "Settings",
    "config_path",
    "database_path",
    "load_settings_file",
    "parse_settings",
]

APP_NAME = "smart-router"
SECTION = "smartRouter"


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ProviderOverride(_Model):
    """Per-provider settings: where it lives and where its key comes from."""

    base_url: str | None = None
    """Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:4000/v1` (LiteLLM)."""
    api_key_env: str | None = None
    """Environment variable holding the key (default: the provider's usual one)."""
    enabled: bool = True
    """False hides the provider and its models from routing."""
    kind: Literal["openai"] = "openai"
    """Wire format. Every provider speaks the OpenAI Chat Completions format for now."""


class ModelOverride(_Model):
    """A model the user adds to the catalog, or a catalog entry they override."""

    id: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    api_name: str | None = None
    """Name sent to the provider (default: `id`)."""
    input_usd_per_mtok: Decimal = Field(ge=0)
    output_usd_per_mtok: Decimal = Field(ge=0)
    context_window: int = Field(gt=0)
    max_output_tokens: int = Field(default=4096, gt=0)
    tier: Literal["frontier", "fast", "local"] = "fast"


class Settings(_Model):
    """All settings of the `smartRouter` section."""

    python_path: str = ""
    """Python interpreter that runs the sidecar (used by the extension only)."""
    default_model: str = ""
    """Catalog id of the model to use; empty: the cheapest usable model."""
    providers: dict[str, ProviderOverride] = Field(default_factory=dict)
    """Per-provider overrides keyed by provider id (`openai`, `openrouter`, `deepseek`, ...)."""
    models: list[ModelOverride] = Field(default_factory=list)
    """Models to add to, or override in, the catalog."""
    max_output_tokens: int = Field(default=1024, gt=0)
    """Upper bound on the length of an answer, in tokens."""
    request_timeout_seconds: float = Field(default=60, gt=0)
    """How long a provider may stay silent before the call fails."""
    database_path: str = ""
    """SQLite database file; empty: `<user data dir>/smart-router/smart-router.db`."""
    log_level: Literal["error", "warning", "info", "debug"] = "info"


def parse_settings(raw: Any, *, origin: str = "settings") -> Settings:
    """Validate a `smartRouter` settings object; a bad one gets an error naming the field."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected an object of smartRouter.* settings.")
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"smartRouter.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{origin} has invalid settings ({problems}). Fix them and retry.") from None


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
