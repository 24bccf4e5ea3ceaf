"""The router's score: expected answer quality for this intent and complexity, traded against
expected cost and observed latency, weighted by the user's dial (docs/routing.md).

    score = value(quality, complexity)  -  dial x log10(estimated cost)  -  health  +  preference

* **quality** is the model's capability prior for the intent (0-10, docs/catalog.md), plus the
  user's own adjustment per model and intent (from arena votes; none by default).
* **value**: a task of complexity c needs quality `needed(c)` = 3.5 + 5.5 c (a one-line lookup
  3.5, a hard multi-step problem 9). Each point short of it costs 3 points; each point above it
  still earns `surplus(c)` = 0.3 + 0.6 c. So easy prompts go to cheap models that are good
  enough, and the higher the complexity the wider the gap between strong and weak models.
* **cost** is this request's estimated cost in micro-dollars (a typical answer length),
  log-scaled with a floor of 100 (a free model is not infinitely better than a cheap one):
  paying ten times as much costs `dial` points, whatever the amounts.
* **dial** (`smartRouter.routingPreference`): `cost` 3 points per tenfold price, `balanced` 1.2,
  `quality` 0.3. The dial is the only weight it changes, so moving it towards quality never
  picks a cheaper or weaker model.
* **health**: 0.6 x log10(1 + seconds) of the deployment's moving-average latency (a model never
  measured pays nothing), 2 x its recent error rate, 1 more while its circuit is half-open.
  These balance equivalent deployments of one model.
* **preference**: +3 for each matching `prefer*` rule.

`ScoringTable` holds what depends only on the catalog (rows in a fixed order, equivalent
deployments), built once per catalog.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from smart_router.catalog import Catalog, ModelSpec, ProviderSpec

__all__ = [
    "COST_FLOOR_MICRO_USD",
    "COST_POINTS_PER_DECADE",
    "PREFER_BONUS",
    "QualityAdjustments",
    "Row",
    "ScoringTable",
    "health_penalty",
    "needed",
    "quality",
    "value",
]

COST_POINTS_PER_DECADE: Mapping[str, float] = {"cost": 3.0, "balanced": 1.2, "quality": 0.3}
"""Quality points a tenfold price is worth, per `routingPreference`."""
COST_FLOOR_MICRO_USD = 100.0
"""Costs below this ($0.0001: free and local models) count as this much."""
PREFER_BONUS = 3.0
_SHORTFALL_WEIGHT = 3.0
_LATENCY_WEIGHT = 0.6
_ERROR_WEIGHT = 2.0
_HALF_OPEN_PENALTY = 1.0

QualityAdjustments = Mapping[str, Mapping[str, float]]
"""Points added to a model's prior, by model id (or canonical id) and intent, e.g. from the
user's arena votes: `{"claude-haiku-4-5": {"code_review": +0.8}}`."""


def needed(complexity: float) -> float:
    """The quality (0-10) a task of this complexity (0-1) needs."""
    return 3.5 + 5.5 * min(1.0, max(0.0, complexity))


def value(q: float, complexity: float) -> float:
    """What quality `q` is worth for a task of this complexity, in points."""
    c = min(1.0, max(0.0, complexity))
    need = needed(c)
    return (0.3 + 0.6 * c) * q - _SHORTFALL_WEIGHT * max(0.0, need - q)


def quality(model: ModelSpec, intent: str, adjustments: QualityAdjustments | None) -> float:
    """The model's expected quality for `intent` (0-10): its prior plus the user's adjustment."""
    q = model.priors.get(intent, 0.0)
    if adjustments:
        per_model = adjustments.get(model.id) or adjustments.get(model.canonical_id)
        if per_model:
            q += per_model.get(intent, 0.0)
    return min(10.0, max(0.0, q))


def health_penalty(latency_ms: float | None, error_rate: float, half_open: bool) -> float:
    """Points taken for slowness and recent failures."""
    penalty = _ERROR_WEIGHT * error_rate + (_HALF_OPEN_PENALTY if half_open else 0.0)
    if latency_ms is not None and latency_ms > 0:
        penalty += _LATENCY_WEIGHT * math.log10(1.0 + latency_ms / 1000.0)
    return penalty


@dataclass(frozen=True, slots=True)
class Row:
    """One catalog model as the scorer reads it."""

    model: ModelSpec
    provider: ProviderSpec
    input_price: float
    """Micro-dollars per input token (= USD per million tokens)."""
    output_price: float
    direct: bool
    """Not a re-served deployment (its id is its canonical name): wins ties against gateways."""


class ScoringTable:
    """What the router needs from one catalog, computed once for it."""

    __slots__ = ("catalog", "equivalents", "rows")

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        rows = []
        for m in sorted(catalog.models.values(), key=lambda m: m.id):
            provider = catalog.providers.get(m.provider)
            if provider is None:
                continue
            rows.append(
                Row(
                    model=m,
                    provider=provider,
                    input_price=float(m.input_usd_per_mtok),
                    output_price=float(m.output_usd_per_mtok),
                    direct=m.canonical_id == m.id,
                )
            )
        self.rows: tuple[Row, ...] = tuple(rows)
        groups: dict[str, list[str]] = {}
        for r in self.rows:
            groups.setdefault(r.model.canonical_id, []).append(r.model.id)
        self.equivalents: Mapping[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in groups.items() if len(v) > 1
        }
        """Canonical name -> ids of its deployments, for models served by several providers."""

    @classmethod
    def for_catalog(cls, catalog: Catalog) -> ScoringTable:
        """The table of `catalog`, rebuilt only when the catalog object changes."""
        last = _CACHE.get("table")
        if last is None or last.catalog is not catalog:
            last = _CACHE["table"] = cls(catalog)
        return last


_CACHE: dict[str, ScoringTable] = {}
