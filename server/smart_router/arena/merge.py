"""Merging a battle's best answers with a judge model (`smartRouter.arenaJudge`): its prompt and plan.

After the verdict, the judge reads the user's prompt and the best answers (up to
`MERGE_SOURCES`, best first by convergence score) and writes the single best answer. It sees the
answers as "Answer A", "Answer B", "Answer C": the contestants' model ids are never in its prompt
(they are also scrubbed from the answers' text), so a name cannot sway it. Each answer is cut to
`answer_tokens` of the judge's tokenizer, so the prompt never exceeds what was reserved.

The plan is made before the battle starts: the judge is resolved against the catalog and the
keys (an unknown id, a provider without a key, a paused model or too small a context window
skip the merge with a reason; the battle still runs) and priced for its worst case: its
instructions, the prompt and `MERGE_SOURCES` answers each as long as the longest a member may
give, plus its own longest answer. `arena.reserve` holds that with the contestants'.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from smart_router.arena.groups import unavailable_reason
from smart_router.arena.lineup import price
from smart_router.catalog import Catalog
from smart_router.providers import Message
from smart_router.router import Candidate
from smart_router.router.health import Health
from smart_router.tokens import count_messages, count_text

__all__ = [
    "CUT_MARK",
    "JUDGE_INSTRUCTIONS",
    "MERGE_SOURCES",
    "MIN_ANSWER_TOKENS",
    "JudgePlan",
    "cap_text",
    "hide_names",
    "merge_messages",
    "plan_judge",
]

MERGE_SOURCES = 3
"""How many of the best answers the judge merges."""
MIN_ANSWER_TOKENS = 128
"""A judge whose context window leaves less than this per answer does not merge."""
CUT_MARK = "\n[... the rest of this answer was cut to fit]"
LABELS = "ABCDEFGH"
_MARK_TOKENS = 16
"""Room for `CUT_MARK` in each answer's share (every tokenizer counts it under this)."""

JUDGE_INSTRUCTIONS = (
    "Several assistants answered the same question independently. Their answers may be right, "
    "partly right or wrong. Write the single best answer to the question: keep what is correct, "
    "merge the best parts, fix every error you find, fill gaps and drop repetition. Answer as if "
    "you were answering the question yourself: never mention the answers, their labels, other "
    "assistants, or that you merged anything. Use Markdown, and put code in fenced blocks with a "
    "language tag."
)


@dataclass(frozen=True, slots=True)
class JudgePlan:
    """The judge, priced for its worst-case merge."""

    candidate: Candidate
    answer_tokens: int
    """Each answer is cut to this many tokens of the judge's tokenizer."""


def hide_names(text: str, names: Collection[str]) -> str:
    """`text` with every model name in `names` (any case) replaced by "a model"."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):  # gpt-4o-mini before gpt-4o
        text = re.sub(re.escape(name), "a model", text, flags=re.IGNORECASE)
    return text


def cap_text(text: str, family: str, tokens: int) -> str:
    """`text` cut (with `CUT_MARK`) so it counts at most `tokens` for a model of `family`."""
    if count_text(text, family) <= tokens:
        return text
    room = max(0, tokens - _MARK_TOKENS)
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits `room`
        mid = (lo + hi + 1) // 2
        if count_text(text[:mid], family) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + CUT_MARK


def _user_text(question: str, answers: Sequence[str]) -> str:
    parts = [f"Question:\n\n{question.strip()}"]
    for label, answer in zip(LABELS, answers, strict=False):
        parts.append(f"Answer {label}:\n\n{answer.strip()}")
    parts.append("Write the single best answer to the question.")
    return "\n\n---\n\n".join(parts)


def merge_messages(
    question: str,
    answers: Sequence[str],
    *,
    family: str,
    answer_tokens: int,
    names: Collection[str] = (),
) -> tuple[Message, ...]:
    """The judge's chat: its instructions, then the question and the answers labelled A, B, C
    (best first), each with the model `names` scrubbed and cut to `answer_tokens`."""
    shown = [cap_text(hide_names(a, names), family, answer_tokens) for a in answers[:MERGE_SOURCES]]
    return (Message("system", JUDGE_INSTRUCTIONS), Message("user", _user_text(question, shown)))


def _unknown(judge_id: str, catalog: Catalog) -> str:
    local = tuple(f"{pid}/" for pid, p in catalog.providers.items() if p.local)
    if judge_id.startswith(local):
        return f"the judge '{judge_id}' is not reported by the local server: start it, or pull the model"
    close = difflib.get_close_matches(judge_id, sorted(catalog.models), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"smartRouter.arenaJudge names unknown model '{judge_id}'{hint}: set it to a catalog id "
        "(smart-router models lists them), or leave it empty"
    )


def plan_judge(
    judge_id: str,
    catalog: Catalog,
    *,
    keyed_providers: Collection[str],
    local_up: bool,
    health: Health | None,
    question: str,
    members: Sequence[Candidate],
    output_cap: int,
) -> JudgePlan | str | None:
    """The judge priced for the merge of `members`' answers to `question`; a reason (text) when
    it cannot merge; None when no judge is configured (`judge_id` empty)."""
    judge_id = judge_id.strip()
    if not judge_id:
        return None
    m = catalog.models.get(judge_id)
    if m is None:
        return _unknown(judge_id, catalog)
    why = unavailable_reason(m, catalog, keyed_providers, local_up)
    if why is not None:
        return f"the judge {m.id} cannot run: {why}"
    if health is not None and not health.available(m.id, m.provider):
        return f"the judge {m.id} failed just now and is paused (circuit open): retry in a minute"
    skeleton = count_messages(
        merge_messages(question, [""] * MERGE_SOURCES, family=m.family, answer_tokens=0), m.family
    )
    longest = max((c.max_output_tokens for c in members), default=0)
    out_cap = max(1, min(output_cap, m.max_output_tokens))
    room = (m.context_window - skeleton - out_cap) // MERGE_SOURCES - _MARK_TOKENS
    answer_tokens = min(longest, room)
    if answer_tokens < min(longest, MIN_ANSWER_TOKENS):
        return (
            f"the judge {m.id}'s context window ({m.context_window} tokens) cannot hold the prompt "
            f"({skeleton} tokens with the instructions) and {MERGE_SOURCES} answers: choose a judge "
            "with a larger window"
        )
    input_tokens = skeleton + MERGE_SOURCES * (answer_tokens + _MARK_TOKENS)
    return JudgePlan(price(catalog, m, input_tokens, output_cap), answer_tokens)
