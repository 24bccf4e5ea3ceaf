"""Merging with a judge: the judge's prompt hides the contestants' names and fits what was
reserved; the plan prices the worst case and says why a judge cannot merge."""

from __future__ import annotations

import httpx
import pytest

from smart_router.arena.lineup import Lineup, price
from smart_router.arena.merge import (
    CUT_MARK,
    JUDGE_INSTRUCTIONS,
    MERGE_SOURCES,
    JudgePlan,
    cap_text,
    hide_names,
    merge_messages,
    plan_judge,
)
from smart_router.arena.reserve import reserve_battle, reserve_judge
from smart_router.budget import BudgetKeeper, Ledger, Reservation
from smart_router.catalog import Catalog, load_catalog
from smart_router.config import Settings, parse_settings
from smart_router.router import Candidate
from smart_router.router.health import Health
from smart_router.store import open_database
from smart_router.tokens import cost_micro_usd, count_messages, count_text

QUESTION = "How do I reverse a list in Python?"
ANSWERS = [
    "As gpt-4o-mini I suggest slicing: `items[::-1]` returns a reversed copy.",
    "Call `items.reverse()` (GPT-4.1-MINI here) to reverse in place.",
    "Use reversed(items) for an iterator; claude-haiku-4-5 would agree.",
    "A fourth answer that must not reach the judge.",
]
NAMES = ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "gpt-4.1"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Settings())


def members(catalog: Catalog, cap: int = 1024) -> list[Candidate]:
    return [price(catalog, catalog.models[m], 40, cap) for m in ("gpt-4o-mini", "gpt-4.1-mini")]


def test_the_judge_sees_labels_never_model_names() -> None:
    system, user = merge_messages(QUESTION, ANSWERS, family="openai", answer_tokens=500, names=NAMES)
    assert system.role == "system" and system.content == JUDGE_INSTRUCTIONS
    assert "never mention the answers" in JUDGE_INSTRUCTIONS
    text = user.content
    assert text.startswith(f"Question:\n\n{QUESTION}")
    assert [label in text for label in ("Answer A:", "Answer B:", "Answer C:", "Answer D:")] == [
        True,
        True,
        True,
        False,
    ]
    assert "fourth answer" not in text  # the best MERGE_SOURCES only
    for name in NAMES:
        assert name.lower() not in text.lower()
    # best first: A is the first answer given
    assert text.index("items[::-1]") < text.index("items.reverse()") < text.index("reversed(items)")
    assert text.endswith("Write the single best answer to the question.")


def test_hide_names_replaces_longest_first_in_any_case() -> None:
    assert hide_names("gpt-4o-mini and GPT-4O and gpt-4o", ["gpt-4o", "gpt-4o-mini"]) == (
        "a model and a model and a model"
    )
    assert hide_names("nothing to hide", []) == "nothing to hide"


@pytest.mark.parametrize("family", ["openai", "claude", "qwen"])
def test_an_answer_longer_than_its_share_is_cut_to_fit(family: str) -> None:
    long = " ".join(f"word{i} explains step {i} of the algorithm." for i in range(600))
    capped = cap_text(long, family, 200)
    assert capped.endswith(CUT_MARK) and long.startswith(capped[: -len(CUT_MARK)])
    assert 160 <= count_text(capped, family) <= 200  # cut near the cap, not to nothing
    short = "short answer"
    assert cap_text(short, family, 200) == short


def test_the_plan_prices_the_worst_case_merge(catalog: Catalog) -> None:
    plan = plan_judge(
        "gpt-4.1",
        catalog,
        keyed_providers={"openai"},
        local_up=False,
        health=Health(),
        question=QUESTION,
        members=members(catalog),
        output_cap=1024,
    )
    assert isinstance(plan, JudgePlan)
    c = plan.candidate
    assert c.model.id == "gpt-4.1" and c.max_output_tokens == 1024
    assert plan.answer_tokens == 1024  # each answer may be as long as the longest a member gives
    # three answers of the longest length fit what the plan reserves
    longest = "lorem ipsum dolor sit amet " * 2000
    worst = merge_messages(
        QUESTION, [longest] * MERGE_SOURCES, family="openai", answer_tokens=plan.answer_tokens
    )
    assert count_messages(worst, "openai") <= c.input_tokens
    assert c.input_tokens <= count_messages(worst, "openai") + 3 * 32  # and not much more
    assert c.max_micro_usd == cost_micro_usd(c.model, c.input_tokens, 1024)


def test_a_small_window_shrinks_each_share_or_skips_the_merge() -> None:
    small = load_catalog(parse_settings({"models": [{"id": "gpt-4o-mini", "contextWindow": 2400}]}))
    plan = plan_judge(
        "gpt-4o-mini",
        small,
        keyed_providers={"openai"},
        local_up=False,
        health=None,
        question=QUESTION,
        members=members(small, cap=400),
        output_cap=1024,
    )
    assert isinstance(plan, JudgePlan)
    c = plan.candidate
    assert plan.answer_tokens < 400 and c.input_tokens + c.max_output_tokens <= 2400
    tiny = load_catalog(parse_settings({"models": [{"id": "gpt-4o-mini", "contextWindow": 1200}]}))
    why = plan_judge(
        "gpt-4o-mini",
        tiny,
        keyed_providers={"openai"},
        local_up=False,
        health=None,
        question=QUESTION,
        members=members(tiny),
        output_cap=1024,
    )
    assert isinstance(why, str) and "context window (1200 tokens)" in why


def test_skip_reasons_name_the_setting_or_the_missing_key(catalog: Catalog) -> None:
    def plan(judge: str, keyed: set[str], health: Health | None = None) -> JudgePlan | str | None:
        return plan_judge(
            judge,
            catalog,
            keyed_providers=keyed,
            local_up=False,
            health=health,
            question=QUESTION,
            members=members(catalog),
            output_cap=1024,
        )

    assert plan("", {"openai"}) is None and plan("   ", {"openai"}) is None
    unknown = plan("gpt-4.1-mimi", {"openai"})
    assert isinstance(unknown, str)
    assert "smartRouter.arenaJudge names unknown model 'gpt-4.1-mimi'" in unknown
    assert "did you mean 'gpt-4.1-mini'" in unknown
    no_key = plan("claude-haiku-4-5", {"openai"})
    assert isinstance(no_key, str) and "no API key for Anthropic" in no_key
    assert no_key.startswith("the judge claude-haiku-4-5 cannot run")
    local = plan("ollama/llama3.2", {"openai"})
    assert isinstance(local, str) and "local server" in local
    health = Health()
    for _ in range(10):
        health.record(
            "gpt-4.1", "openai", ok=False, latency_ms=5, ttft_ms=None, error_kind="provider_unavailable"
        )
    paused = plan("gpt-4.1", {"openai"}, health)
    assert isinstance(paused, str) and "circuit open" in paused


async def test_the_judge_is_reserved_after_the_battle_or_skipped_with_the_reason(catalog: Catalog) -> None:
    settings = parse_settings({"budgets": {"daily": {"usd": 0.02, "mode": "hard"}}})
    db = await open_database(":memory:")
    async with httpx.AsyncClient() as client:
        keeper = BudgetKeeper(db, Ledger(db), client, lambda: settings)
        lineup = Lineup("Custom", tuple(members(catalog)), ())
        held = await reserve_battle(keeper, lineup, request_id="r1", workspace=None)
        plan = plan_judge(
            "gpt-4.1",
            catalog,
            keyed_providers={"openai"},
            local_up=False,
            health=None,
            question=QUESTION,
            members=lineup.candidates,
            output_cap=1024,
        )
        assert isinstance(plan, JudgePlan) and plan.candidate.max_micro_usd < 20_000 - lineup.max_micro_usd
        judge = await reserve_judge(
            keeper, plan.candidate, request_id="r1", workspace=None, battle_micro_usd=lineup.max_micro_usd
        )
        assert isinstance(judge, Reservation)
        (usage,) = await keeper.book.usage(keeper.limits(None))
        assert usage.reserved_micro_usd == lineup.max_micro_usd + plan.candidate.max_micro_usd
        # a second battle now fits without its judge only: the merge is skipped, and says why
        again = await reserve_battle(keeper, lineup, request_id="r2", workspace=None)
        why = await reserve_judge(
            keeper, plan.candidate, request_id="r2", workspace=None, battle_micro_usd=lineup.max_micro_usd
        )
        assert isinstance(why, str)
        assert why.startswith("the merge by gpt-4.1 could cost up to $")
        assert "the daily budget has $" in why and "the battle runs without it" in why
        (usage,) = await keeper.book.usage(keeper.limits(None))
        assert usage.reserved_micro_usd == 2 * lineup.max_micro_usd + plan.candidate.max_micro_usd
        for r in [*held, judge, *again]:
            await keeper.book.release(r)
    await db.close()
