"""The leaderboard for the sidecar, and the router's quality adjustments from the user's votes.

The leaderboard's bootstrap intervals need numpy, which the sidecar never loads (it would stay
in its memory for good): `standings` computes the leaderboard in a short-lived child process
(`python -m smart_router.arena.standings`, outcomes as JSON on standard input, rows as JSON on
standard output). The point ratings the router uses are pure Python and stay in process:
`vote_adjustments` turns them into points added to the catalog priors per model and intent.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from smart_router.arena.ratings import Rating, Ratings, leaderboard
from smart_router.arena.votes import Outcome
from smart_router.config import INTENTS
from smart_router.errors import SmartRouterError

__all__ = ["CHILD_TIMEOUT_S", "standings", "vote_adjustments"]

CHILD_TIMEOUT_S = 60.0


async def standings(outcomes: Sequence[Outcome]) -> list[Rating]:
    """The leaderboard (ratings, 95% bootstrap intervals, ranks, tallies) of `outcomes`, best first."""
    if not outcomes:
        return []
    payload = json.dumps([[o.battle_id, o.model_a, o.model_b, o.score] for o in outcomes]).encode()
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "smart_router.arena.standings",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(child.communicate(payload), CHILD_TIMEOUT_S)
    except BaseException:
        if child.returncode is None:
            child.kill()
            await child.wait()
        raise
    if child.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise SmartRouterError(
            f"The leaderboard could not be computed ({last[0]}). Check that numpy is installed in the "
            "sidecar's Python (pip install numpy).",
            kind="leaderboard_failed",
        )
    return [Rating(**row) for row in json.loads(out)]


def vote_adjustments(ratings: Ratings) -> dict[str, dict[str, float]]:
    """Points to add to each voted model's prior, per intent (`Ratings.quality_adjustment`)."""
    models = {m for scope in ratings.by_scope.values() for m in scope}
    return {
        m: {i: shift for i in INTENTS if (shift := ratings.quality_adjustment(m, i)) != 0.0} for m in models
    }


def _main() -> int:
    rows = json.load(sys.stdin)
    outcomes = [Outcome(str(b), str(a), str(c), float(s)) for b, a, c, s in rows]
    json.dump([asdict(r) for r in leaderboard(outcomes)], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
