"""Convergence: pick the best answer of a battle, and say why.

Each usable answer scores, in [0, 1]:

    score = W_AGREEMENT * agreement / top_agreement + W_PRIOR * prior / 10
            + W_RELEVANCE * relevance / top_relevance

The weights were fitted on 40 held-out battles judged blind (answers of 11 models to prompts
with one right answer, scored 1-10; `tests/bench/bench_arena_convergence.py`): sentence
similarity between answers hardly tells a right answer from a wrong one (two weak models
often share the popular mistake, and a wrong answer reads like a right one), while the prior
does, so agreement and relevance only separate answers of models of about the same strength.

- **agreement** (weight 0.05): the mean similarity of the answer to the other usable answers.
  Independent models that reach the same answer are more often right than the one that
  differs (self-consistency); an outlier scores low. Similarity is the cosine of sentence
  embeddings when the embedding service gives vectors, else lexical TF-IDF cosine
  (`arena.similarity`), clipped to [0, 1]. The term is relative: divided by the battle's largest
  agreement (at least `SIMILARITY_FLOOR`), so the measure's scale does not matter (embedding
  cosines run high, lexical ones low) and the consensus answer gets the full weight.
- **prior** (weight 0.90): the model's capability prior for the intent (catalog, 0-10), shifted
  by the user's own votes (`quality_adjustment` of `arena.ratings`, a few points at most) and
  clipped to [0, 10]. A model the catalog does not know gets the mean prior of the known
  contestants (neutral: neither helped nor hurt); with no known contestant the term is equal
  for all.
- **relevance** (weight 0.05): similarity of the answer to the prompt: a small nudge towards
  answers that address what was asked; relative like agreement.

Answers that failed (an error) or are empty score 0 and are never picked while another answer
is usable. Equal scores go to the stronger prior, then the model id (deterministic).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from smart_router.arena.similarity import Vector, cosine_matrix, lexical_matrix
from smart_router.catalog import Catalog
from smart_router.errors import BadInputError, SmartRouterError

__all__ = [
    "SIMILARITY_FLOOR",
    "W_AGREEMENT",
    "W_PRIOR",
    "W_RELEVANCE",
    "Answer",
    "AnswerScore",
    "Embed",
    "QualityAdjuster",
    "Verdict",
    "converge",
    "score_answers",
]

W_AGREEMENT = 0.05
W_PRIOR = 0.90
W_RELEVANCE = 0.05
OUTLIER_SHARE = 0.5
"""An answer whose agreement is under this share of the largest is named as disagreeing."""
SIMILARITY_FLOOR = 0.1
"""Agreement and relevance are divided by the battle's largest value, but at least this."""

Method = Literal["embeddings", "lexical"]
Embed = Callable[[list[str]], Awaitable[Iterable[Vector]]]
"""The embedding service's `embed`: one vector per text, in order."""


class QualityAdjuster(Protocol):
    """What convergence needs of the user's ratings (`arena.ratings.Ratings`)."""

    def quality_adjustment(self, model_id: str, intent: str) -> float: ...


@dataclass(frozen=True, slots=True)
class Answer:
    """One contestant's answer: its text, or the error that ended it."""

    model: str
    text: str
    error: str | None = None

    @property
    def failure(self) -> str | None:
        """Why the answer cannot win, or None when it is usable."""
        if self.error:
            return f"failed: {self.error}"
        return None if self.text.strip() else "empty answer"


@dataclass(frozen=True, slots=True)
class AnswerScore:
    model: str
    score: float
    agreement: float | None
    """Mean similarity to the other usable answers; None for a failed answer."""
    prior: float | None
    """Effective prior (catalog prior + the user's shift, 0-10); None when the model is unknown."""
    user_shift: float
    """The part of `prior` that comes from the user's votes."""
    relevance: float | None
    failure: str | None


@dataclass(frozen=True, slots=True)
class Verdict:
    pick: str | None
    """The winning model; None when no answer is usable."""
    scores: tuple[AnswerScore, ...]
    """Best first."""
    intent: str
    method: Method
    reason: str

    def score_of(self, model: str) -> AnswerScore:
        return next(s for s in self.scores if s.model == model)


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _prior(
    model: str, intent: str, catalog: Catalog | None, ratings: QualityAdjuster | None
) -> tuple[float | None, float]:
    spec = catalog.models.get(model) if catalog is not None else None
    shift = ratings.quality_adjustment(model, intent) if ratings is not None else 0.0
    if spec is None or intent not in spec.priors:
        return None, shift
    return min(10.0, max(0.0, spec.prior(intent) + shift)), shift


def score_answers(
    prompt: str,
    answers: Sequence[Answer],
    similarity: Sequence[Sequence[float]],
    *,
    intent: str,
    method: Method,
    catalog: Catalog | None = None,
    ratings: QualityAdjuster | None = None,
) -> Verdict:
    """Score `answers` given `similarity`, the pairwise similarity matrix of the prompt followed
    by the usable answers (in the order of `answers`, failed ones left out)."""
    models = [a.model for a in answers]
    if len(set(models)) != len(models):
        raise BadInputError(f"Each model may answer once in a battle; got {', '.join(models)}.")
    usable = [a for a in answers if a.failure is None]
    if len(similarity) != len(usable) + 1:
        raise ValueError(f"similarity has {len(similarity)} rows for {len(usable)} usable answers + prompt")
    priors = {a.model: _prior(a.model, intent, catalog, ratings) for a in answers}
    known = [p for a in usable if (p := priors[a.model][0]) is not None]
    neutral = statistics.fmean(known) if known else 5.0
    n = len(usable)
    agreements = [
        _clip(statistics.fmean([similarity[i][j] for j in range(1, n + 1) if j != i])) if n > 1 else 1.0
        for i in range(1, n + 1)
    ]
    relevances = [_clip(similarity[0][i]) for i in range(1, n + 1)]
    top_agreement = max([SIMILARITY_FLOOR, *agreements])
    top_relevance = max([SIMILARITY_FLOOR, *relevances])
    scored: list[AnswerScore] = []
    for a, agreement, relevance in zip(usable, agreements, relevances, strict=True):
        prior, shift = priors[a.model]
        effective = neutral if prior is None else prior
        score = (
            W_AGREEMENT * agreement / top_agreement
            + W_PRIOR * effective / 10
            + W_RELEVANCE * relevance / top_relevance
        )
        scored.append(AnswerScore(a.model, score, agreement, prior, shift, relevance, None))
    for a in answers:
        if a.failure is not None:
            scored.append(
                AnswerScore(a.model, 0.0, None, priors[a.model][0], priors[a.model][1], None, a.failure)
            )
    scored.sort(
        key=lambda s: (s.failure is not None, -s.score, -(s.prior if s.prior is not None else -1), s.model)
    )
    pick = scored[0].model if scored and scored[0].failure is None else None
    reason = _reason(scored, intent, method, top_agreement, top_relevance)
    return Verdict(pick, tuple(scored), intent, method, reason)


def _reason(
    scored: Sequence[AnswerScore], intent: str, method: Method, top_agreement: float, top_relevance: float
) -> str:
    if not scored or scored[0].failure is not None:
        return "No answer is usable: " + "; ".join(f"{s.model} {s.failure}" for s in scored) + "."
    best = scored[0]
    rivals = [s for s in scored[1:] if s.failure is None]
    failed = [s.model for s in scored if s.failure is not None]
    tail = f" ({', '.join(failed)} failed)" if failed else ""
    if not rivals:
        return f"{best.model} gave the only usable answer{tail}."
    second = rivals[0]
    how = "meaning" if method == "embeddings" else "wording"
    factors: list[tuple[float, str]] = []
    if best.agreement is not None and second.agreement is not None and len(rivals) > 1:
        gap = W_AGREEMENT * (best.agreement - second.agreement) / top_agreement
        factors.append(
            (
                gap,
                f"agrees most with the other answers in {how} "
                f"({best.agreement:.2f} vs {second.agreement:.2f})",
            )
        )
    if best.prior is not None and (second.prior is None or best.prior > second.prior):
        rival = f"{second.prior:.1f}" if second.prior is not None else "unknown"
        votes = f", your votes {best.user_shift:+.1f}" if best.user_shift else ""
        gap = W_PRIOR * (best.prior - (second.prior or best.prior)) / 10
        factors.append((gap, f"is stronger at {intent} ({best.prior:.1f}/10 vs {rival}{votes})"))
    if best.relevance is not None and second.relevance is not None and best.relevance > second.relevance:
        gap = W_RELEVANCE * (best.relevance - second.relevance) / top_relevance
        factors.append((gap, "stays closer to the prompt"))
    factors = sorted((f for f in factors if f[0] >= 0), key=lambda f: -f[0])
    why = " and ".join(text for _, text in factors[:2]) or "scores highest overall"
    apart = [
        s.model for s in rivals if s.agreement is not None and s.agreement < OUTLIER_SHARE * top_agreement
    ]
    odd = (
        f"; {', '.join(apart)} {'disagrees' if len(apart) == 1 else 'disagree'} with the rest"
        if apart
        else ""
    )
    return (
        f"{best.model} {why}; runner-up {second.model} ({best.score:.2f} vs {second.score:.2f}){odd}{tail}."
    )


async def converge(
    prompt: str,
    answers: Sequence[Answer] | Mapping[str, str],
    *,
    intent: str = "general",
    catalog: Catalog | None = None,
    ratings: QualityAdjuster | None = None,
    embed: Embed | None = None,
    vectors: Sequence[Vector] | None = None,
    embed_timeout_s: float = 10.0,
) -> Verdict:
    """The verdict on a battle. Similarity comes from `vectors` (the prompt's, then one per usable
    answer, in order), else from `embed`, else lexical. An `embed` that fails with a SmartRouterError
    (the service is not ready) or times out falls back to lexical."""
    items = [Answer(m, t) for m, t in answers.items()] if isinstance(answers, Mapping) else list(answers)
    texts = [prompt] + [a.text for a in items if a.failure is None]
    method: Method = "lexical"
    matrix: list[list[float]] | None = None
    if vectors is not None:
        matrix, method = cosine_matrix(vectors), "embeddings"
    elif embed is not None:
        try:
            got = list(await asyncio.wait_for(embed(texts), embed_timeout_s))
            matrix, method = cosine_matrix(got), "embeddings"
        except (SmartRouterError, TimeoutError):
            matrix = None
    if matrix is None:
        matrix = lexical_matrix(texts)
    if len(matrix) != len(texts):
        raise ValueError(f"{len(matrix)} vectors for {len(texts)} texts (the prompt and the usable answers)")
    return score_answers(
        prompt, items, matrix, intent=intent, method=method, catalog=catalog, ratings=ratings
    )
