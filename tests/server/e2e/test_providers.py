"""One streamed ask per provider kind, and every error class per provider, through the real sidecar
against the fake provider speaking each provider's own wire format."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pygls.exceptions import JsonRpcException

from fakes.provider import FakeProvider
from fakes.scenario import Scenario
from smart_router import protocol
from smart_router.catalog import load_catalog
from smart_router.config import DEFAULT_SYSTEM_PROMPT, Settings
from support.sidecar import SidecarFactory

KEY = "sk-test-providers-0123456789"
CATALOG = load_catalog(Settings())


@dataclass(frozen=True)
class Case:
    provider: str
    model: str
    """Catalog id asked for."""
    path: str
    """Where the request must land on the fake."""
    auth_header: str
    auth_value: str


CASES = [
    Case("openai", "gpt-4o-mini", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case("anthropic", "claude-haiku-4-5", "/v1/messages", "x-api-key", KEY),
    Case(
        "gemini",
        "gemini-2.5-flash",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        "x-goog-api-key",
        KEY,
    ),
    Case("ollama", "ollama/llama3.2:3b", "/api/chat", "", ""),
    Case(
        "azure", "azure/gpt-4o-mini", "/openai/deployments/team-gpt4o-mini/chat/completions", "api-key", KEY
    ),
    Case("deepseek", "deepseek-v4-flash", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case("zai", "glm-4.5-air", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case("dashscope", "qwen-turbo", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case("minimax", "minimax-m2", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case("moonshot", "kimi-k2.6", "/v1/chat/completions", "authorization", f"Bearer {KEY}"),
    Case(
        "openrouter",
        "openrouter/anthropic/claude-haiku-4.5",
        "/v1/chat/completions",
        "authorization",
        f"Bearer {KEY}",
    ),
]


def settings_for(fake: FakeProvider) -> dict[str, Any]:
    """Every provider pointed at the fake, plus an Azure deployment."""
    openai_style = ("openai", "deepseek", "zai", "dashscope", "minimax", "moonshot", "openrouter")
    providers: dict[str, Any] = {p: {"baseUrl": fake.base_url} for p in openai_style}
    providers["anthropic"] = {"baseUrl": fake.anthropic_base_url}
    providers["gemini"] = {"baseUrl": fake.gemini_base_url}
    providers["ollama"] = {"baseUrl": fake.ollama_base_url}
    providers["azure"] = {"baseUrl": fake.azure_endpoint, "enabled": True}
    azure_model = {
        "id": "azure/gpt-4o-mini",
        "provider": "azure",
        "apiName": "team-gpt4o-mini",
        "inputUsdPerMtok": 0.165,
        "outputUsdPerMtok": 0.66,
        "contextWindow": 128000,
        "family": "openai",
    }
    return {"providers": providers, "models": [azure_model], "defaultModel": ""}


def env_keys() -> dict[str, str]:
    names = {spec.api_key_env for spec in CATALOG.providers.values() if spec.api_key_env}
    return {name: KEY for name in names} | {"AZURE_OPENAI_API_KEY": KEY}


@pytest.fixture
async def sidecar(start_sidecar: SidecarFactory, fake: FakeProvider) -> Any:
    return await start_sidecar(settings_for(fake), env=env_keys(), key=None)


def price(model_id: str, settings: dict[str, Any]) -> tuple[Decimal, Decimal]:
    for m in settings["models"]:
        if m["id"] == model_id:
            return Decimal(str(m["inputUsdPerMtok"])), Decimal(str(m["outputUsdPerMtok"]))
    if model_id.startswith("ollama/"):
        return Decimal(0), Decimal(0)
    spec = CATALOG.model(model_id)
    return spec.input_usd_per_mtok, spec.output_usd_per_mtok


@pytest.mark.parametrize("case", CASES, ids=[c.provider for c in CASES])
async def test_a_streamed_ask_per_provider(case: Case, sidecar: Any, fake: FakeProvider) -> None:
    result = await sidecar.request(
        protocol.ASK, {"requestId": case.provider, "prompt": "Explain closures", "model": case.model}
    )
    assert result["model"] == case.model and result["provider"] == case.provider
    assert result["text"].startswith("Answer to: Explain closures")
    deltas = [d["delta"] for d in sidecar.received[protocol.STREAM] if d["requestId"] == case.provider]
    assert len(deltas) > 3 and "".join(deltas) == result["text"]
    assert result["inputTokens"] > 0 and result["outputTokens"] > 0 and not result["usageEstimated"]
    p_in, p_out = price(case.model, settings_for(fake))
    expected = result["inputTokens"] * p_in + result["outputTokens"] * p_out
    assert abs(result["costMicroUsd"] - expected) <= 1

    [sent] = [r for r in fake.requests if r["path"].startswith(case.path)]
    assert_translated(case.provider, sent["body"])
    if case.auth_header:
        assert sent["headers"][case.auth_header] == case.auth_value
    else:
        assert "authorization" not in sent["headers"]
    assert KEY not in str(sent["body"])


def assert_translated(provider: str, body: dict[str, Any]) -> None:
    """The system prompt and the output cap where this provider's wire format wants them."""
    system = DEFAULT_SYSTEM_PROMPT
    if provider == "anthropic":
        placed = body["system"] if isinstance(body["system"], str) else body["system"][0]["text"]
        assert placed == system and [m["role"] for m in body["messages"]] == ["user"]
        assert body["max_tokens"] == 1024 and body["stream"] is True
    elif provider == "gemini":
        assert body["systemInstruction"]["parts"][0]["text"] == system
        assert [c["role"] for c in body["contents"]] == ["user"]
        assert body["generationConfig"]["maxOutputTokens"] == 1024
    elif provider == "ollama":
        assert body["messages"][0] == {"role": "system", "content": system}
        assert body["options"]["num_predict"] == 1024 and body["stream"] is True
    else:
        assert body["messages"][0] == {"role": "system", "content": system}
        assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
        assert (body.get("max_tokens") or body.get("max_completion_tokens")) == 1024


async def test_a_reasoning_model_gets_its_own_parameter_names(sidecar: Any, fake: FakeProvider) -> None:
    await sidecar.request(protocol.ASK, {"requestId": "r", "prompt": "Prove it", "model": "gpt-5-mini"})
    body = fake.requests[-1]["body"]
    assert body["max_completion_tokens"] == 1024 and "max_tokens" not in body
    assert "temperature" not in body


# fake failure mode -> the kind every provider's answer must map to
FAILURES = {
    "auth": "auth",
    "rate_limit": "rate_limited",
    "server_error": "provider_unavailable",
    "overloaded": "overloaded",
    "not_found": "model_not_found",
    "context_length": "context_too_long",
    "cut": "stream_interrupted",
    "malformed": "malformed_response",
    "stream_error": None,  # the provider's own in-stream error: overloaded or a provider error
}
NO_AUTH = {"ollama"}


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.provider in {"openai", "anthropic", "gemini", "ollama", "azure"}],
    ids=lambda c: c.provider,
)
async def test_every_error_class_per_provider(
    case: Case, sidecar: Any, fake: FakeProvider, user_env: Path
) -> None:
    api_name = (
        "team-gpt4o-mini"
        if case.provider == "azure"
        else (CATALOG.model(case.model).api_name if not case.model.startswith("ollama/") else "llama3.2:3b")
    )
    for fail, kind in FAILURES.items():
        if fail == "auth" and case.provider in NO_AUTH:
            continue
        fake.set_scenario(api_name, Scenario(fail=fail, cut_after_tokens=3))  # type: ignore[arg-type]
        with pytest.raises(JsonRpcException) as info:
            await sidecar.request(protocol.ASK, {"requestId": f"{fail}", "prompt": "hi", "model": case.model})
        err = info.value
        assert err.code == -32010, (fail, err.message)
        if kind is not None:
            assert err.data["kind"] == kind, (case.provider, fail, err.data, err.message)
        assert err.data["provider"] == case.provider
        assert KEY not in err.message and len(err.message) > 30
    fake.reset()
    ok = await sidecar.request(protocol.ASK, {"requestId": "after", "prompt": "hi", "model": case.model})
    assert ok["text"]
