"""The custom LSP surface: method names and the payloads on the wire (camelCase).

docs/protocol.md describes the same surface for people; the extension's
`extension/src/common/constants.ts` holds the same names.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

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
