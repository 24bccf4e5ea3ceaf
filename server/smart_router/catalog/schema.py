"""The schema of the packaged `models.json`, validated strictly when it is read.

A broken catalog fails here, with pydantic's account of what is wrong, the first time the
catalog loads (in the unit tests), never halfway through a user's ask. The file is read and
validated once per process.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from smart_router.config import INTENTS, Intent, ProviderKind, Tier

__all__ = [
    "CatalogFile",
    "Evidence",
    "LocalReference",
    "ModelEntry",
    "ProviderEntry",
    "packaged",
]

Price = Annotated[str, Field(pattern=r"^\d+(\.\d+)?$")]
"""USD per million tokens as a decimal string, e.g. `"0.15"`."""
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Text = Annotated[str, Field(min_length=1)]
Prior = Annotated[float, Field(ge=0, le=10)]
ArenaCategory = Literal["full", "coding", "math", "creative_writing", "hard_6", "expert", "if"]


class _Strict(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, strict=True
    )


class ProviderEntry(_Strict):
    name: Text
    kind: ProviderKind
    base_url: str
    """Empty only for a provider that is unusable until the user names their endpoint (Azure)."""
    api_key_env: str | None
    local: bool = False
    api_version: str | None = None

    @model_validator(mode="after")
    def _check(self) -> ProviderEntry:
        if self.kind == "azure" and not self.api_version:
            raise ValueError("an azure provider needs apiVersion")
        if not self.local and not self.api_key_env:
            raise ValueError("a remote provider needs apiKeyEnv")
        return self


class Flags(_Strict):
    streaming: bool
    system_role: bool
    json_mode: bool
    vision: bool


class ArenaEvidence(_Strict):
    model: Text
    """The model's name on the leaderboard."""
    ratings: dict[ArenaCategory, float]

    @model_validator(mode="after")
    def _all_categories(self) -> ArenaEvidence:
        missing = set(get_args(ArenaCategory)) - set(self.ratings)
        if missing:
            raise ValueError(f"ratings lack {sorted(missing)}")
        return self


class RunEvidence(_Strict):
    run: Text
    """The run's label on the leaderboard."""
    pct: float = Field(ge=0, le=100)


class Evidence(_Strict):
    """Leaderboard numbers behind a model's priors, as published."""

    lmarena: ArenaEvidence
    aider: RunEvidence | None = None
    swe: RunEvidence | None = None
    proxy: str | None = None
    """Why another model's results stand in for this one (not measured itself)."""


def _check_priors(priors: dict[Intent, float]) -> None:
    missing = [i for i in INTENTS if i not in priors]
    if missing:
        raise ValueError(f"priors lack {missing}")


class ModelEntry(_Strict):
    id: Text
    canonical: Text | None = None
    """Id of the catalog model this entry serves through another provider (same weights)."""
    provider: Text
    api_name: Text
    family: Text
    tier: Tier
    input: Price
    output: Price
    cached_input: Price | None = None
    price_source: Text
    price_date: Day
    context_window: int = Field(gt=0)
    max_output: int = Field(gt=0)
    flags: Flags
    free: bool = False
    deprecation_date: Day | None = None
    priors: dict[Intent, Prior]
    prior_source: Text
    evidence: Evidence

    @model_validator(mode="after")
    def _check(self) -> ModelEntry:
        _check_priors(self.priors)
        no_charge = float(self.input) == 0 and float(self.output) == 0
        if self.free and not no_charge:
            raise ValueError("free is true but a price is not 0")
        if not (self.free or self.tier == "local") and (float(self.input) == 0 or float(self.output) == 0):
            raise ValueError("a price of 0 needs free: true (or tier local)")
        return self


class Source(_Strict):
    name: Text
    url: Text
    date: Day
    note: str = ""


class Fit(_Strict):
    intercept: float
    slope: float
    r: float
    rmse: float
    n: int


class PriorMethod(_Strict):
    sources: dict[Literal["lmarena", "aider", "swe"], Source]
    arena_top: dict[ArenaCategory, float]
    impute: dict[Literal["aider", "swe"], Fit]


class LocalReference(_Strict):
    """Priors for discovered local models whose name starts with one of `names`."""

    names: list[Text]
    family: Text
    priors: dict[Intent, Prior]
    prior_source: Text
    evidence: Evidence

    @model_validator(mode="after")
    def _check(self) -> LocalReference:
        _check_priors(self.priors)
        return self


class LocalModels(_Strict):
    default: LocalReference
    references: list[LocalReference]


class CatalogFile(_Strict):
    schema_version: Literal[1]
    providers: dict[str, ProviderEntry]
    prior_method: PriorMethod
    local_models: LocalModels
    models: list[ModelEntry]

    @model_validator(mode="after")
    def _check(self) -> CatalogFile:
        seen: set[str] = set()
        for m in self.models:
            if m.id in seen:
                raise ValueError(f"model id '{m.id}' appears twice")
            seen.add(m.id)
            if m.provider not in self.providers:
                raise ValueError(f"model '{m.id}' names unknown provider '{m.provider}'")
        for m in self.models:
            if m.canonical is not None and m.canonical not in seen:
                raise ValueError(f"model '{m.id}' names unknown canonical model '{m.canonical}'")
        return self


@functools.cache
def packaged() -> CatalogFile:
    """The packaged catalog, parsed and validated (once per process)."""
    text = resources.files(__package__).joinpath("models.json").read_text(encoding="utf-8")
    return CatalogFile.model_validate_json(text)
