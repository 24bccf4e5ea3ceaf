"""What a request looks like before its words are read: the instruction separated from the code
and stack traces pasted into it, and the shape of that code (fences, tracebacks, compiler errors,
exception names). Pure Python with regular expressions compiled once, so the lexical path stays
well under a millisecond.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Shape", "measure_shape"]

_HEAD_CHARS, _TAIL_CHARS = 800, 300
"""Characters of a long request read from its start and from its end."""

_FENCE = re.compile(r"```[^\n]*\n.*?(?:```|\Z)", re.S)
_TRACE = re.compile(
    r"Traceback \(most recent call last\)|^\s+File \"[^\"]+\", line \d+|^\s+at [\w.$<>/\\]+\s?\(|"
    r"^\s+at [\w.$<>]+ \(?[\w/\\.:-]+:\d+|panicked at|Exception in thread|^\s*#\d+\s+0x[0-9a-f]+|"
    r"Segmentation fault|core dumped|npm ERR!|Unhandled(?:Promise)?Rejection|goroutine \d+ \[|"
    r"^E\s{3}\w+|^FAILED |^\s*--> [\w/\\.]+:\d+:\d+",
    re.M,
)
_COMPILER = re.compile(
    r"error\[E\d{4}\]|error TS\d+|error CS\d+|error C\d{4}|\w+\.\w+:\d+:\d+: (?:fatal )?error|"
    r"undefined reference to|cannot find symbol|SyntaxError:|IndentationError:|is not defined|"
    r"is not a function|cannot read propert(?:y|ies) of|has no attribute|no such file or directory|"
    r"ModuleNotFoundError|ImportError|exit(?:ed)? (?:with )?(?:code|status) [1-9]",
    re.I,
)
_EXCEPTION = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Fault|Panic)\b|\bE[A-Z]{3,}\b|\berrno\b")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |fn |func |function |async |await |import |from \S+ import|#include|package |"
    r"public |private |protected |static |const |let |var |return\b|if\s*\(|for\s*\(|while\s*\(|"
    r"@\w+|SELECT |INSERT |UPDATE \w+ SET|CREATE TABLE|<\w+[ >/]|\}|\{)|"
    r"[;{}]\s*$|\)\s*:\s*$|=>|->|::|\+=|==|!=|:=|\w+\(\w*\)\s*$",
)
_SYMBOLS = frozenset("{}()[];=<>_.:#/\\*&|$\"'`")


@dataclass(frozen=True, slots=True)
class Shape:
    """The instruction text and the measurable shape of a request."""

    instruction: str
    """The request's own words: fenced code, code lines and stack traces removed, lower-cased."""
    code_lines: int
    """Lines of code (fenced or pasted) in the request."""
    has_fence: bool
    has_trace: bool
    """A stack trace, a backtrace or a failing test run is pasted in."""
    has_compiler_error: bool
    """A compiler, interpreter or linter error message is pasted in or quoted."""
    exception_names: int
    """How many exception or error class names (`KeyError`, `NullPointerException`) appear."""
    words: int
    """Words in the instruction."""
    question: bool
    """The instruction asks a question (ends with `?` or starts with a question word)."""


def _is_code_line(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return False
    if _CODE_LINE.search(line):
        return True
    symbols = sum(1 for ch in stripped if ch in _SYMBOLS)
    return len(stripped) >= 4 and symbols / len(stripped) >= 0.15


_QUESTION_START = re.compile(
    r"^\s*(?:what|why|how|when|where|which|who|is|are|can|could|does|do|should|would|wat|waarom|hoe|"
    r"wanneer|waar|welke|wie|is|kan|kun|moet|was|warum|wie|pourquoi|comment|qu|por qué|cómo|qué)\b",
    re.I,
)


_TRACE_HINTS = (
    "Traceback",
    'File "',
    " at ",
    "\tat ",
    "panicked",
    "Exception",
    "Segmentation",
    "core dumped",
    "npm ERR",
    "Unhandled",
    "goroutine",
    "\nE ",
    "FAILED",
    "--> ",
    "#0",
    "#1",
)
_COMPILER_HINTS = (
    "rror",
    "not defined",
    "not a function",
    "propert",
    "attribute",
    "No such",
    "no such",
    "undefined",
    "cannot find",
    "exit",
)
_EXCEPTION_HINTS = ("Error", "Exception", "Fault", "Panic", "errno", "E")
_TRACE_LINE_STARTS = ("at ", 'File "', "#", "--> ", "E ", "FAILED", "goroutine ")


def _any(text: str, hints: tuple[str, ...]) -> bool:
    return any(hint in text for hint in hints)


def measure_shape(text: str) -> Shape:
    """Split `text` into its instruction and its code, and measure the code's shape.

    A long request is measured on its first `_HEAD_CHARS` and last `_TAIL_CHARS` characters (the
    instruction is at either end; the middle is pasted material): its middle lines count as code
    when the ends hold code, and its words are counted without being read.
    """
    middle_lines = middle_words = 0
    if len(text) > _HEAD_CHARS + _TAIL_CHARS:
        middle = text[_HEAD_CHARS:-_TAIL_CHARS]
        middle_lines, middle_words = middle.count("\n"), middle.count(" ")
        text = text[:_HEAD_CHARS] + "\n" + text[-_TAIL_CHARS:]
    has_trace = _any(text, _TRACE_HINTS) and bool(_TRACE.search(text))
    has_compiler_error = _any(text, _COMPILER_HINTS) and bool(_COMPILER.search(text))
    exception_names = len(set(_EXCEPTION.findall(text))) if _any(text, _EXCEPTION_HINTS) else 0
    fences = _FENCE.findall(text) if "```" in text else []
    code_lines = sum(block.count("\n") for block in fences)
    prose = _FENCE.sub("\n", text) if fences else text
    kept: list[str] = []
    for line in prose.splitlines():
        if _is_code_line(line) or (has_trace and line.lstrip().startswith(_TRACE_LINE_STARTS)):
            code_lines += 1
        else:
            kept.append(line)
    if code_lines:
        code_lines += middle_lines
    instruction = "\n".join(kept).strip().lower()
    if not instruction and text.strip():
        instruction = text.strip().splitlines()[0].lower()
    question = instruction.rstrip().endswith("?") or bool(_QUESTION_START.match(instruction))
    words = len(instruction.split()) + (0 if code_lines else middle_words)
    return Shape(
        instruction=instruction,
        code_lines=code_lines,
        has_fence=bool(fences),
        has_trace=has_trace,
        has_compiler_error=has_compiler_error,
        exception_names=exception_names,
        words=words,
        question=question,
    )
