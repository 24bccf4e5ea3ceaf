"""The custom LSP surface: method names and the payloads on the wire (camelCase).

The same models, dumped without aliases (snake_case), are the `--json` output of the CLI; the
`*_result`/`budget_status`/`model_info` functions build them from the engine's objects.

docs/protocol.md describes the same surface for people; the extension's
`extension/src/common/constants.ts` holds the same names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from smart_router.tokens import micro_to_usd

if TYPE_CHECKING:
    from smart_router.budget import SpendSummary
    from smart_router.engine import AskOutcome, ModelStatus
    from smart_router.router import Decision

__all__ = [
    "ASK",
    "BUDGET_CHANGED",
    "BUDGET_STATUS",
    "MODELS",
    "ROUTE",
    "ROUTED",
    "SET_API_KEY",
    "STREAM",
    "AskParams",
    "AskResult",
    "BudgetStatus",
    "ModelInfo",
    "ModelSpendInfo",
    "ModelsParams",
    "ModelsResult",
    "RouteParams",
    "RouteResult",
    "RoutedNotification",
    "SetApiKeyParams",
    "SetApiKeyResult",
    "StatusParams",
    "StreamNotification",
    "WireModel",
    "ask_result",
    "budget_status",
    "model_info",
    "route_result",
]

ASK = "smartRouter/ask"
ROUTE = "smartRouter/route"
BUDGET_STATUS = "smartRouter/budgetStatus"
MODELS = "smartRouter/models"
SET_API_KEY = "smartRouter/setApiKey"
ROUTED = "smartRouter/routed"
STREAM = "smartRouter/stream"
BUDGET_CHANGED = "smartRouter/budgetChanged"


class WireModel(BaseModel):
    """camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class AskParams(WireModel):
    request_id: str = Field(min_length=1, max_length=200)
    prompt: str
    model: str | None = None
    workspace: str | None = None


class AskResult(WireModel):
    request_id: str
    model: str
    provider: str
    text: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    cost_micro_usd: int
    usage_estimated: bool
    ttft_ms: float | None
    total_ms: float
    reason: str


class RouteParams(WireModel):
    prompt: str
    model: str | None = None


class RouteResult(WireModel):
    model: str
    provider: str
    reason: str
    input_tokens: int
    estimated_cost_usd: float
    max_cost_usd: float
    fallbacks: list[str]


class StatusParams(WireModel):
    """No parameters."""


class ModelSpendInfo(WireModel):
    model: str
    provider: str
    cost_usd: float
    cost_micro_usd: int
    calls: int
    input_tokens: int
    output_tokens: int


class BudgetStatus(WireModel):
    day: str
    today_usd: float
    today_micro_usd: int
    today_calls: int
    month_usd: float
    month_micro_usd: int
    by_model: list[ModelSpendInfo]


class ModelsParams(WireModel):
    """No parameters."""


class ModelInfo(WireModel):
    id: str
    provider: str
    api_name: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float
    context_window: int
    max_output_tokens: int
    tier: str
    price_source: str
    price_date: str | None
    cached_input_usd_per_mtok: float | None
    family: str
    priors: dict[str, float]
    prior_source: str
    free: bool
    deprecation_date: str | None
    provider_kind: str
    local: bool
    key_available: bool


class ModelsResult(WireModel):
    models: list[ModelInfo]


class SetApiKeyParams(WireModel):
    provider: str = Field(min_length=1)
    api_key: str = Field(max_length=4096)

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return f"SetApiKeyParams(provider={self.provider!r}, api_key=***)"

    __str__ = __repr__


class SetApiKeyResult(WireModel):
    provider: str
    backend: str


class RoutedNotification(WireModel):
    request_id: str
    model: str
    provider: str
    reason: str
    input_tokens: int
    estimated_cost_usd: float
    max_cost_usd: float


class StreamNotification(WireModel):
    request_id: str
    delta: str


def ask_result(o: AskOutcome) -> AskResult:
    return AskResult(
        request_id=o.request_id,
        model=o.decision.model.id,
        provider=o.decision.provider.id,
        text=o.text,
        input_tokens=o.input_tokens,
        output_tokens=o.output_tokens,
        cost_usd=micro_to_usd(o.cost_micro_usd),
        cost_micro_usd=o.cost_micro_usd,
        usage_estimated=o.usage_estimated,
        ttft_ms=o.ttft_ms,
        total_ms=o.total_ms,
        reason=o.decision.reason,
    )


def route_result(d: Decision) -> RouteResult:
    return RouteResult(
        model=d.model.id,
        provider=d.provider.id,
        reason=d.reason,
        input_tokens=d.input_tokens,
        estimated_cost_usd=micro_to_usd(d.estimated_micro_usd),
        max_cost_usd=micro_to_usd(d.max_micro_usd),
        fallbacks=list(d.fallbacks),
    )


def budget_status(s: SpendSummary) -> BudgetStatus:
    return BudgetStatus(
        day=s.day,
        today_usd=micro_to_usd(s.today_micro_usd),
        today_micro_usd=s.today_micro_usd,
        today_calls=s.today_calls,
        month_usd=micro_to_usd(s.month_micro_usd),
        month_micro_usd=s.month_micro_usd,
        by_model=[
            ModelSpendInfo(
                model=m.model,
                provider=m.provider,
                cost_usd=micro_to_usd(m.cost_micro_usd),
                cost_micro_usd=m.cost_micro_usd,
                calls=m.calls,
                input_tokens=m.input_tokens,
                output_tokens=m.output_tokens,
            )
            for m in s.by_model
        ],
    )


def model_info(r: ModelStatus) -> ModelInfo:
    return ModelInfo(
        id=r.model.id,
        provider=r.provider.id,
        api_name=r.model.api_name,
        input_usd_per_mtok=float(r.model.input_usd_per_mtok),
        output_usd_per_mtok=float(r.model.output_usd_per_mtok),
        context_window=r.model.context_window,
        max_output_tokens=r.model.max_output_tokens,
        tier=r.model.tier,
        price_source=r.model.price_source,
        price_date=r.model.price_date,
        cached_input_usd_per_mtok=(
            float(r.model.cached_input_usd_per_mtok)
            if r.model.cached_input_usd_per_mtok is not None
            else None
        ),
        family=r.model.family,
        priors=dict(r.model.priors),
        prior_source=r.model.prior_source,
        free=r.model.free,
        deprecation_date=r.model.deprecation_date,
        provider_kind=r.provider.kind,
        local=r.provider.local,
        key_available=r.key_available,
    )
