"""Property: however many asks run at once, with random prices, answers, failures and cancels,
the settled spend never passes a hard budget, the ledger's sum is exactly what was settled,
and no reservation is left held.

Real on-disk SQLite (WAL), the real engine, the provider faked at the HTTP level
(`httpx.MockTransport` speaking OpenAI's streaming wire format).
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smart_router.budget import SpendSummary
from smart_router.config import parse_settings
from smart_router.engine import Engine
from smart_router.errors import BudgetExceededError, ProviderError
from smart_router.keys import KeyStore
from smart_router.router import Decision
from smart_router.store import open_database
from smart_router.tokens import cost_micro_usd

PROMPTS = ["Explain closures", "Fix this bug please", "Write a haiku about SQLite"]


class Quiet:
    def routed(self, request_id: str, decision: Decision) -> None: ...
    def delta(self, request_id: str, text: str) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...


class RandomProvider(httpx.AsyncBaseTransport):
    """Answers each chat request by a plan drawn from the seed: ok, 5xx, or a stream cut."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sent_usage: list[tuple[str, int, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404)
        body = json.loads(request.content)
        cap = int(body.get("max_completion_tokens") or body.get("max_tokens"))
        fate = self.rng.choice(["ok", "ok", "ok", "server_error", "cut"])
        if fate == "server_error":
            return httpx.Response(500, json={"error": {"message": "boom", "type": "server_error"}})
        n = self.rng.randint(0, cap)
        prompt_tokens = self.rng.randint(0, 5)  # never more than the engine counted for any prompt here
        delay = self.rng.choice([0.0, 0.001])
        model, sent = body["model"], self.sent_usage

        async def stream() -> AsyncIterator[bytes]:
            for i in range(n):
                if fate == "cut" and i == n // 2:
                    raise httpx.ReadError("connection reset")
                yield b'data: {"choices": [{"index": 0, "delta": {"content": " a"}}]}\n\n'
                if delay:
                    await asyncio.sleep(delay)
            if fate == "cut":
                raise httpx.ReadError("connection reset")
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": n,
                "total_tokens": prompt_tokens + n,
            }
            sent.append((model, prompt_tokens, n))
            yield f'data: {{"choices": [], "usage": {json.dumps(usage)}}}\n\n'.encode()
            yield b"data: [DONE]\n\n"

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream())


def budget_settings(draw: Any) -> dict[str, Any]:
    def limit(lo: int, hi: int) -> dict[str, Any]:
        return {"usd": draw(st.integers(lo, hi)) / 1_000_000, "mode": "hard"}

    budgets: dict[str, Any] = {"daily": limit(0, 40_000), "monthly": limit(2_000, 60_000)}
    if draw(st.booleans()):
        budgets["perRequest"] = limit(500, 20_000)
    if draw(st.booleans()):
        budgets["workspaces"] = {"ws-a": {"daily": limit(0, 20_000)}}
    return budgets


@st.composite
def scenarios(draw: Any) -> dict[str, Any]:
    models = [
        {
            "id": f"m{i}",
            "provider": "openai",
            "inputUsdPerMtok": draw(st.integers(0, 40)),
            "outputUsdPerMtok": draw(st.integers(10, 80)),
            "contextWindow": 100_000,
            "maxOutputTokens": draw(st.integers(20, 120)),
            "family": "openai",
        }
        for i in range(3)
    ]
    return {
        "settings": {
            "models": models,
            "defaultModel": draw(st.sampled_from(["m0", "m1", "m2", ""])),
            "systemPrompt": "",
            "maxOutputTokens": 120,
            "budgets": budget_settings(draw),
        },
        "asks": draw(
            st.lists(
                st.tuples(
                    st.sampled_from(PROMPTS),
                    st.sampled_from([None, "ws-a", "/home/me/ws-a", "ws-b"]),
                    st.one_of(st.none(), st.floats(0, 0.02)),  # cancel after this many seconds
                ),
                min_size=8,
                max_size=40,
            )
        ),
        "seed": draw(st.integers(0, 2**32)),
    }


async def run_scenario(path: Path, scenario: dict[str, Any]) -> None:
    settings_ = parse_settings(scenario["settings"])
    transport = RandomProvider(scenario["seed"])
    engine = Engine(
        settings_,
        await open_database(path),
        httpx.AsyncClient(transport=transport),
        keys=KeyStore({"OPENAI_API_KEY": "sk-test-1"}),
    )

    async def one(i: int, prompt: str, workspace: str | None, cancel_after: float | None) -> Any:
        task = asyncio.ensure_future(engine.ask(f"r{i}", prompt, Quiet(), workspace=workspace))
        if cancel_after is not None:
            await asyncio.sleep(cancel_after)
            task.cancel()
        try:
            return await task
        except (asyncio.CancelledError, BudgetExceededError, ProviderError) as exc:
            return exc

    try:
        results = await asyncio.gather(*(one(i, *a) for i, a in enumerate(scenario["asks"])))
    finally:
        await engine.close()

    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT request_id, workspace, model, input_tokens, output_tokens, cost_micro_usd, status"
            " FROM ledger"
        ).fetchall()
        assert db.execute("SELECT COUNT(*) FROM reservations").fetchone()[0] == 0
    catalog = engine.catalog
    # every row's cost is exactly its tokens at its model's prices; the sum is exact integer arithmetic
    settled = 0
    for _, _, model, tokens_in, tokens_out, cost, _ in rows:
        assert cost == cost_micro_usd(catalog.model(model), tokens_in, tokens_out)
        settled += cost
    assert sum(r[5] for r in rows) == settled
    # every finished ask is in the ledger with the usage the provider sent
    for i, r in enumerate(results):
        if not isinstance(r, BaseException):
            ok_rows = [x for x in rows if x[0] == f"r{i}" and x[6] == "ok"]
            assert [(x[2], x[3], x[4], x[5]) for x in ok_rows] == [
                (r.decision.model.id, r.input_tokens, r.output_tokens, r.cost_micro_usd)
            ]
    assert sorted((m, i, o) for _, _, m, i, o, _, s in rows if s == "ok") == sorted(
        (catalog.model(next(x.id for x in catalog.models.values() if x.api_name == m)).id, i, o)
        for m, i, o in transport.sent_usage
    )
    # no hard budget is ever passed
    budgets = settings_.budgets

    def micro(usd: Any) -> int:
        return int(usd * 1_000_000)

    assert settled <= micro(budgets.daily.usd) and settled <= micro(budgets.monthly.usd)  # type: ignore[union-attr]
    if budgets.per_request is not None:
        assert all(r[5] <= micro(budgets.per_request.usd) for r in rows)
    if "ws-a" in budgets.workspaces:
        in_ws = sum(r[5] for r in rows if r[1] in ("ws-a", "/home/me/ws-a"))
        assert in_ws <= micro(budgets.workspaces["ws-a"].daily.usd)  # type: ignore[union-attr]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_concurrent_asks_never_pass_a_hard_budget(scenario: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run_scenario(Path(tmp) / "sr.db", scenario))
