"""Arena votes in the real database: battles, votes expanded into pairwise outcomes, re-votes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiosqlite
import pytest

from smart_router.arena.ratings import load_ratings
from smart_router.arena.votes import Outcome, VoteStore, expand_vote, prompt_hash
from smart_router.errors import BadInputError
from smart_router.store import open_database
from smart_router.store.migrations import MIGRATIONS


@pytest.fixture
async def db() -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(":memory:")
    yield conn
    await conn.close()


def test_votes_expand_into_pairwise_outcomes_as_chatbot_arena_does() -> None:
    assert expand_vote("b", ["x", "y"], "left") == [Outcome("b", "x", "y", 1.0)]
    assert expand_vote("b", ["x", "y"], "right") == [Outcome("b", "x", "y", 0.0)]
    assert expand_vote("b", ["x", "y", "z"], "pick", "y") == [
        Outcome("b", "y", "x", 1.0),
        Outcome("b", "y", "z", 1.0),
    ]
    ties = [Outcome("b", "x", "y", 0.5), Outcome("b", "x", "z", 0.5), Outcome("b", "y", "z", 0.5)]
    assert expand_vote("b", ["x", "y", "z"], "tie") == ties
    assert expand_vote("b", ["x", "y", "z"], "all_bad") == ties


def test_bad_votes_say_what_to_do() -> None:
    with pytest.raises(BadInputError, match=r"needs a battle of two; this one has 3\. Pick the best instead"):
        expand_vote("b", ["x", "y", "z"], "left")
    with pytest.raises(BadInputError, match="Pick one of the battle's models: x, y"):
        expand_vote("b", ["x", "y"], "pick", "q")
    with pytest.raises(
        BadInputError, match=r"Unknown vote 'meh'\. Vote one of: left, right, tie, all_bad, pick"
    ):
        expand_vote("b", ["x", "y"], "meh")


async def test_the_arena_migration_is_the_third_and_creates_the_tables(db: aiosqlite.Connection) -> None:
    assert "arena_battles" in MIGRATIONS[2]
    async with db.execute("PRAGMA user_version") as cur:
        assert (await cur.fetchone())[0] == len(MIGRATIONS)  # type: ignore[index]
    async with db.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE 'arena_%' AND type = 'table'"
    ) as cur:
        assert {r[0] for r in await cur.fetchall()} == {"arena_battles", "arena_votes", "arena_outcomes"}


async def test_a_battle_keeps_its_members_and_a_hash_not_the_prompt(db: aiosqlite.Connection) -> None:
    store = VoteStore(db)
    battle = await store.record_battle(["gpt-5", "glm-4.6"], prompt="secret code", intent="debugging")
    again = await store.battle(battle.id)
    assert again == battle and again.members == ("gpt-5", "glm-4.6")
    assert again.prompt_hash == prompt_hash("secret code") and len(again.prompt_hash) == 64
    async with db.execute("SELECT * FROM arena_battles") as cur:
        assert "secret code" not in repr(await cur.fetchall())
    with pytest.raises(BadInputError, match="two or more different models"):
        await store.record_battle(["gpt-5", "gpt-5"], prompt="p", intent=None)


async def test_voting_again_replaces_the_vote(db: aiosqlite.Connection) -> None:
    store = VoteStore(db)
    battle = await store.record_battle(["a", "b", "c"], prompt="p", intent="writing")
    await store.vote(battle.id, "pick", "a")
    assert len(await store.outcomes()) == 2
    await store.vote(battle.id, "tie")
    assert [o.score for o in await store.outcomes()] == [0.5, 0.5, 0.5]
    async with db.execute("SELECT kind, winner FROM arena_votes") as cur:
        assert [tuple(r) for r in await cur.fetchall()] == [("tie", None)]
    with pytest.raises(BadInputError, match="No arena battle 'nope'") as exc:
        await store.vote("nope", "tie")
    assert exc.value.kind == "unknown_battle"


async def test_outcomes_by_intent_and_the_ratings_they_make(db: aiosqlite.Connection) -> None:
    store = VoteStore(db)
    for intent in ("debugging", "debugging", "writing", None):
        battle = await store.record_battle(["a", "b"], prompt="p", intent=intent)
        await store.vote(battle.id, "left" if intent == "debugging" else "right")
    assert {o.score for o in await store.outcomes("debugging")} == {1.0}
    assert [o.score for o in await store.outcomes("writing")] == [0.0]
    assert len(await store.outcomes()) == 4
    grouped = await store.outcomes_by_intent()
    assert {k: len(v) for k, v in grouped.items()} == {"debugging": 2, "writing": 1, None: 1}
    ratings = await load_ratings(store)
    assert ratings.quality_adjustment("a", "debugging") > 0 > ratings.quality_adjustment("a", "writing")
    assert ratings.by_scope[None]["a"][1] == 4  # four battles overall
