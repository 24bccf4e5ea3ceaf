"""`smart-router context stats|search|clear|pin|unpin` as a terminal user (or a script) runs them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from test_cli import run

from smart_router.context.store import ContextStore
from smart_router.store import open_database

GEOMETRY = """import math


def area(radius: float) -> float:
    \"\"\"Area of a circle.\"\"\"
    return math.pi * radius ** 2


def circumference(radius: float) -> float:
    return 2 * math.pi * radius
"""


def _seed(user_env: Path) -> None:
    """Documents stored the way document sync stores them, in the database the command uses."""

    async def seed() -> None:
        db = await open_database(user_env / "smart-router.db")
        try:
            store = ContextStore(db)
            await store.upsert_document(
                "file:///src/shapes/geometry.py", GEOMETRY, workspace="/src/shapes", language="python"
            )
            await store.upsert_document(
                "file:///src/shapes/README.md",
                "# Shapes\n\nCircles and squares.\n",
                workspace="/src/shapes",
                language="markdown",
            )
        finally:
            await db.close()

    asyncio.run(seed())


def test_stats_and_pin_in_words_and_as_the_lsp_json(user_env: Path) -> None:
    _seed(user_env)
    pinned = run(user_env, "context", "pin", "Radii are in metres.", "--title", "Units")
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.startswith("Pinned note ") and "smart-router context unpin" in pinned.stdout
    words = run(user_env, "context", "stats")
    assert words.returncode == 0, words.stderr
    lines = words.stdout.splitlines()
    assert any(line.split()[:2] == ["notes", "1"] for line in lines), words.stdout
    assert any(line.startswith("size") and "of 25.0 MB" in line for line in lines), words.stdout
    assert any(line.startswith("retention") and "90 days" in line for line in lines)
    values = [line.split("  ", 1)[1].strip() for line in lines if "  " in line]
    assert all(values), "every row has a value"
    done = run(user_env, "context", "stats", "--json")
    stats = json.loads(done.stdout)
    assert set(stats) == {
        "entries",
        "files",
        "conversations",
        "messages",
        "embedded",
        "pending",
        "cacheEntries",
        "cacheHits",
        "savedUsd",
        "bytes",
        "capBytes",
        "retentionDays",
        "mode",
        "modeDetail",
        "oldest",
    }
    assert stats["entries"]["note"] == 1 and stats["files"] == 2 and stats["entries"]["document"] >= 2
    assert stats["capBytes"] == 25 * 1024 * 1024 and stats["oldest"]


def test_search_finds_the_chunk_and_says_why(user_env: Path) -> None:
    _seed(user_env)
    done = run(user_env, "context", "search", "area of a circle radius", "--json", "--limit", "3")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["mode"] in ("lexical", "embedding") and 1 <= len(result["items"]) <= 3
    top = result["items"][0]
    assert top["file"] == "/src/shapes/geometry.py" and "def area" in top["preview"] and top["reasons"]
    words = run(user_env, "context", "search", "area of a circle radius")
    assert words.returncode == 0 and "ranked by" in words.stdout and "geometry.py" in words.stdout
    bad = run(user_env, "context", "search", "x", "--limit", "0")
    assert bad.returncode == 1 and "limit" in bad.stderr and "Traceback" not in bad.stderr
    empty = run(user_env, "context", "search", "  ")
    assert empty.returncode == 2 and "give words to search for" in empty.stderr


def test_clear_refuses_without_a_terminal_unless_yes(user_env: Path) -> None:
    _seed(user_env)
    run(user_env, "context", "pin", "keep me")
    refused = run(user_env, "context", "clear", stdin="y\n")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert json.loads(run(user_env, "context", "stats", "--json").stdout)["files"] == 2
    done = run(user_env, "context", "clear", "--scope", "project", "--yes", "--json")
    removed = json.loads(done.stdout)["removed"]
    assert removed["entries"] >= 2 and removed["conversations"] == removed["cacheEntries"] == 0
    stats = json.loads(run(user_env, "context", "stats", "--json").stdout)
    assert stats["files"] == 0 and stats["entries"]["note"] == 1
    missing = run(user_env, "context", "unpin", "999")
    assert missing.returncode == 1 and "no pinned note 999" in missing.stderr


def test_clear_asks_on_a_terminal(user_env: Path) -> None:
    _seed(user_env)

    def clear_answering(answer: str) -> subprocess.CompletedProcess[str]:
        primary, secondary = os.openpty()
        os.write(primary, answer.encode())
        env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
        try:
            return subprocess.run(
                [sys.executable, "-m", "smart_router.cli", "context", "clear", "--scope", "project"],
                stdin=secondary,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env=env,
            )
        finally:
            os.close(primary)
            os.close(secondary)

    no = clear_answering("n\n")
    assert no.returncode == 1 and "cannot be undone" in no.stderr and "Nothing deleted" in no.stderr
    assert json.loads(run(user_env, "context", "stats", "--json").stdout)["files"] == 2
    yes = clear_answering("y\n")
    assert yes.returncode == 0 and yes.stdout.startswith("Deleted "), yes.stderr
    assert json.loads(run(user_env, "context", "stats", "--json").stdout)["files"] == 0
