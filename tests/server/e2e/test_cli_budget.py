"""`smart-router budget set|clear|status` and `smart-router usage` as a terminal user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from test_cli import run

from fakes.provider import FakeProvider


def test_budget_set_and_clear_edit_the_settings_file_keeping_other_keys(user_env: Path) -> None:
    path = user_env / "settings.json"
    path.write_text(json.dumps({"smartRouter.defaultModel": "gpt-4o-mini", "other.tool": {"x": 1}}))
    done = run(user_env, "budget", "set", "daily", "5")
    assert done.returncode == 0, done.stderr
    assert "daily budget set to $5 (hard)" in done.stdout
    assert run(user_env, "budget", "set", "monthly", "0.25", "--soft").returncode == 0
    assert run(user_env, "budget", "set", "daily", "1.5", "--workspace", "my-app").returncode == 0
    saved = json.loads(path.read_text())
    assert saved["smartRouter.defaultModel"] == "gpt-4o-mini" and saved["other.tool"] == {"x": 1}
    assert saved["smartRouter.budgets"] == {
        "daily": {"usd": 5, "mode": "hard"},
        "monthly": {"usd": 0.25, "mode": "soft"},
        "workspaces": {"my-app": {"daily": {"usd": 1.5, "mode": "hard"}}},
    }
    assert run(user_env, "budget", "clear", "daily", "--workspace", "my-app").returncode == 0
    assert run(user_env, "budget", "clear", "monthly").returncode == 0
    assert json.loads(path.read_text())["smartRouter.budgets"] == {
        "daily": {"usd": 5, "mode": "hard"},
        "workspaces": {},
    }


def test_budget_set_refuses_bad_input_with_advice(user_env: Path) -> None:
    for args, says in (
        (("budget", "set", "daily", "five"), "not an amount in USD"),
        (("budget", "set", "daily", "-1"), "0 or more"),
        (("budget", "set", "per-request", "1", "--workspace", "w"), "drop --workspace"),
        (("budget", "set", "daily"), "give the limit in USD"),
    ):
        done = run(user_env, *args)
        assert done.returncode in (1, 2) and says in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    (user_env / "settings.json").write_text("{not json")
    done = run(user_env, "budget", "set", "daily", "1")
    assert done.returncode == 1 and "Fix the JSON" in done.stderr


def test_budget_status_and_usage_after_asks(user_env: Path, fake: FakeProvider) -> None:
    (user_env / "settings.json").write_text(
        json.dumps(
            {
                "smartRouter.providers": {"openai": {"baseUrl": fake.base_url}},
                "smartRouter.defaultModel": "gpt-4o-mini",
                "smartRouter.budgets": {"daily": {"usd": 1}, "timeZone": "America/Sao_Paulo"},
            }
        )
    )
    for prompt in ("Explain closures", "Write a test"):
        assert run(user_env, "ask", prompt).returncode == 0
    status = json.loads(run(user_env, "budget", "status", "--json").stdout)
    [daily] = status["budgets"]
    assert daily["name"] == "daily" and daily["limit_usd"] == 1 and daily["reserved_usd"] == 0
    assert daily["spent_usd"] == status["today_usd"] > 0 and daily["resets_at"].endswith("-03:00")
    assert status["time_zone"] == "America/Sao_Paulo" and status["forecast"]["day_usd"] >= status["today_usd"]
    text = run(user_env, "budget", "status").stdout
    assert "time zone America/Sao_Paulo" in text and "forecast:" in text and "daily" in text

    report = json.loads(run(user_env, "usage", "--by", "day", "--json").stdout)
    assert report["calls"] == 2 and [g["key"] for g in report["groups"]] == [status["day"]]
    assert report["total_micro_usd"] == status["today_micro_usd"]
    assert report["days"] == [{"day": status["day"], "by_model": {"gpt-4o-mini": report["total_usd"]}}]
    rows = list(csv.reader(io.StringIO(run(user_env, "usage", "--csv").stdout)))
    assert rows[0] == ["model", "cost_usd", "cost_micro_usd", "calls", "input_tokens", "output_tokens"]
    assert rows[1][0] == "gpt-4o-mini" and int(rows[1][2]) == status["today_micro_usd"] and rows[1][3] == "2"
    empty = json.loads(
        run(user_env, "usage", "--since", "2020-01-01", "--until", "2020-01-31", "--json").stdout
    )
    assert empty["calls"] == 0 and empty["groups"] == []
    bad = run(user_env, "usage", "--since", "yesterday")
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
