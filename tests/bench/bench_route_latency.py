"""Routing decision latency and the batch command's wall time, on prompts generated here.

    python tests/bench/bench_route_latency.py [--prompts 2000] [--batch 1000] [--no-embeddings]

1. Without embeddings: p50/p95/p99 of `p_strong` alone, of the lexical classification plus
   `p_strong`, and of a whole `Engine.route` (token count, classification, scoring) in process.
   Target: p99 < 1 ms for the decision.
2. With the embedding model warm: the same `Engine.route` with the embedding classifier.
   Target: p95 < 30 ms on 2 cores.
3. `smart-router route --batch` on 1,000 prompts in a fresh process, model load included, with
   and without embeddings. Target: well under a minute.

Prompts are combinations of templates written for this benchmark (greetings, questions, code
with stack traces, maths, Dutch), 5 to 4,000 characters; no evaluation data is read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from smart_router.batch import RoutingOnlyKeys
from smart_router.config import Settings
from smart_router.engine import Engine
from smart_router.intent import Classifier
from smart_router.intent.difficulty import p_strong

OPENERS = ["", "Hi! ", "Quick question: ", "Could you help me? ", "Hoi, ", "I am stuck. "]
ASKS = [
    "what is the capital of Portugal?",
    "explain what this function does",
    "why does this throw a KeyError?",
    "write unit tests for the class below",
    "refactor this to use a dataclass",
    "prove that the square root of 3 is irrational",
    "a shop sells pens at 3 for 2 euros; how much do 17 pens cost, exactly?",
    "design a rate limiter for a multi-region API with 10k requests per second",
    "translate 'see you tomorrow' into German",
    "schrijf een functie die een lijst omkeert zonder reverse()",
    "review this pull request for race conditions",
    "write a limerick about a cat who codes",
    "add docstrings to every public method",
    "waarom faalt deze test op CI maar niet lokaal?",
]
CODE = [
    "def total(items):\n    return sum(i.price for i in items)\n",
    "class Cache:\n    def __init__(self):\n        self.data = {}\n"
    "    def get(self, k):\n        return self.data[k]\n",
    "function add(a, b) {\n  return a + b;\n}\n",
    'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n'
    "    main()\nKeyError: 'id'\n",
    "SELECT name, COUNT(*) FROM orders GROUP BY name HAVING COUNT(*) > 3;\n",
]
TAILS = ["", " Keep it short.", " Use Python 3.12.", " Output JSON only.", " Explain each step."]


def prompts(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        text = rnd.choice(OPENERS) + rnd.choice(ASKS) + rnd.choice(TAILS)
        if rnd.random() < 0.4:
            text += "\n\n```\n" + "".join(rnd.choice(CODE) for _ in range(rnd.choice((1, 2, 5, 20)))) + "```"
        out.append(text[:4000])
    return out


def pct(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {q[49]:.3f} ms  p95 {q[94]:.3f} ms  p99 {q[98]:.3f} ms  max {max(samples):.3f} ms"


def timed(fn: Callable[[str], object], texts: list[str]) -> list[float]:
    out = []
    for t in texts:
        start = time.perf_counter()
        fn(t)
        out.append((time.perf_counter() - start) * 1000)
    return out


def cpu_timed(fn: Callable[[str], object], texts: list[str]) -> list[float]:
    """CPU time of this thread per call: the cost itself, without waits for a busy machine's cores."""
    out = []
    for t in texts:
        start = time.thread_time()
        fn(t)
        out.append((time.thread_time() - start) * 1000)
    return out


async def timed_async(fn: Callable[[str], Awaitable[object]], texts: list[str]) -> list[float]:
    out = []
    for t in texts:
        start = time.perf_counter()
        await fn(t)
        out.append((time.perf_counter() - start) * 1000)
    return out


async def in_process(texts: list[str], embeddings: bool) -> None:
    classifier = Classifier()
    for t in texts[:50]:  # warm caches and regexes
        p_strong(t, classifier.classify(t))
    fixed = classifier.classify(texts[0])
    print(f"p_strong alone:                     {pct(timed(lambda t: p_strong(t, fixed), texts))}")
    both = timed(lambda t: p_strong(t, classifier.classify(t)), texts)
    print(f"lexical classify + p_strong:        {pct(both)}")
    both_cpu = cpu_timed(lambda t: p_strong(t, classifier.classify(t)), texts)
    print(f"  the same, CPU time:               {pct(both_cpu)}")
    print(f"p_strong alone, CPU time:           {pct(cpu_timed(lambda t: p_strong(t, fixed), texts))}")
    print(f"load average {os.getloadavg()[0]:.1f} (wall-clock tails grow with it)")
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Settings(), Path(tmp) / "bench.db")
        engine.keys = RoutingOnlyKeys()
        await engine.discover_local_models()
        try:
            for t in texts[:50]:
                await engine.route(t)

            async def route(t: str) -> float:
                d = await engine.route(t)
                return p_strong(t, d.classification) if d.classification else 0.0

            print(f"Engine.route + p_strong (lexical):  {pct(await timed_async(route, texts))}")
            if not embeddings:
                return
            from smart_router.embeddings import EmbeddingService

            service = EmbeddingService.start(None)
            start = time.perf_counter()
            if not await service.wait_ready(180):
                print(f"embedding model not available: {service.state} ({service.detail})")
                await service.close()
                return
            engine.classifier = Classifier(embeddings=service)
            await engine.classifier.warm_up()
            print(f"embedding model ready and exemplars embedded in {time.perf_counter() - start:.1f} s")
            sample = texts[: min(len(texts), 300)]
            for t in sample[:20]:
                await engine.route(t)
            sources: dict[str, int] = {}

            async def route_emb(t: str) -> None:
                d = await engine.route(t)
                if d.classification:
                    sources[d.classification.source] = sources.get(d.classification.source, 0) + 1

            print(f"Engine.route (embedding model warm): {pct(await timed_async(route_emb, sample))}")
            print(f"  decided by: {sources} (lexical = the embedding vote agreed or missed its deadline)")
            await service.close()
        finally:
            await engine.close()


def batch_wall_time(texts: list[str], embeddings: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        path.write_text("".join(json.dumps({"prompt": t}) + "\n" for t in texts), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
        env |= {"SMART_ROUTER_CONFIG": str(Path(tmp) / "s.json"), "SMART_ROUTER_DB": str(Path(tmp) / "d.db")}
        args = [sys.executable, "-m", "smart_router.cli", "route", "--batch", str(path), "--json"]
        args += ["--models", "gpt-5,gpt-4o-mini"] + ([] if embeddings else ["--no-embeddings"])
        start = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        rows = [json.loads(line) for line in done.stdout.splitlines()]
        strong = sum(1 for r in rows if r.get("model") == "gpt-5")
        by = {}
        for r in rows:
            by[r.get("classifier")] = by.get(r.get("classifier"), 0) + 1
        label = "with embeddings" if embeddings else "lexical"
        print(
            f"batch of {len(texts)} ({label}): {wall:.1f} s wall, exit {done.returncode}, {len(rows)} rows, "
        )
        print(f"  {strong} to the strong model, classified by {by}")
        if done.returncode:
            print(done.stderr[-2000:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompts", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--no-embeddings", action="store_true", help="skip the embedding measurements")
    args = ap.parse_args()
    texts = prompts(args.prompts)
    sizes = sorted(len(t) for t in texts)
    median = sizes[len(sizes) // 2]
    print(f"{len(texts)} prompts, {sizes[0]}-{sizes[-1]} chars (median {median}); cores {os.cpu_count()}")
    asyncio.run(in_process(texts, not args.no_embeddings))
    batch = prompts(args.batch, seed=11)
    batch_wall_time(batch, embeddings=False)
    if not args.no_embeddings:
        batch_wall_time(batch, embeddings=True)


if __name__ == "__main__":
    main()
