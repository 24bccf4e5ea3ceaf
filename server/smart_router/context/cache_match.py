"""Whether a cached answer serves a new question: the decision of a semantic response-cache hit.

Two questions close in embedding space can still need different answers ("sort ascending" /
"sort descending", "Python 2" / "Python 3", "undo the last commit" / "... after I pushed it").
`near_miss(asked, stored, similar)` decides in two steps:

1. the hard refusals of `guard.py` that almost never refuse a paraphrase on our development data
   (`KEPT_CHECKS`: another version or count, an ordinal, a technology named on the asked side
   only, negation on one side, opposite words, a conversion the other way, differing code
   identifiers) refuse at once;
2. otherwise a logistic regression over features of the pair (`pair_features`) gives the
   probability that the stored answer serves the asked question, and the hit needs at least
   `MODEL["threshold"]`. The features: the cosine of the two whole questions; the share of each
   side's content words, weighted by how specific a word is (an IDF from a table of developer
   questions), that finds a counterpart in the other (same stem, typo, synonym, word vector cosine
   at least `WORD_SIMILARITY`); the specificity of the words without counterpart; how close those
   come to the other side (best word cosine, mean and worst); the cosine of the two sides'
   unmatched words taken as bags; and the length ratio.

The coefficients, the threshold and the IDF table live in `cache_model.json`, written by
`training/fit_cache.py` (scikit-learn, offline, cross-validated by base question); here they are
applied in pure Python. Without word vectors (`similar` None) the learned step cannot run and the
all-or-nothing rule of `guard.near_miss` decides instead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from smart_router.context.guard import (
    HARD_CHECKS,
    WordSimilarity,
    counterpart,
    hard_refusal,
    question,
    stem,
)
from smart_router.context.guard import near_miss as aligned_near_miss

__all__ = ["FEATURES", "KEPT_CHECKS", "match_probability", "near_miss", "pair_features", "word_idf"]

FEATURES = (
    "cosine",
    "cover_asked",
    "cover_stored",
    "lone_idf_asked",
    "lone_idf_stored",
    "lone_count",
    "lone_best_mean",
    "lone_best_min",
    "lone_bag_cosine",
    "length_ratio",
)
"""The pair features, in the order of the model's coefficients."""

KEPT_CHECKS: tuple[str, ...] = HARD_CHECKS
"""The hard refusals the decision applies before the model (see the module docstring)."""


@lru_cache(maxsize=1)
def _model() -> dict[str, Any]:
    raw = resources.files("smart_router.context").joinpath("cache_model.json").read_text(encoding="utf-8")
    model: dict[str, Any] = json.loads(raw)
    if tuple(model["features"]) != FEATURES:
        raise ValueError("cache_model.json does not match cache_match.FEATURES: rerun training/fit_cache.py")
    return model


def word_idf(word: str) -> float:
    """How specific `word` is: its inverse document frequency in developer questions (a word the
    table does not know counts as rare)."""
    model = _model()
    return float(model["idf"].get(stem(word), model["idf_default"]))


def near_miss(asked: str, stored: str, similar: WordSimilarity | None = None) -> str | None:
    """Why the answer stored for `stored` may not serve `asked`; None when it may."""
    why = hard_refusal(asked, stored, KEPT_CHECKS)
    if why is not None:
        return why
    if similar is None:
        return aligned_near_miss(asked, stored, None)
    p = match_probability(pair_features(asked, stored, similar))
    threshold = float(_model()["threshold"])
    return None if p >= threshold else f"too likely another question (p {p:.2f} < {threshold:.2f})"


def match_probability(features: Sequence[float]) -> float:
    """The model's probability that the two questions share an answer."""
    model = _model()
    z = float(model["intercept"]) + sum(
        float(c) * (x - float(m)) / float(s)
        for c, x, m, s in zip(model["coef"], features, model["mean"], model["scale"], strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def pair_features(asked: str, stored: str, similar: WordSimilarity) -> tuple[float, ...]:
    """The features of a pair (`FEATURES`); `similar` scores two texts by their vectors (words, and
    the two whole questions)."""
    a, b = question(asked), question(stored)
    lone_a, cover_a, best_a = _side(a.words, a.code, (*b.words, *b.names), b.code, similar)
    lone_b, cover_b, best_b = _side(b.words, b.code, (*a.words, *a.names), a.code, similar)
    best = best_a + best_b
    sizes = sorted((len(a.words) + len(a.names), len(b.words) + len(b.names)))
    return (
        similar(asked, stored),
        cover_a,
        cover_b,
        sum(word_idf(w) for w in lone_a),
        sum(word_idf(w) for w in lone_b),
        float(len(lone_a) + len(lone_b)),
        sum(best) / len(best) if best else 1.0,
        min(best, default=1.0),
        _bag_cosine(lone_a, lone_b, similar),
        sizes[0] / sizes[1] if sizes[1] else 1.0,
    )


def _side(
    words: Sequence[str],
    code: frozenset[str],
    others: Sequence[str],
    other_code: frozenset[str],
    similar: WordSimilarity,
) -> tuple[list[str], float, list[float]]:
    """The words without counterpart on the other side, the IDF-weighted share of words with one,
    and each lone word's best cosine to the other side."""
    lone: list[str] = []
    best: list[float] = []
    total = aligned = 0.0
    for w in words:
        weight = word_idf(w)
        total += weight
        if any(w == v if w in code or v in other_code else counterpart(w, v, similar) for v in others):
            aligned += weight
        else:
            lone.append(w)
            best.append(max((similar(w, v) for v in others), default=0.0))
    return lone, aligned / total if total else 1.0, best


def _bag_cosine(xs: Sequence[str], ys: Sequence[str], similar: WordSimilarity) -> float:
    """Cosine of the sums of two bags of word vectors, from pairwise cosines only: 1.0 when both
    bags are empty, 0.0 when one is."""
    if not xs and not ys:
        return 1.0
    if not xs or not ys:
        return 0.0
    cross = sum(similar(x, y) for x in xs for y in ys)
    norm_x = sum(1.0 if x == x2 else similar(x, x2) for x in xs for x2 in xs)
    norm_y = sum(1.0 if y == y2 else similar(y, y2) for y in ys for y2 in ys)
    return cross / math.sqrt(max(norm_x, 1e-9) * max(norm_y, 1e-9))
