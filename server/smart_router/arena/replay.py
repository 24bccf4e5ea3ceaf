"""Offline replay of battles: `smart-router arena --replay FILE.jsonl --json`.

Each input line is one battle already fought:

    {"prompt": "...", "answers": {"<model>": "<text>", ...}, "intent": "debugging"}

(`intent` is optional: without it the classifier decides from the prompt; an answer of `null`
stands for a contestant that failed). Each output line is the convergence verdict:

    {"pick": "<model>", "scores": {"<model>": <score>, ...}}

plus `intent`, `method` and `reason` when `explain` is set. A line that cannot be read gives
`{"line": <number>, "error": "<what is wrong>"}` and the replay goes on; blank lines are skipped.
No provider is called and no key is needed. Model names the catalog does not know are fine:
their answers and the prompt still count, they just bring no prior.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

from smart_router.arena.convergence import Answer, Embed, QualityAdjuster, converge
from smart_router.catalog import Catalog
from smart_router.config import INTENTS

__all__ = ["ReplayError", "replay_lines"]

IntentOf = Callable[[str], Awaitable[str]]
"""The intent of a prompt (the classifier)."""


class ReplayError(Exception):
    """A line of the replay file that cannot be read; it becomes an error object in the output."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


def _battle(line: int, text: str) -> tuple[str, list[Answer], str | None]:
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReplayError(line, f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(raw, dict):
        raise ReplayError(line, 'expected an object {"prompt": ..., "answers": {...}}')
    prompt, answers, intent = raw.get("prompt"), raw.get("answers"), raw.get("intent")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ReplayError(line, '"prompt" must be a non-empty string')
    if not isinstance(answers, dict) or not answers:
        raise ReplayError(line, '"answers" must be an object of model name to answer text, not empty')
    bad = [m for m, t in answers.items() if not (t is None or isinstance(t, str))]
    if bad:
        raise ReplayError(line, f"the answer of {', '.join(bad)} must be a string (or null for a failure)")
    if intent is not None and intent not in INTENTS:
        raise ReplayError(line, f'"intent" must be one of {", ".join(INTENTS)}')
    items = [Answer(m, t) if t is not None else Answer(m, "", "no answer") for m, t in answers.items()]
    return prompt, items, intent


async def replay_lines(
    lines: Iterable[str],
    *,
    catalog: Catalog | None,
    intent_of: IntentOf | None = None,
    embed: Embed | None = None,
    ratings: QualityAdjuster | None = None,
    explain: bool = False,
) -> AsyncIterator[tuple[int, dict[str, Any]]]:
    """(line number, output object) per non-blank input line, in order (module docstring)."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            prompt, answers, intent = _battle(number, text)
        except ReplayError as exc:
            yield number, {"line": exc.line, "error": exc.message}
            continue
        if intent is None:
            intent = await intent_of(prompt) if intent_of is not None else "general"
        verdict = await converge(
            prompt, answers, intent=intent, catalog=catalog, ratings=ratings, embed=embed
        )
        out: dict[str, Any] = {
            "pick": verdict.pick,
            "scores": {s.model: round(s.score, 4) for s in verdict.scores},
        }
        if explain:
            out |= {"intent": verdict.intent, "method": verdict.method, "reason": verdict.reason}
        yield number, out
