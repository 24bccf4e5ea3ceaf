"""The near-miss guard of the response cache: two questions can be close in embedding space and
still need different answers ("sort ascending" / "sort descending", "Python 2" / "Python 3",
"undo the last commit" / "undo the last commit after I pushed it"). Before a semantic hit is
served, `near_miss(asked, stored, similar)` aligns the two questions word by word and names the
first difference that changes the answer:

- numbers: versions (a number right after a named technology, `python3`, `v2`) must be the same;
  counts ("two dictionaries" = "2 dicts") must not contradict each other; ordinals ("second",
  "third") must match;
- named technology (languages, frameworks, tools, formats, with aliases and typos: `js`,
  `pyhton`): a name on each side that the other lacks is a replacement ("in Python" / "in Go");
  a name only one side gives is a detail the other left out, which is allowed;
- negation ("not", "n't", "without", "niet", ...) on one side only;
- opposite or alternative words from one contrast group (ascending/descending, deep/shallow, ...)
  and the direction of a conversion ("string to int" / "int to string");
- alignment: every content word of each question must find a counterpart in the other: the same
  word or stem, a typo of it (edit distance 1, or 2 for long words), a synonym from the table, a
  word one of whose forms starts the other (`dict` / `dictionaries`), or, with the embedding model,
  a word whose single-word vector is close (`similar`). A content word without counterpart is an
  added or changed condition ("even if some reject", "on an already sorted array") and refuses
  the hit; words of asking ("please", "explain", "what does it mean") are not content words.

All checks but the word vectors are lexical and take tens of microseconds. The guard errs on the
side of a miss: a refused paraphrase costs one model call, a wrong hit a wrong answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from smart_router.context.guard_words import (
    ALIASES,
    CONTRASTS,
    CONVERSION_CUES,
    FILLER,
    NEGATIONS,
    NUMBER_WORDS,
    ORDINALS,
    PHRASES,
    STOPWORDS,
    SYNONYMS,
    TECH_NAMES,
)

__all__ = [
    "HARD_CHECKS",
    "WORD_SIMILARITY",
    "Question",
    "WordSimilarity",
    "content_words",
    "counterpart",
    "hard_refusal",
    "lone_words",
    "near_miss",
    "question",
    "refusals",
    "stem",
]

WordSimilarity = Callable[[str, str], float]
"""Cosine similarity of two single words' vectors (the embedding model); 0.0 when unknown."""

WORD_SIMILARITY = 0.62
"""Single-word cosine (all-MiniLM-L6-v2) at or above which two words count as counterparts."""

_TOKEN = re.compile(
    r"&\w+"  # &str, &mut
    r"|\w+(?:[.'\u2019]\w+)*"  # words, dotted.names, don't
    r"|[=!<>?:|&+\-*/%^~]{2,}"  # operators: ==, ===, ?., ??, ->
)
_VERSIONED = re.compile(r"^([a-z][a-z+#]*?)(\d+(?:\.\d+)*)$")
_IDENT = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|_|\.\w|\d|^[A-Z][a-z]+[A-Z]")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_SPELLINGS = {"c#": "csharp", "c++": "cpp", "f#": "fsharp", ".net": "dotnet", "asp.net": "aspnet"}
_SPELLED = re.compile(r"(?<![\w.])(?:c#|c\+\+|f#|asp\.net|\.net)(?!\w)", re.IGNORECASE)
_DOT_JS = re.compile(r"\b(\w+)\.js\b", re.IGNORECASE)
_PHRASE = re.compile(
    r"\b(?:" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b", re.I
)
_GO_BEFORE = frozenset({"in", "with", "using", "for", "met", "voor", "golang"})
_VERSION_CUES = frozenset({"version", "versie", "v"})
_UNVERSIONED = frozenset({"http", "https", "tcp", "udp", "utf-8", "sha", "base64"})
"""Names a number after is no version of ("HTTP 404" is a status code)."""


@dataclass(frozen=True, slots=True)
class Question:
    """What a question pins down, as far as the guard is concerned."""

    words: tuple[str, ...]
    """Content words in order (lower case; not stop words, words of asking, names or numbers)."""
    code: frozenset[str]
    """The content words written as code (`camelCase`, `snake_case`, `dotted.names`, with digits):
    only the same identifier stands for them."""
    names: frozenset[str]
    """Canonical technology names."""
    versions: frozenset[str]
    """Version numbers (`python 3.12` -> "3.12"), without the name."""
    counts: frozenset[str]
    """Other numbers, number words as digits ("two" -> "2")."""
    ordinals: frozenset[str]
    negated: bool
    contrasts: tuple[frozenset[int], ...]
    """Per contrast group, the alternatives the question names."""
    source: frozenset[str]
    target: frozenset[str]
    """For a conversion ("X to Y"): the words on either side of the connective."""


def content_words(text: str) -> tuple[str, ...]:
    """The content words of `text` that the word vectors may be asked about."""
    return question(text).words


HARD_CHECKS = (
    "versions",
    "numbers",
    "ordinals",
    "names",
    "negation",
    "opposites",
    "conversion",
    "identifiers",
)
"""The hard refusals, in the order `refusals` tries them."""


def refusals(asked: str, stored: str) -> dict[str, str]:
    """Every hard refusal (`HARD_CHECKS`) that holds for the pair, name -> why: a difference that
    changes the answer whatever the rest of the two questions says."""
    a, b = question(asked), question(stored)
    found: dict[str, str] = {}
    if a.versions != b.versions:
        found["versions"] = _differ("versions", a.versions, b.versions)
    if a.counts != b.counts:
        found["numbers"] = _differ("numbers", a.counts, b.counts)
    if a.ordinals and b.ordinals and a.ordinals != b.ordinals:  # "first render" / "only once" pass
        found["ordinals"] = _differ("ordinals", a.ordinals, b.ordinals)
    added = {n for n in a.names - b.names if not any(_related(n, m) for m in b.names)}
    if added:  # the asked question names what the stored one was not about
        found["names"] = _differ("names", a.names, b.names)
    if a.negated != b.negated:
        found["negation"] = "one question is negated and the other is not"
    for group, (x, y) in enumerate(zip(a.contrasts, b.contrasts, strict=True)):
        if x and y and x.isdisjoint(y):  # "list, tuple, set" / "list, tuple" is left to the model
            found["opposites"] = (
                f"opposite or alternative words ({_group_words(group, x)} / {_group_words(group, y)})"
            )
            break
    crossed = ((a.source & b.target) | (a.target & b.source)) - (a.source & b.source) - (a.target & b.target)
    if crossed:
        found["conversion"] = f"the conversion goes the other way ({', '.join(sorted(crossed))})"
    if (a.code ^ b.code) and a.code and b.code:
        found["identifiers"] = _differ("identifiers", a.code, b.code)
    return found


_FAMILIES = (
    frozenset({"shell", "bash", "sh", "zsh", "linux", "ubuntu", "debian", "wsl", "macos"}),
    frozenset({"sql", "mysql", "postgresql", "sqlite", "mariadb", "mssql", "tsql", "plsql", "oracle"}),
    frozenset({"http", "https", "rest"}),
)
"""Names of which one is a kind of the other, or names a question uses for the same ground ("in a
shell script" for a bash question): adding one of a family is not a replacement."""


def _related(x: str, y: str) -> bool:
    return any(x in family and y in family for family in _FAMILIES)


def hard_refusal(asked: str, stored: str, checks: tuple[str, ...] = HARD_CHECKS) -> str | None:
    """Why `asked` needs another answer than `stored` by one of the hard `checks`; None if none holds."""
    found = refusals(asked, stored)
    return next((found[c] for c in checks if c in found), None)


def near_miss(asked: str, stored: str, similar: WordSimilarity | None = None) -> str | None:
    """The all-or-nothing guard (v2): a hard refusal, or any content word of either question
    without counterpart in the other. `similar` scores single words by their vectors; without it
    only the lexical rules align words. The cache now decides with `cache_match.near_miss`."""
    why = hard_refusal(asked, stored, HARD_CHECKS[:-1])
    if why is not None:
        return why
    lone = lone_words(asked, stored, similar)
    if lone:
        return f"words without counterpart in the other question ({', '.join(lone)})"
    return None


def lone_words(asked: str, stored: str, similar: WordSimilarity | None = None) -> tuple[str, ...]:
    """The content words of either question that find no counterpart in the other."""
    a, b = question(asked), question(stored)
    return tuple(
        w
        for x, y in ((a, b), (b, a))
        for w in x.words
        if not any(
            w == v if w in x.code or v in y.code else counterpart(w, v, similar) for v in (*y.words, *y.names)
        )
    )


def counterpart(x: str, y: str, similar: WordSimilarity | None = None) -> bool:
    """Whether word `y` may stand for word `x` in a paraphrase."""
    if x == y or _stem(x) == _stem(y):
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) >= 3 and long_.startswith(short) and not _contrasting(x, y):
        return True  # dict / dictionaries, env / environment
    if len(short) >= 4 and _typo(x, y, 2 if len(short) >= 8 else 1):
        return not _contrasting(x, y)
    if any(_in(x, group) and _in(y, group) for group in SYNONYMS):
        return not _contrasting(x, y)
    return similar is not None and similar(x, y) >= WORD_SIMILARITY and not _contrasting(x, y)


@lru_cache(maxsize=4096)
def question(text: str) -> Question:
    """The guard's reading of `text` (cached: a stored prompt is compared many times)."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    text = _SPELLED.sub(lambda m: " " + _SPELLINGS[m.group(0).lower()] + " ", text)
    text = _DOT_JS.sub(lambda m: m.group(1) + "js", text)
    text = _PHRASE.sub(lambda m: PHRASES[m.group(0).lower()], text)
    tokens = [t.strip("'") for t in _TOKEN.findall(text)]
    code = frozenset(t.lower() for t in tokens if _IDENT.search(t))
    raw = [t.lower() for t in tokens]
    raw = _joined([t for t in raw if t and t.strip("-")])
    words: list[str] = []
    names: set[str] = set()
    versions: set[str] = set()
    counts: set[str] = set()
    ordinals: set[str] = set()
    negated = False
    previous = ""
    for i, token in enumerate(raw):
        name = _name(token, previous, i)
        if "." in token and not token.startswith(".") and (first := _canon(token.split(".", 1)[0])):
            names.add(first)  # java.lang.NullPointerException names Java
        if name is not None:
            names.add(name)
        elif _NUMBER.fullmatch(token):
            number = token.replace(",", ".")
            versioned = (
                _canon(previous) is not None and previous not in _UNVERSIONED
            ) or previous in _VERSION_CUES
            (versions if versioned else counts).add(number)
        elif (m := _VERSIONED.match(token)) and (_canon(m.group(1)) is not None or m.group(1) == "v"):
            if m.group(1) != "v":
                names.add(_canon(m.group(1)) or m.group(1))
            versions.add(m.group(2))
        elif token in ORDINALS:
            ordinals.add(ORDINALS[token])
        elif token in NUMBER_WORDS:
            counts.add(NUMBER_WORDS[token])
        elif token in NEGATIONS or token.endswith("n't"):
            negated = True
        elif token not in STOPWORDS and token not in FILLER and token not in _VERSION_CUES:
            words.extend(_parts(token))
        previous = token
    vocabulary = frozenset(raw) | frozenset(_singular(w) for w in raw)
    contrasts = tuple(
        frozenset(i for i, cls in enumerate(group) if not cls.isdisjoint(vocabulary)) for group in CONTRASTS
    )
    source, target = _conversion(raw)
    return Question(
        words=tuple(dict.fromkeys(words)),
        code=code & frozenset(words),
        names=frozenset(names),
        versions=frozenset(versions),
        counts=frozenset(counts),
        ordinals=frozenset(ordinals),
        negated=negated,
        contrasts=contrasts,
        source=source,
        target=target,
    )


def _joined(tokens: list[str]) -> list[str]:
    """Two-word names as one token ("regular expression" -> "regex", "vs code" -> "vscode")."""
    out: list[str] = []
    for token in tokens:
        pair = f"{out[-1]} {token}" if out else ""
        if pair in ALIASES:
            out[-1] = ALIASES[pair]
        else:
            out.append(token)
    return out


def _name(token: str, previous: str, index: int) -> str | None:
    """The canonical technology name `token` stands for, if any (also misspelt: `pyhton`)."""
    if token == "go":
        return "golang" if index == 0 or previous in _GO_BEFORE else None
    canon = _canon(token)
    if canon is not None:
        return canon
    if len(token) >= 6 and token.isalpha():  # pyhton, javscript; not query / patch / tabel
        return _misspelt_name(token)
    if token.endswith("error") and len(token) > 5:
        return None
    return None


@lru_cache(maxsize=8192)
def _misspelt_name(token: str) -> str | None:
    for name in TECH_NAMES:
        if name.startswith(token) or token.startswith(name):  # request / requests: a word, not a name
            continue
        if len(name) >= 6 and abs(len(name) - len(token)) <= 1 and _typo(token, name, 1):
            return name
    return None


def _canon(word: str) -> str | None:
    return ALIASES.get(word) or (word if word in TECH_NAMES else None)


def _parts(token: str) -> list[str]:
    """A dotted name gives its last part too (`java.lang.NullPointerException`)."""
    if "." in token and not token.startswith("."):
        return [token.rsplit(".", 1)[1]]
    return [token]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A crude stem (`sorting`, `sorted`, `sorts` -> `sort`): the key of a word's frequency."""
    return _stem(word)


def _stem(word: str) -> str:
    word = _singular(word)
    for suffix in ("ing", "ed", "ly", "er", "es", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _typo(x: str, y: str, limit: int) -> bool:
    """Damerau-Levenshtein distance of `x` and `y` at most `limit` (a swap of neighbours is one)."""
    if abs(len(x) - len(y)) > limit:
        return False
    prev2: list[int] = []
    prev = list(range(len(y) + 1))
    for i in range(1, len(x) + 1):
        row = [i] + [0] * len(y)
        for j in range(1, len(y) + 1):
            cost = 0 if x[i - 1] == y[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and x[i - 1] == y[j - 2] and x[i - 2] == y[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return False
        prev2, prev = prev, row
    return prev[-1] <= limit


def _contrasting(x: str, y: str) -> bool:
    """Two words from different classes of one contrast group (never counterparts)."""
    for group in CONTRASTS:
        cx = {i for i, cls in enumerate(group) if x in cls or _singular(x) in cls}
        cy = {i for i, cls in enumerate(group) if y in cls or _singular(y) in cls}
        if cx and cy and cx.isdisjoint(cy):
            return True
    return False


def _in(word: str, group: frozenset[str]) -> bool:
    return word in group or _singular(word) in group or _stem(word) in group


def _conversion(words: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words before and after the "to"/"into"/"naar" of a conversion; empty when there is none."""
    if CONVERSION_CUES.isdisjoint(words):
        return frozenset(), frozenset()
    for i, word in enumerate(words):
        if word in ("to", "into", "naar", "->"):
            start = max((j + 1 for j in range(i) if words[j] in ("from", "van")), default=0)
            before = {_singular(w) for w in words[start:i] if _salient_word(w)}
            after = {_singular(w) for w in words[i + 1 :] if _salient_word(w)}
            return frozenset(before), frozenset(after)
    return frozenset(), frozenset()


def _salient_word(word: str) -> bool:
    return not (word in STOPWORDS or word in CONVERSION_CUES or word in FILLER or _canon(word) is not None)


def _differ(what: str, x: frozenset[str], y: frozenset[str]) -> str:
    return f"different {what} ({', '.join(sorted(x)) or 'none'} / {', '.join(sorted(y)) or 'none'})"


def _group_words(group: int, classes: frozenset[int]) -> str:
    return ", ".join(sorted(next(iter(sorted(CONTRASTS[group][i]))) for i in classes))
