"""Context cache limits: how long measuring the size and evicting down to the cap take.

    python tests/bench/bench_context_limits.py [--mb 40] [--cap 25]

Builds a database (on disk, WAL, as the sidecar opens it) holding about `--mb` MB of context
data: document chunks of ~1.5 KB with a 384-float vector each (a third used, with relevance),
conversations of 10 messages, cached answers; then prints the time of `measure` (run after
writes) and of one `enforce` bringing it under `--cap` MB, with what it removed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests")]

from smart_router.config import ContextSettings  # noqa: E402
from smart_router.context.limits import MB, enforce, measure  # noqa: E402
from smart_router.store import open_database  # noqa: E402
from support.context_rows import add_cache, add_conversation, add_entry, add_vector  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
WORDS = [
    "def",
    "class",
    "return",
    "import",
    "self",
    "value",
    "list",
    "dict",
    "cache",
    "entry",
    "model",
    "token",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n // 6)) + f" {rng.random()}"


async def build(path: Path, mb: float) -> None:
    rng = random.Random(7)
    db = await open_database(path)
    await db.execute("BEGIN")
    size = 0
    i = 0
    while size < mb * MB:
        age = timedelta(days=rng.uniform(0, 80))
        if i % 40 == 0:
            msgs = [_text(rng, 800) for _ in range(10)]
            await add_conversation(db, msgs, updated=NOW - age)
            size += 2 * sum(len(m) for m in msgs)
        elif i % 25 == 0:
            await add_cache(db, _text(rng, 200), _text(rng, 2000), ts=NOW - age, hits=rng.randrange(4))
            size += 2200
        else:
            text = _text(rng, 1500)
            used = i % 3 == 0
            await add_entry(
                db,
                text,
                created=NOW - age,
                used=NOW - age / 2 if used else None,
                uses=2 if used else 0,
                value=rng.random() if used else 0.0,
            )
            await add_vector(db, text, created=NOW - age)
            size += len(text) + 1536
        i += 1
    await db.execute("COMMIT")
    await db.close()


async def main(mb: float, cap: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        await build(path, mb)
        print(f"built {mb:.0f} MB of context data in {time.perf_counter() - t0:.1f} s")
        db = await open_database(path)
        async with db.execute("SELECT count(*) FROM context_entries") as c:
            row = await c.fetchone()
        times = []
        for _ in range(5):
            t = time.perf_counter()
            size = await measure(db)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"entries {row[0] if row else 0}; measure: {size.total / MB:.1f} MB in {min(times):.1f} ms "
            f"(best of 5; median {sorted(times)[2]:.1f} ms)"
        )
        report = await enforce(db, ContextSettings(cache_size_mb=cap, retention_days=0), NOW)
        print(
            f"enforce to a {cap:g} MB cap: {report.bytes_before / MB:.1f} -> "
            f"{report.bytes_after / MB:.1f} MB "
            f"in {report.ms:.0f} ms; evicted {report.evicted}, {report.orphan_embeddings} orphan vectors"
        )
        report = await enforce(db, ContextSettings(cache_size_mb=cap, retention_days=0), NOW, sweep=False)
        print(f"check after a write, under the cap: {report.ms:.1f} ms")
        report = await enforce(db, ContextSettings(cache_size_mb=cap, retention_days=30), NOW)
        print(f"sweep (retention 30 days, orphans) and check: {report.ms:.0f} ms, expired {report.expired}")
        async with db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
        ) as c:
            pages = ", ".join(f"{r[0]} {r[1] / MB:.1f}" for r in await c.fetchall())
        print(f"largest tables and indexes on disk (MB): {pages}")
        await db.close()
        print(f"database file: {path.stat().st_size / MB:.1f} MB (indexes and the full-text index included)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mb", type=float, default=40)
    parser.add_argument("--cap", type=float, default=25)
    args = parser.parse_args()
    asyncio.run(main(args.mb, args.cap))
