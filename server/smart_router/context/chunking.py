"""Cutting documents into context chunks along their symbols.

A chunk is what the ranking can pick on its own: a function, a class, a method, a block of
prose. Code is cut at definitions (Python, TypeScript/JavaScript, Go, Rust, Java, C#): a chunk
runs from one definition (with the comments and decorators right above it) to the next one at
the same nesting. A symbol longer than `MAX_SYMBOL_LINES` is cut again at the definitions inside
it (a class at its methods), and what is still too long, like any file in another language, into
blocks of `BLOCK_LINES` lines that overlap by `OVERLAP_LINES`. Small neighbours (imports, short
helpers) are merged, up to `BLOCK_LINES` lines, so no chunk is a lone line.

Chunks cover every line of the document, so a document's chunks change whenever its text does
(apart from trailing blank lines) and the content hashes of its chunks identify the file's
content. Lines are 0-based and inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BLOCK_LINES",
    "MAX_SYMBOL_LINES",
    "MIN_LINES",
    "OVERLAP_LINES",
    "Chunk",
    "chunk_document",
    "language_of",
]

BLOCK_LINES = 40
"""Lines of a block when a text has no symbols (or a symbol is too long)."""
OVERLAP_LINES = 4
"""Lines two consecutive blocks share, so a statement cut at a block's end is whole in the next."""
MAX_SYMBOL_LINES = 80
"""A symbol longer than this is cut at its inner definitions, or into blocks."""
MIN_LINES = 4
"""Neighbouring chunks shorter than this (in non-blank lines) are merged."""


@dataclass(frozen=True, slots=True)
class Chunk:
    label: str
    """The symbol (`Parser.parse`, `load_config`), or the line range for a block."""
    start_line: int
    end_line: int
    text: str


@dataclass(frozen=True, slots=True)
class _Def:
    line: int
    indent: int
    name: str


_EXTENSIONS = {
    "py": "python",
    "pyi": "python",
    "ts": "typescript",
    "tsx": "typescript",
    "mts": "typescript",
    "cts": "typescript",
    "js": "javascript",
    "jsx": "javascript",
    "mjs": "javascript",
    "cjs": "javascript",
    "go": "go",
    "rs": "rust",
    "java": "java",
    "cs": "csharp",
}
_LANGUAGE_IDS = {
    "typescriptreact": "typescript",
    "javascriptreact": "javascript",
    "c#": "csharp",
}

_PY = [re.compile(r"^(?P<i>[ \t]*)(?:async[ \t]+)?(?:def|class)[ \t]+(?P<n>\w+)")]
_JS = [
    re.compile(
        r"^(?P<i>[ \t]*)(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?"
        r"(?:abstract[ \t]+)?(?:async[ \t]+)?"
        r"(?:function\*?|class|interface|enum|namespace|type)[ \t]+(?P<n>[\w$]+)"
    ),
    re.compile(
        r"^(?P<i>[ \t]*)(?:export[ \t]+)?(?:const|let|var)[ \t]+(?P<n>[\w$]+)[ \t]*(?::[^=]+)?=[ \t]*"
        r"(?:async[ \t]+)?(?:function\b|\([^)]*\)[ \t]*(?::[^=]+)?=>|[\w$]+[ \t]*=>|class\b)"
    ),
    re.compile(
        r"^(?P<i>[ \t]+)(?:(?:public|private|protected|static|readonly|async|override|get|set)[ \t]+)*"
        r"(?!(?:if|for|while|switch|catch|return|function|else|do|try|with|new|await)\b)(?P<n>[\w$]+)"
        r"[ \t]*(?:<[^>]*>)?\([^;]*\)[ \t]*(?::[^{;]+)?\{[ \t]*$"
    ),
]
_GO = [
    re.compile(r"^(?P<i>)func[ \t]+(?:\((?P<r>[^)]*)\)[ \t]*)?(?P<n>\w+)"),
    re.compile(r"^(?P<i>)type[ \t]+(?P<n>\w+)"),
]
_RUST = [
    re.compile(
        r"^(?P<i>[ \t]*)(?:pub(?:\([^)]*\))?[ \t]+)?"
        r"(?:(?:async|unsafe|const|extern(?:[ \t]+\"\w+\")?)[ \t]+)*"
        r"(?:fn|struct|enum|trait|mod|union|type)[ \t]+(?P<n>\w+)"
    ),
    re.compile(
        r"^(?P<i>[ \t]*)(?:unsafe[ \t]+)?impl(?:<[^>]*>)?[ \t]+(?P<n>[\w:<>, ]+?)[ \t]*(?:\{|where|$)"
    ),
]
_MODIFIERS = (
    r"(?:(?:public|private|protected|internal|static|final|abstract|sealed|partial|override|virtual"
    r"|async|synchronized|native|default|readonly|extern|unsafe|new)[ \t]+)"
)
_JAVA = [
    re.compile(rf"^(?P<i>[ \t]*){_MODIFIERS}*(?:class|interface|enum|record|struct)[ \t]+(?P<n>\w+)"),
    re.compile(
        rf"^(?P<i>[ \t]*){_MODIFIERS}+(?:<[^>]+>[ \t]+)?[\w<>\[\],.? ]+?[ \t]+(?P<n>\w+)[ \t]*\([^;]*$"
    ),
]
_PATTERNS = {
    "python": _PY,
    "typescript": _JS,
    "javascript": _JS,
    "go": _GO,
    "rust": _RUST,
    "java": _JAVA,
    "csharp": _JAVA,
}
_LEADING = re.compile(r"^[ \t]*(?:#|//|/\*|\*|@|\[[A-Z]\w*[(\]]|#\[)")


def language_of(language: str | None, uri: str | None = None) -> str | None:
    """The chunker's language for a VS Code language id, else the file extension; None: blocks."""
    if language:
        lang = language.lower()
        lang = _LANGUAGE_IDS.get(lang, lang)
        if lang in _PATTERNS:
            return lang
    if uri:
        ext = uri.rsplit("/", 1)[-1].rsplit(".", 1)
        if len(ext) == 2:
            return _EXTENSIONS.get(ext[1].lower())
    return None


def chunk_document(text: str, language: str | None = None, uri: str | None = None) -> list[Chunk]:
    """The chunks of a document, in order; none for a blank one."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return []
    lang = language_of(language, uri)
    defs = _definitions(lines, _PATTERNS[lang]) if lang else []
    spans = _segments(lines, defs, 0, len(lines), "") if defs else _blocks(0, len(lines), "")
    chunks = []
    for label, start, end in _merge_small(lines, spans):
        last = end - 1
        while last > start and not lines[last].strip():  # trailing blank lines are left out
            last -= 1
        if any(line.strip() for line in lines[start : last + 1]):
            chunks.append(Chunk(label, start, last, "\n".join(lines[start : last + 1])))
    return chunks


def _definitions(lines: Sequence[str], patterns: Sequence[re.Pattern[str]]) -> list[_Def]:
    found: list[_Def] = []
    for number, line in enumerate(lines):
        for pattern in patterns:
            m = pattern.match(line)
            if m is None:
                continue
            name = m.group("n").strip()
            receiver = m.groupdict().get("r")
            if receiver:  # Go method: (s *Server) Start -> Server.Start
                name = f"{receiver.split()[-1].lstrip('*')}.{name}"
            indent = len(m.group("i").expandtabs(4))
            found.append(_Def(_lead_start(lines, number, indent), indent, name))
            break
    return found


def _lead_start(lines: Sequence[str], number: int, indent: int) -> int:
    """The first line of the comments and decorators right above a definition."""
    start = number
    while start > 0:
        above = lines[start - 1]
        if not above.strip() or not _LEADING.match(above):
            break
        if len(above) - len(above.lstrip()) < indent:
            break
        start -= 1
    return start


Span = tuple[str, int, int]
"""(label, first line, line after the last)."""


def _segments(lines: Sequence[str], defs: Sequence[_Def], start: int, end: int, prefix: str) -> list[Span]:
    """Cut lines[start:end] at the outermost definitions inside it; recurse into long ones."""
    inner = [d for d in defs if start <= d.line < end]
    if not inner:
        return _blocks(start, end, prefix)
    level = min(d.indent for d in inner)
    tops = [d for d in inner if d.indent == level]
    spans: list[Span] = []
    if tops[0].line > start:
        spans += _blocks(start, tops[0].line, prefix)
    for i, d in enumerate(tops):
        stop = tops[i + 1].line if i + 1 < len(tops) else end
        label = f"{prefix}{d.name}"
        if stop - d.line <= MAX_SYMBOL_LINES:
            spans.append((label, d.line, stop))
            continue
        nested = [x for x in defs if d.line < x.line < stop and x.indent > level]
        if nested:
            spans += _segments(lines, nested, d.line, stop, f"{label}.")
        else:
            spans += _blocks(d.line, stop, label)
    return spans


def _blocks(start: int, end: int, label: str) -> list[Span]:
    """Overlapping blocks of `BLOCK_LINES` lines over lines[start:end]."""
    if end - start <= BLOCK_LINES + OVERLAP_LINES:
        return [(_block_label(label, start, end), start, end)]
    spans: list[Span] = []
    at = start
    while at < end:
        stop = min(end, at + BLOCK_LINES)
        if end - stop <= OVERLAP_LINES:  # no tail block of a few lines: extend this one
            stop = end
        spans.append((_block_label(label, at, stop), at, stop))
        if stop == end:
            break
        at = stop - OVERLAP_LINES
    return spans


def _block_label(label: str, start: int, end: int) -> str:
    where = f"lines {start + 1}-{end}"
    return f"{label.rstrip('.')} ({where})" if label.rstrip(".") else where


def _merge_small(lines: Sequence[str], spans: Sequence[Span]) -> list[Span]:
    """Merge a small span into the next one, and a tiny one into the previous (never overlapping
    blocks), up to `BLOCK_LINES` together."""
    out: list[Span] = []
    for label, start, end in spans:
        if out:
            prev_label, prev_start, prev_end = out[-1]
            small = _content_lines(lines, prev_start, prev_end) < MIN_LINES or (
                _content_lines(lines, start, end) <= 2
            )
            if prev_end == start and small and end - prev_start <= BLOCK_LINES:
                out[-1] = (_join_labels(prev_label, label, prev_start, end), prev_start, end)
                continue
        out.append((label, start, end))
    return out


def _content_lines(lines: Sequence[str], start: int, end: int) -> int:
    return sum(1 for line in lines[start:end] if line.strip())


def _join_labels(a: str, b: str, start: int, end: int) -> str:
    if a.startswith("lines ") and b.startswith("lines "):
        return f"lines {start + 1}-{end}"
    parts = [p for p in (a, b) if not p.startswith("lines ")]
    joined = ", ".join(parts)
    return joined if len(joined) <= 80 else f"{joined[:77]}..."
