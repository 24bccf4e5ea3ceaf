"""Response cache figures on paraphrased and near-miss questions, with the real embedding model.

    python tests/bench/bench_response_cache.py [--data FILE] [--thresholds 0.7,0.75,...] [--verbose]

The data (default tests/bench/data/response_cache_questions.jsonl, written blind to the cache's
code) holds one object a line: `{"id", "question", "paraphrases": [...], "near_misses":
[{"question", "why"}], "lang"}`. Each `question` is stored in a fresh in-memory database with an
answer naming its id, under the intent the real classifier gives it (embedding path when the model
is ready), tier "frontier", fingerprint "". Then every paraphrase is looked up (a hit is correct
when it returns that id) and every near miss (any hit is wrong), each under its own classified
intent, as the engine would. Printed:

- the shipped configuration (the `smartRouter.context.cacheSimilarity` default, guard on):
  paraphrase hit rate, precision (correct hits / all hits), near-miss false-hit rate, the exact-hit
  check (each question again, with other case, spacing and trailing punctuation), and lookup
  latency p50/p95 through the real embedding worker process (the first pass, when each asked
  prompt still has to be embedded: one worker call per lookup);
- near-miss false hits per `kind` when the data's near misses carry a `kind` field;
- the same figures at other thresholds, with and without the near-miss guard, for the trade-off.

Targets (issue 7): at least 60 % hits on the paraphrases with at least 97 % of hits correct.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from smart_router.config import ContextSettings, Settings  # noqa: E402
from smart_router.context.cache import ResponseCache  # noqa: E402
from smart_router.context.cache_match import near_miss  # noqa: E402
from smart_router.embeddings import EmbeddingService  # noqa: E402
from smart_router.intent import Classifier  # noqa: E402
from smart_router.store import open_database  # noqa: E402

DATA = ROOT / "tests" / "bench" / "data" / "response_cache_questions.jsonl"
THRESHOLDS = (0.50, 0.55, 0.60, 0.70, 0.80)


@dataclass
class Tally:
    paraphrases: int = 0
    para_correct: int = 0
    para_wrong: int = 0
    near_misses: int = 0
    nm_hits: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    nm_by_kind: dict[str, list[int]] = field(default_factory=dict)
    """Near-miss kind -> [false hits, near misses], when the data gives a `kind`."""
    failures: list[str] = field(default_factory=list)

    @property
    def hits(self) -> int:
        return self.para_correct + self.para_wrong + self.nm_hits

    def line(self, label: str) -> str:
        hit_rate = self.para_correct / self.paraphrases if self.paraphrases else 0.0
        precision = self.para_correct / self.hits if self.hits else 1.0
        nm_rate = self.nm_hits / self.near_misses if self.near_misses else 0.0
        return (
            f"{label:<22} paraphrase hits {hit_rate:6.1%} ({self.para_correct}/{self.paraphrases})  "
            f"precision {precision:6.1%} ({self.para_correct}/{self.hits})  "
            f"near-miss false hits {nm_rate:6.1%} ({self.nm_hits}/{self.near_misses})  "
            f"wrong-id paraphrase hits {self.para_wrong}"
        )


class Bench:
    def __init__(self, rows: list[dict[str, object]], embeddings: EmbeddingService) -> None:
        self.rows = rows
        self.embeddings = embeddings
        self.classifier = Classifier(embeddings)
        self.settings = Settings()
        self.intents: dict[str, str] = {}

    async def intent(self, text: str) -> str:
        if text not in self.intents:
            self.intents[text] = (await self.classifier.classify_async(text)).intent
        return self.intents[text]

    async def run(self, threshold: float, cache: ResponseCache) -> Tally:
        self.settings = Settings(context=ContextSettings(cache_similarity=threshold))
        tally = Tally()
        for row in self.rows:
            rid = str(row["id"])
            for text in row["paraphrases"]:  # type: ignore[attr-defined]
                hit, ms = await self.lookup(cache, text)
                tally.latencies_ms.append(ms)
                tally.paraphrases += 1
                if hit is None:
                    tally.failures.append(f"  miss   [{rid}] {text}")
                elif hit == rid:
                    tally.para_correct += 1
                else:
                    tally.para_wrong += 1
                    tally.failures.append(f"  WRONG  [{rid}] {text} -> {hit}")
            for near in row["near_misses"]:  # type: ignore[attr-defined]
                text = str(near["question"])
                hit, ms = await self.lookup(cache, text)
                tally.latencies_ms.append(ms)
                tally.near_misses += 1
                if "kind" in near:
                    counts = tally.nm_by_kind.setdefault(str(near["kind"]), [0, 0])
                    counts[0] += hit is not None
                    counts[1] += 1
                if hit is not None:
                    tally.nm_hits += 1
                    tally.failures.append(f"  NEAR   [{rid}] {text} -> {hit} ({near.get('why', '')})")
        return tally

    async def lookup(self, cache: ResponseCache, text: str) -> tuple[str | None, float]:
        intent = await self.intent(text)
        start = time.perf_counter()
        hit = await cache.lookup(text, intent=intent, tier="frontier", fingerprint="", workspace=None)
        ms = (time.perf_counter() - start) * 1000
        return (None if hit is None else hit.answer.removeprefix("answer for ")), ms


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


async def main(args: argparse.Namespace) -> None:
    text = Path(args.data).read_text(encoding="utf-8")  # noqa: ASYNC240 (once, before anything runs)
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    shipped = ContextSettings().cache_similarity
    print(
        f"data: {args.data}: {len(rows)} questions, "
        f"{sum(len(r['paraphrases']) for r in rows)} paraphrases, "
        f"{sum(len(r['near_misses']) for r in rows)} near misses "
        f"({sum(r.get('lang') == 'nl' for r in rows)} questions in Dutch)"
    )
    embeddings = EmbeddingService.start()
    started = time.perf_counter()
    ready = await embeddings.wait_ready(300)
    print(
        f"embedding model: {embeddings.state} after {time.perf_counter() - started:.1f} s "
        f"({embeddings.detail})"
    )
    bench = Bench(rows, embeddings)
    db = await open_database(":memory:")
    caches = {
        guarded: ResponseCache(
            db, embeddings, lambda: bench.settings, guard=near_miss if guarded else _no_guard
        )
        for guarded in (True, False)
    }
    for row in rows:
        question = str(row["question"])
        await caches[True].store(
            question,
            f"answer for {row['id']}",
            intent=await bench.intent(question),
            tier="frontier",
            fingerprint="",
            workspace=None,
            model="bench-model",
            provider="bench",
            cost_micro_usd=1000,
            files={},
        )
    exact_ok = 0
    exact_ms: list[float] = []
    for row in rows:
        variant = "  " + str(row["question"]).upper().rstrip("?!. ") + " ?  "
        start = time.perf_counter()
        hit = await caches[True].lookup(
            variant,
            intent=await bench.intent(str(row["question"])),
            tier="frontier",
            fingerprint="",
            workspace=None,
        )
        exact_ms.append((time.perf_counter() - start) * 1000)
        exact_ok += hit is not None and hit.kind == "exact" and hit.answer == f"answer for {row['id']}"
    disagree = sum(
        [
            await bench.intent(str(p)) != await bench.intent(str(r["question"]))
            for r in rows
            for p in r["paraphrases"]
        ]
    )
    total_para = sum(len(r["paraphrases"]) for r in rows)

    first = await bench.run(shipped, caches[True])
    print(
        f"\nshipped: threshold {shipped}, near-miss guard on"
        + ("" if ready else " (model not ready: exact only)")
    )
    print(first.line(f"threshold {shipped:.2f}"))
    print(
        f"exact-hit check: {exact_ok}/{len(rows)} questions found again as exact hits "
        "(other case, spacing, trailing punctuation); "
        f"exact lookup p50 {statistics.median(exact_ms):.2f} ms"
    )
    print(
        f"lookup latency (first pass, each asked prompt embedded by the worker): "
        f"p50 {_percentile(first.latencies_ms, 0.5):.1f} ms, "
        f"p95 {_percentile(first.latencies_ms, 0.95):.1f} ms, "
        f"max {max(first.latencies_ms):.1f} ms over {len(first.latencies_ms)} lookups"
    )
    print(
        "paraphrases classified with another intent than their question (cannot hit): "
        f"{disagree}/{total_para}"
    )
    for kind, (false_hits, total) in sorted(first.nm_by_kind.items()):
        print(f"  near misses of kind {kind!r}: {false_hits}/{total} false hits")
    if args.verbose:
        print("\n".join(first.failures))
    print("\ntrade-off (vectors now stored; same lookups):")
    for guarded in (True, False):
        for threshold in args.thresholds:
            tally = await bench.run(threshold, caches[guarded])
            print(tally.line(f"{threshold:.2f} guard {'on ' if guarded else 'off'}"))
    await db.close()
    await embeddings.close()


def _no_guard(asked: str, cached: str, similar: object) -> str | None:
    return None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument(
        "--thresholds", type=lambda s: [float(x) for x in s.split(",")], default=list(THRESHOLDS)
    )
    parser.add_argument("--verbose", action="store_true", help="list the misses and wrong hits")
    asyncio.run(main(parser.parse_args()))
