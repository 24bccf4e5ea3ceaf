"""`smart-router route --batch`: one JSON decision per line, without any provider key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HARD = (
    "Prove that for every integer n >= 1 the sum 1 + 3 + ... + (2n - 1) equals n^2. "
    "Show each step of the induction precisely."
)
EASY = "Hi! Thanks for the help yesterday."


def run_batch(user_env: Path, lines: list[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    """Runs the batch with no provider key in the environment; returns (exit code, rows, stderr)."""
    batch = user_env / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    env["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    done = subprocess.run(
        [sys.executable, "-m", "smart_router.cli", "route", "--batch", str(batch), "--json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, rows, done.stderr


def test_each_line_gets_a_decision_and_a_bad_line_an_error_naming_it(user_env: Path) -> None:
    code, rows, stderr = run_batch(
        user_env,
        [
            json.dumps({"prompt": EASY}),
            "{not json",
            "",
            json.dumps({"prompt": "Write a Python function that parses ISO dates", "id": "q3"}),
            json.dumps({"text": "no prompt field"}),
        ],
        "--no-embeddings",
    )
    assert code == 1 and "2 of 4 lines failed" in stderr and "Traceback" not in stderr
    assert [r["line"] for r in rows] == [1, 2, 4, 5]
    assert rows[1] == {"line": 2, "error": rows[1]["error"]} and rows[1]["error"].startswith(
        "line 2: not JSON"
    )
    assert rows[3]["error"] == 'line 5: "prompt" must be a non-empty string'
    for row in (rows[0], rows[2]):
        assert set(row) >= {
            "intent", "intent_confidence", "complexity", "model", "fallbacks", "estimated_cost_usd",
            "decision_ms",
        }  # fmt: skip
        assert "p_strong" not in row and len(row["fallbacks"]) > 5 and row["estimated_cost_usd"] >= 0
        assert 0 <= row["complexity"] <= 1 and 0 <= row["intent_confidence"] <= 1 and row["decision_ms"] > 0
    assert rows[2]["id"] == "q3" and rows[2]["intent"] == "code_generation"


def test_two_models_give_p_strong_and_the_model_at_the_threshold(user_env: Path) -> None:
    code, rows, stderr = run_batch(
        user_env,
        [json.dumps({"prompt": HARD}), json.dumps({"prompt": EASY})],
        "--models",
        "gpt-5,gpt-4o-mini",
        "--no-embeddings",
    )
    assert code == 0, stderr
    hard, easy = rows
    assert hard["p_strong"] > hard["threshold"] > easy["p_strong"]
    assert (hard["model"], hard["fallbacks"]) == ("gpt-5", ["gpt-4o-mini"])
    assert (easy["model"], easy["fallbacks"]) == ("gpt-4o-mini", ["gpt-5"])
    assert hard["estimated_cost_usd"] > easy["estimated_cost_usd"]


def test_a_follow_up_is_routed_with_its_history(user_env: Path) -> None:
    follow_up = {"prompt": "Now do the same for the even numbers.", "history": [HARD]}
    code, rows, _ = run_batch(
        user_env,
        [json.dumps(follow_up), json.dumps({"prompt": follow_up["prompt"]})],
        "--models",
        "gpt-5,gpt-4o-mini",
        "--no-embeddings",
    )
    assert code == 0
    assert rows[0]["p_strong"] > rows[1]["p_strong"]


def test_an_unknown_model_is_named_with_close_matches(user_env: Path) -> None:
    code, rows, stderr = run_batch(user_env, [json.dumps({"prompt": EASY})], "--models", "gpt5,gpt-4o-mini")
    assert code == 1 and rows == []
    assert (
        "Unknown model 'gpt5' in --models. Did you mean: gpt-5" in stderr and "smart-router models" in stderr
    )
    assert "Traceback" not in stderr


def test_a_missing_batch_file_says_so(user_env: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    done = subprocess.run(
        [sys.executable, "-m", "smart_router.cli", "route", "--batch", str(user_env / "nope.jsonl")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (
        done.returncode == 1
        and "Cannot read the batch file" in done.stderr
        and "Traceback" not in done.stderr
    )
