"""The custom LSP surface: method names and the payloads on the wire (camelCase).

The same models, dumped without aliases (snake_case), are the `--json` output of the CLI; the
`*_result`/`budget_status`/`model_info` functions build them from the engine's objects.

docs/protocol.md describes the same surface for people; the extension's
`extension/src/common/constants.ts` holds the same names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from smart_router.config import Intent
from smart_router.editor import EditorContext
from smart_router.tokens import micro_to_usd

if TYPE_CHECKING:
    from smart_router.budget import BudgetAlert, BudgetState, SpendSummary, UsageReport
    from smart_router.context.assemble import Prepared
    from smart_router.context.cache import CacheHit
    from smart_router.context.relevance import Gathered
    from smart_router.engine import AskOutcome, ModelStatus
    from smart_router.router import Decision

__all__ = [
    "ARENA",
    "ARENA_CONTESTANT",
    "ARENA_MERGE",
    "ARENA_STARTED",
    "ARENA_STREAM",
    "ARENA_VOTE",
    "ASK",
    "BUDGET_ALERT",
    "BUDGET_CHANGED",
    "BUDGET_STATUS",
    "LEADERBOARD",
    "MODELS",
    "ROUTE",
    "ROUTED",
    "SET_API_KEY",
    "STATUS",
    "STREAM",
    "USAGE_REPORT",
    "AskParams",
    "AskResult",
    "BudgetAlertNotification",
    "BudgetStateInfo",
    "BudgetStatus",
    "BudgetStatusParams",
    "EditorContextParams",
    "ForecastInfo",
    "ModelInfo",
    "ModelSpendInfo",
    "ModelsParams",
    "ModelsResult",
    "RouteParams",
    "RouteResult",
    "RoutedNotification",
    "SetApiKeyParams",
    "SetApiKeyResult",
    "StatusNotification",
    "StatusParams",
    "StreamNotification",
    "UsageCall",
    "UsageDay",
    "UsageGroup",
    "UsageIntent",
    "UsageReportParams",
    "UsageReportResult",
    "WireModel",
    "ask_result",
    "budget_alert",
    "budget_state",
    "budget_status",
    "model_info",
    "route_result",
    "routed_notification",
    "usage_report",
]

ASK = "smartRouter/ask"
ROUTE = "smartRouter/route"
BUDGET_STATUS = "smartRouter/budgetStatus"
MODELS = "smartRouter/models"
SET_API_KEY = "smartRouter/setApiKey"
ROUTED = "smartRouter/routed"
STREAM = "smartRouter/stream"
BUDGET_CHANGED = "smartRouter/budgetChanged"
BUDGET_ALERT = "smartRouter/budgetAlert"
USAGE_REPORT = "smartRouter/usageReport"
STATUS = "smartRouter/status"
ARENA = "smartRouter/arena"
ARENA_VOTE = "smartRouter/arenaVote"
LEADERBOARD = "smartRouter/leaderboard"
ARENA_STARTED = "smartRouter/arenaStarted"
ARENA_STREAM = "smartRouter/arenaStream"
ARENA_CONTESTANT = "smartRouter/arenaContestant"
ARENA_MERGE = "smartRouter/arenaMerge"


class WireModel(BaseModel):
    """camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class EditorContextParams(WireModel):
    """What the editor tells about a request (`context` of route and ask)."""

    language_id: str | None = None
    file_path: str | None = None
    selection: str | None = None
    diagnostics: list[str] = Field(default_factory=list)
    workspace: str | None = None

    def editor(self) -> EditorContext:
        return EditorContext(
            language=self.language_id,
            file_path=self.file_path,
            selection=self.selection,
            diagnostics=tuple(self.diagnostics),
            workspace=self.workspace,
        )


class AskParams(WireModel):
    request_id: str = Field(min_length=1, max_length=200)
    prompt: str
    model: str | None = None
    workspace: str | None = None
    context: EditorContextParams | None = None
    intent: Intent | None = None
    """A preset intent (a code action): classification is skipped."""
    conversation_id: str | None = Field(default=None, min_length=1)
    """Continue this conversation (its earlier messages go along); absent: start a new one."""
    no_cache: bool = False
    """Ask the model afresh even when the response cache has an answer."""


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
    conversation_id: str = ""
    cached: _ctx.CachedInfo | None = None
    """Set when the answer came from the response cache (cost 0)."""
    context: list[_ctx.ContextItemInfo] = Field(default_factory=list)
    """The context that went in with the prompt, best first."""
    context_mode: _ctx.ContextMode = "off"


class RouteParams(WireModel):
    prompt: str
    model: str | None = None
    context: EditorContextParams | None = None
    intent: Intent | None = None
    workspace: str | None = None


class RouteResult(WireModel):
    model: str
    provider: str
    reason: str
    input_tokens: int
    estimated_cost_usd: float
    max_cost_usd: float
    fallbacks: list[str]
    intent: str | None = None
    intent_confidence: float | None = None
    complexity: float | None = None
    runner_up: str | None = None
    savings_usd: float | None = None
    explanation: str = ""
    rules: list[str] = Field(default_factory=list)


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


class BudgetStatusParams(WireModel):
    workspace: str | None = None
    """Show the global budgets and this workspace's; absent: every budget."""


class BudgetStateInfo(WireModel):
    """One budget: how much of it is spent and held, and when it resets."""

    name: Literal["daily", "monthly", "perRequest"]
    scope: Literal["global", "workspace"]
    workspace: str | None
    limit_usd: float
    spent_usd: float
    reserved_usd: float
    percent: float
    mode: Literal["hard", "soft"]
    resets_at: str | None
    level: Literal["ok", "warning", "exceeded"]


class ForecastInfo(WireModel):
    day_usd: float
    month_usd: float


class BudgetStatus(WireModel):
    day: str
    today_usd: float
    today_micro_usd: int
    today_calls: int
    month_usd: float
    month_micro_usd: int
    by_model: list[ModelSpendInfo]
    budgets: list[BudgetStateInfo]
    forecast: ForecastInfo
    time_zone: str


class BudgetAlertNotification(WireModel):
    budget: BudgetStateInfo
    threshold: int
    message: str


class UsageReportParams(WireModel):
    since: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    until: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    by: Literal["model", "intent", "day", "workspace"] = "model"
    workspace: str | None = None


class UsageGroup(WireModel):
    key: str
    cost_usd: float
    cost_micro_usd: int
    calls: int
    input_tokens: int
    output_tokens: int


class UsageDay(WireModel):
    day: str
    by_model: dict[str, float]


class UsageIntent(WireModel):
    key: str
    cost_usd: float
    calls: int


class UsageCall(WireModel):
    ts: str
    model: str
    provider: str
    intent: str | None
    workspace: str | None
    cost_usd: float
    input_tokens: int
    output_tokens: int
    latency_ms: float | None
    status: str


class UsageReportResult(WireModel):
    since: str
    until: str
    total_usd: float
    total_micro_usd: int
    calls: int
    by: str
    groups: list[UsageGroup]
    days: list[UsageDay]
    intents: list[UsageIntent]
    top: list[UsageCall]
    budgets: list[BudgetStateInfo]
    forecast: ForecastInfo


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
    circuit: str = "closed"
    """Circuit breaker: `closed` (in use), `open` (skipped after failures), `half-open` (on trial)."""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    error_rate: float | None = None
    calls: int = 0


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
    intent: str | None = None
    intent_confidence: float | None = None
    complexity: float | None = None
    runner_up: str | None = None
    savings_usd: float | None = None
    explanation: str = ""
    fallbacks: list[str] = Field(default_factory=list)
    conversation_id: str = ""
    context: list[_ctx.ContextItemInfo] = Field(default_factory=list)
    context_mode: _ctx.ContextMode = "off"
    cached: _ctx.CachedInfo | None = None
    """A cached answer: its text then comes as one stream delta."""


class StreamNotification(WireModel):
    request_id: str
    delta: str


class StatusNotification(WireModel):
    """A background component changed state (`smartRouter/status`)."""

    component: str
    """`embeddings`: the embedding model's worker process."""
    state: str
    """For `embeddings`: `off`, `loading`, `ready`, `missing` or `failed`."""
    detail: str
    """For the user: what it is doing, or what is wrong and what to do."""


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
        **_context_fields(o.conversation_id, o.context, o.cached, o.saved_micro_usd),
    )


def _context_fields(
    conversation_id: str, gathered: Gathered | None, hit: CacheHit | None, saved_micro_usd: int
) -> dict[str, Any]:
    """What an ask's result and `routed` say about its conversation, context and cache hit."""
    cached = None
    if hit is not None:
        cached = _ctx.CachedInfo(
            kind=hit.kind,
            similarity=round(hit.similarity, 4),
            asked_at=hit.asked_at,
            model=hit.model,
            prompt=hit.prompt,
            saved_usd=micro_to_usd(saved_micro_usd),
        )
    return {
        "conversation_id": conversation_id,
        "context": [_ctx.context_item_info(i) for i in gathered.items] if gathered else [],
        "context_mode": gathered.mode if gathered else "off",
        "cached": cached,
    }


def _decision_fields(d: Decision) -> dict[str, object]:
    c = d.classification
    return {
        "model": d.model.id,
        "provider": d.provider.id,
        "reason": d.reason,
        "input_tokens": d.input_tokens,
        "estimated_cost_usd": micro_to_usd(d.estimated_micro_usd),
        "max_cost_usd": micro_to_usd(d.max_micro_usd),
        "fallbacks": list(d.fallbacks),
        "intent": c.intent if c else None,
        "intent_confidence": c.confidence if c else None,
        "complexity": c.complexity if c else None,
        "runner_up": d.runner_up,
        "savings_usd": micro_to_usd(d.savings_micro_usd) if d.savings_micro_usd is not None else None,
        "explanation": d.explanation,
    }


def route_result(d: Decision) -> RouteResult:
    return RouteResult.model_validate({**_decision_fields(d), "rules": list(d.rules)})


def routed_notification(request_id: str, d: Decision, p: Prepared | None = None) -> RoutedNotification:
    fields = _context_fields(p.conversation_id, p.context, p.cached, p.saved_micro_usd) if p else {}
    return RoutedNotification.model_validate({"request_id": request_id, **_decision_fields(d), **fields})


def budget_state(b: BudgetState) -> BudgetStateInfo:
    return BudgetStateInfo(
        name=b.limit.name,
        scope=b.limit.scope,
        workspace=b.limit.key,
        limit_usd=micro_to_usd(b.limit.limit_micro_usd),
        spent_usd=micro_to_usd(b.spent_micro_usd),
        reserved_usd=micro_to_usd(b.reserved_micro_usd),
        percent=b.percent,
        mode=b.limit.mode,
        resets_at=b.resets_at,
        level=b.level,
    )


def _forecast(s: SpendSummary) -> ForecastInfo:
    f = s.forecast
    return ForecastInfo(
        day_usd=micro_to_usd(f.day_micro_usd if f else s.today_micro_usd),
        month_usd=micro_to_usd(f.month_micro_usd if f else s.month_micro_usd),
    )


def budget_alert(a: BudgetAlert) -> BudgetAlertNotification:
    return BudgetAlertNotification(budget=budget_state(a.state), threshold=a.threshold, message=a.message)


def usage_report(r: UsageReport, s: SpendSummary) -> UsageReportResult:
    return UsageReportResult(
        since=r.since,
        until=r.until,
        total_usd=micro_to_usd(r.total_micro_usd),
        total_micro_usd=r.total_micro_usd,
        calls=r.calls,
        by=r.by,
        groups=[
            UsageGroup(
                key=g.key,
                cost_usd=micro_to_usd(g.cost_micro_usd),
                cost_micro_usd=g.cost_micro_usd,
                calls=g.calls,
                input_tokens=g.input_tokens,
                output_tokens=g.output_tokens,
            )
            for g in r.groups
        ],
        days=[
            UsageDay(day=d, by_model={m: micro_to_usd(v) for m, v in models.items()}) for d, models in r.days
        ],
        intents=[
            UsageIntent(key=i.key, cost_usd=micro_to_usd(i.cost_micro_usd), calls=i.calls) for i in r.intents
        ],
        top=[
            UsageCall(
                ts=t.ts,
                model=t.model,
                provider=t.provider,
                intent=t.intent,
                workspace=t.workspace,
                cost_usd=micro_to_usd(t.cost_micro_usd),
                input_tokens=t.input_tokens,
                output_tokens=t.output_tokens,
                latency_ms=t.latency_ms,
                status=t.status,
            )
            for t in r.top
        ],
        budgets=[budget_state(b) for b in s.budgets],
        forecast=_forecast(s),
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
        budgets=[budget_state(b) for b in s.budgets],
        forecast=_forecast(s),
        time_zone=s.time_zone,
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
        circuit=r.circuit,
        latency_ms=round(r.health.latency_ms, 1) if r.health and r.health.latency_ms is not None else None,
        ttft_ms=round(r.health.ttft_ms, 1) if r.health and r.health.ttft_ms is not None else None,
        error_rate=round(r.health.error_rate, 3) if r.health else None,
        calls=r.health.calls if r.health else 0,
    )


# the context payloads build on WireModel above; imported last so either module may be imported first
from smart_router import protocol_context as _ctx  # noqa: E402
