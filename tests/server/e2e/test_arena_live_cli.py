"""`smart-router arena "prompt"`: a live battle from the terminal, against the fake provider."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fakes.provider import FakeProvider
from fakes.scenario import Scenario

KEY = "sk-test-cli-0123456789"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env.update(OPENAI_API_KEY=KEY, ANTHROPIC_API_KEY=KEY)
    return subprocess.run(
        [sys.executable, "-m", "smart_router.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_live_battle_prints_every_answer_and_the_pick(user_env: Path, fake: FakeProvider) -> None:
    (user_env / "settings.json").write_text(
        json.dumps(
            {
                "smartRouter.providers": {
                    "openai": {"baseUrl": fake.base_url},
                    "anthropic": {"baseUrl": fake.anthropic_base_url},
                    "ollama": {"enabled": False},
                },
                "smartRouter.embeddingModel": "off",
            }
        )
    )
    fake.set_scenario("gpt-4.1-mini", Scenario(fail="auth"))
    models = "gpt-4o-mini,gpt-4.1-mini,claude-haiku-4-5"
    done = run("arena", "Explain closures", "--models", models, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [c["model"] for c in result["contestants"]] == models.split(",")
    statuses = [c["status"] for c in result["contestants"]]
    assert statuses == ["ok", "error", "ok"] and result["contestants"][1]["error"]["kind"] == "auth"
    assert result["pick"]["model"] in {"gpt-4o-mini", "claude-haiku-4-5"}
    assert set(result["pick"]["scores"]) == set(models.split(","))
    assert "[arena Custom" in done.stderr and "[gpt-4.1-mini:" in done.stderr

    text = run("arena", "Explain closures", "--models", "gpt-4o-mini,claude-haiku-4-5")
    assert text.returncode == 0, text.stderr
    assert "== gpt-4o-mini (openai) · ok" in text.stdout and "pick: " in text.stdout
    assert text.stdout.count("Answer to: Explain closures") == 2

    usage = run("arena")
    assert usage.returncode == 2 and "give a prompt" in usage.stderr
    both = run("arena", "hi", "--replay", "-")
    assert both.returncode == 2 and "--replay reads its battles from the file" in both.stderr


def test_a_live_battle_prints_the_judges_merged_answer(user_env: Path, fake: FakeProvider) -> None:
    (user_env / "settings.json").write_text(
        json.dumps(
            {
                "smartRouter.providers": {"openai": {"baseUrl": fake.base_url}, "ollama": {"enabled": False}},
                "smartRouter.embeddingModel": "off",
                "smartRouter.arenaJudge": "gpt-4.1",
            }
        )
    )
    fake.set_scenario("gpt-4.1", Scenario(reply="The merged answer: closures keep their scope."))
    models = "gpt-4o-mini,gpt-4.1-mini"
    text = run("arena", "Explain closures", "--models", models)
    assert text.returncode == 0, text.stderr
    out = text.stdout
    merged_at = out.index("== merged by gpt-4.1 (openai) from ")
    assert out.index("pick: ") < merged_at < out.index("The merged answer")
    assert "[gpt-4.1 is merging the answers of " in text.stderr

    done = run("arena", "Explain closures", "--models", models, "--json")
    result = json.loads(done.stdout)
    merged = result["merged"]
    assert merged["model"] == "gpt-4.1" and merged["status"] == "ok" and merged["cost_micro_usd"] > 0
    assert merged["text"] == "The merged answer: closures keep their scope."
    assert sorted(merged["sources"]) == sorted(models.split(",")) and result["merge_skipped"] is None
    assert result["total_cost_micro_usd"] == merged["cost_micro_usd"] + sum(
        c["cost_micro_usd"] for c in result["contestants"]
    )
