"""Fallback inside one ask on a rate limit, no double billing, and the open circuit afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fakes.provider import FakeProvider
from fakes.scenario import Scenario
from smart_router import protocol
from support.sidecar import KEY, SidecarFactory


def ledger(user_env: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return db.execute(
            "SELECT request_id, model, status, cost_micro_usd, error_kind FROM ledger ORDER BY rowid"
        ).fetchall()


def asked_models(fake: FakeProvider) -> list[str]:
    return [r["body"]["model"] for r in fake.requests if isinstance(r["body"], dict) and "model" in r["body"]]


async def test_a_rate_limited_model_falls_back_within_one_ask_and_its_circuit_stays_open(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    settings = {
        "defaultModel": "",
        "routingPreference": "cost",
        "providers": {
            "openai": {"baseUrl": fake.base_url},
            "anthropic": {"baseUrl": fake.anthropic_base_url},
        },
    }
    sidecar = await start_sidecar(settings, env={"ANTHROPIC_API_KEY": KEY})
    first = await sidecar.request(protocol.ROUTE, {"prompt": "hi, what does ls do?"})
    provider_of = {m["id"]: m["provider"] for m in (await sidecar.request(protocol.MODELS, {}))["models"]}
    chosen = first["model"]
    # the next candidate at another provider (a provider that just refused is not asked again)
    backup = next(f for f in first["fallbacks"] if provider_of[f] != first["provider"])
    fake.set_scenario(chosen, Scenario(fail="rate_limit", retry_after_s=60))

    result = await sidecar.request(protocol.ASK, {"requestId": "r1", "prompt": "hi, what does ls do?"})
    assert result["model"] == backup and result["text"]
    assert asked_models(fake) == [chosen, backup.removeprefix("anthropic/")]
    rows = ledger(user_env)
    assert rows == [
        ("r1", chosen, "error", 0, "rate_limited"),
        ("r1", backup, "ok", result["costMicroUsd"], None),
    ]
    spend = await sidecar.request(protocol.BUDGET_STATUS, {})
    assert spend["todayMicroUsd"] == result["costMicroUsd"]  # billed once

    fake.clear_requests()
    # noCache: the same question again would be answered from the response cache
    again = await sidecar.request(
        protocol.ASK, {"requestId": "r2", "prompt": "hi, what does ls do?", "noCache": True}
    )
    assert again["model"] != chosen and asked_models(fake) == [again["model"]]  # the open circuit is skipped
    decision = await sidecar.request(protocol.ROUTE, {"prompt": "hi, what does ls do?"})
    assert decision["model"] == again["model"] and chosen not in decision["fallbacks"]
    assert f"Skipped while their circuit is open: {chosen}." in decision["explanation"]

    models = {m["id"]: m for m in (await sidecar.request(protocol.MODELS, {}))["models"]}
    assert models[chosen]["circuit"] == "open" and models[chosen]["errorRate"] > 0
    assert (
        models[backup]["circuit"] == "closed"
        and models[backup]["latencyMs"] > 0
        and models[backup]["calls"] == (2 if again["model"] == backup else 1)
    )
