"""The deterministic replies of the fake model, shared by every wire format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from fakes.tokens import message_text

__all__ = ["default_reply", "json_reply", "reply_for"]


def default_reply(messages: Sequence[Any]) -> str:
    """The deterministic reply to a conversation: echoes the last user message.

    ``messages`` are ``{"role", "content"}`` objects (content a string or a list of
    text parts). Whitespace of the echoed text is collapsed so the reply's Markdown
    shape is stable.
    """
    asked = ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            asked = " ".join(message_text(message.get("content")).split())
            break
    return (
        f"Answer to: {asked[:80]}\n\nHere is an example:\n\n"
        '```python\nprint("hello from smart router")\n```\n'
    )


def json_reply(messages: Sequence[Any]) -> str:
    """The deterministic reply in JSON mode: a JSON object with the first line of the reply."""
    answer = default_reply(messages).split("\n", 1)[0]
    return json.dumps({"answer": answer, "language": "python"}, ensure_ascii=False)


def reply_for(fixed: str | None, messages: Sequence[Any], json_mode: bool = False) -> str:
    """The scenario's fixed reply if it has one, else the default (or JSON) reply."""
    if fixed is not None:
        return fixed
    return json_reply(messages) if json_mode else default_reply(messages)
