"""`p_strong`: the estimate that a prompt needs the strong model of a strong/weak pair."""

from __future__ import annotations

import time

import pytest

from smart_router.intent.difficulty import (
    DEFAULT_THRESHOLD,
    INTENT_DIFFICULTY,
    SCAN_CHARS,
    difficulty,
    p_strong,
)
from smart_router.intent.types import Classification


def cls(intent: str, complexity: float = 0.5, confidence: float = 0.9) -> Classification:
    return Classification(intent, confidence, complexity, "lexical")


GREETING = ("Hi there, how are you today?", cls("general", 0.05))
PROOF = (
    "Prove that for every integer n >= 1 the sum 1 + 3 + 5 + ... + (2n - 1) equals n^2, "
    "and show your work step by step.",
    cls("reasoning", 0.7),
)
WORD_PROBLEM = (
    "A train leaves at 9:40 and travels 180 km at 72 km/h, then 60 km at 40 km/h. "
    "At what exact time does it arrive? Give the answer in minutes precisely.",
    cls("reasoning", 0.6),
)
CONCURRENT_CODE = (
    "Implement a thread-safe LRU cache in Python with O(1) get and put. It must evict the least "
    "recently used entry, handle concurrent writers without a race condition, and include tests.",
    cls("code_generation", 0.8),
)
TRANSLATION = ("Translate 'good morning' into French.", cls("writing", 0.05))
DUTCH_MATH = (
    "Bereken hoeveel priemgetallen kleiner dan 100 deelbaar zijn door 3, "
    "en bewijs je antwoord stap voor stap.",
    cls("reasoning", 0.6),
)
DUTCH_GREETING = ("Hallo, dank je wel!", cls("general", 0.0))


@pytest.mark.parametrize(
    ("hard", "easy"),
    [
        (PROOF, GREETING),
        (WORD_PROBLEM, GREETING),
        (CONCURRENT_CODE, TRANSLATION),
        (WORD_PROBLEM, TRANSLATION),
        (DUTCH_MATH, DUTCH_GREETING),
    ],
    ids=["proof>greeting", "word-problem>greeting", "code>translation", "word-problem>translation", "dutch"],
)
def test_hard_prompts_need_the_strong_model_more_than_easy_ones(
    hard: tuple[str, Classification], easy: tuple[str, Classification]
) -> None:
    assert p_strong(*hard) > p_strong(*easy)


def test_the_default_threshold_sends_hard_prompts_up_and_chat_down() -> None:
    for prompt, c in (PROOF, WORD_PROBLEM, CONCURRENT_CODE, DUTCH_MATH):
        assert p_strong(prompt, c) >= DEFAULT_THRESHOLD, prompt
    for prompt, c in (GREETING, TRANSLATION, DUTCH_GREETING):
        assert p_strong(prompt, c) < DEFAULT_THRESHOLD, prompt


def test_the_same_words_score_higher_with_a_harder_intent_or_complexity() -> None:
    prompt = "Look at this and tell me what you think."
    assert p_strong(prompt, cls("debugging")) > p_strong(prompt, cls("writing"))
    assert p_strong(prompt, cls("general", 0.9)) > p_strong(prompt, cls("general", 0.1))
    assert set(INTENT_DIFFICULTY) == {
        "code_generation", "code_explanation", "debugging", "refactoring", "test_generation",
        "documentation", "code_review", "architecture", "reasoning", "writing", "general",
    }  # fmt: skip


def test_a_follow_up_inherits_the_task_it_continues() -> None:
    follow_up = "Now do the same for even numbers."
    alone = p_strong(follow_up, cls("general", 0.2))
    continued = p_strong(follow_up, cls("reasoning", 0.6), history=[PROOF[0]])
    assert continued > alone
    assert difficulty(follow_up, cls("general"), history=["x"]).features["follow_up"] == 1.0


@pytest.mark.parametrize(
    "prompt",
    ["", "?", "x" * 200_000, "1+1=2 " * 5000, "```\n" + "def f():\n    return 1\n" * 3000 + "```", "é" * 50],
)
@pytest.mark.parametrize("complexity", [-1.0, 0.0, 1.0, 3.0])
def test_always_a_probability(prompt: str, complexity: float) -> None:
    for intent in (*INTENT_DIFFICULTY, "unknown-intent"):
        p = p_strong(prompt, Classification(intent, 1.0, complexity, "lexical"))
        assert 0.0 <= p <= 1.0


def test_features_explain_the_figure() -> None:
    d = difficulty(*WORD_PROBLEM)
    assert d.features["math"] > 0 and d.features["precision"] > 0
    assert difficulty(*PROOF).features["math_symbols"] > 0
    assert d.p_strong == pytest.approx(1 / (1 + 2.718281828459045**-d.logit))
    assert difficulty(*GREETING).features["easy"] == 1.0


def test_fast_even_for_a_huge_prompt() -> None:
    huge = ("Refactor this function and keep its behaviour exactly.\n" + "x = compute(a, b) + 1;\n" * 20_000,)
    c = cls("refactoring")
    assert len(huge[0]) > 50 * SCAN_CHARS
    prompts = [PROOF[0], GREETING[0], CONCURRENT_CODE[0], huge[0]]
    p_strong(prompts[0], c)
    start = time.perf_counter()
    for _ in range(50):
        for prompt in prompts:
            p_strong(prompt, c)
    per_call_ms = (time.perf_counter() - start) * 1000 / 200
    assert per_call_ms < 5  # the benchmark measures the real figure (p99 < 1 ms); this catches a blow-up
