"""The embedding probe: multinomial logistic regression over the 384-d all-MiniLM-L6-v2 vector of
a request, trained offline (`training/train.py`) and shipped as `models/probe.bin`, with the
weights that blend it with the linear model. Eleven dot products of 384 floats in pure Python
(about 0.2 ms); the vector comes from the embedding worker process.
"""

from __future__ import annotations

import functools
import math
import operator
from array import array
from collections.abc import Mapping, Sequence

from smart_router.config import INTENTS
from smart_router.editor import EditorContext
from smart_router.intent.linear import softmax
from smart_router.intent.modelfile import read_model

__all__ = ["Probe", "blend", "embedding_text", "probe"]

MODEL_FILE = "probe.bin"


class Probe:
    """Per-intent weights over an embedding, its temperature, and the blend weights."""

    def __init__(self, header: Mapping[str, object], arrays: Mapping[str, array[float]]) -> None:
        intents = header["intents"]
        assert isinstance(intents, list)
        self.intents: tuple[str, ...] = tuple(str(i) for i in intents)
        self.dim = int(header["dim"])  # type: ignore[call-overload]
        self.model = str(header["model"])
        """The embedding model the probe was trained on."""
        self.temperature = float(header["temperature"])  # type: ignore[arg-type]
        self.linear_weight = float(header["blend_linear"])  # type: ignore[arg-type]
        self.probe_weight = float(header["blend_probe"])  # type: ignore[arg-type]
        weights = arrays["weights"]
        self._weights = [weights[k * self.dim : (k + 1) * self.dim] for k in range(len(self.intents))]
        self._bias = [float(b) for b in arrays["bias"]]

    def probabilities(self, vector: Sequence[float]) -> dict[str, float]:
        """Calibrated probability per intent for one embedding."""
        if len(vector) != self.dim:
            raise ValueError(
                f"the intent probe needs {self.dim}-d vectors of {self.model}, got {len(vector)}-d"
            )
        logits = [
            b + float(sum(map(operator.mul, w, vector)))
            for w, b in zip(self._weights, self._bias, strict=True)
        ]
        return softmax(logits, self.intents, self.temperature)


def blend(linear: Mapping[str, float], embedded: Mapping[str, float], model: Probe) -> dict[str, float]:
    """The two calibrated distributions combined log-linearly with the trained blend weights."""
    floor = 1e-9
    logits = [
        model.linear_weight * math.log(max(linear.get(i, 0.0), floor))
        + model.probe_weight * math.log(max(embedded.get(i, 0.0), floor))
        for i in INTENTS
    ]
    return softmax(logits, INTENTS)


@functools.cache
def probe() -> Probe:
    """The packaged probe, read once."""
    header, arrays = read_model(MODEL_FILE)
    return Probe(header, arrays)


_HEAD, _TAIL, _SELECTION = 400, 100, 300
"""Characters embedded of a long prompt (its start and end) and of the selection: the intent is in
the words around the question, and the model's time grows with every token it reads."""


def embedding_text(prompt: str, editor: EditorContext | None) -> str:
    """What is embedded for a request: the start and end of its words, and the start of the
    selection it is about."""
    words = prompt if len(prompt) <= _HEAD + _TAIL else f"{prompt[:_HEAD]}\n{prompt[-_TAIL:]}"
    if editor and editor.selection:
        return f"{words}\n{editor.selection[:_SELECTION]}"
    return words
