"""The arena's terminal commands (`smart-router arena --replay`, `smart-router leaderboard`).

Neither calls a provider nor needs a key: replay scores answers already written, the
leaderboard reads the votes in the user's database.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from smart_router.arena.convergence import Embed
from smart_router.arena.ratings import Ratings, leaderboard, load_ratings
from smart_router.arena.replay import replay_lines
from smart_router.arena.votes import VoteStore
from smart_router.catalog import load_catalog
from smart_router.config import Settings, database_path
from smart_router.embeddings import EmbeddingService
from smart_router.errors import BadInputError
from smart_router.intent import Classifier
from smart_router.store import open_database

__all__ = ["EMBEDDING_WAIT_S", "leaderboard_command", "replay_command"]

EMBEDDING_WAIT_S = 60.0
"""How long a replay waits for the embedding model to load before it goes lexical."""


def _lines(path: str) -> Iterable[str]:
    if path == "-":
        return sys.stdin
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BadInputError(f"Cannot read the replay file {path}: {exc.strerror}. Check the path.") from None


async def _user_ratings(settings: Settings) -> Ratings:
    db = await open_database(database_path(settings))
    try:
        return await load_ratings(VoteStore(db))
    finally:
        await db.close()


async def replay_command(
    settings: Settings, path: str, *, as_json: bool, lexical: bool, use_votes: bool, out: TextIO
) -> int:
    """Score every battle of a replay file; 1 when some line could not be read."""
    lines = _lines(path)
    service: EmbeddingService | None = None
    embed: Embed | None = None
    if not lexical:
        service = EmbeddingService.start(settings.embedding_model or None)
        if await service.wait_ready(EMBEDDING_WAIT_S):
            embed = service.embed
        else:
            print(f"smart-router: lexical similarity ({service.detail})", file=sys.stderr)
    classifier = Classifier(service)

    async def intent_of(prompt: str) -> str:
        return (await classifier.classify_async(prompt)).intent

    ratings = await _user_ratings(settings) if use_votes else None
    bad = total = 0
    try:
        async for number, result in replay_lines(
            lines,
            catalog=load_catalog(settings),
            intent_of=intent_of,
            embed=embed,
            ratings=ratings,
            explain=not as_json,
        ):
            total += 1
            bad += "error" in result
            out.write(json.dumps(result, ensure_ascii=False) + "\n" if as_json else _describe(result, number))
            out.flush()
    finally:
        if service is not None:
            await service.close()
    if bad:
        print(f"smart-router: {bad} of {total} lines could not be read (see their error).", file=sys.stderr)
    return 1 if bad else 0


def _describe(result: dict[str, Any], line: int) -> str:
    if "error" in result:
        return f"line {line}: error: {result['error']}\n"
    scores = ", ".join(f"{m} {s:.2f}" for m, s in result["scores"].items())
    head = f"line {line} [{result['intent']}, {result['method']}] pick {result['pick']}"
    return f"{head}: {result['reason']}\n    {scores}\n"


async def leaderboard_command(settings: Settings, intent: str | None, *, as_json: bool, out: TextIO) -> int:
    """The user's Bradley-Terry leaderboard, overall or for one intent."""
    db = await open_database(database_path(settings))
    try:
        outcomes = await VoteStore(db).outcomes(intent)
    finally:
        await db.close()
    rows = leaderboard(outcomes) if outcomes else []
    battles = len({o.battle_id for o in outcomes})
    if as_json:
        models = [{k: round(v, 1) if isinstance(v, float) else v for k, v in asdict(r).items()} for r in rows]
        out.write(json.dumps({"intent": intent, "battles": battles, "models": models}) + "\n")
        return 0
    scope = f" for {intent}" if intent else ""
    if not rows:
        out.write(f"No arena votes yet{scope}: vote in the arena (Smart Router: Arena) to rate models.\n")
        return 0
    out.write(f"Your leaderboard{scope}: {battles} voted battles, Bradley-Terry (Elo scale), 95% intervals\n")
    out.write(f"{'rank':>4}  {'model':<40} {'rating':>6}  {'95% CI':<13} {'battles':>7}  {'W/L/T':<11}\n")
    for r in rows:
        ci = f"{r.ci_low:.0f}-{r.ci_high:.0f}"
        wlt = f"{r.wins}/{r.losses}/{r.ties}"
        out.write(f"{r.rank:>4}  {r.model:<40} {r.rating:>6.0f}  {ci:<13} {r.battles:>7}  {wlt:<11}\n")
    return 0
