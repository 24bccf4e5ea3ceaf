"""The sparse linear intent model: multinomial logistic regression over the hashed features of
`vectorize.py`, trained offline (`training/train.py`) and shipped as `models/linear.bin`.

Only the buckets whose weights matter survive training (tens of thousands of the 2^18), held as
one `array('b')` of 8-bit weights per intent (with one scale per intent) plus a bucket -> row
table; a request costs a few hundred table reads and eleven integer sums. Loaded once, at warm-up
or on the first classification (about 1 MB in memory).
"""

from __future__ import annotations

import functools
import math
import operator
from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from smart_router.intent.modelfile import read_model
from smart_router.intent.vectorize import BUCKETS, Groups

__all__ = ["LinearModel", "linear_model", "softmax"]

MODEL_FILE = "linear.bin"


def softmax(logits: Sequence[float], intents: Sequence[str], temperature: float = 1.0) -> dict[str, float]:
    """Probabilities per intent from `logits`, divided by `temperature` first."""
    top = max(logits)
    exps = [math.exp((z - top) / temperature) for z in logits]
    total = sum(exps)
    return {intent: e / total for intent, e in zip(intents, exps, strict=True)}


class LinearModel:
    """Weights per intent over hashed feature buckets, and the temperature that calibrates them."""

    def __init__(self, header: Mapping[str, object], arrays: Mapping[str, array[Any]]) -> None:
        intents = header["intents"]
        assert isinstance(intents, list)
        self.intents: tuple[str, ...] = tuple(str(i) for i in intents)
        self.temperature = float(header["temperature"])  # type: ignore[arg-type]
        buckets, weights = arrays["buckets"], arrays["weights"]
        rows = len(buckets)
        self._table: array[int] = array(
            "H" if rows < 65535 else "I", bytes(BUCKETS * (2 if rows < 65535 else 4))
        )
        for row, bucket in enumerate(buckets):
            self._table[int(bucket)] = row + 1  # 0 means "no weight": row 0 of every intent is 0.0
        scales = header.get("scales")
        if isinstance(scales, list):  # 8-bit weights, one scale per intent
            self._scales = [float(x) for x in scales]
        else:
            self._scales = [1.0] * len(self.intents)
        self._weights: list[array[Any]] = [
            array(weights.typecode, [0]) + weights[k * rows : (k + 1) * rows]
            for k in range(len(self.intents))
        ]
        self._bias = [float(b) for b in arrays["bias"]]

    @property
    def size_bytes(self) -> int:
        """Memory held by the arrays."""
        return self._table.itemsize * len(self._table) + sum(w.itemsize * len(w) for w in self._weights)

    def logits(self, groups: Groups) -> list[float]:
        """One raw score per intent (in the order of `intents`)."""
        out = list(self._bias)
        lookup = self._table.__getitem__
        for buckets, scale in groups:
            rows = [row for row in map(lookup, buckets) if row]
            if not rows or not scale:
                continue
            if len(rows) == 1:
                rows.append(0)  # itemgetter of one index returns an item, not a tuple
            pick = operator.itemgetter(*rows)
            for k, weights in enumerate(self._weights):
                out[k] += scale * self._scales[k] * sum(pick(weights))
        return out

    def probabilities(self, groups: Groups) -> dict[str, float]:
        """Calibrated probability per intent."""
        return softmax(self.logits(groups), self.intents, self.temperature)


@functools.cache
def linear_model() -> LinearModel:
    """The packaged model, read once."""
    header, arrays = read_model(MODEL_FILE)
    return LinearModel(header, arrays)
