"""What an ask sends, built from its parts: the system prompt with the context block (each
item named and fenced), the conversation's latest exchanges that fit, the user's prompt with the
editor's selection and diagnostics; and the context items stored with an answer (as JSON)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import fields

from smart_router.context.conversations import ConversationMessage
from smart_router.context.documents import display_path
from smart_router.context.relevance import ContextItem
from smart_router.editor import EditorContext
from smart_router.errors import BadInputError
from smart_router.providers import Message
from smart_router.tokens import MESSAGE_OVERHEAD

__all__ = [
    "PREVIEW_CHARS",
    "ask_messages",
    "context_block",
    "context_label",
    "fit_history",
    "items_from_json",
    "items_to_json",
]

PREVIEW_CHARS = 200
"""A context item stored with a message keeps this much of its text (what the panel previews)."""


def fit_history(
    messages: Sequence[ConversationMessage], budget: int, count: Callable[[str], int]
) -> tuple[tuple[ConversationMessage, ...], int]:
    """The latest answered exchanges (a question and its answer) that fit `budget` tokens together,
    oldest first, and their tokens. It stops at the first exchange that does not fit, so what is
    sent is always the conversation's recent end, without gaps."""
    pairs = [(q, a) for q, a in itertools.pairwise(messages) if q.role == "user" and a.role == "assistant"]
    kept: list[ConversationMessage] = []
    used = 0
    for q, a in reversed(pairs):
        cost = count(q.content) + count(a.content) + 2 * MESSAGE_OVERHEAD
        if used + cost > budget:
            break
        kept[:0] = [q, a]
        used += cost
    return tuple(kept), used


def _fence(text: str) -> str:
    longest, run = 0, 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def context_label(item: ContextItem) -> str:
    """Where an item comes from, for people: file and lines, a note's title, an earlier message."""
    if item.kind == "note":
        return f'Note "{item.label}"'
    if item.kind == "message":
        return f"Earlier message ({item.label})"
    place = display_path(item.uri) if item.uri else item.label
    if item.start_line is not None and item.end_line is not None:
        place += f" lines {item.start_line + 1}-{item.end_line + 1}"
    if item.uri and item.label and item.label not in place:
        place += f" ({item.label})"
    return place


def context_block(items: Sequence[ContextItem]) -> str:
    """The context as the model reads it: each item named (file and lines, note title), fenced."""
    parts = [
        "Context from the user's project and notes, most relevant first. Use it where it helps; "
        "it may be partial or out of date."
    ]
    for n, item in enumerate(items, start=1):
        fence = _fence(item.text)
        parts.append(f"[{n}] {context_label(item)}\n{fence}\n{item.text.rstrip()}\n{fence}")
    return "\n\n".join(parts)


def _user_text(prompt: str, editor: EditorContext | None) -> str:
    if not prompt.strip():
        raise BadInputError("The prompt is empty. Type a question, or select code and ask again.")
    text = prompt
    if editor is not None:
        if editor.selection and editor.selection.strip():
            where = f" from {editor.file_path}" if editor.file_path else ""
            fence = "````" if "```" in editor.selection else "```"
            body = editor.selection.rstrip("\n")
            text += f"\n\nSelected code{where}:\n{fence}{editor.language or ''}\n{body}\n{fence}"
        if editor.diagnostics:
            text += "\n\nDiagnostics in the selection:\n" + "\n".join(f"- {d}" for d in editor.diagnostics)
    return text


def ask_messages(
    prompt: str,
    system: str,
    editor: EditorContext | None = None,
    items: Sequence[ContextItem] = (),
    history: Sequence[ConversationMessage] = (),
) -> tuple[Message, ...]:
    """The chat messages of an ask: the system prompt followed by the context block (one system
    message), the earlier exchanges, then the user's prompt followed by the editor's selection
    (fenced, with its language) and the diagnostics in range."""
    user = Message("user", _user_text(prompt, editor))
    head = "\n\n".join(s for s in (system.strip() and system, items and context_block(items)) if s)
    out = [Message("system", head)] if head else []
    out += [Message(m.role, m.content) for m in history]
    return (*out, user)


def items_to_json(items: Sequence[ContextItem]) -> str:
    """The items stored with an answer (their text cut to a preview)."""
    rows = [{**{f: getattr(i, f) for f in _ITEM_FIELDS}, "text": i.text[:PREVIEW_CHARS]} for i in items]
    return json.dumps(rows, ensure_ascii=False)


_ITEM_FIELDS = tuple(f.name for f in fields(ContextItem))


def items_from_json(raw: str | None) -> list[ContextItem]:
    """The items stored with an answer; none when absent or unreadable (an older format)."""
    if not raw:
        return []
    try:
        return [ContextItem(**{**row, "reasons": tuple(row.get("reasons", ()))}) for row in json.loads(raw)]
    except (ValueError, TypeError):
        return []
