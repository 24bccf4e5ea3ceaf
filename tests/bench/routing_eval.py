"""Shared arithmetic for the routing benchmarks: cost/quality curves and CPT.

A router ranks prompts by `p_strong`; sending the top share `f` to the strong model and the
rest to the weak one gives an average quality. Ties in `p_strong` are broken at random, so
between two distinct values the curve is the straight line a random order gives on average.
CPT(x) is the smallest share of strong calls whose quality reaches `x` times the strong model's
average, interpolated linearly between the curve's points, as RouteLLM reports it.

The data lives outside the repository (`../shared/data/`, or `$SMART_ROUTER_DATA`); benches
skip with a message when it is absent.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "REFERENCE_CPT95",
    "Point",
    "classifier_or_none",
    "cpt",
    "curve",
    "data_dir",
    "print_curve",
    "random_cpt",
    "read_jsonl",
]

REFERENCE_CPT95 = {"LiteLLM complexity router": 0.24, "RouteLLM MF": 0.26, "random": 0.50}
"""Share of strong calls for 95 % of the strong model's quality on MT-Bench, as measured by
the project on the same data (issue 5)."""


@dataclass(frozen=True, slots=True)
class Point:
    share: float
    """Share of prompts sent to the strong model."""
    quality: float
    """Average quality (judge score) of the routed answers."""
    cost: float
    """Total cost of the routed answers (0 when the benchmark has no prices)."""


def data_dir() -> Path | None:
    here = Path(__file__).resolve().parents[2]
    for candidate in (os.environ.get("SMART_ROUTER_DATA"), here.parent / "shared" / "data"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def require_data(*names: str) -> Path:
    """The data directory holding `names`, or exit 0 with a message saying what is missing."""
    found = data_dir()
    missing = [n for n in names if found is None or not (found / n).is_file()]
    if found is None or missing:
        print(
            f"skipped: evaluation data not found ({', '.join(missing)}); put it in ../shared/data/ "
            "next to the repository or point $SMART_ROUTER_DATA at it",
        )
        sys.exit(0)
    return found


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def classifier_or_none() -> Any:
    """The project's classifier, or None (with a note) while it is not in the tree."""
    try:
        from smart_router.intent import Classifier  # type: ignore[attr-defined]
    except ImportError:
        print("note: smart_router.intent.Classifier not available; p_strong uses lexical cues only")
        return None
    return Classifier()


def curve(
    p: Sequence[float],
    strong: Sequence[float],
    weak: Sequence[float],
    strong_cost: Sequence[float] | None = None,
    weak_cost: Sequence[float] | None = None,
) -> list[Point]:
    """The curve's points at each distinct `p` value, from all-weak to all-strong."""
    n = len(p)
    sc = strong_cost or [0.0] * n
    wc = weak_cost or [0.0] * n
    order = sorted(range(n), key=lambda i: -p[i])
    quality, cost = sum(weak), sum(wc)
    points = [Point(0.0, quality / n, cost)]
    k = 0
    while k < n:
        j = k
        while j < n and p[order[j]] == p[order[k]]:
            i = order[j]
            quality += strong[i] - weak[i]
            cost += sc[i] - wc[i]
            j += 1
        k = j
        points.append(Point(k / n, quality / n, cost))
    return points


def cpt(points: Sequence[Point], target: float) -> float:
    """The smallest share of strong calls reaching `target` quality (linear interpolation)."""
    if points[0].quality >= target:
        return 0.0
    for a, b in itertools.pairwise(points):
        if b.quality >= target:
            return a.share + (b.share - a.share) * (target - a.quality) / (b.quality - a.quality)
    return 1.0


def random_cpt(strong: Sequence[float], weak: Sequence[float], fraction: float = 0.95) -> float:
    """Random routing's expected CPT: quality grows linearly with the share of strong calls."""
    s, w = sum(strong) / len(strong), sum(weak) / len(weak)
    return max(0.0, min(1.0, (fraction * s - w) / (s - w)))


def print_curve(points: Sequence[Point], *, steps: int = 20, with_cost: bool = False) -> None:
    """The curve at every 1/steps share of strong calls (interpolated)."""
    header = f"{'strong share':>12} {'avg quality':>11}" + (f" {'cost':>10}" if with_cost else "")
    print(header)
    for s in range(steps + 1):
        share = s / steps
        for a, b in itertools.pairwise(points):
            if a.share <= share <= b.share:
                t = 0.0 if b.share == a.share else (share - a.share) / (b.share - a.share)
                q = a.quality + t * (b.quality - a.quality)
                c = a.cost + t * (b.cost - a.cost)
                row = f"{share:>12.2f} {q:>11.3f}" + (f" {c:>10.4f}" if with_cost else "")
                print(row)
                break
