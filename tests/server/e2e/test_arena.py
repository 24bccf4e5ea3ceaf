"""smartRouter/arena, arenaVote and leaderboard through the real sidecar and the fake provider
(OpenAI and Anthropic wire formats at once): columns streaming in parallel, a failing
contestant, both kinds of cancel, the budget refusal, votes moving the leaderboard."""

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
from smart_router import protocol
from support.arena_sidecar import held, start_arena_sidecar
from support.sidecar import SidecarFactory

MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5"]
PROMPT = "Explain what a Python closure is"


def ledger(user_env: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return db.execute(
            "SELECT model, status, intent, request_id, cost_micro_usd, output_tokens FROM ledger"
            " ORDER BY model"
        ).fetchall()


async def test_contestants_stream_in_parallel_each_into_its_column(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    for model, ttft in zip(MODELS, (0, 300, 600), strict=True):
        fake.set_scenario(model, Scenario(ttft_ms=ttft, tokens_per_second=200))
    sidecar = await start_arena_sidecar(start_sidecar, fake)
    sidecar.client.progress_reports["p1"] = []
    result = await sidecar.request(
        protocol.ARENA, {"requestId": "a1", "prompt": PROMPT, "models": MODELS, "workDoneToken": "p1"}
    )

    started = sidecar.received[protocol.ARENA_STARTED]
    assert len(started) == 1 and started[0]["battleId"] == result["battleId"]
    assert [m["model"] for m in started[0]["members"]] == MODELS
    assert [m["provider"] for m in started[0]["members"]] == ["openai", "openai", "anthropic"]
    assert started[0]["estimatedMaxCostUsd"] >= result["totalCostUsd"] > 0
    assert sidecar.order.index(protocol.ARENA_STARTED) < sidecar.order.index(protocol.ARENA_STREAM)

    deltas = sidecar.received[protocol.ARENA_STREAM]
    by_model = {c["model"]: c for c in result["contestants"]}
    for model in MODELS:
        c = by_model[model]
        assert c["status"] == "ok" and c["error"] is None and c["text"].startswith("Answer to: Explain")
        assert "".join(d["delta"] for d in deltas if d["model"] == model) == c["text"]
        assert c["ttftMs"] > 0 and c["totalMs"] >= c["ttftMs"] and c["costMicroUsd"] > 0
    # partial notifications: one per contestant, fastest first, each before the result
    finished = [n["contestant"]["model"] for n in sidecar.received[protocol.ARENA_CONTESTANT]]
    assert finished == MODELS
    assert by_model["claude-haiku-4-5"]["ttftMs"] >= 550 > by_model["gpt-4o-mini"]["ttftMs"]
    # in parallel: the battle lasts about as long as its slowest member
    slowest = max(c["totalMs"] for c in result["contestants"])
    assert result["wallMs"] < slowest + 500

    reports = sidecar.client.progress_reports["p1"]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    messages = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert messages[-3:] == ["1 of 3 answered", "2 of 3 answered", "3 of 3 answered"]
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)

    assert result["pick"]["model"] in MODELS and result["pick"]["reason"]
    # (the test client turns JSON objects into namedtuples: model ids are not field names)
    assert len(result["pick"]["scores"]) == 3
    rows = ledger(user_env)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        (m, "ok", result["intent"], "a1") for m in sorted(MODELS)
    ]
    assert sum(r[4] for r in rows) == result["totalCostMicroUsd"] and held(user_env) == 0
    status = await sidecar.request(protocol.BUDGET_STATUS, {})
    assert status["todayCalls"] == 3 and status["todayMicroUsd"] == result["totalCostMicroUsd"]


async def test_a_failing_contestant_shows_its_error_and_the_others_answer(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    fake.set_scenario("gpt-4.1-mini", Scenario(fail="server_error"))
    sidecar = await start_arena_sidecar(start_sidecar, fake)
    result = await sidecar.request(protocol.ARENA, {"requestId": "a2", "prompt": PROMPT, "models": MODELS})
    by_model = {c["model"]: c for c in result["contestants"]}
    failed = by_model["gpt-4.1-mini"]
    assert failed["status"] == "error" and failed["error"]["kind"] == "provider_unavailable"
    assert "Retry" in failed["error"]["message"] and failed["text"] == ""
    assert by_model["gpt-4o-mini"]["status"] == by_model["claude-haiku-4-5"]["status"] == "ok"
    assert result["pick"]["model"] != "gpt-4.1-mini" and sorted(result["pick"]["scores"].values())[0] == 0
    notified = {
        n["contestant"]["model"]: n["contestant"] for n in sidecar.received[protocol.ARENA_CONTESTANT]
    }
    assert notified["gpt-4.1-mini"]["error"] == failed["error"]
    assert {r[0]: r[1] for r in ledger(user_env)} == {
        "gpt-4o-mini": "ok",
        "gpt-4.1-mini": "error",
        "claude-haiku-4-5": "ok",
    }


async def test_cancel_request_stops_every_contestant_and_settles_what_was_spent(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    fake.set_scenario("*", Scenario(tokens_per_second=20))
    sidecar = await start_arena_sidecar(start_sidecar, fake)
    task = asyncio.ensure_future(
        sidecar.client.protocol.send_request_async(
            protocol.ARENA, {"requestId": "c1", "prompt": PROMPT, "models": MODELS}, msg_id="arena-1"
        )
    )
    await sidecar.wait_for(protocol.ARENA_STREAM, count=9)
    sidecar.client.cancel_request(types.CancelParams(id="arena-1"))
    with pytest.raises(JsonRpcException) as info:
        await asyncio.wait_for(task, 10)
    assert info.value.code == -32800
    await sidecar.wait_for(protocol.BUDGET_CHANGED, count=3)
    rows = ledger(user_env)
    assert [r[1] for r in rows] == ["cancelled"] * 3 and all(r[4] > 0 and 1 <= r[5] < 20 for r in rows)
    assert held(user_env) == 0
    status = await sidecar.request(protocol.BUDGET_STATUS, {})
    assert status["todayCalls"] == 3 and status["todayMicroUsd"] == sum(r[4] for r in rows)


async def test_cancelling_the_progress_stops_the_rest_and_judges_what_finished(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    fake.set_scenario("*", Scenario(tokens_per_second=10))
    fake.set_scenario("gpt-4o-mini", Scenario())
    sidecar = await start_arena_sidecar(start_sidecar, fake)
    sidecar.client.progress_reports["p2"] = []
    task = asyncio.ensure_future(
        sidecar.request(
            protocol.ARENA, {"requestId": "c2", "prompt": PROMPT, "models": MODELS, "workDoneToken": "p2"}
        )
    )
    await sidecar.wait_for(protocol.ARENA_CONTESTANT, count=1)
    sidecar.client.protocol.notify(
        types.WINDOW_WORK_DONE_PROGRESS_CANCEL, types.WorkDoneProgressCancelParams(token="p2")
    )
    result = await asyncio.wait_for(task, 10)
    statuses = {c["model"]: c["status"] for c in result["contestants"]}
    assert statuses == {"gpt-4o-mini": "ok", "gpt-4.1-mini": "cancelled", "claude-haiku-4-5": "cancelled"}
    assert result["pick"]["model"] == "gpt-4o-mini" and "only usable answer" in result["pick"]["reason"]
    stopped = [c for c in result["contestants"] if c["status"] == "cancelled"]
    assert all(c["text"] and c["costMicroUsd"] > 0 for c in stopped)
    rows = ledger(user_env)
    assert sum(r[4] for r in rows) == result["totalCostMicroUsd"] and held(user_env) == 0
    assert isinstance(sidecar.client.progress_reports["p2"][-1], types.WorkDoneProgressEnd)


async def test_a_battle_over_budget_is_refused_with_the_estimate_and_a_smaller_group(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    sidecar = await start_arena_sidecar(
        start_sidecar,
        fake,
        budgets={"daily": {"usd": 0.003, "mode": "hard"}},
    )
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(
            protocol.ARENA, {"requestId": "b1", "prompt": PROMPT, "models": [*MODELS, "gpt-4.1"]}
        )
    err, data = info.value, info.value.data
    assert err.code == -32030 and data is not None
    assert data["kind"] == "budget_exceeded" and data["budget"] == "daily"
    assert data["estimateUsd"] > 0.003 and "could cost up to" in err.message
    suggestion = data["suggestion"]
    assert suggestion["maxCostUsd"] <= 0.003 and len(suggestion["models"]) >= 2
    assert "gpt-4.1" not in suggestion["models"]
    assert fake.requests == [] and ledger(user_env) == [] and held(user_env) == 0
    # the smaller battle it offers runs
    result = await sidecar.request(
        protocol.ARENA, {"requestId": "b2", "prompt": PROMPT, "models": suggestion["models"]}
    )
    assert all(c["status"] == "ok" for c in result["contestants"])


async def test_a_vote_changes_the_leaderboard(start_sidecar: SidecarFactory, fake: FakeProvider) -> None:
    sidecar = await start_arena_sidecar(start_sidecar, fake)
    pair = MODELS[:2]
    first = await sidecar.request(protocol.ARENA, {"requestId": "v1", "prompt": PROMPT, "models": pair})
    assert await sidecar.request(protocol.LEADERBOARD, {}) == {"intent": None, "entries": []}

    voted = await sidecar.request(protocol.ARENA_VOTE, {"battleId": first["battleId"], "vote": "right"})
    assert voted["recorded"] and voted["battleId"] == first["battleId"]
    assert [e["model"] for e in voted["leaderboard"]] == ["gpt-4.1-mini", "gpt-4o-mini"]
    top = voted["leaderboard"][0]
    assert top["wins"] == 1 and top["battles"] == 1 and top["ciLow"] <= top["rating"] <= top["ciHigh"]

    board = await sidecar.request(protocol.LEADERBOARD, {"intent": first["intent"]})
    assert board["intent"] == first["intent"] and board["entries"] == voted["leaderboard"]
    # voting again replaces the vote
    second = await sidecar.request(
        protocol.ARENA_VOTE, {"battleId": first["battleId"], "vote": "pick", "winner": "gpt-4o-mini"}
    )
    assert second["leaderboard"][0]["model"] == "gpt-4o-mini"
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ARENA_VOTE, {"battleId": "nope", "vote": "tie"})
    assert info.value.data is not None and info.value.data["kind"] == "unknown_battle"
