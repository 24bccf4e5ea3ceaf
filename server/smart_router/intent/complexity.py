"""How hard a request is, in [0, 1]: 0 a one-line lookup, 1 a long multi-step problem with many
constraints in a hard domain. The router weighs quality against cost with it, and `p_strong`
(difficulty.py) starts from it, so each part below is a thing that makes weaker models fail:
length, the number of requirements, steps, the size of the code, hard domains, and maths.
"""

from __future__ import annotations

import math
import re

from smart_router.intent.features import Shape

__all__ = ["complexity"]

_REQUIREMENT = re.compile(
    r"(?m)^\s*(?:[-*•]|\d+[.)])\s+|\b(?:must|should|needs? to|make sure|ensure|without|at least|at most|"
    r"handle|support|also|as well as|including|except|unless|only if|constraint|requirement|"
    r"moet|zorg dat|zonder|ook|inclusief|behalve|minstens|maximaal)\b"
)
_STEPS = re.compile(
    r"\b(?:then|after that|afterwards|next|finally|first|second|third|step|steps|stage|phase|and then|"
    r"multi-step|end-to-end|daarna|vervolgens|eerst|tenslotte|stap|stappen)\b"
)
_HARD_DOMAIN = re.compile(
    r"\b(?:concurren\w+|parallel\w*|distributed|consensus|lock-free|thread-safe|race condition|deadlock|"
    r"async\w*|optimi[sz]\w+|performance|latency|throughput|memory|security|cryptograph\w+|encrypt\w*|"
    r"compiler|parser|interpreter|kernel|proof|prove|theorem|algorithm\w*|complexity|o\(n|"
    r"dynamic programming|graph|recursion|recursive|transaction\w*|consisten\w+|scal\w+|migration|"
    r"architecture|microservices?|fault[- ]toleran\w+|replication|sharding|numerical|precision|"
    r"gradient|neural|probabilit\w+|statistic\w*|integral|derivative|invariant|formal|"
    r"gelijktijdig\w*|schaalbaar\w*|beveiliging|prestaties|bewijs|waarschijnlijkheid)\b"
)
_MATH = re.compile(
    r"\d+\s*[-+*/^\u00d7\u00f7=<>]\s*\d+|\b\d+(?:\.\d+)?\s*%|[∑∫√πθλ]|\bx\^?\d|\bsqrt\b|\blog\("
)
_TRIVIAL = re.compile(
    r"\b(?:quick|quickly|simple|simply|just|one-liner|one liner|short|small|tiny|trivial|briefly|"
    r"snel|simpel|eenvoudig\w*|kort|even)\b"
)
_SPREAD = 1.8
"""The weighted features of a realistic request rarely sum above 0.55; this stretches them over
[0, 1], so that a hard multi-part design task scores about 0.75 and a greeting 0."""
_READ_CHARS = 800
"""Characters of the instruction searched for requirements, steps and domains (its length counts whole)."""
_INTENT_BIAS = {
    "architecture": 0.12,
    "reasoning": 0.08,
    "debugging": 0.05,
    "code_generation": 0.04,
    "refactoring": 0.03,
    "code_review": 0.03,
    "test_generation": 0.02,
    "code_explanation": 0.0,
    "writing": 0.0,
    "documentation": -0.02,
    "general": -0.06,
}


def _saturate(value: float, half: float) -> float:
    """0 at 0, 0.5 at `half`, approaching 1: a soft cap for counts."""
    return value / (value + half) if value > 0 else 0.0


def complexity(shape: Shape, intent: str) -> float:
    """Complexity of a request of `shape` classified as `intent`, in [0, 1]."""
    text = shape.instruction[:_READ_CHARS]
    length = min(1.0, math.log1p(shape.words) / math.log1p(400))
    code = _saturate(shape.code_lines, 40)
    requirements = _saturate(len(_REQUIREMENT.findall(text)), 3)
    steps = _saturate(len(_STEPS.findall(text)), 3)
    domain = _saturate(len(set(_HARD_DOMAIN.findall(text))), 1.5)
    maths = _saturate(len(_MATH.findall(text)), 2)
    score = _SPREAD * (
        0.25 * length
        + 0.12 * code
        + 0.22 * requirements
        + 0.12 * steps
        + 0.20 * domain
        + 0.10 * maths
        + _INTENT_BIAS.get(intent, 0.0)
        + (0.04 if shape.has_trace else 0.0)
        - (0.06 if _TRIVIAL.search(text) else 0.0)
    )
    return round(min(1.0, max(0.0, score)), 4)
