"""How likely a prompt needs a strong model: `p_strong`, the router's threshold dial.

Cheap models answer greetings, rewrites and factual look-ups about as well as frontier ones;
they fall behind on maths, multi-step logic, writing and debugging real code, and on prompts
that pin the answer down (an exact number, a proof, a fixed output format, several
constraints at once). `p_strong` turns those observations into a probability in [0, 1] with a
hand-set logistic model over lexical features of the prompt and the classifier's intent and
complexity. Nothing here is fitted to an evaluation set: the weights are round numbers chosen
for what each feature means, and the features are the ones listed in `FEATURES`.

A two-model route (a strong and a weak model) sends the prompt to the strong one when
`p_strong >= threshold`; `DEFAULT_THRESHOLD` is the balanced setting. Ranking prompts by
`p_strong` and sweeping the threshold gives the router's cost/quality curve, which is how the
benchmarks under tests/bench/ measure it.

Pure Python: one tokenising pass and table look-ups; at most the first `SCAN_CHARS` characters are
scanned, so a decision stays well under a millisecond whatever the prompt's size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from smart_router.intent.types import Classification

__all__ = [
    "DEFAULT_THRESHOLD",
    "FEATURES",
    "INTENT_DIFFICULTY",
    "SCAN_CHARS",
    "Difficulty",
    "difficulty",
    "p_strong",
]

DEFAULT_THRESHOLD = 0.5
"""`p_strong` at or above this sends a two-model route to the strong model."""

SCAN_CHARS = 4000
"""Characters of the prompt scanned for cues (the head and the tail of longer prompts)."""

INTENT_DIFFICULTY: dict[str, float] = {
    "reasoning": 1.0,
    "code_generation": 0.9,
    "debugging": 0.9,
    "architecture": 0.8,
    "refactoring": 0.5,
    "test_generation": 0.5,
    "code_review": 0.4,
    "code_explanation": 0.1,
    "documentation": -0.3,
    "general": -0.4,
    "writing": -0.7,
}
"""Log-odds each intent adds: how far weak models trail strong ones on such requests.
The order follows the capability priors in the catalog (the gap between fast and frontier
models per intent is widest for coding and maths, narrowest for writing and chat)."""

BIAS = -0.9
"""Log-odds of a prompt with no cue at all: a weak model usually does."""

_CUES: dict[str, tuple[str, ...]] = {
    "math": (
        "solve", "solves", "solved", "solving", "equation", "equations", "prove", "proves", "proven",
        "proof", "proofs", "theorem", "lemma", "probability", "probabilities", "integer", "integers", "prime",
        "primes",
        "divisible", "remainder", "modulo", "derivative", "integral", "matrix", "matrices", "eigenvalue",
        "eigenvalues", "polynomial", "root", "roots", "factorise", "factorize", "calculate", "compute",
        "area", "volume", "perimeter", "radius", "triangle", "circle", "vertices", "percent", "percentage",
        "ratio", "sequence", "geometric", "arithmetic", "combinations", "permutations", "odds", "dice",
        "coin", "coins", "expected value", "average speed", "how many", "how much", "sum of",
        "product of", "the value of", "interest rate", "speed", "per hour", "km h", "mph",
        # Dutch
        "hoeveel", "oplossen", "los op", "gemiddelde", "oppervlakte", "driehoek", "deelbaar", "kans",
        "kansen",
    ),
    "logic": (
        "puzzle", "riddle", "logic", "logical", "deduce", "infer", "implies", "therefore", "contradiction",
        "counterexample", "paradox", "step by step", "step-by-step", "which of the following",
        "if and only if", "true false or uncertain", "in what order", "what comes next", "reason through",
        "who is taller", "who is older", "who is the", "reason about", "raadsel", "stap voor stap",
    ),
    "code_ask": (
        "implement", "implements", "implementation", "algorithm", "algorithms", "time complexity",
        "space complexity", "big-o", "recursion", "recursive", "dynamic programming", "binary search",
        "linked list", "hashmap", "hash map", "thread-safe", "race condition", "deadlock", "memory leak",
        "segfault", "stack trace", "stacktrace", "traceback", "exception", "bug", "implementeer",
    ),
    "language": (
        "python", "javascript", "typescript", "java", "golang", "rust", "kotlin", "swift", "sql", "bash",
        "html", "css", "react", "regex",
    ),
    "constraints": (
        "must", "exactly", "only", "at least", "at most", "no more than", "fewer than", "without", "do not",
        "don't", "never", "ensure", "make sure", "each", "every", "in the format", "formatted as", "json",
        "yaml", "csv", "xml", "table", "one line", "start each", "start every", "end each", "end every",
        "acrostic", "alphabetical", "sorted", "in order", "moet", "moeten", "precies", "alleen",
        "minstens", "hoogstens", "zonder", "elk", "elke",
    ),
    "precision": (
        "exact", "exactly", "precise", "precisely", "correct", "correctly", "accurate", "accurately",
        "verify", "derive", "justify", "show your work", "show the work", "explain your reasoning",
        "edge case", "edge cases", "number", "numbers", "digit", "digits", "decimal", "units",
        "exacte", "nauwkeurig",
    ),
    "long_output": (
        "essay", "report", "article", "detailed", "in detail", "comprehensive", "complete", "full",
        "thorough", "thoroughly", "design a", "design an", "design the", "architecture", "system design",
        "plan for", "tutorial", "uitgebreid", "uitgebreide", "volledig", "volledige",
    ),
    "easy": (
        "hi", "hello", "hey", "thanks", "thank", "good morning", "good evening", "good night", "translate",
        "rephrase", "paraphrase", "summarise", "summarize", "tldr", "typo", "typos", "spelling", "synonym",
        "synonyms", "define", "definition", "what is your name", "hallo", "dank", "bedankt", "vertaal",
        "samenvatting", "vat samen",
    ),
    "follow_up": (
        "your previous answer", "your previous response", "your last answer", "your last response",
        "the previous answer", "the above answer", "rewrite it", "instead", "same thing", "what if",
        "and now", "and then", "now do", "now make", "now rewrite", "now change", "now write", "can you also",
        "je vorige", "nu ook",
    ),
}  # fmt: skip
"""Words and phrases that signal each feature, English and Dutch, matched on whole words."""

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("bereken", "math"), ("bewij", "math"), ("vergelijking", "math"), ("priemgetal", "math"),
    ("eigen", "math"), ("concurren", "code_ask"), ("implementeer", "code_ask"), ("rhym", "constraints"),
    ("rigorous", "precision"), ("redeneer", "logic"), ("logisch", "logic"),
)  # fmt: skip
"""Word beginnings (for inflected and compound words) and the feature each signals."""

_CODE_VERBS = frozenset({"write", "create", "build", "make", "code", "schrijf", "maak", "bouw"})
_CODE_NOUNS = frozenset({
    "program", "function", "script", "class", "method", "algorithm", "query", "parser", "server", "api",
    "component", "module", "endpoint", "cli", "regex", "test", "tests", "functie", "programma",
    "klasse", "methode",
})  # fmt: skip
_LENGTH_UNITS = frozenset({"words", "sentences", "paragraphs", "lines", "items", "woorden", "zinnen"})

_UNIGRAMS: dict[str, tuple[str, ...]] = {}
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {}
for _feature, _cues in _CUES.items():
    for _cue in _cues:
        _key = tuple(_cue.split())
        if len(_key) == 1:
            _UNIGRAMS[_key[0]] = (*_UNIGRAMS.get(_key[0], ()), _feature)
        else:
            _PHRASES[_key] = (*_PHRASES.get(_key, ()), _feature)
_PHRASE_STARTS = frozenset(k[0] for k in _PHRASES)
_PHRASE_LENGTHS = sorted({len(k) for k in _PHRASES})
_PREFIX_TUPLE = tuple(p for p, _ in _PREFIXES)

_TOKEN = re.compile(r"\w+(?:[-']\w+)*")
_MATH_SYMBOLS = re.compile(
    r"\d\s*[-+*/^\u00d7\u00f7=<>≤≥]\s*\(?-?\d|(?<![\w.])[xyzn]\s*[=<>≤≥]|[a-z]\s*\^\s*\d|[√∑∫π]|sqrt|f\(x\)|o\(n"
)
_CODE_LINE_ENDS = (";", "{", "}", "):", "=>", "*/")
_CODE_LINE_STARTS = (
    "def ", "return ", "import ", "from ", "#include", "const ", "let ", "var ", "public ", "private ",
    "fn ", "func ", "class ", "if (", "for (", "while (", "} ", "//", "SELECT ", "@",
)  # fmt: skip
"""How a line of code (not prose about code) begins or ends; matched case-sensitively."""


FEATURES: dict[str, float] = {
    "math": 0.55,
    "math_symbols": 0.45,
    "logic": 0.5,
    "code_ask": 0.55,
    "code_syntax": 0.35,
    "constraints": 0.22,
    "precision": 0.25,
    "long_output": 0.3,
    "questions": 0.15,
    "length": 0.25,
    "easy": -0.9,
    "follow_up": 0.3,
    "complexity": 2.0,
}
"""Log-odds weight per unit of each feature. Counts are damped (`_damp`) so that ten cues
weigh about as much as three: the first cue says the most."""


@dataclass(frozen=True, slots=True)
class Difficulty:
    """`p_strong` with the feature values behind it, for explanations and evaluation."""

    p_strong: float
    logit: float
    features: dict[str, float]


def _damp(count: int) -> float:
    """0, 1, 1.58, 2, 2.32, ... : log2(1 + count)."""
    return math.log2(1 + count)


def _scan(text: str) -> str:
    if len(text) <= SCAN_CHARS:
        return text
    half = SCAN_CHARS // 2
    return text[:half] + "\n" + text[-half:]


def _cue_counts(tokens: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(_CUES, 0)
    counts["code_verb"] = 0
    n = len(tokens)
    for i, t in enumerate(tokens):
        features = _UNIGRAMS.get(t)
        if features:
            for f in features:
                counts[f] += 1
        elif t.startswith(_PREFIX_TUPLE):
            for prefix, f in _PREFIXES:
                if t.startswith(prefix):
                    counts[f] += 1
                    break
        if t in _PHRASE_STARTS:
            for length in _PHRASE_LENGTHS:
                phrase = _PHRASES.get(tuple(tokens[i : i + length]))
                if phrase:
                    for f in phrase:
                        counts[f] += 1
        if t in _CODE_VERBS and any(w in _CODE_NOUNS for w in tokens[i + 1 : i + 5]):
            counts["code_verb"] += 1
        elif t.isdigit() and i + 1 < n and tokens[i + 1] in _LENGTH_UNITS:
            counts["constraints"] += 1
            if len(t) >= 3:  # "500 words": a long answer
                counts["long_output"] += 1
    return counts


def _code_lines(text: str) -> int:
    """Lines that look like code, and code fences."""
    count = text.count("```")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and (
            line.startswith(("    ", "\t"))
            or stripped.endswith(_CODE_LINE_ENDS)
            or stripped.startswith(_CODE_LINE_STARTS)
        ):
            count += 1
    return count


def _symbolic_languages(text: str) -> int:
    """Mentions of C++ and C#, which the tokeniser cannot see."""
    return text.count("c++") + text.count("c#")


def _features(prompt: str, history: Sequence[str]) -> dict[str, float]:
    full = "\n\n".join((*history, prompt)) if history else prompt
    text = _scan(full).lower()
    tokens = _TOKEN.findall(text)
    # words in the whole prompt, estimated from characters beyond the scanned part
    words = max(1, len(text.split()) + max(0, len(full) - len(text)) // 6)
    cues = _cue_counts(tokens)
    code_syntax = _code_lines(_scan(full))
    return {
        "math": _damp(cues["math"]),
        "math_symbols": _damp(len(_MATH_SYMBOLS.findall(text))),
        "logic": _damp(cues["logic"]),
        "code_ask": _damp(
            cues["code_ask"] + cues["code_verb"] + min(2, cues["language"] + _symbolic_languages(text))
        ),
        "code_syntax": _damp(min(code_syntax, 15)),
        "constraints": _damp(cues["constraints"]),
        "precision": _damp(cues["precision"]),
        "long_output": _damp(cues["long_output"]),
        "questions": _damp(max(0, text.count("?") - 1)),
        # 0 up to ~12 words, 1 at ~50, 2 at ~200, saturating at 3 (~800 words and more)
        "length": min(3.0, max(0.0, math.log2(words / 12) / 2)),
        # a greeting, a translation or a summary, unless the prompt is more than that
        "easy": 1.0 if cues["easy"] and words < 60 else 0.0,
        "follow_up": 1.0 if history or cues["follow_up"] else 0.0,
    }


def difficulty(prompt: str, classification: Classification, *, history: Sequence[str] = ()) -> Difficulty:
    """`p_strong` and its features. `history` holds the earlier user turns of the conversation
    (oldest first): a follow-up inherits the difficulty of the task it continues."""
    features = _features(prompt, history)
    features["complexity"] = min(1.0, max(0.0, classification.complexity)) - 0.5
    intent_weight = INTENT_DIFFICULTY.get(classification.intent, 0.0)
    # a confident intent counts fully; an unsure one half
    confidence = 0.5 + 0.5 * min(1.0, max(0.0, classification.confidence))
    logit = BIAS + intent_weight * confidence + sum(FEATURES[k] * v for k, v in features.items())
    return Difficulty(1.0 / (1.0 + math.exp(-logit)), logit, features)


def p_strong(prompt: str, classification: Classification, *, history: Sequence[str] = ()) -> float:
    """The estimate in [0, 1] that `prompt` needs the strong model of a strong/weak pair."""
    return difficulty(prompt, classification, history=history).p_strong
