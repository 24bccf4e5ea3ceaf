"""Keys through smartRouter/setApiKey, settings changes, and the other read-only requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from smart_router import protocol
from support.sidecar import SidecarFactory

STORED = "sk-test-stored-in-keyring-42"


async def test_a_key_set_through_the_server_is_used_and_stays_out_of_files(
    start_sidecar: SidecarFactory, fake: FakeProvider, user_env: Path
) -> None:
    sidecar = await start_sidecar(key=None)
    answer = await sidecar.request(protocol.SET_API_KEY, {"provider": "openai", "apiKey": STORED})
    assert answer == {"provider": "openai", "backend": "keyrings.alt.file.PlaintextKeyring"}
    models = (await sidecar.request(protocol.MODELS, {}))["models"]
    assert {m["id"] for m in models if m["keyAvailable"]} >= {"gpt-4o-mini", "gpt-4.1"}

    await sidecar.request(protocol.ASK, {"requestId": "k", "prompt": "hi"})
    assert fake.requests[-1]["headers"]["authorization"] == f"Bearer {STORED}"
    assert STORED.encode() not in (user_env / "smart-router.db").read_bytes()


async def test_set_api_key_refuses_bad_input_without_echoing_it(
    start_sidecar: SidecarFactory,
) -> None:
    sidecar = await start_sidecar()
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.SET_API_KEY, {"provider": "openai", "apiKey": "sk-a b"})
    assert "spaces" in info.value.message and "sk-a b" not in info.value.message
    with pytest.raises(JsonRpcException) as info:
        await sidecar.request(protocol.SET_API_KEY, {"provider": "nope", "apiKey": "sk-secret-1"})
    assert info.value.data["kind"] == "unknown_provider" and "sk-secret-1" not in info.value.message


async def test_route_decides_without_calling_the_provider(
    start_sidecar: SidecarFactory, fake: FakeProvider
) -> None:
    sidecar = await start_sidecar({"defaultModel": "", "routingPreference": "cost"})
    decision = await sidecar.request(protocol.ROUTE, {"prompt": "hi, what does ls do?"})
    assert decision["model"] == "gpt-4o-mini" and decision["intent"] == "general"
    assert decision["reason"].startswith("gpt-4o-mini: general") and "(cost)" in decision["reason"]
    assert 0 < decision["estimatedCostUsd"] <= decision["maxCostUsd"]
    assert "gpt-4.1-mini" in decision["fallbacks"] and "gpt-4.1-nano" not in decision["fallbacks"]  # retired
    assert fake.requests == []


async def test_route_classifies_uses_the_editor_context_and_explains(start_sidecar: SidecarFactory) -> None:
    rules = [
        {"name": "secrets stay local", "when": {"fileGlob": "**/secrets/**"}, "then": {"localOnly": True}}
    ]
    sidecar = await start_sidecar({"defaultModel": "", "rules": rules})
    context = {
        "languageId": "python",
        "filePath": "/w/app/db.py",
        "selection": "def get(d, k):\n    return d[k]\n",
        "diagnostics": ["KeyError: 'user' raised at line 2"],
        "workspace": "/w",
    }
    d = await sidecar.request(protocol.ROUTE, {"prompt": "why does this crash?", "context": context})
    assert d["intent"] == "debugging" and 0 < d["intentConfidence"] <= 1 and 0 <= d["complexity"] <= 1
    assert d["explanation"].startswith("Debugging (") and f"Chose {d['model']}" in d["explanation"]
    assert d["runnerUp"] in d["fallbacks"] and f"Runner-up: {d['runnerUp']}" in d["explanation"]
    assert d["savingsUsd"] > 0 and "against the strongest candidate" in d["explanation"]
    plain = await sidecar.request(protocol.ROUTE, {"prompt": "why does this crash?"})
    assert d["inputTokens"] > plain["inputTokens"] + 15  # the selection and diagnostics count
    preset = await sidecar.request(
        protocol.ROUTE, {"prompt": "go", "context": context, "intent": "test_generation"}
    )
    assert preset["intent"] == "test_generation" and preset["intentConfidence"] == 1
    with pytest.raises(JsonRpcException) as info:  # no local model: the secret never leaves
        await sidecar.request(
            protocol.ROUTE, {"prompt": "explain", "context": {**context, "filePath": "/w/secrets/key.py"}}
        )
    assert "Rule 'secrets stay local' keeps this request on this machine" in str(info.value)


async def test_changed_settings_apply_at_once_and_bad_ones_are_reported(
    start_sidecar: SidecarFactory,
) -> None:
    sidecar = await start_sidecar()
    sidecar.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"smartRouter": {"defaultModel": "gpt-4.1"}})
    )
    decision = await sidecar.request(protocol.ROUTE, {"prompt": "hi"})
    assert decision["model"] == "gpt-4.1"

    sidecar.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"smartRouter": {"maxOutputTokens": "lots"}})
    )
    message = await sidecar.client.wait_for_notification("window/showMessage")
    assert "smartRouter.maxOutputTokens" in message.message
    assert (await sidecar.request(protocol.ROUTE, {"prompt": "hi"}))["model"] == "gpt-4.1"
