"""Bradley-Terry ratings: recover known strengths, honest bootstrap intervals, ties, the router's shift."""

from __future__ import annotations

import random
import statistics

import numpy as np
import pytest

from smart_router.arena.ratings import (
    ELO_INIT,
    MAX_SHIFT,
    REGULARISATION,
    VOTES_HALF_WEIGHT,
    Ratings,
    _fit_many,
    bootstrap_intervals,
    fit_ratings,
    leaderboard,
)
from smart_router.arena.votes import Outcome

TRUTH = {"alpha": 1200.0, "bravo": 1100.0, "charlie": 1000.0, "delta": 950.0, "echo": 750.0}
"""Known strengths, averaging 1000 like the fitted ratings."""


def simulate(n_battles: int, seed: int, truth: dict[str, float] = TRUTH) -> list[Outcome]:
    """Random pairs; the first wins with the Bradley-Terry probability of the true ratings."""
    rng = random.Random(seed)
    players = sorted(truth)
    out = []
    for k in range(n_battles):
        a, b = rng.sample(players, 2)
        p = 1.0 / (1.0 + 10 ** ((truth[b] - truth[a]) / 400))
        out.append(Outcome(f"{seed}-{k}", a, b, 1.0 if rng.random() < p else 0.0))
    return out


def test_the_fit_recovers_the_order_and_size_of_known_strengths() -> None:
    fitted = fit_ratings(simulate(4000, seed=1))
    assert sorted(fitted, key=lambda m: -fitted[m]) == sorted(TRUTH, key=lambda m: -TRUTH[m])
    assert statistics.fmean(fitted.values()) == pytest.approx(ELO_INIT, abs=1e-6)
    for m, r in fitted.items():
        assert abs(r - TRUTH[m]) < 40, (m, r)


def test_the_intervals_contain_the_truth_in_most_runs_and_shrink_with_more_votes() -> None:
    covered = total = 0
    widths: dict[int, list[float]] = {200: [], 1600: []}
    for seed in range(12):
        for n in widths:
            intervals = bootstrap_intervals(simulate(n, seed=100 + seed), rounds=200, seed=seed)
            for m, (low, high) in intervals.items():
                widths[n].append(high - low)
                if n == 1600:
                    total += 1
                    covered += low <= TRUTH[m] <= high
    assert covered / total >= 0.85, f"95% intervals covered the truth {covered} of {total} times"
    assert statistics.fmean(widths[1600]) < 0.5 * statistics.fmean(widths[200])


def test_the_bootstrap_is_seeded_and_its_fit_matches_the_pure_python_one() -> None:
    outcomes = simulate(300, seed=7)
    assert bootstrap_intervals(outcomes, seed=3) == bootstrap_intervals(outcomes, seed=3)
    assert bootstrap_intervals(outcomes, seed=3) != bootstrap_intervals(outcomes, seed=4)
    players = sorted(TRUTH)
    rows = np.array([(players.index(o.model_a), players.index(o.model_b), o.score) for o in outcomes])
    theta = _fit_many(rows, np.ones((1, len(outcomes))), len(players), REGULARISATION)
    vectorised = ELO_INIT + 400 / np.log(10) * theta[0]
    point = fit_ratings(outcomes)
    assert [point[p] for p in players] == pytest.approx(list(vectorised), abs=1e-6)


def test_ties_count_half_and_an_unbeaten_model_stays_finite() -> None:
    all_ties = [Outcome(str(k), "x", "y", 0.5) for k in range(20)]
    assert fit_ratings(all_ties) == pytest.approx({"x": ELO_INIT, "y": ELO_INIT})
    # x always beats z; y ties both: y sits between them
    mixed = [Outcome(f"a{k}", "x", "z", 1.0) for k in range(10)]
    mixed += [Outcome(f"b{k}", "x", "y", 0.5) for k in range(10)] + [
        Outcome(f"c{k}", "y", "z", 0.5) for k in range(10)
    ]
    r = fit_ratings(mixed)
    assert r["x"] > r["y"] > r["z"] and r["x"] - r["z"] < 1500
    board = leaderboard(mixed, rounds=50)
    assert [row.model for row in board] == ["x", "y", "z"]
    y = board[1]
    assert (y.wins, y.losses, y.ties, y.battles) == (0, 0, 20, 20)
    assert board[0].wins == 10 and board[0].ties == 10 and board[2].losses == 10


def test_leaderboard_rows_have_intervals_around_the_rating_and_chatbot_arena_ranks() -> None:
    board = leaderboard(simulate(1500, seed=11))
    assert [row.model for row in board] == sorted(TRUTH, key=lambda m: -TRUTH[m])
    for row in board:
        assert row.ci_low <= row.rating <= row.ci_high and row.battles == row.wins + row.losses + row.ties
    assert board[0].rank == 1 and board[-1].rank == len(board)
    assert [row.rank for row in board] == sorted(row.rank for row in board)
    assert fit_ratings([]) == {} and leaderboard([]) == []


def test_quality_adjustment_is_zero_without_votes_and_grows_with_them() -> None:
    def shift(n: int) -> float:
        outcomes = [Outcome(str(k), "good", "bad", 1.0 if k % 4 else 0.0) for k in range(n)]  # 75% wins
        return Ratings.fit({"debugging": outcomes}).quality_adjustment("good", "debugging")

    assert Ratings.fit({}).quality_adjustment("good", "debugging") == 0.0
    shifts = [shift(n) for n in (4, 12, 40, 200)]
    assert 0 < shifts[0] < shifts[1] < shifts[2] < shifts[3] < MAX_SHIFT
    ratings = Ratings.fit(
        {"debugging": [Outcome(str(k), "good", "bad", 1.0) for k in range(VOTES_HALF_WEIGHT)]}
    )
    assert ratings.quality_adjustment("bad", "debugging") == pytest.approx(
        -ratings.quality_adjustment("good", "debugging")
    )
    assert ratings.quality_adjustment("stranger", "debugging") == 0.0


def test_an_intent_without_votes_leans_on_the_overall_rating() -> None:
    ratings = Ratings.fit({"writing": [Outcome(str(k), "good", "bad", 1.0) for k in range(30)]})
    on_writing = ratings.quality_adjustment("good", "writing")
    elsewhere = ratings.quality_adjustment("good", "debugging")
    assert on_writing > elsewhere > 0


def test_one_vote_gives_a_wide_interval_not_a_certain_rank() -> None:
    # the bootstrap of a single battle always draws that battle: alone it would claim certainty
    board = leaderboard([Outcome("only", "left", "right", 1.0)], rounds=50)
    for r in board:
        assert r.ci_high - r.ci_low > 500 and r.ci_low < r.rating < r.ci_high
    assert [r.rank for r in board] == [1, 1]  # the intervals overlap: neither is ahead for sure
