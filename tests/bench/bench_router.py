"""Routing decision time without embeddings: lexical classification + token counting + scoring.

Prints p50/p95/p99 of `Engine.route`-equivalent work over varied prompts with every catalog
provider keyed (~30 candidates), and of `select_model` alone. Run:
`.venv/bin/python tests/bench/bench_router.py`. CPU time (thread_time) is printed next to wall
clock, since a busy machine preempts the process and inflates the wall-clock tail.
"""

from __future__ import annotations

import os
import statistics
import time

from smart_router.catalog import load_catalog
from smart_router.config import Settings
from smart_router.intent import Classifier
from smart_router.providers import Message
from smart_router.router import Health, select_model
from smart_router.tokens import prompt_tokens, warm_up

PROMPTS = [
    "hi",
    "What is a Python list comprehension?",
    "Why does this throw KeyError: 'x'?\n```python\nd = {}\nprint(d['x'])\n```",
    "Write a function that merges two sorted lists in Go, with tests.",
    "Design a distributed rate limiter for a multi-region API gateway; explain trade-offs.",
    "Refactor this class to use dependency injection:\n"
    + "class A:\n    def __init__(self):\n        self.db = DB()\n" * 5,
    "Waarom crasht deze functie met een IndexError?",
    "Prove that the square root of 2 is irrational.",
] * 250


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    catalog = load_catalog(Settings())
    keyed = set(catalog.providers)
    classifier = Classifier()
    health = Health()
    warm_up({m.family for m in catalog.models.values()})
    for p in PROMPTS[:50]:  # warm caches
        classifier.classify(p)
    full: list[float] = []
    select_only: list[float] = []
    cpu: list[float] = []
    for p in PROMPTS:
        c0 = time.thread_time()
        t0 = time.perf_counter()
        measured = prompt_tokens((Message("system", "You are Smart Router."), Message("user", p)))
        c = classifier.classify(p)
        t1 = time.perf_counter()
        select_model(
            catalog,
            input_tokens=lambda m, measured=measured: measured.count(m.family),
            output_cap=1024,
            keyed_providers=keyed,
            classification=c,
            health=health,
            rule_tokens=measured.count("openai"),
        )
        t2 = time.perf_counter()
        cpu.append((time.thread_time() - c0) * 1000)
        full.append((t2 - t0) * 1000)
        select_only.append((t2 - t1) * 1000)
    print(f"catalog models: {len(catalog.models)}, prompts: {len(PROMPTS)}")
    print(f"load average (other work on this machine inflates the wall-clock tail): {os.getloadavg()[0]:.1f}")
    rows = (
        ("decision, wall clock", full),
        ("decision, CPU time of this thread", cpu),
        ("select_model only, wall clock", select_only),
    )
    for name, xs in rows:
        print(
            f"{name:<40} p50 {statistics.median(xs):.3f} ms  p95 {_pct(xs, 0.95):.3f} ms  "
            f"p99 {_pct(xs, 0.99):.3f} ms  max {max(xs):.3f} ms"
        )


if __name__ == "__main__":
    main()
