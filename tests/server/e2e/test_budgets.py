"""Budgets through the real sidecar: alerts once per threshold and period (also across a
restart), the refusal with its numbers, the downgrade in the routed reason, usage reports,
and a kill -9 in the middle of a burst of asks."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from fakes.scenario import Scenario
from smart_router import protocol
from smart_router.budget.status import reset_text
from support.sidecar import Sidecar, SidecarFactory


def db_rows(user_env: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return db.execute(sql).fetchall()


def settings(fake: FakeProvider, budgets: dict[str, Any]) -> dict[str, Any]:
    return {
        "providers": {"openai": {"baseUrl": fake.base_url}},
        "defaultModel": "gpt-4o-mini",
        "requestTimeoutSeconds": 15,
        "budgets": budgets,
        "context": {"enabled": False},  # earlier asks as context would make each ask cost more
    }


async def ask(sidecar: Sidecar, rid: str, prompt: str = "Explain closures") -> dict[str, Any]:
    # the same question again would be a free cached answer: these asks must reach the model
    params = {"requestId": rid, "prompt": prompt, "noCache": True}
    result: dict[str, Any] = await sidecar.request(protocol.ASK, params)
    return result


async def test_alerts_fire_once_per_threshold_and_period_even_across_a_restart(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    fake.set_scenario("*", Scenario(reply="one two three four five six"))
    sidecar = await start_sidecar({"context": {"enabled": False}})
    cost = (await ask(sidecar, "a0"))["costMicroUsd"]  # every ask below costs exactly this much
    assert cost > 0
    limit_usd = (5 * cost - 1) / 1_000_000  # so k asks are just above 20k %
    budgets = {"daily": {"usd": limit_usd, "mode": "soft"}, "alertThresholds": [40, 60, 80, 100]}
    sidecar.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"smartRouter": settings(fake, budgets)})
    )
    seen: list[int] = []
    for k in range(2, 7):  # 40 %, 60 %, 80 %, 100 %, 120 %
        await ask(sidecar, f"a{k}")
        await asyncio.sleep(0.2)  # an alert would arrive right after the call settles
        seen = [a["threshold"] for a in sidecar.received[protocol.BUDGET_ALERT]]
    assert seen == [40, 60, 80, 100]
    last = sidecar.received[protocol.BUDGET_ALERT][-1]
    assert last["budget"]["name"] == "daily" and last["budget"]["mode"] == "soft"
    assert last["budget"]["limitUsd"] == limit_usd and last["budget"]["level"] == "exceeded"
    assert "% of the daily budget" in last["message"] and "resets at" in last["message"]
    assert db_rows(user_env, "SELECT COUNT(*) FROM budget_alerts") == [(4,)]

    # a new sidecar on the same database knows the alerts fired this period
    again = await start_sidecar(settings(fake, budgets))
    await ask(again, "b1")
    await asyncio.sleep(0.2)
    assert again.received[protocol.BUDGET_ALERT] == []
    status = await again.request(protocol.BUDGET_STATUS, {})
    [daily] = status["budgets"]
    assert daily["spentUsd"] * 1_000_000 == pytest.approx(7 * cost) and daily["percent"] > 100


async def test_a_request_that_fits_no_budget_is_refused_with_the_numbers(
    start_sidecar: SidecarFactory, user_env: Path
) -> None:
    sidecar = await start_sidecar({"budgets": {"daily": {"usd": 0.00001}, "timeZone": "Europe/Amsterdam"}})
    with pytest.raises(JsonRpcException) as info:
        await ask(sidecar, "x")
    err = info.value
    assert err.code == -32030 and err.data["kind"] == "budget_exceeded"
    data = err.data
    assert (data["budget"], data["scope"], data["limitUsd"]) == ("daily", "global", 0.00001)
    assert data["spentUsd"] == 0 and data["reservedUsd"] == 0 and data["requiredUsd"] > 0.00001
    assert data["resetsAt"].endswith(("+01:00", "+02:00"))  # midnight in Amsterdam
    assert (
        "The daily budget of $0.000010 has $0.000010 left" in err.message
        and f"resets {reset_text(data['resetsAt'])}" in err.message
    )
    assert "Set Budget" in err.message
    assert db_rows(user_env, "SELECT COUNT(*) FROM ledger") == [(0,)]
    assert db_rows(user_env, "SELECT COUNT(*) FROM reservations") == [(0,)]
    status = await sidecar.request(protocol.BUDGET_STATUS, {})
    assert status["timeZone"] == "Europe/Amsterdam" and status["budgets"][0]["resetsAt"] == data["resetsAt"]


async def test_an_expensive_choice_is_downgraded_and_the_reason_says_so(
    start_sidecar: SidecarFactory, user_env: Path
) -> None:
    # gpt-4.1 could cost ~$0.0082 for 1024 answer tokens; $0.002 leaves room for a cheap model only
    sidecar = await start_sidecar({"defaultModel": "gpt-4.1", "budgets": {"daily": {"usd": 0.002}}})
    result = await ask(sidecar, "d1")
    [routed] = sidecar.received[protocol.ROUTED]
    assert routed["model"] == result["model"] != "gpt-4.1"
    assert "downgraded from gpt-4.1: the daily budget has $0.0020 left" in routed["reason"]
    assert result["reason"] == routed["reason"] and routed["maxCostUsd"] <= 0.002
    [(model, cost)] = db_rows(user_env, "SELECT model, cost_micro_usd FROM ledger")
    assert model == result["model"] and cost == result["costMicroUsd"]


async def test_usage_report_groups_spend_and_carries_budgets_and_forecast(
    start_sidecar: SidecarFactory,
) -> None:
    sidecar = await start_sidecar(
        {"budgets": {"monthly": {"usd": 5}, "workspaces": {"proj": {"daily": {"usd": 1, "mode": "soft"}}}}}
    )
    await sidecar.request(protocol.ASK, {"requestId": "u1", "prompt": "hello", "workspace": "/src/proj"})
    await sidecar.request(protocol.ASK, {"requestId": "u2", "prompt": "hello there", "workspace": None})
    report = await sidecar.request(protocol.USAGE_REPORT, {"by": "workspace"})
    assert report["calls"] == 2 and report["by"] == "workspace"
    assert sorted(g["key"] for g in report["groups"]) == ["(none)", "/src/proj"]
    assert report["totalMicroUsd"] == sum(g["costMicroUsd"] for g in report["groups"])
    # (the test client turns the {model: usd} object into a tuple: only its values are comparable)
    [day] = report["days"]
    assert list(day["byModel"].values()) == [report["totalUsd"]]
    assert report["top"][0]["costUsd"] >= report["top"][1]["costUsd"]
    assert {(b["name"], b["scope"], b["workspace"]) for b in report["budgets"]} == {
        ("monthly", "global", None),
        ("daily", "workspace", "proj"),
    }
    ws = next(b for b in report["budgets"] if b["scope"] == "workspace")
    proj = next(g for g in report["groups"] if g["key"] == "/src/proj")
    assert ws["spentUsd"] == proj["costUsd"]
    assert report["forecast"]["dayUsd"] >= report["totalUsd"]
    only = await sidecar.request(protocol.USAGE_REPORT, {"workspace": "proj"})
    assert only["calls"] == 1
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.USAGE_REPORT, {"since": "2026-02-01", "until": "2026-01-01"})
    assert info.value.data["kind"] == "bad_input" and "swap" in info.value.message


async def test_kill_9_in_a_burst_loses_no_settled_row_and_holds_no_reservation(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    budgets = {"daily": {"usd": 1}, "monthly": {"usd": 10}}
    sidecar = await start_sidecar({"budgets": budgets})
    for i in range(3):
        await ask(sidecar, f"pre{i}")
    fake.set_scenario("*", Scenario(tokens_per_second=40))  # slow answers: the burst stays in flight
    burst = [
        asyncio.ensure_future(ask(sidecar, f"burst{i}", "short" if i % 3 == 0 else "a long answer"))
        for i in range(12)
    ]
    await sidecar.wait_for(protocol.STREAM, count=len(sidecar.received[protocol.STREAM]) + 20, within_s=20)
    held = db_rows(user_env, "SELECT COUNT(*) FROM reservations")[0][0]
    settled_before = db_rows(user_env, "SELECT id, request_id, cost_micro_usd FROM ledger")
    assert held > 0 and len(settled_before) >= 3
    server = sidecar.client._server
    assert server is not None
    os.kill(server.pid, signal.SIGKILL)
    await server.wait()
    sidecar.client.error = RuntimeError("killed by the test")  # nothing to shut down any more
    for task in burst:
        task.cancel()
    await asyncio.gather(*burst, return_exceptions=True)

    fake.reset()
    again = await start_sidecar({"budgets": budgets})
    status = await again.request(protocol.BUDGET_STATUS, {})
    settled_after = db_rows(user_env, "SELECT id, request_id, cost_micro_usd FROM ledger")
    assert set(settled_before) <= set(settled_after)
    assert db_rows(user_env, "SELECT COUNT(*) FROM reservations") == [(0,)]
    total = sum(r[2] for r in settled_after)
    assert status["todayMicroUsd"] == total and status["todayCalls"] == len(settled_after)
    assert all(b["reservedUsd"] == 0 for b in status["budgets"])
    assert {b["name"]: b["spentUsd"] for b in status["budgets"]} == {
        "daily": total / 1e6,
        "monthly": total / 1e6,
    }
    # and the new sidecar works
    assert (await ask(again, "after"))["costMicroUsd"] > 0
