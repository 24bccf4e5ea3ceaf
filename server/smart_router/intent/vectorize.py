"""A request as the sparse linear model (`linear.py`) reads it: hashed word unigrams and bigrams,
hashed character n-grams (3 to 5 characters inside word boundaries), and the shape of the code,
traces and editor context (`features.py`), also hashed. The trainer (`training/train.py`) and
the sidecar call the same function, so what was learned is what is read.

Only the request's own words are read (code and traces removed by `measure_shape`), at most its
first `HEAD_CHARS` and last `TAIL_CHARS` characters, so a huge paste costs no more than a short
request. Pure Python: `zlib.crc32` hashes, a few hundred of them per request.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib

from smart_router.editor import EditorContext
from smart_router.intent.features import Shape, measure_shape

__all__ = ["BUCKETS", "HEAD_CHARS", "TAIL_CHARS", "Groups", "vectorize"]

BITS = 18
BUCKETS = 1 << BITS
"""Hash buckets shared by every feature kind (each kind hashes under its own prefix)."""
HEAD_CHARS, TAIL_CHARS = 300, 150
_MASK = BUCKETS - 1
_SCOPED_WORDS = 12
"""Words that also get a "code is on the table" twin (`why` next to a selection is not `why` alone)."""

Groups = tuple[tuple[list[int], float], ...]
"""Feature buckets in groups, each with the value its features take (word and character groups
are L2-normalised binary vectors, the shape group is plain binary)."""

_WORD = re.compile(r"\w+|[?!]")
_ARITHMETIC = re.compile(
    r"\d\s*[-+*/^\u00d7x\u00f7]\s*\(?\d|"
    r"\d\s*(?:times|keer|maal|mal|fois|por|divided by|gedeeld door|plus|minus|min)\s*\d|"
    r"\b[xyn]\s*[\^²³]|[=<>]\s*-?\d|\d+!|\d+\s*%"
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])")
_INLINE_CODE = re.compile(
    r"`[^`\n]+`|[a-z_]\w*\(|\w\.\w+\(|\s(?:&|\||\^|==|!=|=>|->|&&|\|\||::|<<|>>)\s|[a-z]+_[a-z_]+|[a-z][A-Z]\w"
)
_THIS_CODE = re.compile(
    r"\b(?:this|that|the selected|these|here|deze|dit|die|hier|diese[rsn]?|ce|cette|este|esta)\b"
)
_PROSE_LANGUAGES = frozenset({"markdown", "plaintext", "latex", "restructuredtext", "asciidoc", "git-commit"})
_LENGTHS = ((0, "0"), (2, "1-2"), (5, "3-5"), (10, "6-10"), (20, "11-20"), (40, "21-40"))


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) & _MASK


def _length(words: int) -> str:
    for top, name in _LENGTHS:
        if words <= top:
            return name
    return "41+"


def _scan(instruction: str) -> str:
    if len(instruction) <= HEAD_CHARS + TAIL_CHARS:
        return instruction
    return instruction[:HEAD_CHARS] + " " + instruction[-TAIL_CHARS:]


_SEED = {kind: zlib.crc32(kind.encode()) for kind in ("w", "b", "f", "l", "s", "c")}
"""CRC-32 of each feature kind's prefix: `crc32(text, _SEED[kind]) == crc32(kind + text)`, so the
prefix is never concatenated."""


def _words(tokens: list[str], scoped: bool) -> set[int]:
    crc, seed, mask = zlib.crc32, _SEED, _MASK
    encoded = [t.encode("utf-8") for t in tokens]
    unique = set(encoded)
    w = seed["w"]
    out = {crc(t, w) & mask for t in unique}
    b = seed["b"]
    out.update(crc(x + b" " + y, b) & mask for x, y in set(itertools.pairwise(encoded)))
    if encoded:
        out.add(crc(encoded[0], seed["f"]) & mask)
        out.add(crc(encoded[-1], seed["l"]) & mask)
    if scoped:
        sc = seed["s"]
        out.update(crc(t, sc) & mask for t in encoded[:_SCOPED_WORDS])
    return out


def _chars(tokens: list[str]) -> set[int]:
    crc, c, mask = zlib.crc32, _SEED["c"], _MASK
    out: set[int] = set()
    for token in set(tokens):
        padded = f" {token} "
        # ASCII: byte slices are character slices, and hashing bytes skips an encode per n-gram.
        text: str | bytes = padded.encode("ascii") if padded.isascii() else padded
        size = len(padded)
        for n in (3, 4, 5):
            if isinstance(text, bytes):
                out.update(crc(text[i : i + n], c) & mask for i in range(size - n + 1))
            else:
                out.update(crc(text[i : i + n].encode("utf-8"), c) & mask for i in range(size - n + 1))
            if n >= size:
                break
    return out


def _shape_names(shape: Shape, text: str, editor: EditorContext | None) -> list[str]:
    selection = editor.selection.strip() if editor and editor.selection else ""
    diagnostics = bool(editor and editor.diagnostics)
    short = shape.words <= 5
    names = [f"len:{_length(shape.words)}"]
    code = shape.code_lines > 0
    flags = {
        "code": code,
        "code:many": shape.code_lines > 12,
        "fence": shape.has_fence,
        "trace": shape.has_trace,
        "compiler": shape.has_compiler_error,
        "exc": shape.exception_names > 0,
        "q": shape.question,
        "ed": editor is not None,
        "sel": bool(selection),
        "diag": diagnostics,
        "diag&short": diagnostics and short,
        "diag&q": diagnostics and shape.question,
        "sel&short": bool(selection) and short,
        "sel&q": bool(selection) and shape.question,
        "code&q": code and shape.question,
        "code&short": code and short,
        "trace&short": (shape.has_trace or shape.has_compiler_error) and short,
        "bare&short": not code and not selection and short,
        "arith": bool(_ARITHMETIC.search(text)),
        "nums2": len(_NUMBER.findall(text)) >= 2,
        "inline": bool(_INLINE_CODE.search(text)),
        "this": bool(_THIS_CODE.search(text)),
    }
    names.extend(name for name, on in flags.items() if on)
    if selection:
        sel_shape = measure_shape(selection[:1200])
        if sel_shape.has_trace or sel_shape.has_compiler_error:
            names.append("sel:trace")
        names.append(f"sel&len:{_length(shape.words)}")
    if editor and editor.language:
        names.append("lang:prose" if editor.language in _PROSE_LANGUAGES else "lang:code")
    return names


def vectorize(prompt: str, editor: EditorContext | None = None) -> tuple[Groups, Shape]:
    """The request's feature groups, and its shape (for the complexity score)."""
    shape = measure_shape(prompt)
    text = _scan(shape.instruction)
    tokens = _WORD.findall(text)
    scoped = shape.code_lines > 0 or bool(editor and editor.selection and editor.selection.strip())
    words = _words(tokens, scoped)
    chars = _chars(tokens)
    dense = {_hash("d" + name) for name in _shape_names(shape, text, editor)}
    groups: Groups = (
        (list(words), 1.0 / math.sqrt(len(words)) if words else 0.0),
        (list(chars), 1.0 / math.sqrt(len(chars)) if chars else 0.0),
        (list(dense), 1.0),
    )
    return groups, shape
