"""The learned hit decision of the response cache (`cache_match.py`): the hard refusals come
first, the model file matches the features, the probability rises with how well the two
questions' words align, and without word vectors the all-or-nothing alignment decides."""

from __future__ import annotations

import pytest

from smart_router.context import cache_match
from smart_router.context.cache_match import FEATURES, match_probability, near_miss, pair_features, word_idf
from smart_router.context.guard import near_miss as aligned_near_miss


def same(x: str, y: str) -> float:
    """Word vectors under which every two texts are alike."""
    return 1.0


def apart(x: str, y: str) -> float:
    """Word vectors under which no two different texts are alike."""
    return 1.0 if x == y else 0.0


def test_the_model_file_matches_the_features_and_has_a_strict_threshold() -> None:
    model = cache_match._model()
    assert tuple(model["features"]) == FEATURES
    assert len(model["coef"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
    assert 0.8 <= model["threshold"] < 1.0  # chosen for >= 98 % precision in cross-validation
    assert word_idf("the") < word_idf("list") < word_idf("quicksortish")  # unknown words count as rare


def test_features_of_a_paraphrase_and_of_an_added_condition() -> None:
    stored = "How do I undo the last commit in git?"
    f = dict(zip(FEATURES, pair_features("undo last git commit", stored, apart), strict=True))
    assert f["cover_asked"] == f["cover_stored"] == 1.0 and f["lone_count"] == 0.0
    assert f["lone_bag_cosine"] == 1.0 and f["lone_best_min"] == 1.0
    g = dict(
        zip(
            FEATURES,
            pair_features("undo the last commit in git after I pushed it", stored, apart),
            strict=True,
        )
    )
    assert g["cover_asked"] < 1.0 == g["cover_stored"]
    assert g["lone_count"] == 2.0 and g["lone_idf_asked"] > 0 == g["lone_idf_stored"]  # after, pushed
    assert g["lone_bag_cosine"] == 0.0  # unmatched words on one side only


def test_probability_rises_with_alignment() -> None:
    stored = "How do I undo the last commit in git?"
    aligned = match_probability(pair_features("undo last git commit", stored, apart))
    added = match_probability(pair_features("undo the last commit in git after I pushed it", stored, apart))
    assert added < aligned


def test_hard_refusals_come_before_the_model() -> None:
    for asked, stored in [
        ("Reverse a list in JavaScript", "Reverse a list in Python"),
        ("Check if an array is not empty", "Check if an array is empty"),
        ("Create a venv with Python 3.8", "Create a venv with Python 3.12"),
        ("Convert an int to a string in Java", "Convert a string to an int in Java"),
    ]:
        assert near_miss(asked, stored, same) is not None  # even when every word looks alike


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("how to reverse a python list", "How do I reverse a list in Python?"),
        (
            "How do I sort a list of dicts by a key in Python?",
            "How do I sort a list of dicts by a key in Python",
        ),
        ("undo the last commit in git after I already pushed it", "How do I undo the last commit in git?"),
    ],
)
def test_without_word_vectors_the_alignment_guard_decides(asked: str, stored: str) -> None:
    assert (near_miss(asked, stored) is None) == (aligned_near_miss(asked, stored) is None)


def test_a_paraphrase_passes_and_an_unrelated_wording_is_refused() -> None:
    assert near_miss("how to reverse a python list", "How do I reverse a list in Python?", apart) is None
    why = near_miss("flip the order of lisst elements python", "How do I remove duplicates in Python?", apart)
    assert why is not None and "p " in why
