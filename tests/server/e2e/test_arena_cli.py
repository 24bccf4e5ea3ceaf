"""`smart-router arena --replay` and `smart-router leaderboard` as a terminal user runs them: no keys."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from smart_router.arena.votes import VoteStore
from smart_router.store import open_database

PROMPT = "Why does `for i in range(len(xs) + 1): print(xs[i])` raise IndexError?"
BATTLE = {
    "prompt": PROMPT,
    "answers": {
        "gpt-4o-mini": "range(len(xs) + 1) goes one past the end: xs[len(xs)] raises IndexError. "
        "Use range(len(xs)).",
        "my-own-model": "Off by one: range(len(xs) + 1) includes len(xs), past the end of xs. Drop the + 1.",
        "other-model": "Wrap the dictionary lookup in try/except KeyError and use dict.get instead.",
        "broken": None,
    },
    "intent": "debugging",
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
    return subprocess.run(
        [sys.executable, "-m", "smart_router.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_replay_picks_the_consensus_and_reports_bad_lines_by_number(tmp_path: Path) -> None:
    lines = [json.dumps(BATTLE), "{not json", "", json.dumps({"prompt": "hi", "answers": ["a"]})]
    replay = tmp_path / "battles.jsonl"
    replay.write_text("\n".join(lines) + "\n")
    done = run("arena", "--replay", str(replay), "--json", "--lexical")
    assert done.returncode == 1 and "2 of 3 lines could not be read" in done.stderr
    first, bad_json, bad_answers = (json.loads(line) for line in done.stdout.splitlines())
    assert first["pick"] in {"gpt-4o-mini", "my-own-model"} and set(first) == {"pick", "scores"}
    assert set(first["scores"]) == set(BATTLE["answers"])  # type: ignore[arg-type]
    assert first["scores"]["broken"] == 0.0 < first["scores"]["other-model"] < first["scores"][first["pick"]]
    assert bad_json["line"] == 2 and bad_json["error"].startswith("not JSON")
    assert bad_answers == {
        "line": 4,
        "error": '"answers" must be an object of model name to answer text, not empty',
    }
    assert "Traceback" not in done.stderr


def test_replay_reads_standard_input_and_explains_in_text(tmp_path: Path) -> None:
    done = run("arena", "--replay", "-", "--lexical", stdin=json.dumps(BATTLE) + "\n")
    assert done.returncode == 0, done.stderr
    head, scores = done.stdout.splitlines()
    assert head.startswith("line 1 [debugging, lexical] pick ") and "other-model disagrees" in head
    assert "broken 0.00" in scores
    missing = run("arena", "--replay", str(tmp_path / "nope.jsonl"), "--lexical")
    assert missing.returncode == 1 and "Cannot read the replay file" in missing.stderr


async def _vote(db_path: str) -> None:
    db = await open_database(db_path)
    store = VoteStore(db)
    for k in range(12):
        battle = await store.record_battle(["glm-4.6", "gpt-5"], prompt=f"p{k}", intent="debugging")
        await store.vote(battle.id, "left" if k % 4 else "right")  # glm-4.6 wins 9 of 12
    battle = await store.record_battle(["gpt-5", "glm-4.6", "qwen-max"], prompt="q", intent="writing")
    await store.vote(battle.id, "pick", "qwen-max")
    await db.close()


def test_leaderboard_json_overall_and_per_intent() -> None:
    empty = run("leaderboard", "--json")
    assert empty.returncode == 0 and json.loads(empty.stdout) == {"intent": None, "battles": 0, "models": []}
    asyncio.run(_vote(os.environ["SMART_ROUTER_DB"]))

    board = json.loads(run("leaderboard", "--json").stdout)
    assert board["battles"] == 13 and [m["model"] for m in board["models"]][-1] == "gpt-5"
    debugging = json.loads(run("leaderboard", "--intent", "debugging", "--json").stdout)
    assert debugging["intent"] == "debugging" and debugging["battles"] == 12
    glm, gpt = debugging["models"]
    assert glm["model"] == "glm-4.6" and glm["rating"] > 1000 > gpt["rating"]
    assert (glm["wins"], glm["losses"], glm["battles"]) == (9, 3, 12)
    assert glm["ci_low"] <= glm["rating"] <= glm["ci_high"] and glm["rank"] == 1

    text = run("leaderboard", "--intent", "writing")
    assert text.returncode == 0 and "1 voted battles" in text.stdout and "qwen-max" in text.stdout
    bad = run("leaderboard", "--intent", "poetry")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
