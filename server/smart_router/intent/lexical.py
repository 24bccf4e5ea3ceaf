"""The lexical classifier: scores each intent from the request's words (`lexicon.py`), the shape
of the code and traces pasted in (`features.py`) and what the editor tells (a selection,
diagnostics in range, the file's language). Works from the first millisecond; no numpy.

Scores are summed evidence; `probabilities` turns them into a distribution with a softmax, whose
top value is the confidence.
"""

from __future__ import annotations

import math
import re

from smart_router.config import INTENTS
from smart_router.editor import EditorContext
from smart_router.intent.features import Shape, measure_shape
from smart_router.intent.lexicon import LEXICON

__all__ = ["GENERAL_PRIOR", "lexical_scores", "probabilities"]

GENERAL_PRIOR = 1.0
"""Score `general` starts with, so a request with no evidence at all is general."""
_TEMPERATURE = 1.3
_HEAD, _TAIL = 320, 160
"""Characters of the instruction scanned from its start and from its end."""

_PROSE_LANGUAGES = frozenset({"markdown", "plaintext", "latex", "restructuredtext", "asciidoc", "git-commit"})
_LEAD = re.compile(
    r"^(?:(?:please|pls|can you|could you|would you|will you|kun je|kan je|kunt u|wil je|graag|bitte|"
    r"peux-tu|pouvez-vous|puedes|por favor|hey|hi|ok|so)[\s,]+)*"
)
_SELECTION_ASK = re.compile(
    r"\b(?:why|what|how|explain|meaning|purpose|waarom|wat|hoe|uitleg|leg|warum|was|pourquoi|que|qué|"
    r"por qué)\b"
)
_THIS_CODE = re.compile(
    r"\b(?:this|that|the selected|these|deze|dit|die)\s+(?:[\w-]+\s+){0,2}(?:code|function|method|class|loop|"
    r"regex|query|snippet|script|generator|decorator|block|line|operator|keyword|annotation|expression|"
    r"component|hook|functie|methode|klasse|lus|regel|script)\b"
)
_INLINE_CODE = re.compile(r"`[^`\n]+`|[a-z_]\w*\(|\w\.\w+\(|\s(?:&|\||\^|==|!=|=>|->|&&|\|\||::|<<|>>)\s")
_TEST_WORD = re.compile(r"\b(?:tests?|testen|testgevallen|unittests?|spec|specs|pruebas|testfälle)\b")
_ARITHMETIC = re.compile(
    r"\d\s*[-+*/^\u00d7x\u00f7]\s*\(?\d|"
    r"\d\s*(?:times|keer|maal|mal|fois|por|divided by|gedeeld door|plus|minus|min)\s*\d|"
    r"\b[xyn]\s*[\^²³]|[=<>]\s*-?\d|\d+!"
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])")
_FIX_WORD = re.compile(r"\b(?:fix|repair|repareer|los .*op|oplossen|behebe|corrige|arregla)\b")


def _compile(entries: list[tuple[str, float]]) -> tuple[re.Pattern[str], dict[str, float]]:
    # Strongest first: at one position the first alternative that matches wins.
    ranked = sorted(entries, key=lambda entry: -entry[1])
    groups = [f"(?P<g{i}>{pattern})" for i, (pattern, _) in enumerate(ranked)]
    weights = {f"g{i}": weight for i, (_, weight) in enumerate(ranked)}
    return re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)"), weights


_COMPILED = {intent: _compile(entries) for intent, entries in LEXICON.items()}


def _word_scores(text: str) -> dict[str, float]:
    scores = dict.fromkeys(INTENTS, 0.0)
    lead_end = _LEAD.match(text)
    start = lead_end.end() if lead_end else 0
    for intent, (pattern, weights) in _COMPILED.items():
        seen: set[str] = set()
        total = 0.0
        for match in pattern.finditer(text):
            name = match.lastgroup
            if name is None or name in seen:
                continue
            seen.add(name)
            total += weights[name]
            if match.start() <= start + 1 and weights[name] >= 2:
                total += 1.0  # the request opens with it: the imperative verb decides a lot
        scores[intent] = total
    return scores


def _scan_text(instruction: str) -> str:
    if len(instruction) <= _HEAD + _TAIL:
        return instruction
    return instruction[:_HEAD] + " … " + instruction[-_TAIL:]


def lexical_scores(prompt: str, editor: EditorContext | None = None) -> tuple[dict[str, float], Shape]:
    """Evidence per intent for `prompt` (higher is stronger), and the request's shape."""
    shape = measure_shape(prompt)
    text = _scan_text(shape.instruction)
    scores = _word_scores(text)
    scores["general"] += GENERAL_PRIOR
    if max(scores["test_generation"], scores["documentation"]) >= 3:
        # "write tests / write docs for this function" asks for tests or docs, not for new code.
        scores["code_generation"] -= 1.5
        scores["writing"] -= 1.5
    if scores["test_generation"] >= 4:
        scores["debugging"] -= 1.0  # the error named is what the test should provoke
    selection = editor.selection.strip() if editor and editor.selection else ""
    has_code = shape.code_lines > 0 or bool(selection)

    # Pasted traces and errors point at debugging unless the words say otherwise.
    if shape.has_trace:
        scores["debugging"] += 4.0
    if shape.has_compiler_error:
        scores["debugging"] += 2.5
    if shape.exception_names:
        scores["debugging"] += min(shape.exception_names, 2) * 1.0

    if editor is not None:
        if editor.diagnostics:
            scores["debugging"] += 3.0
        if selection:
            sel_shape = measure_shape(selection)
            if sel_shape.has_trace or sel_shape.has_compiler_error:
                scores["debugging"] += 3.0
            asks = shape.question or shape.words <= 6
            bug_words = scores["debugging"] >= 2.5
            if asks and _SELECTION_ASK.search(text) and not editor.diagnostics and not bug_words:
                scores["code_explanation"] += 2.0
            if _TEST_WORD.search(text):
                scores["test_generation"] += 2.0
            if _FIX_WORD.search(text):
                scores["debugging"] += 1.5
        if editor.language and editor.language in _PROSE_LANGUAGES:
            scores["writing"] += 0.5
            scores["documentation"] += 0.5
        elif editor.language:
            for intent in ("code_generation", "code_explanation", "debugging", "refactoring"):
                scores[intent] += 0.3

    if has_code:
        # Code is on the table: prose, chit-chat and maths become less likely, and a bare
        # question about code asks for an explanation.
        scores["general"] -= 1.0
        scores["writing"] -= 1.5
        scores["reasoning"] -= 1.0
        if shape.question or shape.words <= 3:
            scores["code_explanation"] += 1.5
        else:
            scores["code_explanation"] += 0.5
    elif shape.question and _THIS_CODE.search(text):
        scores["code_explanation"] += 2.0
    else:
        if _ARITHMETIC.search(text):
            scores["reasoning"] += 3.5
        numbers = len(_NUMBER.findall(text))
        if numbers >= 2 and shape.words <= 120:
            scores["reasoning"] += 1.0 if numbers < 4 else 2.0
        if not _INLINE_CODE.search(text) and not _THIS_CODE.search(text):
            # "explain" with no code in sight asks about the world, not about code.
            scores["code_explanation"] *= 0.4
        if shape.question and shape.words <= 25:
            scores["general"] += 0.5
    return scores, shape


def probabilities(scores: dict[str, float]) -> dict[str, float]:
    """Softmax of the evidence, in the order of `INTENTS`."""
    top = max(scores.values())
    exps = {intent: math.exp((scores[intent] - top) / _TEMPERATURE) for intent in INTENTS}
    total = sum(exps.values())
    return {intent: value / total for intent, value in exps.items()}
