"""The arena's parallel runner inside the engine, over `httpx.MockTransport`-style transports:
every contestant at once, one ledger row each, failures and stops kept to their column, the
battle's worst case reserved up front."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from smart_router.arena.reserve import ArenaBudgetError, suggest
from smart_router.arena.results import ArenaStart, ContestantResult
from smart_router.budget import SpendSummary
from smart_router.config import parse_settings
from smart_router.engine import Engine
from smart_router.keys import KeyStore
from smart_router.store import open_database

MODELS = ["gpt-4o-mini", "gpt-4.1-mini", "gpt-4.1"]
PROMPT = "Why does range(len(xs) + 1) raise IndexError when indexing xs?"


class Columns(httpx.AsyncBaseTransport):
    """An OpenAI-style provider whose answer, pace and failure depend on the model asked for."""

    def __init__(self, replies: dict[str, str], *, fail: dict[str, int] | None = None) -> None:
        self.replies = replies
        self.fail = fail or {}
        self.delay_s: dict[str, float] = {}
        self.hang: set[str] = set()
        self.started: dict[str, float] = {}
        self.first_sent: dict[str, asyncio.Event] = {m: asyncio.Event() for m in replies}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404)  # local model discovery
        model = json.loads(request.content)["model"]
        self.started[model] = asyncio.get_running_loop().time()
        if model in self.fail:
            return httpx.Response(
                self.fail[model], json={"error": {"message": "boom", "type": "server_error"}}
            )
        words = self.replies[model].split(" ")
        delay, hang, first = self.delay_s.get(model, 0.0), model in self.hang, self.first_sent[model]

        async def body() -> AsyncIterator[bytes]:
            for i, word in enumerate(words):
                piece = word if i == 0 else " " + word
                yield f"data: {json.dumps({'choices': [{'delta': {'content': piece}}]})}\n\n".encode()
                first.set()
                if hang:
                    await asyncio.sleep(60)
                await asyncio.sleep(delay / len(words))
            usage = {"prompt_tokens": 20, "completion_tokens": len(words), "total_tokens": 20 + len(words)}
            yield f"data: {json.dumps({'choices': [], 'usage': usage})}\n\n".encode()
            yield b"data: [DONE]\n\n"

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


class Recorder:
    def __init__(self) -> None:
        self.starts: list[ArenaStart] = []
        self.deltas: list[tuple[str, str]] = []
        self.finished: list[ContestantResult] = []
        self.settles = 0
        self.merged: list[str] = []
        self.two_finished = asyncio.Event()

    def started(self, start: ArenaStart) -> None:
        self.starts.append(start)

    def delta(self, request_id: str, model: str, text: str) -> None:
        self.deltas.append((model, text))

    def contestant(self, request_id: str, result: ContestantResult) -> None:
        self.finished.append(result)
        if len(self.finished) >= 2:
            self.two_finished.set()

    def settled(self, summary: SpendSummary) -> None:
        self.settles += 1

    def merge(self, request_id: str, judge: str, sources: tuple[str, ...], text: str) -> None:
        self.merged.append(text)


CONSENSUS = "range(len(xs) + 1) goes one past the end, so xs[len(xs)] raises IndexError: use range(len(xs))"
REPLIES = {
    "gpt-4o-mini": CONSENSUS,
    "gpt-4.1-mini": "The loop goes one past the end: range(len(xs) + 1) reaches len(xs); use range(len(xs))",
    "gpt-4.1": "Catch the KeyError around the dictionary lookup instead",
}


async def make_engine(transport: httpx.AsyncBaseTransport, **settings: Any) -> Engine:
    return Engine(
        parse_settings({"systemPrompt": "", "embeddingModel": "off", **settings}),
        await open_database(":memory:"),
        httpx.AsyncClient(transport=transport),
        keys=KeyStore({"OPENAI_API_KEY": "sk-test-1"}),
    )


@pytest.fixture
async def engine_and_transport() -> AsyncIterator[tuple[Engine, Columns]]:
    transport = Columns(dict(REPLIES))
    engine = await make_engine(transport)
    yield engine, transport
    await engine.close()


async def ledger(engine: Engine) -> list[tuple[Any, ...]]:
    async with engine._db.execute(
        "SELECT model, status, intent, workspace, request_id, cost_micro_usd FROM ledger ORDER BY model"
    ) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def held(engine: Engine) -> int:
    async with engine._db.execute("SELECT COUNT(*) FROM reservations") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_every_contestant_streams_into_its_column_and_settles_its_own_row(
    engine_and_transport: tuple[Engine, Columns],
) -> None:
    engine, transport = engine_and_transport
    for m in MODELS:
        transport.delay_s[m] = 0.2
    rec = Recorder()
    outcome = await engine.arena("b1", PROMPT, rec, models=MODELS, workspace="/src/app/")

    # all three started together: a battle lasts as long as its slowest member
    starts = sorted(transport.started.values())
    assert starts[-1] - starts[0] < 0.15 and outcome.wall_ms < 2 * 200 + 300
    assert [c.model for c in outcome.contestants] == MODELS and all(
        c.status == "ok" for c in outcome.contestants
    )
    for c in outcome.contestants:
        assert c.text == REPLIES[c.model] == "".join(t for m, t in rec.deltas if m == c.model)
        assert c.input_tokens == 20 and c.output_tokens == len(c.text.split(" ")) and c.cost_micro_usd > 0
        assert c.ttft_ms is not None and c.total_ms >= c.ttft_ms
    [start] = rec.starts
    assert start.group == "Custom" and [m.model for m in start.members] == MODELS
    assert start.estimated_max_micro_usd >= outcome.total_cost_micro_usd
    assert len(rec.finished) == 3 and rec.settles == 3
    intent = start.intent
    assert await ledger(engine) == sorted(
        (c.model, "ok", intent, "/src/app", "b1", c.cost_micro_usd) for c in outcome.contestants
    )
    assert await held(engine) == 0
    # the verdict picks the best-scored answer and says why
    assert outcome.pick is not None and set(outcome.pick.scores) == set(MODELS)
    assert outcome.pick.scores[outcome.pick.model] == max(outcome.pick.scores.values())
    assert outcome.pick.reason.startswith(f"{outcome.pick.model} ") and "runner-up" in outcome.pick.reason
    battle = await engine.votes.battle(start.battle_id)
    assert battle.members == tuple(MODELS) and battle.intent == intent


async def test_a_failing_contestant_carries_its_error_and_the_others_finish() -> None:
    transport = Columns(dict(REPLIES), fail={"gpt-4.1-mini": 500})
    engine = await make_engine(transport)
    rec = Recorder()
    outcome = await engine.arena("b2", PROMPT, rec, models=MODELS)
    by_model = {c.model: c for c in outcome.contestants}
    failed = by_model["gpt-4.1-mini"]
    assert failed.status == "error" and failed.error is not None and failed.text == ""
    assert failed.error.kind == "provider_unavailable" and "Retry" in failed.error.message
    assert failed.cost_micro_usd == 0
    assert all(by_model[m].status == "ok" and by_model[m].text for m in ("gpt-4o-mini", "gpt-4.1"))
    assert outcome.pick is not None and outcome.pick.model != "gpt-4.1-mini"
    assert outcome.pick.scores["gpt-4.1-mini"] == 0.0 and "gpt-4.1-mini failed" in outcome.pick.reason
    statuses = {row[0]: row[1] for row in await ledger(engine)}
    assert statuses == {"gpt-4o-mini": "ok", "gpt-4.1-mini": "error", "gpt-4.1": "ok"}
    assert await held(engine) == 0
    await engine.close()


async def test_stop_ends_the_slow_contestants_and_judges_the_answers_that_finished() -> None:
    transport = Columns(dict(REPLIES))
    transport.hang.add("gpt-4.1")
    engine = await make_engine(transport)
    rec = Recorder()
    stop = asyncio.Event()
    task = asyncio.create_task(engine.arena("b3", PROMPT, rec, models=MODELS, stop=stop))
    await asyncio.wait_for(transport.first_sent["gpt-4.1"].wait(), 5)
    await asyncio.wait_for(rec.two_finished.wait(), 5)
    stop.set()
    outcome = await asyncio.wait_for(task, 5)
    stopped = outcome.contestants[2]
    assert stopped.status == "cancelled" and stopped.text == "Catch" and stopped.error is None
    assert stopped.input_tokens > 0 and stopped.output_tokens == 1 and stopped.cost_micro_usd > 0
    assert outcome.pick is not None and outcome.pick.model != "gpt-4.1"
    rows = await ledger(engine)
    assert [r[1] for r in rows] == ["cancelled", "ok", "ok"]  # ordered by model: 4.1, 4.1-mini, 4o-mini
    assert sum(r[5] for r in rows) == outcome.total_cost_micro_usd
    assert await held(engine) == 0
    await engine.close()


async def test_cancelling_the_battle_stops_every_contestant_and_settles_what_was_used() -> None:
    transport = Columns(dict(REPLIES))
    transport.hang.update(MODELS)
    engine = await make_engine(transport)
    task = asyncio.create_task(engine.arena("b4", PROMPT, Recorder(), models=MODELS))
    for m in MODELS:
        await asyncio.wait_for(transport.first_sent[m].wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rows = await ledger(engine)
    assert [r[1] for r in rows] == ["cancelled"] * 3 and all(r[5] > 0 for r in rows)
    assert await held(engine) == 0
    await engine.close()


async def test_a_battle_over_budget_is_refused_with_its_estimate_and_a_smaller_battle_that_fits() -> None:
    transport = Columns(dict(REPLIES))
    # worst cases at 1024 output tokens: 4o-mini ~$0.0006, 4.1-mini ~$0.0017, 4.1 ~$0.0083
    engine = await make_engine(transport, budgets={"daily": {"usd": 0.003, "mode": "hard"}})
    with pytest.raises(ArenaBudgetError) as info:
        await engine.arena("b5", PROMPT, Recorder(), models=MODELS)
    err = info.value
    data = err.data()
    assert data["kind"] == "budget_exceeded" and data["budget"] == "daily"
    assert data["estimateUsd"] > 0.003 and data["estimateMicroUsd"] == data["requiredMicroUsd"]
    assert data["suggestion"]["models"] == ["gpt-4o-mini", "gpt-4.1-mini"]
    assert data["suggestion"]["maxCostUsd"] <= 0.003
    assert "could cost up to" in err.message and "gpt-4o-mini, gpt-4.1-mini" in err.message
    assert transport.started == {} and await ledger(engine) == [] and await held(engine) == 0
    # the suggestion runs
    outcome = await engine.arena("b6", PROMPT, Recorder(), models=data["suggestion"]["models"])
    assert [c.status for c in outcome.contestants] == ["ok", "ok"]
    await engine.close()


async def test_votes_move_the_leaderboard_and_the_routers_priors(
    engine_and_transport: tuple[Engine, Columns],
) -> None:
    engine, _ = engine_and_transport
    rec = Recorder()
    await engine.arena("b7", PROMPT, rec, models=MODELS[:2])
    assert await engine.leaderboard() == [] and engine.quality_adjustments is None
    board = await engine.arena_vote(rec.starts[0].battle_id, "right")
    assert [r.model for r in board] == ["gpt-4.1-mini", "gpt-4o-mini"]
    assert (
        board[0].wins == 1 and board[1].losses == 1 and board[0].ci_low <= board[0].rating <= board[0].ci_high
    )
    adjustments = engine.quality_adjustments
    assert adjustments is not None
    assert adjustments["gpt-4.1-mini"]["debugging"] > 0 > adjustments["gpt-4o-mini"]["debugging"]


def test_suggest_keeps_the_cheapest_members_in_column_order_or_offers_another_group() -> None:
    from smart_router.arena.lineup import Lineup, price
    from smart_router.catalog import load_catalog
    from smart_router.config import Settings

    catalog = load_catalog(Settings())

    def lineup(group: str, ids: list[str]) -> Lineup:
        return Lineup(group, tuple(price(catalog, catalog.models[i], 100, 1000) for i in ids), ())

    frontier = lineup("Frontier", ["gpt-5.1", "gpt-4o-mini", "claude-opus-4-5", "qwen-turbo"])
    a, b = (price(catalog, catalog.models[i], 100, 1000).max_micro_usd for i in ("qwen-turbo", "gpt-4o-mini"))
    s = suggest(frontier, a + b)
    assert s is not None and s.models == ("gpt-4o-mini", "qwen-turbo") and s.group == "Frontier"
    assert suggest(frontier, a + b - 1) is None
    fast = lineup("Fast", ["qwen-turbo", "gpt-4o-mini", "gemini-2.5-flash-lite"])
    s = suggest(frontier, fast.max_micro_usd, [fast])
    assert s is not None and s.group == "Fast" and len(s.models) == 3
