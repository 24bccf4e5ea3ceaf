"""Merging with a judge (`smartRouter.arenaJudge`) through the real sidecar and the fake provider:
the merged answer streams through `smartRouter/arenaMerge` and is billed on its own ledger row; a
failing judge leaves the contestants alone; a judge that does not fit the budget is skipped
with the reason; stopping the battle stops the merge and settles it."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from fakes.scenario import Scenario
from fakes.tokens import message_text
from smart_router import protocol
from support.arena_sidecar import held, start_arena_sidecar
from support.sidecar import Sidecar, SidecarFactory

MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"]
JUDGE = "gpt-4.1"
PROMPT = "How do I reverse a list in Python?"
REPLIES = {
    "gpt-4o-mini": "gpt-4o-mini here. Use slicing: items[::-1] returns a reversed copy of the list.",
    "gpt-4.1-mini": "Slicing with items[::-1] returns a reversed copy; items.reverse() reverses in place.",
    "claude-haiku-4-5": "As claude-haiku-4-5: items.reverse() reverses the list in place; [::-1] copies.",
}
MERGED = "Use items.reverse() to reverse in place, or items[::-1] for a reversed copy."


async def start(start_sidecar: SidecarFactory, fake: FakeProvider, **settings: Any) -> Sidecar:
    return await start_arena_sidecar(start_sidecar, fake, **{"arenaJudge": JUDGE, **settings})


def replies(fake: FakeProvider, failing: tuple[str, ...] = ()) -> None:
    for model, reply in REPLIES.items():
        fake.set_scenario(model, Scenario(fail="server_error") if model in failing else Scenario(reply=reply))
    fake.set_scenario(JUDGE, Scenario(reply=MERGED))


def ledger(user_env: Path) -> dict[str, tuple[Any, ...]]:
    """model -> (status, intent, request id, cost, output tokens)."""
    with sqlite3.connect(user_env / "smart-router.db") as db:
        rows = db.execute(
            "SELECT model, status, intent, request_id, cost_micro_usd, output_tokens FROM ledger"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def judge_request(fake: FakeProvider) -> str:
    asked = [
        r["body"] for r in fake.requests if isinstance(r["body"], dict) and r["body"].get("model") == JUDGE
    ]
    assert len(asked) == 1, "the judge is called once"
    return "\n".join(message_text(m["content"]) for m in asked[0]["messages"])


async def test_the_judge_merges_the_best_answers_streamed_and_billed(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    sidecar = await start(start_sidecar, fake)
    sidecar.client.progress_reports["m1"] = []
    result = await sidecar.request(
        protocol.ARENA, {"requestId": "m1", "prompt": PROMPT, "models": MODELS, "workDoneToken": "m1"}
    )
    started = sidecar.received[protocol.ARENA_STARTED][0]
    assert started["judge"] == {"model": JUDGE, "provider": "openai"} and started["mergeSkipped"] is None

    merged = result["merged"]
    assert merged["model"] == JUDGE and merged["status"] == "ok" and merged["error"] is None
    assert merged["text"] == MERGED and result["mergeSkipped"] is None
    # the best answers, best first: the pick leads
    assert merged["sources"][0] == result["pick"]["model"] and sorted(merged["sources"]) == sorted(MODELS)
    assert merged["ttftMs"] > 0 and merged["costMicroUsd"] > 0 and merged["inputTokens"] > 0

    # streamed after every contestant finished: first the call (empty piece), then the text
    pieces = sidecar.received[protocol.ARENA_MERGE]
    assert pieces[0]["delta"] == "" and pieces[0]["model"] == JUDGE
    assert all(p["sources"] == merged["sources"] and p["requestId"] == "m1" for p in pieces)
    assert "".join(p["delta"] for p in pieces) == MERGED
    order = sidecar.order
    assert max(i for i, m in enumerate(order) if m == protocol.ARENA_CONTESTANT) < order.index(
        protocol.ARENA_MERGE
    )
    reports = sidecar.client.progress_reports["m1"]
    messages = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert f"{JUDGE} is merging the best 3 answers" in messages

    # the judge sees labels, never the contestants' names
    asked = judge_request(fake)
    assert "Answer A:" in asked and "Answer C:" in asked and PROMPT in asked
    for model in MODELS:
        assert model not in asked
    assert "items.reverse() reverses the list in place" in asked

    rows = ledger(user_env)
    assert rows[JUDGE][:3] == ("ok", result["intent"], "m1") and rows[JUDGE][3] == merged["costMicroUsd"]
    assert sum(r[3] for r in rows.values()) == result["totalCostMicroUsd"] and held(user_env) == 0
    assert started["estimatedMaxCostUsd"] >= result["totalCostUsd"]


async def test_a_failing_judge_leaves_the_contestants_and_the_pick_alone(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    fake.set_scenario(JUDGE, Scenario(fail="server_error"))
    sidecar = await start(start_sidecar, fake)
    result = await sidecar.request(protocol.ARENA, {"requestId": "m2", "prompt": PROMPT, "models": MODELS})
    assert all(c["status"] == "ok" for c in result["contestants"]) and result["pick"] is not None
    merged = result["merged"]
    assert merged["status"] == "error" and merged["error"]["kind"] == "provider_unavailable"
    assert merged["text"] == "" and merged["costMicroUsd"] == 0
    rows = ledger(user_env)
    assert rows[JUDGE][0] == "error" and all(rows[m][0] == "ok" for m in MODELS)
    assert held(user_env) == 0


async def test_an_unknown_judge_or_a_lone_answer_skips_the_merge_with_the_reason(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    sidecar = await start(start_sidecar, fake, arenaJudge="gpt-4.1-mimi")
    result = await sidecar.request(protocol.ARENA, {"requestId": "m3", "prompt": PROMPT, "models": MODELS})
    assert result["merged"] is None and all(c["status"] == "ok" for c in result["contestants"])
    assert "smartRouter.arenaJudge names unknown model 'gpt-4.1-mimi'" in result["mergeSkipped"]
    assert sidecar.received[protocol.ARENA_STARTED][0]["mergeSkipped"] == result["mergeSkipped"]

    replies(fake, failing=("gpt-4.1-mini", "claude-haiku-4-5"))
    sidecar = await start(start_sidecar, fake)
    result = await sidecar.request(protocol.ARENA, {"requestId": "m4", "prompt": PROMPT, "models": MODELS})
    assert (
        result["merged"] is None
        and result["mergeSkipped"] == "only one contestant answered: nothing to merge"
    )
    assert JUDGE not in ledger(user_env) and held(user_env) == 0
    assert sidecar.received[protocol.ARENA_MERGE] == []


async def test_a_judge_over_budget_is_skipped_and_the_battle_runs(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    # the three contestants' worst case fits $0.012; with gpt-4.1 merging three answers it does not
    sidecar = await start(start_sidecar, fake, budgets={"daily": {"usd": 0.012, "mode": "hard"}})
    result = await sidecar.request(protocol.ARENA, {"requestId": "m5", "prompt": PROMPT, "models": MODELS})
    assert all(c["status"] == "ok" for c in result["contestants"]) and result["merged"] is None
    why = result["mergeSkipped"]
    assert why.startswith(f"the merge by {JUDGE} could cost up to $") and "the daily budget has" in why
    assert "the battle runs without it" in why and "Set Budget" in why
    started = sidecar.received[protocol.ARENA_STARTED][0]
    assert started["judge"] is None and started["mergeSkipped"] == why
    assert started["estimatedMaxCostUsd"] <= 0.012
    assert JUDGE not in ledger(user_env) and held(user_env) == 0
    assert not any(isinstance(r["body"], dict) and r["body"].get("model") == JUDGE for r in fake.requests)


async def test_stopping_during_the_merge_stops_the_judge_and_settles_it(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    long_merge = " ".join(f"step{i}" for i in range(200))
    fake.set_scenario(JUDGE, Scenario(reply=long_merge, tokens_per_second=20))
    sidecar = await start(start_sidecar, fake)
    sidecar.client.progress_reports["m6"] = []
    task = asyncio.ensure_future(
        sidecar.request(
            protocol.ARENA, {"requestId": "m6", "prompt": PROMPT, "models": MODELS, "workDoneToken": "m6"}
        )
    )
    await sidecar.wait_for(protocol.ARENA_MERGE, count=4)
    sidecar.client.protocol.notify(
        types.WINDOW_WORK_DONE_PROGRESS_CANCEL, types.WorkDoneProgressCancelParams(token="m6")
    )
    result = await asyncio.wait_for(task, 10)
    assert all(c["status"] == "ok" for c in result["contestants"]) and result["pick"] is not None
    merged = result["merged"]
    assert merged["status"] == "cancelled" and merged["text"] and merged["text"] != long_merge
    assert long_merge.startswith(merged["text"]) and merged["costMicroUsd"] > 0
    rows = ledger(user_env)
    assert rows[JUDGE][0] == "cancelled" and rows[JUDGE][3] == merged["costMicroUsd"]
    assert sum(r[3] for r in rows.values()) == result["totalCostMicroUsd"] and held(user_env) == 0


async def test_cancelling_the_request_during_the_merge_settles_the_judge(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    replies(fake)
    fake.set_scenario(JUDGE, Scenario(reply=" ".join(f"step{i}" for i in range(200)), tokens_per_second=20))
    sidecar = await start(start_sidecar, fake)
    task = asyncio.ensure_future(
        sidecar.client.protocol.send_request_async(
            protocol.ARENA, {"requestId": "m7", "prompt": PROMPT, "models": MODELS}, msg_id="arena-m7"
        )
    )
    await sidecar.wait_for(protocol.ARENA_MERGE, count=4)
    sidecar.client.cancel_request(types.CancelParams(id="arena-m7"))
    with pytest.raises(JsonRpcException) as info:
        await asyncio.wait_for(task, 10)
    assert info.value.code == -32800
    await sidecar.wait_for(protocol.BUDGET_CHANGED, count=4)
    rows = ledger(user_env)
    assert rows[JUDGE][0] == "cancelled" and rows[JUDGE][3] > 0 and 1 <= rows[JUDGE][4] < 200
    assert all(rows[m][0] == "ok" for m in MODELS) and held(user_env) == 0
