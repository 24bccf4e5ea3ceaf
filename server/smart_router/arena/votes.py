"""The user's arena votes, stored in SQLite and expanded into pairwise outcomes.

A battle is recorded when it runs (its members in column order, the intent, a hash of the
prompt: the prompt itself is not kept). The user then votes once per battle; voting again
replaces the vote. As in Chatbot Arena, a vote becomes pairwise outcomes between models:

| vote       | members | outcomes                                             |
|------------|---------|------------------------------------------------------|
| `left`     | 2       | left beats right                                     |
| `right`    | 2       | right beats left                                     |
| `tie`      | any     | every pair ties                                      |
| `all_bad`  | any     | every pair ties ("tie (bothbad)" in Chatbot Arena)   |
| `pick`     | any     | the picked model beats each other member             |

A pick of N says nothing about how the losers compare with each other, so they get no outcome.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

import aiosqlite

from smart_router.errors import BadInputError
from smart_router.store.transaction import transaction

__all__ = ["VOTE_KINDS", "Battle", "Outcome", "VoteKind", "VoteStore", "expand_vote", "prompt_hash"]

VoteKind = Literal["left", "right", "tie", "all_bad", "pick"]
VOTE_KINDS: tuple[str, ...] = get_args(VoteKind)


@dataclass(frozen=True, slots=True)
class Battle:
    id: str
    ts: str
    prompt_hash: str
    intent: str | None
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One pairwise result: `score` is 1 when `model_a` was better, 0 when `model_b` was, 0.5 a tie."""

    battle_id: str
    model_a: str
    model_b: str
    score: float


def prompt_hash(prompt: str) -> str:
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()


def expand_vote(
    battle_id: str, members: Sequence[str], kind: str, winner: str | None = None
) -> list[Outcome]:
    """The pairwise outcomes of a vote (table in the module docstring)."""
    if kind not in VOTE_KINDS:
        raise BadInputError(f"Unknown vote '{kind}'. Vote one of: {', '.join(VOTE_KINDS)}.")
    if kind in ("left", "right"):
        if len(members) != 2:
            raise BadInputError(
                f"A {kind} vote needs a battle of two; this one has {len(members)}. Pick the best instead."
            )
        return [Outcome(battle_id, members[0], members[1], 1.0 if kind == "left" else 0.0)]
    if kind == "pick":
        if winner is None or winner not in members:
            raise BadInputError(f"Pick one of the battle's models: {', '.join(members)}.")
        return [Outcome(battle_id, winner, m, 1.0) for m in members if m != winner]
    return [Outcome(battle_id, a, b, 0.5) for a, b in itertools.combinations(members, 2)]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class VoteStore:
    """Battles, votes and outcomes in the user's database."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def record_battle(
        self, members: Sequence[str], *, prompt: str, intent: str | None, battle_id: str | None = None
    ) -> Battle:
        """Record a battle about to be voted on; returns it with its id."""
        if len(members) < 2 or len(set(members)) != len(members):
            raise BadInputError(f"A battle needs two or more different models; got {', '.join(members)}.")
        battle = Battle(battle_id or uuid.uuid4().hex, _now(), prompt_hash(prompt), intent, tuple(members))
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO arena_battles (id, ts, prompt_hash, intent, members) VALUES (?, ?, ?, ?, ?)",
                (battle.id, battle.ts, battle.prompt_hash, intent, json.dumps(list(members))),
            )
        return battle

    async def battle(self, battle_id: str) -> Battle:
        async with self._db.execute(
            "SELECT id, ts, prompt_hash, intent, members FROM arena_battles WHERE id = ?", (battle_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            raise BadInputError(
                f"No arena battle '{battle_id}' is recorded. Vote on a battle shown in the arena.",
                kind="unknown_battle",
            )
        return Battle(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))

    async def vote(self, battle_id: str, kind: str, winner: str | None = None) -> list[Outcome]:
        """Store the user's vote on a battle (replacing an earlier one); returns its outcomes."""
        battle = await self.battle(battle_id)
        outcomes = expand_vote(battle.id, battle.members, kind, winner)
        async with transaction(self._db) as db:
            await db.execute("DELETE FROM arena_votes WHERE battle_id = ?", (battle.id,))
            await db.execute(
                "INSERT INTO arena_votes (battle_id, ts, kind, winner) VALUES (?, ?, ?, ?)",
                (battle.id, _now(), kind, winner if kind == "pick" else None),
            )
            await db.executemany(
                "INSERT INTO arena_outcomes (battle_id, model_a, model_b, score) VALUES (?, ?, ?, ?)",
                [(o.battle_id, o.model_a, o.model_b, o.score) for o in outcomes],
            )
        return outcomes

    async def outcomes(self, intent: str | None = None) -> list[Outcome]:
        """Every pairwise outcome, or those of battles about `intent`; in vote order."""
        sql = (
            "SELECT o.battle_id, o.model_a, o.model_b, o.score FROM arena_outcomes o "
            "JOIN arena_votes v ON v.battle_id = o.battle_id "
            "JOIN arena_battles b ON b.id = o.battle_id"
        )
        args: tuple[str, ...] = ()
        if intent is not None:
            sql, args = sql + " WHERE b.intent = ?", (intent,)
        async with self._db.execute(sql + " ORDER BY v.ts, o.battle_id, o.model_a, o.model_b", args) as cur:
            rows = await cur.fetchall()
        return [Outcome(r[0], r[1], r[2], float(r[3])) for r in rows]

    async def outcomes_by_intent(self) -> dict[str | None, list[Outcome]]:
        """Outcomes grouped by the battle's intent (None: battles without one)."""
        async with self._db.execute(
            "SELECT b.intent, o.battle_id, o.model_a, o.model_b, o.score FROM arena_outcomes o "
            "JOIN arena_votes v ON v.battle_id = o.battle_id "
            "JOIN arena_battles b ON b.id = o.battle_id ORDER BY v.ts, o.battle_id, o.model_a, o.model_b"
        ) as cur:
            rows = await cur.fetchall()
        out: dict[str | None, list[Outcome]] = {}
        for r in rows:
            out.setdefault(r[0], []).append(Outcome(r[1], r[2], r[3], float(r[4])))
        return out
