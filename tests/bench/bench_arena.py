"""Wall time of an arena battle of N contestants against the slowest contestant alone.

    python tests/bench/bench_arena.py [--runs 5] [--sizes 2,4,8]

The fake provider runs in its own process (as a real provider would be elsewhere) and speaks
five wire formats' worth of providers: OpenAI, Anthropic, Gemini, and the OpenAI-compatible
DashScope, Z.ai, Moonshot and MiniMax. Contestant i answers after a time to first token of
100 + 60 i ms, streaming the same reply at 150 tokens/s, so the last member of a battle is its
slowest. For each N, the battle (engine.arena over the first N models) and an ask forced to the
battle's slowest model (engine.ask, same engine, same settle path) alternate `--runs` times;
the ratio of the median wall times is printed. Target: <= 1.15.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from smart_router.arena.results import ArenaStart, ContestantResult  # noqa: E402
from smart_router.budget import SpendSummary  # noqa: E402
from smart_router.config import parse_settings  # noqa: E402
from smart_router.engine import Engine  # noqa: E402
from smart_router.keys import KeyStore  # noqa: E402
from smart_router.router import Decision  # noqa: E402
from smart_router.store import open_database  # noqa: E402

KEY = "sk-test-bench-arena"
MODELS = [
    "gpt-4o-mini",
    "claude-haiku-4-5",
    "gemini-2.5-flash-lite",
    "qwen-turbo",
    "glm-4.5-air",
    "kimi-k2.6",
    "minimax-m2",
    "gpt-4.1-mini",
]
API_NAMES = {"minimax-m2": "MiniMax-M2"}
REPLY = " ".join(f"word{i}" for i in range(80))
PROMPT = "Explain the difference between a process and a thread"


class Quiet:
    """A listener that only counts (what an adapter does costs little next to the network)."""

    def __init__(self) -> None:
        self.deltas = 0

    def started(self, start: ArenaStart) -> None: ...
    def routed(self, request_id: str, decision: Decision) -> None: ...
    def contestant(self, request_id: str, result: ContestantResult) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...
    def merge(self, request_id: str, judge: str, sources: tuple[str, ...], text: str) -> None: ...

    def delta(self, request_id: str, *args: str) -> None:
        self.deltas += 1


def start_fake(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    ready = tmp / "fake.port"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/fakes/provider.py"), "--port", "0", "--ready-file", str(ready)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not (ready.exists() and ready.read_text().strip()):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise SystemExit("the fake provider did not start")
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{int(ready.read_text().strip())}"


def settings(root: str) -> dict[str, Any]:
    v1 = root + "/v1"
    return {
        "systemPrompt": "",
        "embeddingModel": "off",
        "maxOutputTokens": 512,
        # the baseline is one plain provider call, as a contestant's: no context, no cached answer
        "context": {"enabled": False},
        "providers": {
            "openai": {"baseUrl": v1},
            "anthropic": {"baseUrl": v1},
            "gemini": {"baseUrl": root + "/v1beta"},
            "dashscope": {"baseUrl": v1},
            "zai": {"baseUrl": v1},
            "moonshot": {"baseUrl": v1},
            "minimax": {"baseUrl": v1},
            "ollama": {"enabled": False},
        },
    }


async def measure(root: str, runs: int, sizes: list[int], db_path: Path) -> list[tuple[int, float, float]]:
    async with httpx.AsyncClient() as control:
        for i, model in enumerate(MODELS):
            scenario = {"reply": REPLY, "ttft_ms": 100 + 60 * i, "tokens_per_second": 150}
            r = await control.put(f"{root}/__fake__/scenarios/{API_NAMES.get(model, model)}", json=scenario)
            r.raise_for_status()
    env = {
        name: KEY
        for name in (
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "GEMINI_API_KEY",
            "DASHSCOPE_API_KEY",
            "ZAI_API_KEY",
            "MOONSHOT_API_KEY",
            "MINIMAX_API_KEY",
        )
    }
    engine = Engine(
        parse_settings(settings(root)),
        await open_database(db_path),
        httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=20, keepalive_expiry=60)),
        keys=KeyStore(env),
    )
    out = []
    try:
        await engine.arena("warm", PROMPT, Quiet(), models=MODELS)  # connections, tokenizers, catalog
        for n in sizes:
            battle_ms: list[float] = []
            alone_ms: list[float] = []
            for run in range(runs):
                t = time.perf_counter()
                outcome = await engine.arena(f"a{n}-{run}", PROMPT, Quiet(), models=MODELS[:n])
                battle_ms.append((time.perf_counter() - t) * 1000)
                assert all(c.status == "ok" for c in outcome.contestants), outcome.contestants
                t = time.perf_counter()
                await engine.ask(f"s{n}-{run}", PROMPT, Quiet(), model=MODELS[n - 1])
                alone_ms.append((time.perf_counter() - t) * 1000)
            out.append((n, statistics.median(battle_ms), statistics.median(alone_ms)))
    finally:
        await engine.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="2,4,8")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        proc, root = start_fake(Path(tmp))
        try:
            rows = asyncio.run(measure(root, args.runs, sizes, Path(tmp) / "bench.db"))
        finally:
            proc.terminate()
            proc.wait(10)
    print(f"arena wall time vs the slowest contestant alone (median of {args.runs} runs; target <= 1.15)")
    print(f"{'N':>3} {'battle ms':>10} {'slowest alone ms':>17} {'ratio':>6}")
    for n, battle, alone in rows:
        print(f"{n:>3} {battle:>10.0f} {alone:>17.0f} {battle / alone:>6.3f}")
    print(json.dumps({"arena_ratio": {str(n): round(b / a, 3) for n, b, a in rows}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
