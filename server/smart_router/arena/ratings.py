"""Bradley-Terry ratings from the user's arena votes, as Chatbot Arena computes them.

The model: model i beats model j with probability `1 / (1 + 10 ** ((R_j - R_i) / 400))`. The
ratings R are the maximum-likelihood fit of a logistic regression on the pairwise outcomes (a
tie counts as half a win for each side, as Chatbot Arena does by duplicating tie rows), on the
Elo scale (400 per factor of 10 in odds) around 1000. A small L2 penalty `REGULARISATION` on the
natural-log strengths (a Gaussian prior) keeps a model that has only won finite and fixes the
scale's origin: the ratings average 1000. Fitted by Newton's method (steps capped at `MAX_STEP`).

Confidence intervals come from the bootstrap, as in Chatbot Arena: the battles are resampled
with replacement `BOOTSTRAP_ROUNDS` times with a seeded generator, the ratings refitted on each
sample (all samples at once, vectorised with numpy, imported only when a leaderboard with
intervals is asked for), and the 2.5th and 97.5th percentiles kept. The point fit the router
uses is pure Python, so routing never loads numpy.

For the router, `Ratings.quality_adjustment(model, intent)` turns a rating into a shift of the
model's capability prior (0-10 scale):

    shift(R) = MAX_SHIFT * (2 * E(R) - 1),  E(R) = 1 / (1 + 10 ** ((1000 - R) / 400))
    w(n)     = n / (n + VOTES_HALF_WEIGHT)   (n: battles the model was voted on in that scope)
    adjustment = w(n_intent) * shift(R_intent) + (1 - w(n_intent)) * w(n_all) * shift(R_all)

E(R) is the expected score against an average model of the user's, so the shift is at most
`MAX_SHIFT` points either way, half of it after `VOTES_HALF_WEIGHT` votes, and 0 with no votes.
Few votes for an intent lean on the model's overall rating.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smart_router.arena.votes import Outcome, VoteStore

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "BOOTSTRAP_ROUNDS",
    "ELO_BASE",
    "ELO_INIT",
    "ELO_SCALE",
    "MAX_SHIFT",
    "REGULARISATION",
    "VOTES_HALF_WEIGHT",
    "Rating",
    "Ratings",
    "bootstrap_intervals",
    "fit_ratings",
    "leaderboard",
    "load_ratings",
]

ELO_SCALE = 400.0
ELO_BASE = 10.0
ELO_INIT = 1000.0
REGULARISATION = 0.1
"""L2 penalty on natural-log strengths: worth about a tenth of one game per model."""
BOOTSTRAP_ROUNDS = 200
MAX_SHIFT = 2.0
"""Largest prior shift, in points of the 0-10 capability prior."""
VOTES_HALF_WEIGHT = 10
"""Votes after which the user's rating carries half its weight."""

MAX_STEP = 1.0
"""Longest Newton step, in natural-log strength."""
_TO_ELO = ELO_SCALE / math.log(ELO_BASE)


@dataclass(frozen=True, slots=True)
class Rating:
    """One row of the leaderboard."""

    model: str
    rating: float
    ci_low: float
    ci_high: float
    rank: int
    """1 + the number of models whose interval lies wholly above this one's (Chatbot Arena's rank)."""
    battles: int
    wins: int
    losses: int
    ties: int


def _pairs(outcomes: Sequence[Outcome]) -> tuple[list[str], dict[tuple[int, int], tuple[float, float]]]:
    """The models, and per pair (i < j): (games, score of i)."""
    models = sorted({o.model_a for o in outcomes} | {o.model_b for o in outcomes})
    index = {m: k for k, m in enumerate(models)}
    pairs: dict[tuple[int, int], tuple[float, float]] = {}
    for o in outcomes:
        i, j, s = index[o.model_a], index[o.model_b], o.score
        if i > j:
            i, j, s = j, i, 1.0 - s
        n, total = pairs.get((i, j), (0.0, 0.0))
        pairs[(i, j)] = (n + 1.0, total + s)
    return models, pairs


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b, for a symmetric positive definite a (Cholesky)."""
    n = len(b)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - math.fsum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(s) if i == j else s / low[j][j]
    y = [0.0] * n
    for i in range(n):
        y[i] = (b[i] - math.fsum(low[i][k] * y[k] for k in range(i))) / low[i][i]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (y[i] - math.fsum(low[k][i] * x[k] for k in range(i + 1, n))) / low[i][i]
    return x


def fit_ratings(outcomes: Sequence[Outcome], *, reg: float = REGULARISATION) -> dict[str, float]:
    """Elo-scale Bradley-Terry ratings of every model in `outcomes` (pure Python, Newton)."""
    models, pairs = _pairs(outcomes)
    n = len(models)
    theta = [0.0] * n
    for _ in range(100):
        grad = [-reg * t for t in theta]
        hess = [[reg if i == j else 0.0 for j in range(n)] for i in range(n)]  # minus the Hessian
        for (i, j), (games, score) in pairs.items():
            p = 1.0 / (1.0 + math.exp(theta[j] - theta[i]))
            g = score - games * p
            grad[i] += g
            grad[j] -= g
            h = games * p * (1.0 - p)
            hess[i][i] += h
            hess[j][j] += h
            hess[i][j] -= h
            hess[j][i] -= h
        step = _solve(hess, grad)
        biggest = max((abs(s) for s in step), default=0.0)
        if biggest > MAX_STEP:  # damped: a long step on nearly separable data can overshoot
            step = [s * MAX_STEP / biggest for s in step]
        theta = [t + s for t, s in zip(theta, step, strict=True)]
        if max((abs(s) for s in step), default=0.0) < 1e-9:
            break
    return {m: ELO_INIT + _TO_ELO * t for m, t in zip(models, theta, strict=True)}


def _fit_many(
    rows: npt.NDArray[np.float64], weights: npt.NDArray[np.float64], n_models: int, reg: float
) -> npt.NDArray[np.float64]:
    """Log-strengths (rounds x models) for the outcome `rows` (a, b, score) under each round's weights."""
    import numpy as np

    a, b, y = rows[:, 0].astype(int), rows[:, 1].astype(int), rows[:, 2]
    design = np.zeros((len(rows), n_models))
    design[np.arange(len(rows)), a] += 1.0
    design[np.arange(len(rows)), b] -= 1.0
    theta = np.zeros((weights.shape[0], n_models))
    eye = reg * np.eye(n_models)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(theta @ design.T)))
        grad = (weights * (y - p)) @ design - reg * theta
        hess = np.einsum("ru,ui,uj->rij", weights * p * (1.0 - p), design, design) + eye
        step = np.linalg.solve(hess, grad[..., None])[..., 0]
        biggest = np.abs(step).max(axis=1, keepdims=True)
        step *= np.minimum(1.0, MAX_STEP / np.maximum(biggest, 1e-300))
        theta += step
        if float(np.abs(step).max()) < 1e-9:
            break
    return theta


def bootstrap_intervals(
    outcomes: Sequence[Outcome],
    *,
    rounds: int = BOOTSTRAP_ROUNDS,
    seed: int = 0,
    reg: float = REGULARISATION,
    level: float = 0.95,
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of the ratings, resampling battles (not single outcomes)."""
    import numpy as np

    models = sorted({o.model_a for o in outcomes} | {o.model_b for o in outcomes})
    if not models:
        return {}
    index = {m: k for k, m in enumerate(models)}
    battles = sorted({o.battle_id for o in outcomes})
    battle_index = {bid: k for k, bid in enumerate(battles)}
    # Outcomes with the same (a, b, score) share one row; a round's weight for a row is how many
    # of the row's outcomes its resampled battles hold.
    keys = [(index[o.model_a], index[o.model_b], o.score) for o in outcomes]
    unique = sorted(set(keys))
    row_of = {k: u for u, k in enumerate(unique)}
    incidence = np.zeros((len(battles), len(unique)))
    for o, k in zip(outcomes, keys, strict=True):
        incidence[battle_index[o.battle_id], row_of[k]] += 1.0
    rows = np.array(unique, dtype=float)
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(battles), np.full(len(battles), 1.0 / len(battles)), size=rounds)
    weights = counts @ incidence
    ratings = ELO_INIT + _TO_ELO * _fit_many(rows, weights, len(models), reg)
    tail = (1.0 - level) / 2 * 100
    low, high = np.percentile(ratings, [tail, 100 - tail], axis=0)
    return {m: (float(low[k]), float(high[k])) for k, m in enumerate(models)}


def leaderboard(
    outcomes: Sequence[Outcome], *, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0
) -> list[Rating]:
    """The ratings with bootstrap intervals, ranks and tallies, best first."""
    point = fit_ratings(outcomes)
    intervals = bootstrap_intervals(outcomes, rounds=rounds, seed=seed)
    tally: dict[str, list[int]] = {m: [0, 0, 0] for m in point}
    seen: dict[str, set[str]] = {m: set() for m in point}
    for o in outcomes:
        for model, score in ((o.model_a, o.score), (o.model_b, 1.0 - o.score)):
            tally[model][0 if score == 1 else 1 if score == 0 else 2] += 1
            seen[model].add(o.battle_id)
    # A handful of battles resample to nearly the same outcome, so the bootstrap alone would
    # claim certainty (one vote: a zero-width interval). The normal approximation of a win rate
    # near one half over a model's battles bounds the half-width from below.
    bounds: dict[str, tuple[float, float]] = {}
    for m, r in point.items():
        floor = _TO_ELO * 1.96 / math.sqrt(0.25 * max(1, len(seen[m])))
        bounds[m] = (min(intervals[m][0], r - floor), max(intervals[m][1], r + floor))
    out = []
    for m, r in point.items():
        low, high = bounds[m]
        rank = 1 + sum(1 for other, (lo, _) in bounds.items() if other != m and lo > high)
        wins, losses, ties = tally[m]
        out.append(Rating(m, r, low, high, rank, len(seen[m]), wins, losses, ties))
    return sorted(out, key=lambda x: (-x.rating, x.model))


def _shift(rating: float) -> float:
    expected = 1.0 / (1.0 + math.pow(ELO_BASE, (ELO_INIT - rating) / ELO_SCALE))
    return MAX_SHIFT * (2.0 * expected - 1.0)


def _weight(n: int) -> float:
    return n / (n + VOTES_HALF_WEIGHT)


@dataclass(frozen=True, slots=True)
class Ratings:
    """The user's point ratings per intent and overall (key None), with each model's vote count."""

    by_scope: Mapping[str | None, Mapping[str, tuple[float, int]]]

    @classmethod
    def fit(cls, by_intent: Mapping[str | None, Sequence[Outcome]]) -> Ratings:
        """Ratings from outcomes grouped by intent (None: battles without an intent)."""
        scopes: dict[str | None, Sequence[Outcome]] = {k: v for k, v in by_intent.items() if k is not None}
        scopes[None] = [o for group in by_intent.values() for o in group]
        table: dict[str | None, dict[str, tuple[float, int]]] = {}
        for scope, outcomes in scopes.items():
            battles: dict[str, set[str]] = {}
            for o in outcomes:
                battles.setdefault(o.model_a, set()).add(o.battle_id)
                battles.setdefault(o.model_b, set()).add(o.battle_id)
            table[scope] = {m: (r, len(battles[m])) for m, r in fit_ratings(outcomes).items()}
        return cls(table)

    def quality_adjustment(self, model_id: str, intent: str) -> float:
        """The shift of `model_id`'s prior for `intent` from the user's votes (module docstring)."""
        r_i, n_i = self.by_scope.get(intent, {}).get(model_id, (ELO_INIT, 0))
        r_all, n_all = self.by_scope.get(None, {}).get(model_id, (ELO_INIT, 0))
        w_i = _weight(n_i)
        return w_i * _shift(r_i) + (1.0 - w_i) * _weight(n_all) * _shift(r_all)


async def load_ratings(store: VoteStore) -> Ratings:
    """The user's ratings from every stored vote."""
    return Ratings.fit(await store.outcomes_by_intent())
