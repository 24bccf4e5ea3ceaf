"""Intent classification figures: accuracy per path (lexical = the sparse linear model alone,
embedding = the MiniLM probe alone, combined = the two blended, as `classify_async` answers) on
the MT-Bench questions mapped to our labels, on our own labelled cases (part of the training
data) and on the fresh set written before training and never trained on, and classification
latency per path. (The template-held-out figures come from `smart_router.intent.training.train`.)

    python tests/bench/bench_intent.py [--runs 20] [--no-embeddings]

MT-Bench categories map coarsely onto our intents (../shared/data/README.md): coding -> any code
intent (code_*, debugging, refactoring, test_generation, code_review, architecture count as
correct), math and reasoning -> reasoning, writing and roleplay -> writing, extraction, stem and
humanities -> general. The first turn of each question is classified. The data is read from
../shared/data/ (or $SMART_ROUTER_DATA); the benchmark exits with a message when it is absent.

The embedding path runs in the real embedding worker process (`EmbeddingService`, the packaged
all-MiniLM-L6-v2); it is skipped with a message when the model is not installed. Latencies:
the lexical path is timed over `--runs` passes of every prompt (the model read first, as
`warm_up` does); the embedding and combined paths once per prompt with the worker warm (the
combined path's own timeout is lifted for accuracy and reported separately).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests"), str(Path(__file__).resolve().parent)]

from routing_eval import read_jsonl, require_data  # noqa: E402

from smart_router.config import INTENTS  # noqa: E402
from smart_router.editor import EditorContext  # noqa: E402
from smart_router.intent import EMBEDDING_TIMEOUT_S, Classifier  # noqa: E402
from smart_router.intent.probe import embedding_text, probe  # noqa: E402
from smart_router.intent.vectors import first_vector  # noqa: E402
from support.intent_cases import CASES  # noqa: E402
from support.intent_fresh import FRESH  # noqa: E402

CODE_INTENTS = frozenset(INTENTS) - {"reasoning", "writing", "general"}
CATEGORY = {
    "coding": "code",
    "math": "reasoning",
    "reasoning": "reasoning",
    "writing": "writing",
    "roleplay": "writing",
    "extraction": "general",
    "stem": "general",
    "humanities": "general",
}

Item = tuple[str, str, EditorContext | None]
"""A prompt, its expected label (an intent, or "code" for any code intent), its editor context."""


def correct(predicted: str, expected: str) -> bool:
    return predicted in CODE_INTENTS if expected == "code" else predicted == expected


def mt_bench() -> list[Item]:
    data = require_data("mt_bench_question.jsonl")
    rows = read_jsonl(data / "mt_bench_question.jsonl")
    return [(row["turns"][0], CATEGORY[row["category"]], None) for row in rows]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency_line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"  {name:<10} p50 {percentile(ms, 0.5):7.3f} ms   p95 {percentile(ms, 0.95):7.3f} ms   "
        f"p99 {percentile(ms, 0.99):7.3f} ms   max {max(ms):7.3f} ms   (n={len(ms)})"
    )


CPU_TIMES: list[float] = []
"""The lexical path's CPU time per call (this thread only): on a busy machine the wall-clock
figures include waits for a core, these do not."""


def lexical(items: list[Item], runs: int) -> tuple[list[str], list[float]]:
    classifier = Classifier()
    asyncio.run(classifier.warm_up())
    predicted = [classifier.classify(text, editor).intent for text, _, editor in items]
    times: list[float] = []
    for _ in range(runs):
        for text, _, editor in items:
            started, cpu = time.perf_counter(), time.thread_time()
            classifier.classify(text, editor)
            times.append(time.perf_counter() - started)
            CPU_TIMES.append(time.thread_time() - cpu)
    return predicted, times


def report(title: str, items: list[Item], paths: dict[str, list[str]]) -> None:
    print(f"\n{title} ({len(items)} prompts)")
    labels = sorted({expected for _, expected, _ in items})
    for path, predicted in paths.items():
        hits = [correct(p, e) for p, (_, e, _) in zip(predicted, items, strict=True)]
        per = "  ".join(
            f"{label} {sum(h for h, (_, e, _) in zip(hits, items, strict=True) if e == label)}"
            f"/{sum(1 for _, e, _ in items if e == label)}"
            for label in labels
        )
        print(f"  {path:<10} {sum(hits) / len(hits):6.1%}   {per}")
    for path, predicted in paths.items():
        confusions = Counter(
            (e, p) for p, (_, e, _) in zip(predicted, items, strict=True) if not correct(p, e)
        )
        if confusions and path != "embedding":
            print(
                f"  {path} misses (expected -> predicted): "
                + ", ".join(f"{e}->{p} x{n}" for (e, p), n in confusions.most_common(6))
            )


async def embedding_paths(sets: dict[str, list[Item]]) -> dict[str, dict[str, tuple[list[str], list[float]]]]:
    from smart_router.embeddings import EmbeddingService

    service = EmbeddingService.start(None)
    started = time.perf_counter()
    if not await service.wait_ready(600):
        print(f"\nembedding path skipped: {service.detail}")
        await service.close()
        return {}
    print(
        f"\nembedding worker ready in {time.perf_counter() - started:.1f} s, "
        f"worker RSS {service.worker_rss_mb() or 0:.0f} MB"
    )
    classifier = Classifier(service, timeout_s=30.0)
    await classifier.warm_up()
    out: dict[str, dict[str, tuple[list[str], list[float]]]] = {}
    for name, items in sets.items():
        emb_pred, emb_times, comb_pred, comb_times = [], [], [], []
        for text, _, editor in items:
            t0 = time.perf_counter()
            votes = probe().probabilities(first_vector(await service.embed([embedding_text(text, editor)])))
            emb_times.append(time.perf_counter() - t0)
            emb_pred.append(max(votes, key=votes.__getitem__))
            t0 = time.perf_counter()
            comb_pred.append((await classifier.classify_async(text, editor)).intent)
            comb_times.append(time.perf_counter() - t0)
        out[name] = {"embedding": (emb_pred, emb_times), "combined": (comb_pred, comb_times)}
    await service.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="passes over every prompt for lexical timing")
    parser.add_argument("--no-embeddings", action="store_true", help="the lexical path only")
    args = parser.parse_args()

    sets = {
        "MT-Bench first turns, mapped": mt_bench(),
        "our own cases (tests/support/intent_cases.py, trained on)": CASES,
        "fresh set, never trained on (tests/support/intent_fresh.py)": FRESH,
    }
    lexical_results = {name: lexical(items, args.runs) for name, items in sets.items()}
    embedded = {} if args.no_embeddings else asyncio.run(embedding_paths(sets))

    for name, items in sets.items():
        paths = {"lexical": lexical_results[name][0]}
        paths.update({path: pred for path, (pred, _) in embedded.get(name, {}).items()})
        report(name, items, paths)

    print("\nclassification latency per prompt")
    print(latency_line("lexical", [t for _, times in lexical_results.values() for t in times]))
    print(latency_line("lex (cpu)", CPU_TIMES))
    for path in ("embedding", "combined"):
        times = [t for result in embedded.values() for t in result[path][1]]
        if times:
            print(latency_line(path, times))
    if embedded:
        slow = sum(t > EMBEDDING_TIMEOUT_S for r in embedded.values() for t in r["combined"][1])
        print(
            f"  combined calls over the {EMBEDDING_TIMEOUT_S * 1000:.0f} ms request timeout "
            f"(answered lexically in service): {slow}"
        )


if __name__ == "__main__":
    main()
