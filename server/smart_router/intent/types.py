"""The classifier's answer for one request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Classification"]


@dataclass(frozen=True, slots=True)
class Classification:
    intent: str
    """One of `smart_router.config.INTENTS`."""
    confidence: float
    """In [0, 1]: how sure the classifier is of `intent`."""
    complexity: float
    """In [0, 1]: 0 a one-line lookup, 1 a hard multi-step problem."""
    source: Literal["preset", "lexical", "embedding"]
    """`preset` when the request named its intent (a code action), else the path that decided."""
    scores: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Score per intent, for explanations and evaluation."""
