"""Embedding figures: worker load time, throughput, latency, and the memory of sidecar and worker.

    python tests/bench/bench_embeddings.py [--short 200] [--bulk 1024]

Part 1, the service in this process (as the CLI and `route --batch` use it):
- load: `EmbeddingService.start` -> `ready` (spawn, import of sentence-transformers, model load,
  one warm-up pass), and the worker's own figure for import + load;
- latency of one short prompt, one call at a time: median, p95 (issue 5's target for a whole
  routing decision with the model warm: p95 < 30 ms on 2 cores), p99;
- throughput: texts/s one text per call, 64 texts per call, and 64 concurrent one-text callers
  (which the service gathers into batches).

Part 2, the real sidecar (`python -m smart_router`) over LSP with the embedding model on:
time from `initialized` to `smartRouter/status` ready, then the resident memory of the sidecar and
of its worker, reported separately: idle after start-up, and after a few `smartRouter/route`
requests (which use the embedding path). Target: the sidecar's idle RSS < 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from fakes.provider import FakeProvider  # noqa: E402
from smart_router.embeddings import EmbeddingService, process_rss_mb  # noqa: E402

KEY = "sk-test-bench-0001"
PROMPTS = [
    "Why does my for loop skip the last element?",
    "Write a function that parses ISO dates in TypeScript",
    "Explain what this regex does",
    "Add unit tests for the cache class",
    "Waarom geeft deze functie undefined terug?",
    "Refactor this into smaller functions",
    "What is the capital of Australia?",
    "Review my pull request for thread safety",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def service_figures(short: int, bulk: int) -> None:
    started = time.perf_counter()
    service = EmbeddingService.start(None)
    if not await service.wait_ready(300):
        print(f"embedding model not ready: {service.state}: {service.detail}")
        return
    load_s = time.perf_counter() - started
    try:
        for p in PROMPTS:  # warm-up
            await service.embed([p])
        latencies = []
        for i in range(short):
            t0 = time.perf_counter()
            await service.embed([f"{PROMPTS[i % len(PROMPTS)]} ({i})"])
            latencies.append((time.perf_counter() - t0) * 1000)
        single_rate = short / (sum(latencies) / 1000)

        texts = [f"{PROMPTS[i % len(PROMPTS)]} variant {i}" for i in range(bulk)]
        t0 = time.perf_counter()
        for i in range(0, bulk, 64):
            await service.embed(texts[i : i + 64])
        batch_rate = bulk / (time.perf_counter() - t0)

        t0 = time.perf_counter()
        for i in range(0, bulk, 64):
            await asyncio.gather(*(service.embed([t]) for t in texts[i : i + 64]))
        gathered_rate = bulk / (time.perf_counter() - t0)

        print(f"embedding service ({service.model_name}, {service.dim} dimensions, {os.cpu_count()} cores)")
        print(
            f"  worker load: {load_s:5.2f} s from start to ready "
            f"(the worker's import + load + warm-up: {service.load_seconds:.2f} s)"
        )
        print(
            f"  one short prompt, {short} calls: median {statistics.median(latencies):6.2f} ms   "
            f"p95 {pct(latencies, 0.95):6.2f} ms   p99 {pct(latencies, 0.99):6.2f} ms"
        )
        print(
            f"  throughput: {single_rate:7.1f} texts/s at batch 1, {batch_rate:7.1f} texts/s at batch 64, "
            f"{gathered_rate:7.1f} texts/s from 64 concurrent one-text callers"
        )
        print(
            f"  memory: worker {service.worker_rss_mb() or float('nan'):6.1f} MB, "
            f"this process {process_rss_mb(os.getpid()) or float('nan'):6.1f} MB"
        )
    finally:
        await service.close()


def _worker_of(pid: int) -> int | None:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if ppid == pid and b"smart_router.embeddings.worker" in cmdline:
            return int(stat.parent.name)
    return None


async def sidecar_figures(embedding_model: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as d, FakeProvider() as fake:
        tmp = Path(d)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp),
            "XDG_DATA_HOME": str(tmp / "data"),
            "SMART_ROUTER_DB": str(tmp / "bench.db"),
            "SMART_ROUTER_CONFIG": str(tmp / "none.json"),
            "OPENAI_API_KEY": KEY,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        lsp = LanguageClient("bench", "1")
        ready = asyncio.Event()
        states: list[str] = []

        def on_status(params: Any) -> None:
            states.append(params.state)
            if params.state != "loading":
                ready.set()

        lsp.feature("smartRouter/status")(on_status)
        for method in ("smartRouter/routed", "smartRouter/budgetChanged", "smartRouter/stream"):
            lsp.feature(method)(lambda params: None)
        await lsp.start_io(sys.executable, "-m", "smart_router", env=env)
        server = lsp._server
        assert server is not None and server.stderr is not None
        stderr = server.stderr

        async def drain() -> None:
            while await stderr.read(65536):
                pass

        drainer = asyncio.ensure_future(drain())
        await lsp.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                initialization_options={
                    "settings": {
                        "providers": {"openai": {"baseUrl": fake.base_url}},
                        "embeddingModel": embedding_model,
                    }
                },
            )
        )
        t0 = time.perf_counter()
        lsp.initialized(types.InitializedParams())
        await asyncio.wait_for(ready.wait(), 300)
        to_ready = time.perf_counter() - t0
        await asyncio.sleep(2.0)  # the rest of the warm-up (tokenizer, connections)
        await lsp.protocol.send_request_async("smartRouter/budgetStatus", {})
        worker = _worker_of(server.pid)
        idle = (process_rss_mb(server.pid), process_rss_mb(worker) if worker else None)

        async def route(prompt: str) -> float:
            t = time.perf_counter()
            await lsp.protocol.send_request_async("smartRouter/route", {"prompt": prompt})
            return (time.perf_counter() - t) * 1000

        cold_ms = [await route(p) for p in PROMPTS * 3]
        # the classifier embeds its exemplars once the model is ready; until then a route waits for
        # the embedding path only up to its timeout. Wait (60 s at most) until routes are quick.
        t_warm = time.perf_counter()
        for _ in range(60):
            if await route(PROMPTS[0]) < 60:
                break
            await asyncio.sleep(1)
        warm_after = time.perf_counter() - t_warm
        route_ms = [await route(f"{p} ({i})") for i, p in enumerate(PROMPTS * 10)]
        await asyncio.sleep(0.5)
        used = (process_rss_mb(server.pid), process_rss_mb(worker) if worker else None)
        await lsp.shutdown_async(None)
        lsp.exit(None)
        await lsp.stop()
        drainer.cancel()
    return {
        "state": states[-1],
        "to_ready": to_ready,
        "idle": idle,
        "used": used,
        "cold_ms": cold_ms,
        "warm_after": warm_after,
        "route_ms": route_ms,
    }


def _mb(value: float | None) -> str:
    return f"{value:6.1f} MB" if value is not None else "     - "


async def main(short: int, bulk: int) -> None:
    await service_figures(short, bulk)
    on = await sidecar_figures("")
    off = await sidecar_figures("off")
    print("sidecar over LSP (memory reported separately for the sidecar and its embedding worker)")
    print(f"  initialized -> smartRouter/status {on['state']}: {on['to_ready']:5.2f} s")
    for name, fig in (("embeddings on ", on), ("embeddings off", off)):
        (s_idle, w_idle), (s_used, w_used) = fig["idle"], fig["used"]
        cold, route = fig["cold_ms"], fig["route_ms"]
        print(
            f"  {name}: sidecar idle {_mb(s_idle)} (target < 100 MB), after routes {_mb(s_used)}; "
            f"worker idle {_mb(w_idle)}, after routes {_mb(w_used)}"
        )
        print(
            f"    smartRouter/route right after ready: median {statistics.median(cold):6.2f} ms, "
            f"p95 {pct(cold, 0.95):6.2f} ms; quick {fig['warm_after']:4.1f} s later: median "
            f"{statistics.median(route):6.2f} ms, p95 {pct(route, 0.95):6.2f} ms ({len(route)} routes)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", type=int, default=200, help="one-prompt calls timed")
    parser.add_argument("--bulk", type=int, default=1024, help="texts embedded for the batch figures")
    args = parser.parse_args()
    asyncio.run(main(args.short, args.bulk))
