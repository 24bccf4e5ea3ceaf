"""Every routing decision in words: why this model, the runner-up, what it saves against the
strongest candidate, which rules applied, and what was left out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smart_router.intent.types import Classification
from smart_router.tokens import usd_text as money

__all__ = ["Pick", "explain", "summary"]


@dataclass(frozen=True, slots=True)
class Pick:
    """A candidate as the explanation names it."""

    model: str
    quality: float
    estimated_micro_usd: int


def _intent_words(c: Classification | None, intent: str, complexity: float) -> str:
    label = intent.replace("_", " ")
    label = label[0].upper() + label[1:]
    if c is None:
        return f"{label} (not classified), complexity {complexity:.2f}"
    how = "preset by the request" if c.source == "preset" else f"{c.source}, {c.confidence * 100:.0f} % sure"
    return f"{label} ({how}), complexity {c.complexity:.2f}"


def summary(chosen: Pick, intent: str, complexity: float, preference: str) -> str:
    """The one-line reason."""
    return (
        f"{chosen.model}: {intent.replace('_', ' ')}, complexity {complexity:.2f}; quality "
        f"{chosen.quality:.1f}/10 for ~{money(chosen.estimated_micro_usd)} ({preference})"
    )


def explain(
    *,
    classification: Classification | None,
    intent: str,
    complexity: float,
    preference: str,
    chosen: Pick,
    why_chosen: str | None,
    runner_up: Pick | None,
    strongest: Pick | None,
    candidates: int,
    rules: Sequence[str],
    notes: Sequence[str],
    equivalents: Sequence[str],
) -> str:
    """The decision in a few sentences.

    `why_chosen` is set when the model was not the scorer's pick (asked for by name, the
    `defaultModel`); `notes` say what was left out and why (open circuits, rules, budget).
    """
    parts = [_intent_words(classification, intent, complexity) + "."]
    if why_chosen:
        parts.append(
            f"Using {chosen.model}, {why_chosen}: expected quality {chosen.quality:.1f}/10 for about "
            f"{money(chosen.estimated_micro_usd)}."
        )
    else:
        parts.append(
            f"Chose {chosen.model}: expected quality {chosen.quality:.1f}/10 for about "
            f"{money(chosen.estimated_micro_usd)}, the best trade-off of quality against cost at the "
            f"{preference} setting among {candidates} candidate{'s' if candidates != 1 else ''}."
        )
    if runner_up is not None:
        parts.append(
            f"Runner-up: {runner_up.model} (quality {runner_up.quality:.1f}/10, "
            f"~{money(runner_up.estimated_micro_usd)})."
        )
    if strongest is not None and strongest.model != chosen.model:
        saved = strongest.estimated_micro_usd - chosen.estimated_micro_usd
        if saved > 0 and strongest.estimated_micro_usd > 0:
            share = saved / strongest.estimated_micro_usd
            parts.append(
                f"Saves ~{money(saved)} ({share * 100:.0f} %) against the strongest candidate, "
                f"{strongest.model} (quality {strongest.quality:.1f}/10)."
            )
        elif saved < 0:
            parts.append(
                f"Costs ~{money(-saved)} more than the strongest candidate, {strongest.model} "
                f"(quality {strongest.quality:.1f}/10)."
            )
        else:
            parts.append(f"Costs the same as the strongest candidate, {strongest.model}.")
    elif strongest is not None:
        parts.append("It is the strongest candidate for this intent.")
    if equivalents:
        parts.append(
            f"Same model also reachable as {', '.join(equivalents)} (balanced by health and latency)."
        )
    if rules:
        parts.append("Rules applied: " + ", ".join(f"'{r}'" for r in rules) + ".")
    parts.extend(notes)
    return " ".join(parts)
