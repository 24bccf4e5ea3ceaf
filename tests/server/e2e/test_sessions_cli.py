"""`smart-router ask --continue | --conversation ID | --no-cache` and `smart-router conversations`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_cli import configure, run

from fakes.provider import FakeProvider


def user_turns(fake: FakeProvider) -> list[list[str]]:
    return [
        [m["content"] for m in r["body"]["messages"] if m["role"] != "system"]
        for r in fake.requests
        if isinstance(r["body"], dict) and "messages" in r["body"]
    ]


def conversations(user_env: Path) -> list[dict[str, Any]]:
    done = run(user_env, "conversations", "--json")
    assert done.returncode == 0, done.stderr
    listed: list[dict[str, Any]] = json.loads(done.stdout)["conversations"]
    return listed


def test_ask_continues_the_latest_conversation_and_lists_it(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    assert run(user_env, "ask", "--continue", "hi").returncode == 1  # nothing to continue yet

    first = run(user_env, "ask", "Explain closures")
    assert first.returncode == 0, first.stderr
    [summary] = conversations(user_env)
    cid = summary["id"]
    assert f"[conversation {cid}; no context]" in first.stderr
    assert first.stderr.strip().splitlines()[-1].endswith(f"· conversation {cid}")

    again = run(user_env, "ask", "--continue", "And in Python?")
    assert again.returncode == 0, again.stderr
    assert f"[conversation {cid}, 2 earlier messages;" in again.stderr
    assert user_turns(fake)[-1] == ["Explain closures", first.stdout, "And in Python?"]
    [summary] = conversations(user_env)
    assert summary["messages"] == 4 and summary["title"] == "Explain closures"

    table = run(user_env, "conversations")
    assert table.returncode == 0 and cid in table.stdout and "Explain closures" in table.stdout

    unknown = run(user_env, "ask", "--conversation", "nope", "hi")
    assert unknown.returncode == 1 and "No conversation 'nope'. Pick one from the list" in unknown.stderr


def test_a_repeated_question_is_cached_unless_no_cache(user_env: Path, fake: FakeProvider) -> None:
    configure(user_env, fake)
    assert run(user_env, "ask", "What is a monad?").returncode == 0
    cached = run(user_env, "ask", "What is a monad?")
    assert cached.returncode == 0, cached.stderr
    assert "cached answer from gpt-4o-mini" in cached.stderr.splitlines()[-1]
    assert len(user_turns(fake)) == 1
    fresh = run(user_env, "ask", "--no-cache", "What is a monad?")
    assert fresh.returncode == 0 and "cached" not in fresh.stderr.splitlines()[-1]
    assert len(user_turns(fake)) == 2
