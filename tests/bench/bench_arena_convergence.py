"""Convergence quality: is the arena's pick better than a random member, and as good as the
group's best single model, on battles judged blind?

    python tests/bench/bench_arena_convergence.py --data DIR [--lexical]

DIR holds a held-out set kept outside the repository (so the convergence weights cannot be
fitted to what measures them): `answers.jsonl`, one battle per line
`{"id", "prompt", "answers": {"<model>": "<text>", ...}}`, and `scores.jsonl`, the judge's
`{"id", "scores": {"<model>": 1..10}}`. The battles run through `smart-router arena --replay`
(no provider is called). Printed: the mean judge score of the pick, of a random member (the
mean of the members), of the group's best single model (per battle, the member whose mean
score over the whole set is highest: a choice made with hindsight), and of the best answer
of each battle (the oracle), with 95 % bootstrap intervals of the differences.
Targets: pick clearly above random; pick at least the best single model on average.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _interval(diffs: list[float], rounds: int = 4000) -> tuple[float, float]:
    rng = random.Random(7)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("SR_ARENA_HOLDOUT"), required=False)
    parser.add_argument("--lexical", action="store_true", help="no embedding model: lexical similarity")
    args = parser.parse_args()
    if args.data is None:
        sys.exit(
            "Give the held-out set: --data DIR (answers.jsonl and scores.jsonl), or set SR_ARENA_HOLDOUT."
        )
    battles = _lines(args.data / "answers.jsonl")
    judged = {str(r["id"]): dict(r["scores"]) for r in _lines(args.data / "scores.jsonl")}  # type: ignore[call-overload]
    with tempfile.TemporaryDirectory() as tmp:
        replay = Path(tmp) / "replay.jsonl"
        replay.write_text(
            "".join(json.dumps({"prompt": b["prompt"], "answers": b["answers"]}) + "\n" for b in battles)
        )
        settings = Path(tmp) / "settings.json"
        settings.write_text(json.dumps({"smartRouter.embeddingModel": "off"} if args.lexical else {}))
        env = {**os.environ, "SMART_ROUTER_CONFIG": str(settings), "SMART_ROUTER_DB": str(Path(tmp) / "db")}
        done = subprocess.run(
            [sys.executable, "-m", "smart_router.cli", "arena", "--replay", str(replay), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    picks = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(picks) != len(battles):
        sys.exit(f"replay failed: {done.stderr[-2000:]}")
    by_model: dict[str, list[float]] = collections.defaultdict(list)
    for b in battles:
        for model, score in judged[str(b["id"])].items():
            by_model[model].append(score)
    mean_of = {m: statistics.fmean(v) for m, v in by_model.items()}
    pick, member, best, oracle = [], [], [], []
    for b, p in zip(battles, picks, strict=True):
        scores = judged[str(b["id"])]
        pick.append(scores[p["pick"]])
        member.append(statistics.fmean(scores.values()))
        best.append(scores[max(scores, key=lambda m: mean_of[m])])
        oracle.append(max(scores.values()))
    print(f"{len(battles)} battles, {'lexical' if args.lexical else 'embedding'} similarity")
    for name, values in (
        ("pick", pick),
        ("random member", member),
        ("best single model", best),
        ("oracle", oracle),
    ):
        print(f"  {name:<18} {statistics.fmean(values):5.2f}")
    for name, other in (("random member", member), ("best single model", best)):
        diffs = [a - b for a, b in zip(pick, other, strict=True)]
        low, high = _interval(diffs)
        print(
            f"  pick - {name:<18} {statistics.fmean(diffs):+.2f}  (95 % interval {low:+.2f} .. {high:+.2f})"
        )
    print(
        "  picked:",
        ", ".join(f"{m} {n}" for m, n in collections.Counter(p["pick"] for p in picks).most_common()),
    )


if __name__ == "__main__":
    main()
