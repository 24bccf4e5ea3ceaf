"""Strong/weak routing on MT-Bench: how many strong calls `p_strong` needs for 95 % quality.

    python tests/bench/bench_routing_mtbench.py [--steps 20]

Data (read by path, never copied): RouteLLM's GPT-4 judge scores of gpt-4-1106-preview
(strong) and Mixtral-8x7B-Instruct (weak) on the 80 MT-Bench questions, both turns. Each
question-turn is one routing decision; a turn-2 prompt carries the turn-1 question as its
history, as the real conversation does. Prompts are ranked by `p_strong` (nothing is fitted to
these labels), and the printed curve is the average judge score against the share of strong
calls. Headline: CPT(95 %), the share of strong calls needed to reach 95 % of the strong
model's average score, against random routing (exact expected value) and the figures measured
for other routers on the same data.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from routing_eval import (
    REFERENCE_CPT95,
    classifier_or_none,
    cpt,
    curve,
    print_curve,
    random_cpt,
    read_jsonl,
    require_data,
)

from smart_router.intent.difficulty import p_strong
from smart_router.intent.types import Classification

STRONG = "gpt-4-1106-preview"
WEAK = "mistralai/Mixtral-8x7B-Instruct-v0.1"
NEUTRAL = Classification("general", 0.0, 0.5, "lexical")


def load(data: Path) -> list[tuple[int, int, str, list[str], float, float]]:
    """(question_id, turn, category, user turns so far, strong score, weak score) per question-turn."""
    questions = {q["question_id"]: q for q in read_jsonl(data / "mt_bench_question.jsonl")}
    scores: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for row in read_jsonl(data / "routellm_mt_bench_judgements.jsonl"):
        scores[(row["question_id"], row["turn"])][row["model"]] = float(row["score"])
    rows = []
    for (qid, turn), by_model in sorted(scores.items()):
        q = questions[qid]
        rows.append((qid, turn, q["category"], q["turns"][:turn], by_model[STRONG], by_model[WEAK]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=20, help="rows of the printed curve")
    args = ap.parse_args()
    data = require_data("mt_bench_question.jsonl", "routellm_mt_bench_judgements.jsonl")
    rows = load(data)
    strong = [r[4] for r in rows]
    weak = [r[5] for r in rows]
    s_avg, w_avg = sum(strong) / len(rows), sum(weak) / len(rows)
    target = 0.95 * s_avg
    print(
        f"MT-Bench: {len(rows)} question-turns\n  strong {STRONG}: avg {s_avg:.3f}\n"
        f"  weak {WEAK}: avg {w_avg:.3f}"
    )
    print(f"target: 95 % of the strong average = {target:.3f}\n")

    classifier = classifier_or_none()
    variants: dict[str, list[float]] = {"lexical cues only (no classifier)": []}
    if classifier is not None:
        variants["classifier intent + complexity + lexical cues"] = []
    elapsed = 0.0
    for _qid, _turn, _cat, turns, _s, _w in rows:
        prompt, history = turns[-1], turns[:-1]
        variants["lexical cues only (no classifier)"].append(p_strong(prompt, NEUTRAL, history=history))
        if classifier is not None:
            t0 = time.perf_counter()
            c = classifier.classify("\n\n".join(turns))
            variants["classifier intent + complexity + lexical cues"].append(
                p_strong(prompt, c, history=history)
            )
            elapsed += time.perf_counter() - t0

    headline = list(variants)[-1]
    for name, p in variants.items():
        points = curve(p, strong, weak)
        print(f"{name}: CPT(95%) = {cpt(points, target):.3f}")
    print(f"random routing (expected): CPT(95%) = {random_cpt(strong, weak):.3f}")
    for name, figure in REFERENCE_CPT95.items():
        print(f"reference, {name}: {figure:.2f}")
    if classifier is not None:
        print(f"classify + p_strong: {1000 * elapsed / len(rows):.3f} ms per prompt")

    print(f"\ncost/quality curve ({headline}):")
    print_curve(curve(variants[headline], strong, weak), steps=args.steps)

    print("\nmean p_strong and strong-weak score gap per MT-Bench category (diagnostic):")
    by_cat: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row, p in zip(rows, variants[headline], strict=True):
        by_cat[row[2]].append((p, row[4] - row[5]))
    for cat, vals in sorted(by_cat.items(), key=lambda kv: -sum(v[0] for v in kv[1])):
        mean_p = sum(v[0] for v in vals) / len(vals)
        gap = sum(v[1] for v in vals) / len(vals)
        print(f"  {cat:<12} p_strong {mean_p:.2f}   gap {gap:+.2f}")


if __name__ == "__main__":
    main()
