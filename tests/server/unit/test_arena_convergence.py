"""Convergence: the consensus answer wins, priors break ties, failures lose, unknown models work."""

from __future__ import annotations

import struct

import pytest

from smart_router.arena.convergence import Answer, converge
from smart_router.arena.ratings import Ratings
from smart_router.arena.similarity import as_floats, cosine, lexical_matrix
from smart_router.arena.votes import Outcome
from smart_router.catalog import Catalog, load_catalog
from smart_router.config import Settings
from smart_router.errors import BadInputError, EmbeddingsUnavailable

PROMPT = "Why does `for i in range(len(xs) + 1): print(xs[i])` raise IndexError in Python?"
RIGHT = [
    "The loop runs one step too far: range(len(xs) + 1) yields len(xs), and xs[len(xs)] is past "
    "the end, so Python raises IndexError. Use range(len(xs)), or loop over the items: for x in xs.",
    "Off-by-one error. range(len(xs) + 1) includes the index len(xs), which is out of range for xs, "
    "hence IndexError. Drop the + 1 or iterate directly with for x in xs.",
    "xs[i] fails when i == len(xs): the last valid index is len(xs) - 1, but range(len(xs) + 1) goes "
    "up to len(xs). Remove the + 1 (range(len(xs))) and the IndexError disappears.",
]
OUTLIER = "Wrap the dictionary lookup in try/except KeyError and use dict.get with a default value."


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Settings())


async def test_among_models_of_equal_strength_the_consensus_beats_the_outlier() -> None:
    # models the catalog does not know share one neutral prior: agreement decides
    answers = {"model-a": RIGHT[0], "model-b": RIGHT[1], "model-c": RIGHT[2], "model-d": OUTLIER}
    verdict = await converge(PROMPT, answers, intent="debugging")
    assert verdict.method == "lexical" and verdict.pick in {"model-a", "model-b", "model-c"}
    assert verdict.scores[-1].model == "model-d"
    outlier = verdict.score_of("model-d")
    assert outlier.agreement is not None and outlier.agreement < min(
        s.agreement for s in verdict.scores if s.agreement is not None and s.model != "model-d"
    )
    assert (
        verdict.reason.startswith(f"{verdict.pick} ") and "model-d disagrees with the rest" in verdict.reason
    )


async def test_a_much_stronger_model_outweighs_weak_models_that_agree(catalog: Catalog) -> None:
    # measured on judged battles: weak models agreeing is no sign of a right answer
    answers = {"gpt-4o-mini": RIGHT[0], "qwen-turbo": RIGHT[1], "gemini-2.5-flash-lite": RIGHT[2]}
    answers["claude-opus-4-5"] = OUTLIER
    verdict = await converge(PROMPT, answers, intent="debugging", catalog=catalog)
    assert verdict.pick == "claude-opus-4-5"
    assert "is stronger at debugging" in verdict.reason


async def test_equal_answers_go_to_the_stronger_prior(catalog: Catalog) -> None:
    weak, strong = "gpt-4o-mini", "claude-opus-4-5"
    assert catalog.model(strong).prior("debugging") > catalog.model(weak).prior("debugging")
    verdict = await converge(PROMPT, {weak: RIGHT[0], strong: RIGHT[0]}, intent="debugging", catalog=catalog)
    assert verdict.pick == strong
    assert "is stronger at debugging" in verdict.reason


async def test_errors_and_empty_answers_lose_and_are_named(catalog: Catalog) -> None:
    answers = [
        Answer("claude-opus-4-5", "", error="Anthropic (529) is overloaded"),
        Answer("gpt-5", "   "),
        Answer("gpt-4o-mini", RIGHT[0]),
    ]
    verdict = await converge(PROMPT, answers, intent="debugging", catalog=catalog)
    assert verdict.pick == "gpt-4o-mini"
    assert [s.score for s in verdict.scores[1:]] == [0.0, 0.0]
    assert verdict.score_of("gpt-5").failure == "empty answer"
    assert verdict.score_of("claude-opus-4-5").failure == "failed: Anthropic (529) is overloaded"
    assert verdict.reason == "gpt-4o-mini gave the only usable answer (claude-opus-4-5, gpt-5 failed)."
    nothing = await converge(PROMPT, answers[:2], intent="debugging", catalog=catalog)
    assert nothing.pick is None and nothing.reason.startswith("No answer is usable")


async def test_models_the_catalog_does_not_know_are_judged_on_their_answers() -> None:
    answers = {"mine/a": RIGHT[0], "mine/b": OUTLIER, "mine/c": RIGHT[1], "mine/d": RIGHT[2]}
    verdict = await converge(PROMPT, answers, intent="debugging")
    assert verdict.pick in {"mine/a", "mine/c", "mine/d"} and verdict.scores[-1].model == "mine/b"
    assert all(s.prior is None for s in verdict.scores)


async def test_an_unknown_model_is_neither_helped_nor_hurt_by_the_prior(catalog: Catalog) -> None:
    known = {"gpt-4o-mini": RIGHT[0], "claude-opus-4-5": RIGHT[0]}
    verdict = await converge(PROMPT, {**known, "mine/x": RIGHT[0]}, intent="debugging", catalog=catalog)
    ranks = [s.model for s in verdict.scores]
    assert ranks == ["claude-opus-4-5", "mine/x", "gpt-4o-mini"]  # the unknown sits at the mean prior


async def test_embedding_vectors_decide_agreement_when_given(catalog: Catalog) -> None:
    # Lexically the three differ; the vectors say "a" and "b" mean the same and "c" does not.
    answers = {"mine/a": "Use a set.", "mine/b": "Deduplicate with set().", "mine/c": "Sort the list."}
    vectors = [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.95, 0.05, 0.0], [0.0, 0.0, 1.0]]  # prompt, a, b, c
    verdict = await converge("How do I drop duplicates?", answers, vectors=vectors)
    assert verdict.method == "embeddings" and verdict.scores[-1].model == "mine/c"
    assert "in meaning" in verdict.reason


async def test_an_embed_callable_is_used_and_a_service_not_ready_falls_back_to_lexical() -> None:
    seen: list[list[str]] = []

    async def embed(texts: list[str]) -> list[bytes]:
        seen.append(texts)
        return [struct.pack("<3f", 1.0, float(len(t) % 3), 0.5) for t in texts]

    answers = {"mine/a": RIGHT[0], "mine/b": RIGHT[1]}
    verdict = await converge(PROMPT, answers, embed=embed)
    assert verdict.method == "embeddings" and seen == [[PROMPT, RIGHT[0], RIGHT[1]]]

    async def loading(texts: list[str]) -> list[bytes]:
        raise EmbeddingsUnavailable("The embedding model is still loading.")

    assert (await converge(PROMPT, answers, embed=loading)).method == "lexical"


async def test_the_users_votes_shift_the_prior(catalog: Catalog) -> None:
    weak, strong = "gpt-4o-mini", "claude-opus-4-5"
    answers = {weak: RIGHT[0], strong: RIGHT[0]}
    outcomes = [Outcome(str(k), weak, strong, 1.0) for k in range(60)]  # the user always prefers weak
    ratings = Ratings.fit({"debugging": outcomes})
    verdict = await converge(PROMPT, answers, intent="debugging", catalog=catalog, ratings=ratings)
    w = verdict.score_of(weak)
    assert w.user_shift > 1.0 and verdict.score_of(strong).user_shift < -1.0
    assert w.prior == pytest.approx(catalog.model(weak).prior("debugging") + w.user_shift)


async def test_a_model_may_answer_only_once() -> None:
    with pytest.raises(BadInputError, match="answer once"):
        await converge(PROMPT, [Answer("a", "x"), Answer("a", "y")])


def test_lexical_similarity_sees_shared_content_and_blobs_decode() -> None:
    m = lexical_matrix([RIGHT[0], RIGHT[1], OUTLIER, ""])
    assert m[0][1] > 3 * m[0][2] and m[0][3] == 0.0 and m[2][2] == 1.0
    assert all(0.0 <= x <= 1.0 + 1e-12 for row in m for x in row)
    blob = struct.pack("<2f", 3.0, 4.0)
    assert as_floats(blob) == [3.0, 4.0] and cosine(as_floats(blob), [6.0, 8.0]) == pytest.approx(1.0)
