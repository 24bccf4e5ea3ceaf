"""Text features that the calibrated estimates use, cheap enough for a 100 KB prompt.

A text is split by script: runs of CJK characters, words with Cyrillic or Greek letters, and
words with other non-ASCII characters (accented Latin, Arabic, Devanagari, emoji...), each
word from its first such character on. Each
group is counted with the base encoding; what is left is the ASCII part (English, code,
JSON, the ASCII words of other languages). The ASCII part is described by its base token
count and a few character counts (digits, words, punctuation, whitespace runs), the other
groups by their base token counts and character counts. An ASCII-only text needs one
encoding pass and a few C-speed scans; others need up to three more passes over their
non-ASCII words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields

__all__ = ["ASCII_FEATURES", "SEGMENT_FEATURES", "Stats", "measure"]

_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3130-\u318f\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
"""Han ideographs, kana, hangul, bopomofo, CJK punctuation and full-width forms."""
_CYR = "\u0370-\u052f"
"""Greek and Cyrillic."""
_NOT_WORD = r"\s\x00-\x40\x5b-\x60\x7b-\x7f"
"""Whitespace and ASCII other than letters."""

_CJK_RUN = re.compile(f"[{_CJK}]+")
# Each pattern starts with a character class, so the regex engine skips ASCII at C speed.
# A word is taken from its first non-ASCII character on: "Café" gives "é", the ASCII
# letters before it stay in the ASCII part (the calibration sees the same split).
_CYR_WORD = re.compile(f"[{_CYR}][^{_NOT_WORD}{_CJK}]*")
_EXT_WORD = re.compile(f"[^\\x00-\\x7f{_CYR}{_CJK}][^{_NOT_WORD}{_CYR}{_CJK}]*")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
_WORDS = re.compile(r"[A-Za-z]+")
_SPACE_RUNS = re.compile(r"  +")
_PUNCT = b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_DIGITS = "0123456789"


@dataclass(frozen=True, slots=True)
class Stats:
    """What the estimators look at; counts add up over the messages of a prompt."""

    base: int = 0
    """Tokens of the whole text in the base encoding (o200k, or cl100k without o200k)."""
    seg_cjk: int = 0
    """Base tokens of the CJK runs (joined)."""
    seg_cyr: int = 0
    """Base tokens of the words with Cyrillic or Greek letters (joined by spaces)."""
    seg_ext: int = 0
    """Base tokens of the words with other non-ASCII characters (joined by spaces)."""
    digits: int = 0
    words: int = 0
    """Runs of ASCII letters."""
    ascii_chars: int = 0
    space_runs: int = 0
    """Runs of two or more spaces (indentation, alignment)."""
    punct: int = 0
    """ASCII punctuation and symbols."""
    newlines: int = 0
    tabs: int = 0
    kana: int = 0
    hangul: int = 0
    cjk_chars: int = 0
    cyr_chars: int = 0
    """Characters of the Cyrillic/Greek words."""
    ext_chars: int = 0
    """Non-ASCII characters of the other non-ASCII words."""

    @property
    def rest(self) -> int:
        """Base tokens of the ASCII part."""
        return max(0, self.base - self.seg_cjk - self.seg_cyr - self.seg_ext)

    def __add__(self, other: Stats) -> Stats:
        return Stats(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Stats)))

    def vector(self, names: tuple[str, ...]) -> list[int]:
        return [getattr(self, n) for n in names]


ASCII_FEATURES = ("rest", "digits", "words", "ascii_chars", "space_runs", "punct", "newlines", "tabs")
"""What the ASCII part of an estimate is a linear function of."""
SEGMENT_FEATURES = ("seg_cjk", "seg_cyr", "seg_ext", "kana", "hangul", "cjk_chars", "cyr_chars", "ext_chars")
"""What the non-ASCII part of an estimate is a linear function of."""


def measure(text: str, count: Callable[[str], int], base: int | None = None) -> Stats:
    """The features of `text`; `count` gives base-encoding tokens, `base` those of `text` if known."""
    if not text:
        return Stats()
    if base is None:
        base = count(text)
    raw = text.encode("utf-8", "surrogatepass")
    common = {
        "base": base,
        "digits": sum(map(text.count, _DIGITS)),
        "words": len(_WORDS.findall(text)),
        "space_runs": len(_SPACE_RUNS.findall(text)),
        "punct": len(raw) - len(raw.translate(None, _PUNCT)),
        "newlines": text.count("\n"),
        "tabs": text.count("\t"),
    }
    if len(raw) == len(text):  # ASCII only
        return Stats(ascii_chars=len(text), **common)
    cjk = "".join(_CJK_RUN.findall(text))
    cyr_words = _CYR_WORD.findall(text)
    cyr = " ".join(cyr_words)
    ext = " ".join(_EXT_WORD.findall(text))
    return Stats(
        seg_cjk=count(cjk) if cjk else 0,
        seg_cyr=count(cyr) if cyr else 0,
        seg_ext=count(ext) if ext else 0,
        ascii_chars=len(text.encode("ascii", "ignore")),
        kana=len(_KANA.findall(cjk)),
        hangul=len(_HANGUL.findall(cjk)),
        cjk_chars=len(cjk),
        cyr_chars=len(cyr) - max(0, len(cyr_words) - 1),
        ext_chars=len(ext) - len(ext.encode("ascii", "ignore")),
        **common,
    )
