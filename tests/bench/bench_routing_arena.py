"""Routing on arena-bench v1: 300 real Chatbot Arena prompts, GPT-4 judge scores of 15 models.

    python tests/bench/bench_routing_arena.py [--steps 20]

Data (read by path, never copied): `arena_bench_v1_scores_wide.jsonl` (scores and answer
lengths) and `model_prices_snapshot.json` (LiteLLM's per-token prices). Prices are mapped to
the arena models where the snapshot has them (`PRICE_KEYS`; the Together AI price stands in for
the open-weight Mixtral and Mistral models). Claude 1/2.1/instant, PaLM 2, Llama-2-70b, Vicuna,
Starling, OpenChat and LLaMA-13B have no price there and are left out of cost figures.
Tokens are estimated at 4 characters each: the prompt's for input, `answer_chars` for output.

1. Strong/weak: strong = the best average model, weak = a cheap one. CPT(95 %) by `p_strong`
   and the cost/quality curve, against random routing.
2. The multi-model router: our scoring (`smart_router.router.scoring.value`, the same formula
   the router uses, `dial x log10(cost)` against the value of expected quality at the
   classifier's complexity) over the priced models, at each routing preference, against
   always-strong. Expected quality per model is the catalog's prior rule (twice the expected
   win rate against the leader, `catalog.priors.arena_score`) applied to each model's public
   LMArena rating as of December 2023 (`ARENA_RATING_2023_12`, rounded, from
   lmarena.ai's leaderboard history; nothing here is fitted to this benchmark's scores).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

from routing_eval import classifier_or_none, cpt, curve, print_curve, random_cpt, read_jsonl, require_data

from smart_router.catalog.priors import arena_score
from smart_router.intent.difficulty import p_strong
from smart_router.intent.types import Classification
from smart_router.router.scoring import COST_FLOOR_MICRO_USD, COST_POINTS_PER_DECADE, value

PRICE_KEYS = {
    "gpt-4-1106-preview": "gpt-4-1106-preview",
    "gpt-4-0314": "gpt-4",
    "gpt-3.5-turbo": "gpt-3.5-turbo",
    "gpt-3.5-turbo-1106": "gpt-3.5-turbo-1106",
    "Mixtral-8x7B-Instruct-v0.1": "together_ai/mistralai/Mixtral-8x7B-Instruct-v0.1",
    "Mistral-7B-Instruct-v0.1": "together_ai/mistralai/Mistral-7B-Instruct-v0.1",
}
"""Arena model -> key in model_prices_snapshot.json."""

ARENA_RATING_2023_12 = {
    "gpt-4-1106-preview": 1250,
    "gpt-4-0314": 1190,
    "Mixtral-8x7B-Instruct-v0.1": 1120,
    "gpt-3.5-turbo": 1115,
    "gpt-3.5-turbo-1106": 1070,
    "Mistral-7B-Instruct-v0.1": 1020,
}
"""Approximate public LMArena ratings of the priced models, December 2023 (rounded)."""

CHARS_PER_TOKEN = 4
WEAK_MODELS = ("Mixtral-8x7B-Instruct-v0.1", "gpt-3.5-turbo")
NEUTRAL = Classification("general", 0.0, 0.5, "lexical")


def prices(data: Path) -> dict[str, tuple[float, float]]:
    snapshot = json.loads((data / "model_prices_snapshot.json").read_text(encoding="utf-8"))
    out = {}
    for model, key in PRICE_KEYS.items():
        entry = snapshot.get(key) or {}
        if entry.get("input_cost_per_token") is not None and entry.get("output_cost_per_token") is not None:
            out[model] = (float(entry["input_cost_per_token"]), float(entry["output_cost_per_token"]))
    return out


def cost(row: dict[str, Any], model: str, price: tuple[float, float]) -> float:
    tokens_in = len(row["prompt"]) / CHARS_PER_TOKEN
    tokens_out = row["answer_chars"][model] / CHARS_PER_TOKEN
    return tokens_in * price[0] + tokens_out * price[1]


def strong_weak(
    rows: list[dict[str, Any]], ps: list[float], strong: str, weak: str, price: Any, steps: int
) -> None:
    keep = [
        i
        for i, r in enumerate(rows)
        if r["scores"].get(strong) is not None and r["scores"].get(weak) is not None
    ]
    s = [rows[i]["scores"][strong] for i in keep]
    w = [rows[i]["scores"][weak] for i in keep]
    sc = [cost(rows[i], strong, price[strong]) for i in keep]
    wc = [cost(rows[i], weak, price[weak]) for i in keep]
    points = curve([ps[i] for i in keep], s, w, sc, wc)
    target = 0.95 * sum(s) / len(s)
    share = cpt(points, target)
    print(f"\nstrong {strong} (avg {sum(s) / len(s):.3f}, ${sum(sc):.2f} for all) / weak {weak} ", end="")
    print(f"(avg {sum(w) / len(w):.3f}, ${sum(wc):.2f}); {len(keep)} prompts")
    print(f"  CPT(95%) by p_strong: {share:.3f}   random routing (expected): {random_cpt(s, w):.3f}")
    for a, b in itertools.pairwise(points):
        if a.share <= share <= b.share:
            t = 0.0 if b.share == a.share else (share - a.share) / (b.share - a.share)
            spent = a.cost + t * (b.cost - a.cost)
            print(f"  cost at CPT(95%): ${spent:.2f} = {spent / sum(sc):.1%} of always-strong")
            break
    print_curve(points, steps=steps, with_cost=True)


def multi_model(rows: list[dict[str, Any]], classes: list[Classification], price: Any, strong: str) -> None:
    models = [m for m in ARENA_RATING_2023_12 if m in price]
    top = max(ARENA_RATING_2023_12.values())
    prior = {m: arena_score(ARENA_RATING_2023_12[m], top) for m in models}
    keep = [i for i, r in enumerate(rows) if all(r["scores"].get(m) is not None for m in models)]
    base_q = sum(rows[i]["scores"][strong] for i in keep) / len(keep)
    base_c = sum(cost(rows[i], strong, price[strong]) for i in keep)
    print(f"\nmulti-model router over {len(models)} priced models, {len(keep)} prompts (our scoring)")
    print("  priors: " + ", ".join(f"{m} {prior[m]:.1f}" for m in models))
    print(
        f"  {'routing':<28} {'avg quality':>11} {'% of strong':>11} {'cost $':>8} {'% of strong':>11}  picks"
    )
    print(f"  {'always ' + strong:<28} {base_q:>11.3f} {100.0:>10.1f}% {base_c:>8.2f} {100.0:>10.1f}%")
    for dial, per_decade in COST_POINTS_PER_DECADE.items():
        q_sum = c_sum = 0.0
        picks: dict[str, int] = {}
        for i in keep:
            row, c = rows[i], classes[i]

            def score(
                m: str, row: dict[str, Any] = row, c: Classification = c, w: float = per_decade
            ) -> float:
                micro = max(COST_FLOOR_MICRO_USD, cost(row, m, price[m]) * 1e6)
                return value(prior[m], c.complexity) - w * math.log10(micro)

            best = max(models, key=score)
            picks[best] = picks.get(best, 0) + 1
            q_sum += row["scores"][best]
            c_sum += cost(row, best, price[best])
        mix = ", ".join(f"{m} {n}" for m, n in sorted(picks.items(), key=lambda kv: -kv[1]))
        q = q_sum / len(keep)
        print(f"  {'router, ' + dial:<28} {q:>11.3f} {100 * q / base_q:>10.1f}% {c_sum:>8.2f} ", end="")
        print(f"{100 * c_sum / base_c:>10.1f}%  {mix}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=20, help="rows of each printed curve")
    args = ap.parse_args()
    data = require_data("arena_bench_v1_scores_wide.jsonl", "model_prices_snapshot.json")
    rows = list(read_jsonl(data / "arena_bench_v1_scores_wide.jsonl"))
    price = prices(data)
    models = list(rows[0]["scores"])
    avg = {m: sum(r["scores"][m] for r in rows if r["scores"].get(m) is not None) for m in models}
    count = {m: sum(1 for r in rows if r["scores"].get(m) is not None) for m in models}
    strong = max(models, key=lambda m: avg[m] / count[m])
    print(f"arena-bench v1: {len(rows)} prompts, {len(models)} models; priced: {', '.join(sorted(price))}")
    print(f"best average: {strong}")

    classifier = classifier_or_none()
    classes = [classifier.classify(r["prompt"]) if classifier else NEUTRAL for r in rows]
    ps = [p_strong(r["prompt"], c) for r, c in zip(rows, classes, strict=True)]
    for weak in WEAK_MODELS:
        strong_weak(rows, ps, strong, weak, price, args.steps)
    multi_model(rows, classes, price, strong)


if __name__ == "__main__":
    main()
