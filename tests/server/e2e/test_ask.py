"""smartRouter/ask through the real sidecar: streaming, cost, cancel, errors."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from fakes.scenario import Scenario
from smart_router import protocol
from support.sidecar import KEY, SidecarFactory


def ledger(user_env: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(user_env / "smart-router.db") as db:
        return db.execute(
            "SELECT model, status, input_tokens, output_tokens, cost_micro_usd, error_kind FROM ledger"
        ).fetchall()


async def test_ask_streams_the_answer_and_returns_its_cost(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    sidecar = await start_sidecar()
    result = await sidecar.request(protocol.ASK, {"requestId": "a1", "prompt": "Explain closures"})

    assert result["text"].startswith("Answer to: Explain closures")
    deltas = sidecar.received[protocol.STREAM]
    assert len(deltas) > 5 and all(d["requestId"] == "a1" for d in deltas)
    assert "".join(d["delta"] for d in deltas) == result["text"]
    # the model is known before the first token, the spend right after the call
    asked = (protocol.ROUTED, protocol.STREAM, protocol.BUDGET_CHANGED)
    ask_events = [m for m in sidecar.order if m in asked]
    assert ask_events[0] == protocol.ROUTED and ask_events[-1] == protocol.BUDGET_CHANGED
    assert sidecar.received[protocol.ROUTED][0]["model"] == "gpt-4o-mini"

    tokens_in, tokens_out = result["inputTokens"], result["outputTokens"]
    assert tokens_in > 0 and tokens_out == len(deltas)
    expected = round(tokens_in * 0.15 + tokens_out * 0.60)
    assert abs(result["costMicroUsd"] - expected) <= 1 and not result["usageEstimated"]
    assert result["ttftMs"] > 0 and result["totalMs"] >= result["ttftMs"]

    status = sidecar.received[protocol.BUDGET_CHANGED][-1]
    assert status["todayMicroUsd"] == result["costMicroUsd"] and status["todayCalls"] == 1
    assert status["byModel"][0]["model"] == "gpt-4o-mini"
    assert await sidecar.request(protocol.BUDGET_STATUS, {}) == status
    assert ledger(user_env) == [("gpt-4o-mini", "ok", tokens_in, tokens_out, result["costMicroUsd"], None)]

    sent = fake.requests[-1]
    assert sent["headers"]["authorization"] == f"Bearer {KEY}"
    assert sent["body"]["stream"] is True and sent["body"]["stream_options"] == {"include_usage": True}


async def test_cancel_stops_the_stream_and_settles_what_was_used(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    fake.set_scenario("*", Scenario(tokens_per_second=20))
    sidecar = await start_sidecar()
    task = asyncio.ensure_future(
        sidecar.client.protocol.send_request_async(
            protocol.ASK, {"requestId": "c1", "prompt": "long"}, msg_id="ask-1"
        )
    )
    await sidecar.wait_for(protocol.STREAM, count=3)
    sidecar.client.cancel_request(types.CancelParams(id="ask-1"))
    with pytest.raises(JsonRpcException) as info:
        await asyncio.wait_for(task, 10)
    assert info.value.code == -32800
    await sidecar.wait_for(protocol.BUDGET_CHANGED)
    [(_model, status, tokens_in, tokens_out, cost, _)] = ledger(user_env)
    assert status == "cancelled" and tokens_in > 0 and 3 <= tokens_out < 20 and cost > 0
    # the server still answers
    assert (await sidecar.request(protocol.BUDGET_STATUS, {}))["todayCalls"] == 1


@pytest.mark.parametrize(
    ("fail", "kind", "says"),
    [
        ("rate_limit", "rate_limited", "Retry in 1 s"),
        ("server_error", "provider_unavailable", "Retry shortly"),
        ("cut", "stream_interrupted", "broke off the answer"),
        ("malformed", "malformed_response", "cannot read"),
        ("not_found", "model_not_found", "does not know model"),
    ],
)
async def test_provider_failures_are_json_rpc_errors_that_say_what_to_do(
    start_sidecar: SidecarFactory,
    fake: FakeProvider,
    user_env: Path,
    fail: str,
    kind: str,
    says: str,
) -> None:
    fake.set_scenario("*", Scenario(fail=fail, retry_after_s=1))  # type: ignore[arg-type]
    sidecar = await start_sidecar()
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ASK, {"requestId": "e", "prompt": "hi"})
    assert info.value.code == -32010 and says in info.value.message
    assert info.value.data["kind"] == kind and info.value.data["provider"] == "openai"
    [row] = ledger(user_env)
    assert row[1] == "error" and row[5] == kind
    fake.reset()
    if kind == "rate_limited":  # the provider asked for a pause: its circuit stays open that long
        await asyncio.sleep(1.1)
    result = await sidecar.request(protocol.ASK, {"requestId": "ok", "prompt": "again"})
    assert result["text"]


async def test_a_wrong_key_is_never_echoed(start_sidecar: SidecarFactory, user_env: Path) -> None:
    wrong = "wrong-key-abcdef123456"
    sidecar = await start_sidecar(key=wrong)
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ASK, {"requestId": "k", "prompt": "hi"})
    assert info.value.data["kind"] == "auth" and "Set API Key" in info.value.message
    assert wrong not in str(info.value.message) + str(info.value.data)
    assert wrong not in (user_env / "smart-router.db").read_bytes().decode(errors="replace")


@pytest.mark.parametrize(
    ("params", "code", "kind", "says"),
    [
        ({"requestId": "x", "prompt": "   "}, -32002, "bad_input", "prompt is empty"),
        ({"requestId": "x"}, -32002, "bad_input", "prompt"),
        (
            {"requestId": "x", "prompt": "hi", "model": "gpt-9"},
            -32001,
            "unknown_model",
            "Unknown model",
        ),
        ({"requestId": "x", "prompt": "word " * 300}, -32003, "context_too_long", "Shorten it"),
    ],
)
async def test_bad_input_gets_a_clear_error_and_no_ledger_row(
    start_sidecar: SidecarFactory,
    user_env: Path,
    params: dict[str, str],
    code: int,
    kind: str,
    says: str,
) -> None:
    tiny = {
        "id": "tiny",
        "provider": "openai",
        "inputUsdPerMtok": 1,
        "outputUsdPerMtok": 1,
        "contextWindow": 200,
    }
    sidecar = await start_sidecar({"models": [tiny], "defaultModel": "tiny"})
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ASK, params)
    assert (info.value.code, info.value.data["kind"]) == (code, kind)
    assert says in info.value.message
    assert not (user_env / "smart-router.db").exists() or ledger(user_env) == []


async def test_without_a_key_the_error_says_how_to_set_one(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar(key=None)
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ASK, {"requestId": "n", "prompt": "hi"})
    assert info.value.data["kind"] == "no_api_key" and "Set API Key" in info.value.message


async def test_an_unreachable_provider_names_the_setting(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar({"providers": {"openai": {"baseUrl": "http://127.0.0.1:9/v1"}}})
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.ASK, {"requestId": "u", "prompt": "hi"})
    assert info.value.data["kind"] == "connection"
    assert "smartRouter.providers.openai.baseUrl" in info.value.message
