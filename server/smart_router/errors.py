"""The one exception tree of Smart Router, and the JSON-RPC codes it maps to.

    SmartRouterError                 every error a user can hit; `message` says what to do
    ├── ConfigError         -32001   nothing usable configured, key missing, unknown id
    ├── BadInputError       -32002   the request itself is wrong (empty prompt, bad params)
    ├── ContextTooLongError -32003   the prompt does not fit the model's context window
    ├── ProviderError       -32010   a provider call failed; `retryable`: another try may work
    ├── KeyringError        -32020   no usable OS keyring to store a key in
    └── EmbeddingsUnavailable -32040 the embedding model cannot answer now (loading, missing, failed)

Each error carries a machine-readable `kind` (see docs/protocol.md) and, where it applies,
the provider and model. Messages never contain an API key.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "BadInputError",
    "BudgetExceededError",
    "ConfigError",
    "ContextTooLongError",
    "EmbeddingsUnavailable",
    "KeyringError",
    "ProviderError",
    "SmartRouterError",
]


class SmartRouterError(Exception):
    """Base of every error Smart Router reports to its user."""

    code: ClassVar[int] = -32000
    default_kind: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        provider: str | None = None,
        model: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind or self.default_kind
        self.provider = provider
        self.model = model

    def data(self) -> dict[str, Any]:
        """The JSON-RPC error `data` object."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.provider:
            out["provider"] = self.provider
        if self.model:
            out["model"] = self.model
        return out


class ConfigError(SmartRouterError):
    """Configuration is missing or wrong: no usable model, no key, an unknown id."""

    code = -32001
    default_kind = "bad_settings"


class BadInputError(SmartRouterError):
    """The request cannot be served as given (an empty prompt, malformed parameters)."""

    code = -32002
    default_kind = "bad_input"


class ContextTooLongError(SmartRouterError):
    """The prompt is longer than the chosen model's context window."""

    code = -32003
    default_kind = "context_too_long"


class ProviderError(SmartRouterError):
    """A provider call failed. `retryable` errors may succeed on another try or model."""

    code = -32010
    default_kind = "provider_error"

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        provider: str | None = None,
        model: str | None = None,
        retryable: bool = False,
        retry_after_s: float | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, kind=kind, provider=provider, model=model)
        self.retryable = retryable
        self.retry_after_s = retry_after_s
        self.status = status

    def data(self) -> dict[str, Any]:
        out = super().data()
        out["retryable"] = self.retryable
        if self.retry_after_s is not None:
            out["retryAfterSeconds"] = self.retry_after_s
        return out


class EmbeddingsUnavailable(SmartRouterError):
    """The embedding model cannot answer now: still loading, not installed, failed or off.

    Callers fall back to their lexical paths; the message says why and what to do."""

    code = -32040
    default_kind = "embeddings_unavailable"


class KeyringError(SmartRouterError):
    """No OS keyring is available to store or read a key."""

    code = -32020
    default_kind = "keyring"


class BudgetExceededError(SmartRouterError):
    """A request does not fit a hard budget, even on the cheapest usable model."""

    code = -32030
    default_kind = "budget_exceeded"

    def __init__(
        self,
        message: str,
        *,
        budget: str,
        scope: str,
        workspace: str | None,
        limit_micro_usd: int,
        spent_micro_usd: int,
        reserved_micro_usd: int,
        required_micro_usd: int,
        resets_at: str | None,
        model: str | None = None,
    ) -> None:
        super().__init__(message, model=model)
        self.budget = budget
        self.scope = scope
        self.workspace = workspace
        self.limit_micro_usd = limit_micro_usd
        self.spent_micro_usd = spent_micro_usd
        self.reserved_micro_usd = reserved_micro_usd
        self.required_micro_usd = required_micro_usd
        self.resets_at = resets_at

    def data(self) -> dict[str, Any]:
        out = super().data()
        out.update(
            budget=self.budget,
            scope=self.scope,
            workspace=self.workspace,
            limitUsd=self.limit_micro_usd / 1_000_000,
            spentUsd=self.spent_micro_usd / 1_000_000,
            reservedUsd=self.reserved_micro_usd / 1_000_000,
            requiredUsd=self.required_micro_usd / 1_000_000,
            limitMicroUsd=self.limit_micro_usd,
            spentMicroUsd=self.spent_micro_usd,
            reservedMicroUsd=self.reserved_micro_usd,
            requiredMicroUsd=self.required_micro_usd,
            resetsAt=self.resets_at,
        )
        return out
