"""The `smart-router` command as a terminal user runs it, against the fake provider."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fakes.provider import FakeProvider
from fakes.scenario import Scenario

KEY = "sk-test-cli-0123456789"


def run(
    user_env: Path, *args: str, key: str | None = KEY, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    if key:
        env["OPENAI_API_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "smart_router.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def configure(user_env: Path, fake: FakeProvider) -> None:
    (user_env / "settings.json").write_text(
        json.dumps(
            {
                "smartRouter.providers": {"openai": {"baseUrl": fake.base_url}},
                # the cheapest model good enough for these easy prompts: gpt-4o-mini
                "smartRouter.routingPreference": "cost",
            }
        )
    )


def test_ask_streams_and_ends_with_model_tokens_cost_and_time(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    done = run(user_env, "ask", "Explain closures")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Answer to: Explain closures")
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("-- gpt-4o-mini") and "out tokens" in last and "$0.0000" in last
    assert "first token" in last and "total" in last

    status = json.loads(run(user_env, "budget", "status", "--json").stdout)
    assert status["today_calls"] == 1 and status["by_model"][0]["model"] == "gpt-4o-mini"


def test_route_and_models_call_no_provider(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    decision = json.loads(run(user_env, "route", "hello", "--json").stdout)
    assert decision["model"] == "gpt-4o-mini" and decision["estimated_cost_usd"] > 0
    models = json.loads(run(user_env, "models", "--json").stdout)
    mini = next(m for m in models if m["id"] == "gpt-4o-mini")
    assert mini["input_usd_per_mtok"] == 0.15 and mini["key_available"] and mini["price_source"]
    assert mini["circuit"] == "closed" and mini["latency_ms"] is None and mini["calls"] == 0
    table = run(user_env, "models").stdout.splitlines()
    assert "circuit" in table[0] and "latency" in table[0] and "errors" in table[0]
    status = json.loads(run(user_env, "status", "--json").stdout)
    openai = next(p for p in status["providers"] if p["id"] == "openai")
    assert openai["keyAvailable"] and openai["circuit"] == "closed" and status["routingPreference"] == "cost"
    assert status["embeddings"]["state"] and status["rules"] == []
    assert "routing: cost; rules: none" in run(user_env, "status").stdout
    assert fake.requests == []


def test_with_nothing_configured_both_say_what_to_configure(user_env: Path) -> None:
    for command in ("ask", "route"):
        done = run(user_env, command, "hello", key=None)
        assert done.returncode == 1
        assert "Set API Key" in done.stderr and "OPENAI_API_KEY" in done.stderr
        assert "Traceback" not in done.stderr


def test_provider_errors_and_bad_input_are_one_clear_line(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    fake.set_scenario("*", Scenario(fail="server_error"))
    done = run(user_env, "ask", "hi")
    assert done.returncode == 1 and "OpenAI (500) failed on its side" in done.stderr
    assert "Traceback" not in done.stderr
    done = run(user_env, "ask", "   ")
    assert done.returncode == 1 and "prompt is empty" in done.stderr
    (user_env / "settings.json").write_text("{oops")
    done = run(user_env, "route", "hi")
    assert done.returncode == 1 and "Fix the JSON" in done.stderr


def test_keys_set_reads_stdin_and_never_prints_the_key(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    stored = "sk-test-from-stdin-987"
    done = run(user_env, "keys", "set", "openai", key=None, stdin=stored + "\n")
    assert done.returncode == 0 and "stored in the OS keyring" in done.stdout
    assert stored not in done.stdout + done.stderr
    assert run(user_env, "ask", "hi", key=None).returncode == 0
    assert fake.requests[-1]["headers"]["authorization"] == f"Bearer {stored}"
