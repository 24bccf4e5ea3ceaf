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
    sidecar = await start_sidecar({"defaultModel": ""})
    decision = await sidecar.request(protocol.ROUTE, {"prompt": "Explain this function"})
    assert decision["model"] == "gpt-4o-mini" and "cheapest" in decision["reason"]
    assert 0 < decision["estimatedCostUsd"] <= decision["maxCostUsd"]
    assert "gpt-4.1-mini" in decision["fallbacks"] and "gpt-4.1-nano" not in decision["fallbacks"]
    assert fake.requests == []


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
