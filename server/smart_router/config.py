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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from smart_router.errors import ConfigError

__all__ = [
    "APP_NAME",
    "DEFAULT_SYSTEM_PROMPT",
    "INTENTS",
    "ArenaGroup",
    "BudgetLimit",
    "Budgets",
    "ContextSettings",
    "Intent",
    "ModelFlagsOverride",
    "ModelOverride",
    "ProviderKind",
    "ProviderOverride",
    "RoutingPreference",
    "Rule",
    "RuleThen",
    "RuleWhen",
    "Settings",
    "Tier",
    "WorkspaceBudgets",
    "config_path",
    "database_path",
    "load_settings_file",
    "parse_settings",
    "unflatten_settings",
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
    canonical: str | None = Field(default=None, min_length=1)
    """Catalog id of the model this one serves under another provider (balanced with it)."""

    @model_validator(mode="after")
    def _free_means_no_charge(self) -> ModelOverride:
        if self.free and any(p for p in (self.input_usd_per_mtok, self.output_usd_per_mtok)):
            raise ValueError("free is true but a price is not 0: set both prices to 0 or drop free")
        return self


RoutingPreference = Literal["cost", "balanced", "quality"]


class RuleWhen(_Model):
    """When a routing rule applies: every condition given must hold (docs/routing.md)."""

    intent: list[Intent] | None = None
    complexity_min: float | None = Field(default=None, ge=0, le=1)
    complexity_max: float | None = Field(default=None, ge=0, le=1)
    language: list[str] | None = None
    """VS Code language ids (`python`, `typescript`, ...)."""
    file_glob: str | list[str] | None = None
    """Glob on the file path, e.g. `**/secrets/**` or `*.env` (relative to the workspace too)."""
    tokens_min: int | None = Field(default=None, ge=0)
    tokens_max: int | None = Field(default=None, ge=0)
    workspace: str | None = None
    """Workspace folder name or path (a glob is allowed)."""


class RuleThen(_Model):
    """What a routing rule does to the candidates."""

    require_model: list[str] | None = None
    prefer_model: list[str] | None = None
    forbid_model: list[str] | None = None
    require_provider: list[str] | None = None
    prefer_provider: list[str] | None = None
    forbid_provider: list[str] | None = None
    require_tier: list[Tier] | None = None
    prefer_tier: list[Tier] | None = None
    forbid_tier: list[Tier] | None = None
    max_cost_usd: float | None = Field(default=None, gt=0)
    """Most a single request may cost (its worst case: the prompt plus the longest answer)."""
    local_only: bool = False
    """Only models of local providers: the request never leaves the machine."""


class Rule(_Model):
    """A routing rule of `smartRouter.rules`: when it matches, its actions shape the choice."""

    name: str = Field(min_length=1)
    when: RuleWhen = Field(default_factory=RuleWhen)
    then: RuleThen


class BudgetLimit(_Model):
    """One spending limit: `hard` refuses (or downgrades) a request that could pass it, `soft` only warns."""

    usd: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
    """The limit in USD."""
    mode: Literal["hard", "soft"] = "hard"


class WorkspaceBudgets(_Model):
    """Limits for the requests made from one workspace (keyed by its folder name or path)."""

    daily: BudgetLimit | None = None
    monthly: BudgetLimit | None = None


class Budgets(_Model):
    """`smartRouter.budgets`: spending limits per calendar day and month, per workspace and per request."""

    daily: BudgetLimit | None = None
    """Spend per calendar day (midnight to midnight in `timeZone`), across all workspaces."""
    monthly: BudgetLimit | None = None
    """Spend per calendar month, across all workspaces."""
    per_request: BudgetLimit | None = None
    """The most one request may cost (its worst case: the prompt plus the longest answer)."""
    workspaces: dict[str, WorkspaceBudgets] = Field(default_factory=dict)
    """Daily and monthly limits per workspace, keyed by the workspace folder's name or path."""
    alert_thresholds: list[Annotated[int, Field(ge=1, le=100)]] = Field(default_factory=lambda: [50, 80, 100])
    """Percentages of a budget at which an alert fires, once per budget and period."""
    webhook_url: str = ""
    """Slack-compatible webhook (`{"text": ...}` is posted) that also receives the alerts; empty: none."""
    time_zone: str = ""
    """IANA time zone of the calendar days and months (e.g. `Europe/Amsterdam`); empty: the system's."""

    @model_validator(mode="after")
    def _check(self) -> Budgets:
        if len(set(self.alert_thresholds)) != len(self.alert_thresholds):
            raise ValueError("alertThresholds has a percentage twice: list each one once")
        self.alert_thresholds.sort()
        if self.webhook_url and not self.webhook_url.startswith(("https://", "http://")):
            raise ValueError("webhookUrl must be an http(s) URL, or empty for none")
        if self.time_zone:
            try:
                ZoneInfo(self.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"timeZone '{self.time_zone}' is not an IANA time zone (e.g. Europe/Amsterdam, "
                    "America/New_York); leave it empty for the system's"
                ) from None
        return self


DEFAULT_CONTEXT_EXCLUDE: tuple[str, ...] = (
    ".env",
    ".env.*",
    "**/*.pem",
    "**/*.key",
    "**/id_rsa*",
    "**/*secret*",
    "**/node_modules/**",
    "**/.git/**",
)


class ContextSettings(_Model):
    """`smartRouter.context.*`: the context cache (docs/context.md)."""

    enabled: bool = True
    """Off: no context is gathered, no document is stored and the response cache is not used."""
    max_tokens: int = Field(default=4000, gt=0)
    """Most tokens of context an ask carries (the chosen model's window may allow fewer)."""
    cache_size_mb: float = Field(default=25, gt=0, le=10_000, allow_inf_nan=False)
    """Cap on the context data (entries, their embeddings, messages, cached answers), in MB; the
    entries of least value go first when it is passed. Pinned notes are never removed."""
    retention_days: int = Field(default=90, ge=0)
    """Data not used for this many days is deleted (pinned notes are kept); 0: keep forever."""
    exclude: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=lambda: list(DEFAULT_CONTEXT_EXCLUDE)
    )
    """Globs on the file path of files never stored and never sent, e.g. `.env` or `**/*.pem`."""
    response_cache: bool = True
    """Answer a repeated question from the cache, at no cost."""
    cache_similarity: float = Field(default=0.55, gt=0, le=1, allow_inf_nan=False)
    """Cosine similarity a new prompt needs to a cached one to be considered for a semantic hit; the
    near-miss guard and the learned match decision (context/cache_match.py) then decide. 0.55 was
    chosen on the response cache's development sets."""


ArenaGroup = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=2)]
"""The model ids of a user's arena group: two or more."""

DEFAULT_SYSTEM_PROMPT = (
    "You are Smart Router, a coding assistant inside the user's editor. Answer precisely and "
    "concisely. Use Markdown, and put code in fenced blocks with a language tag."
)


class Settings(_Model):
    """All settings of the `smartRouter` section."""

    python_path: str = ""
    """Python interpreter that runs the sidecar (used by the extension only)."""
    default_model: str = ""
    """Catalog id of the model to use for every request; empty: the router chooses per request."""
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
    embedding_model: str = ""
    """sentence-transformers model folder for classification and context ranking (run in a worker
    process); empty: the packaged all-MiniLM-L6-v2; `off`: no embedding model."""
    routing_preference: RoutingPreference = "balanced"
    """How the router trades answer quality against cost: `cost`, `balanced` or `quality`."""
    rules: list[Rule] = Field(default_factory=list)
    """Routing rules, applied in order (docs/routing.md); checked against the catalog on load."""
    budgets: Budgets = Field(default_factory=Budgets)
    """Spending limits, alerts and the time zone of their periods (docs/budgets.md)."""
    arena_groups: dict[Annotated[str, Field(min_length=1)], ArenaGroup] = Field(default_factory=dict)
    """Arena battle groups of the user: name -> catalog model ids (docs/arena.md). A group with a
    built-in's name (Frontier, Fast, Hybrid) replaces it."""
    arena_judge: str = ""
    """Catalog id of the model that merges an arena battle's best answers into one (docs/arena.md);
    empty: no merge. An id the catalog does not know, or a model without a key, does not stop a
    battle: the merge is skipped and the result says why."""
    context: ContextSettings = Field(default_factory=ContextSettings)
    """The context cache: what is stored, its size cap, retention and exclusions (docs/context.md)."""


def parse_settings(raw: Any, *, origin: str = "settings") -> Settings:
    """Validate a `smartRouter` settings object; a bad one gets an error naming the entry and field."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected an object of smartRouter.* settings.")
    raw = _nest_dotted(raw)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(err['loc'], raw)}: {_say(err)}" for err in exc.errors())
        raise ConfigError(f"{origin} has invalid settings ({problems}). Fix them and retry.") from None


def _nest_dotted(raw: dict[str, Any]) -> dict[str, Any]:
    """`{"context.enabled": false}` (VS Code's keys of an object's fields) as
    `{"context": {"enabled": false}}`."""
    if not any("." in key for key in raw):
        return raw
    out: dict[str, Any] = {}
    for key, value in raw.items():
        head, dot, rest = key.partition(".")
        if not dot:
            merge = isinstance(out.get(head), dict) and isinstance(value, dict)
            out[head] = {**out[head], **value} if merge else value
            continue
        node = out.get(head)
        out[head] = {**(node if isinstance(node, dict) else {}), **_nest_dotted({rest: value})}
    return out


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
            elif isinstance(node, dict) and isinstance(node.get("name"), str):
                out += f" ('{node['name']}')"
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


def unflatten_settings(raw: dict[str, Any]) -> dict[str, Any]:
    """The `smartRouter` section of a settings file's JSON object (flat keys or nested)."""
    return _unflatten(raw)


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
