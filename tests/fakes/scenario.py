"""Per-model behaviour of the fake provider: reply text, timing and failure modes."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

__all__ = ["FAIL_MODES", "FailMode", "Scenario", "ScenarioError"]

FailMode = Literal[
    "auth",
    "permission",
    "rate_limit",
    "server_error",
    "overloaded",
    "not_found",
    "context_length",
    "content_filter",
    "prompt_blocked",
    "candidate_blocked",
    "stream_error",
    "cut",
    "malformed",
    "hang",
]
"""How a request for the model fails; ``None`` on a scenario means it succeeds.

Each wire format answers a mode with its provider's own status and error body:

* ``auth``, ``permission``, ``rate_limit``, ``server_error``, ``overloaded``,
  ``not_found``, ``context_length``: an error response before any body.
* ``content_filter`` / ``prompt_blocked`` (synonyms): the provider's content filter
  rejects the prompt (an error status, or Gemini's 200 with ``promptFeedback``).
* ``candidate_blocked``: ``cut_after_tokens`` pieces of text, then the reply ends
  as blocked by the filter (``content_filter``, ``SAFETY``, ``refusal``).
* ``stream_error``: ``cut_after_tokens`` pieces of text, then the provider's
  in-stream error event; a non-streamed request gets the equivalent error status.
* ``cut``, ``malformed``, ``hang``: a broken connection or body (see
  :mod:`fakes.streaming`).

Ollama has no content filter: it answers the three filter modes normally.
"""

FAIL_MODES: frozenset[str] = frozenset(get_args(FailMode))


class ScenarioError(ValueError):
    """A scenario description (e.g. a JSON body sent to the control endpoint) is invalid."""


@dataclass(frozen=True)
class Scenario:
    """How the fake provider answers requests for one model.

    Attributes:
        reply: Fixed reply text; ``None`` uses the deterministic default reply.
        ttft_ms: Delay before the first streamed chunk (headers are sent at once).
        tokens_per_second: Pace of content chunks; ``None`` streams as fast as possible.
        fail: Failure mode, or ``None`` for a normal answer.
        retry_after_s: ``retry-after`` seconds sent with a ``rate_limit`` failure.
        cut_after_tokens: Content chunks sent before a ``cut`` aborts the connection
            (and before the error of ``stream_error`` or the block of ``candidate_blocked``).
        include_usage_override: ``False`` never sends the usage chunk, ``True`` always
            does, ``None`` follows the request's ``stream_options.include_usage``.
            Formats that always report usage (Anthropic, Gemini, Ollama) leave it
            out only when this is ``False``.
    """

    reply: str | None = None
    ttft_ms: float = 0.0
    tokens_per_second: float | None = None
    fail: FailMode | None = None
    retry_after_s: int = 7
    cut_after_tokens: int = 3
    include_usage_override: bool | None = None

    def __post_init__(self) -> None:
        """Reject values that would make the fake misbehave silently."""
        if self.reply is not None and not isinstance(self.reply, str):
            raise ScenarioError("reply must be a string or null")
        if not _is_number(self.ttft_ms) or not math.isfinite(self.ttft_ms) or self.ttft_ms < 0:
            raise ScenarioError("ttft_ms must be a finite number >= 0")
        tps = self.tokens_per_second
        if tps is not None and (not _is_number(tps) or not math.isfinite(tps) or tps <= 0):
            raise ScenarioError("tokens_per_second must be a finite number > 0 or null")
        if self.fail is not None and self.fail not in FAIL_MODES:
            raise ScenarioError(f"fail must be null or one of {sorted(FAIL_MODES)}")
        if not _is_int(self.retry_after_s) or self.retry_after_s < 0:
            raise ScenarioError("retry_after_s must be an integer >= 0")
        if not _is_int(self.cut_after_tokens) or self.cut_after_tokens < 0:
            raise ScenarioError("cut_after_tokens must be an integer >= 0")
        if self.include_usage_override is not None and not isinstance(self.include_usage_override, bool):
            raise ScenarioError("include_usage_override must be true, false or null")

    @classmethod
    def from_dict(cls, data: Any) -> Scenario:
        """Build a scenario from a JSON object; unknown or ill-typed fields are errors."""
        if not isinstance(data, dict):
            raise ScenarioError("a scenario must be a JSON object")
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ScenarioError(f"unknown scenario field(s): {', '.join(unknown)}")
        try:
            return cls(**data)
        except TypeError as exc:  # pragma: no cover - guarded by the field check above
            raise ScenarioError(str(exc)) from exc

    def to_dict(self) -> dict[str, Any]:
        """The scenario as a JSON-ready object (the inverse of :meth:`from_dict`)."""
        return dataclasses.asdict(self)

    @property
    def ttft_s(self) -> float:
        """Time to first token in seconds."""
        return self.ttft_ms / 1000.0


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
