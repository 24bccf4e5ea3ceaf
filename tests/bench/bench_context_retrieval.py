"""Context retrieval figures: `ContextService.gather` over 1k to 100k stored entries.

    python tests/bench/bench_context_retrieval.py [--sizes 1000,10000,30000,100000] [--queries 60]

For each size, a fresh SQLite database is filled with synthetic but realistic entries (Python-,
TypeScript- and Go-like functions and prose paragraphs from a shared vocabulary, across three
workspaces and a few hundred files, some notes and conversation messages), each with a random
unit vector of dimension 384 in `embeddings` and its row in the full-text index. Questions come
with a precomputed vector near one stored entry (so some entries clear the relevance floor, as
real questions do), so the figures are the retrieval itself: loading the vector index (once),
cosine + boosts over every entry (numpy), the keyword pass over entries without a vector, reading
the chosen rows, and fitting them into a 4,000-token budget with the claude tokenizer.

Printed: index load time, gather p50/p95/max per size (targets: p95 < 20 ms at 10k, < 100 ms at
100k), the growth curve, the sidecar memory the index adds (RSS before/after loading it, and the
arrays' own bytes), and, when the embedding model is installed, the time to embed one question
through the worker (what an ask adds on top, off the database).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "server")]

from smart_router.config import Settings  # noqa: E402
from smart_router.context.indexer import model_key  # noqa: E402
from smart_router.context.service import ContextService  # noqa: E402
from smart_router.context.store import content_hash  # noqa: E402
from smart_router.editor import EditorContext  # noqa: E402
from smart_router.embeddings import EmbeddingService, process_rss_mb  # noqa: E402
from smart_router.store import open_database  # noqa: E402

DIM = 384
_VOCABULARY = """
budget ledger invoice parse config router model token cache request response stream
provider retry timeout embed vector index query search file workspace session message
prompt answer cost limit reserve settle forecast report user note chunk symbol decode
encode client server worker queue batch merge split format render panel status health
circuit fallback arena vote rating
"""
WORDS = _VOCABULARY.split()


class _ReadyEmbeddings:
    """Stands in for the worker: ready, answering with the question's precomputed vector."""

    state = "ready"
    detail = "bench"
    model_path = ""
    model_name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        self.next: bytes = b""

    async def embed(self, texts: list[str]) -> list[bytes]:
        return [self.next for _ in texts]

    async def wait_ready(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        return True


def _unit(rng: random.Random) -> list[float]:
    v = [rng.gauss(0, 1) for _ in range(DIM)]
    n = sum(x * x for x in v) ** 0.5
    return [x / n for x in v]


def _text(rng: random.Random, i: int) -> tuple[str, str]:
    a, b, c = rng.sample(WORDS, 3)
    kind = i % 4
    if kind == 0:
        body = "\n".join(
            f"    {rng.choice(WORDS)}_{k} = {rng.choice(WORDS)}({a}, {k})" for k in range(rng.randint(4, 18))
        )
        return (
            f"{a}_{b}",
            f"def {a}_{b}({c}, options=None):\n    '''{a.title()} the {b} of a {c}.'''\n"
            f"{body}\n    return {c}",
        )
    if kind == 1:
        body = "\n".join(
            f"  const {rng.choice(WORDS)}{k} = this.{b}.{rng.choice(WORDS)}({k});"
            for k in range(rng.randint(4, 15))
        )
        return (
            f"{a}{b.title()}",
            f"export async function {a}{b.title()}({c}: {c.title()}): Promise<void> {{\n{body}\n}}",
        )
    if kind == 2:
        body = "\n".join(
            f"\t{rng.choice(WORDS)} := {c}.{rng.choice(WORDS).title()}({k})"
            for k in range(rng.randint(3, 12))
        )
        return (
            f"{a.title()}.{b.title()}",
            f"func (s *{a.title()}) {b.title()}({c} string) error {{\n{body}\n\treturn nil\n}}",
        )
    sentences = [
        " ".join(rng.choices(WORDS, k=rng.randint(8, 16))).capitalize() + "."
        for _ in range(rng.randint(2, 6))
    ]
    return f"lines {i}-{i + 12}", " ".join(sentences)


def _fill(path: Path, size: int, seed: int) -> list[list[float]]:
    """Write `size` entries with vectors; returns the vectors (to aim questions near them)."""
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('conv', 't', 'x', 'x')")
    vectors: list[list[float]] = []
    entries, fts, embeddings = [], [], []
    now = time.time()
    model = "all-MiniLM-L6-v2"
    for i in range(1, size + 1):
        label, text = _text(rng, i)
        text = f"{text}\n# {i}"  # every text distinct
        digest = content_hash(text)
        workspace = f"/ws{i % 3}"
        kind = "note" if i % 200 == 0 else "message" if i % 50 == 0 else "document"
        uri = f"file://{workspace}/src/file{i % 300}.py" if kind == "document" else None
        created = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now - rng.uniform(0, 60 * 86400)))
        start = (i * 13) % 400
        entries.append(
            (
                i,
                kind,
                workspace,
                uri,
                label,
                start,
                start + text.count("\n"),
                text,
                digest,
                len(text) // 4,
                "conv" if kind == "message" else None,
                created,
                int(kind == "note"),
            )
        )
        fts.append((i, text))
        v = _unit(rng)
        vectors.append(v)
        embeddings.append((digest, model, DIM, array("f", v).tobytes(), created))
    db.executemany(
        "INSERT INTO context_entries (id, kind, workspace, uri, label, start_line, end_line, text, "
        "content_hash, "
        "tokens, conversation_id, created_at, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries,
    )
    db.executemany("INSERT INTO context_fts (rowid, text) VALUES (?, ?)", fts)
    db.executemany("INSERT INTO embeddings VALUES (?, ?, ?, ?, ?)", embeddings)
    db.commit()
    db.close()
    return vectors


def _near(rng: random.Random, targets: list[list[float]]) -> bytes:
    """A question vector about as close to each of `targets` as real questions are to the
    chunks that answer them (cosine ~0.35-0.45), with noise."""
    v = _unit(rng)
    for t in targets:
        v = [a + 0.5 * b for a, b in zip(v, t, strict=True)]
    n = sum(x * x for x in v) ** 0.5
    return array("f", [x / n for x in v]).tobytes()


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _run_size(size: int, queries: int, folder: Path) -> dict[str, Any]:
    path = folder / f"ctx-{size}.db"
    db = await open_database(path)  # the schema
    await db.close()
    t0 = time.perf_counter()
    vectors = _fill(path, size, seed=size)
    fill_s = time.perf_counter() - t0
    db = await open_database(path)
    fake = _ReadyEmbeddings()
    settings = Settings()
    svc = ContextService(db, cast(EmbeddingService, fake), lambda: settings)
    rng = random.Random(7)
    t0 = time.perf_counter()
    assert await svc.indexer.run_once() == 0  # the indexer's catch-up: every entry has its vector
    catch_up_ms = (time.perf_counter() - t0) * 1000
    rss_before = process_rss_mb(_pid()) or 0.0
    t0 = time.perf_counter()
    await svc.index.ensure_loaded()
    load_ms = (time.perf_counter() - t0) * 1000
    rss_after = process_rss_mb(_pid()) or 0.0
    assert len(svc.index) == size and svc.index.model == model_key(cast(EmbeddingService, fake))
    times, counts = [], []
    for n in range(queries + 5):
        ws_index = rng.randrange(3)
        targets = [rng.randrange(size // 3) * 3 + (ws_index + 2) % 3 + 1 for _ in range(6)]
        fake.next = _near(rng, [vectors[t - 1] for t in targets if t <= size])
        question = " ".join(rng.sample(WORDS, 6))
        ws = f"/ws{ws_index}"
        editor = EditorContext(file_path=f"{ws}/src/file{rng.randrange(300)}.py", workspace=ws)
        t0 = time.perf_counter()
        g = await svc.gather(
            question, editor=editor, workspace=ws, conversation_id="conv", budget_tokens=4000, family="claude"
        )
        elapsed = (time.perf_counter() - t0) * 1000
        if n >= 5:  # the first few warm the tokenizer and SQLite's cache
            times.append(elapsed)
            counts.append(len(g.items))
        assert g.mode == "embedding"
    await svc.close()
    await db.close()
    return {
        "size": size,
        "fill_s": fill_s,
        "load_ms": load_ms,
        "catch_up_ms": catch_up_ms,
        "p50": statistics.median(times),
        "p95": _pct(times, 95),
        "max": max(times),
        "items": statistics.mean(counts),
        "rss_mb": rss_after - rss_before,
        "array_mb": svc.index.nbytes() / 1e6,
    }


def _pid() -> int:
    import os

    return os.getpid()


async def _query_embedding(n: int) -> None:
    service = EmbeddingService.start("")
    try:
        if not await service.wait_ready(180):
            print(f"\nquery embedding: skipped ({service.state}: {service.detail})")
            return
        times = []
        for i in range(n + 3):
            t0 = time.perf_counter()
            await service.embed([f"where is the {WORDS[i % len(WORDS)]} parsed from the settings file?"])
            if i >= 3:
                times.append((time.perf_counter() - t0) * 1000)
        print(
            f"\nquery embedding through the worker ({service.model_name}): "
            f"p50 {statistics.median(times):.1f} ms, "
            f"p95 {_pct(times, 95):.1f} ms over {n} questions (an ask adds this before ranking)"
        )
    finally:
        await service.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000,100000")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--no-model", action="store_true", help="skip the query-embedding figure")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"gather() over N entries, {args.queries} questions each, budget 4000 claude tokens, dim {DIM}")
    print(
        f"{'entries':>8} {'fill s':>7} {'load ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'items':>6} {'RSS +MB':>8} {'arrays MB':>9}"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = await _run_size(size, args.queries, Path(tmp))
            results.append(r)
            print(
                f"{r['size']:>8} {r['fill_s']:>7.1f} {r['load_ms']:>8.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
                f"{r['max']:>7.1f} {r['items']:>6.1f} {r['rss_mb']:>8.1f} {r['array_mb']:>9.1f}"
            )
    print("\ngrowth (p95 relative to the smallest size):")
    base = results[0]
    for r in results:
        bar = "#" * max(1, round(40 * r["p95"] / max(x["p95"] for x in results)))
        print(f"  {r['size']:>7}: x{r['p95'] / base['p95']:>5.1f}  {bar}")
    for r in results:
        target = 20 if r["size"] <= 10_000 else 100 if r["size"] <= 100_000 else None
        if target is not None and r["size"] in (10_000, 100_000):
            verdict = "met" if r["p95"] < target else "MISSED"
            print(f"target p95 < {target} ms at {r['size']:,}: {verdict} ({r['p95']:.1f} ms)")
    if args.no_model:
        print("\nquery embedding: skipped (--no-model)")
    else:
        await _query_embedding(30)


if __name__ == "__main__":
    asyncio.run(main())
