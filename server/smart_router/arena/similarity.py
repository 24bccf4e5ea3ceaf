"""How alike two texts are, for the arena's convergence: embedding cosine or lexical TF-IDF cosine.

The lexical measure needs nothing but the texts: word unigrams and bigrams (lower case, `\\w+`
runs), sublinear term frequency `1 + ln(count)` and smoothed inverse document frequency
`1 + ln((1 + n) / (1 + df))` over the texts compared (as scikit-learn's `TfidfVectorizer` does
by default), then the cosine of the weighted vectors. Pure Python: a battle has a handful of
answers, so no numpy is needed (and none is loaded in the sidecar).

Embedding vectors arrive as float32 blobs (`bytes`, as the embedding service stores them) or as
sequences of numbers (a numpy row works); they need not be normalised.
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence

__all__ = ["Vector", "as_floats", "cosine", "cosine_matrix", "lexical_matrix"]

Vector = bytes | Iterable[float]
"""An embedding: a float32 blob or a sequence of numbers."""

_WORD = re.compile(r"\w+")


def as_floats(v: Vector) -> list[float]:
    """The vector as a list of Python floats."""
    if isinstance(v, bytes | bytearray | memoryview):
        floats = array("f")
        floats.frombytes(bytes(v))
        return floats.tolist()
    return [float(x) for x in v]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine of two vectors of equal length; 0 when either is all zeros."""
    if len(a) != len(b):
        raise ValueError(f"vectors of different lengths ({len(a)} and {len(b)})")
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return dot / norm if norm > 0 else 0.0


def cosine_matrix(vectors: Sequence[Vector]) -> list[list[float]]:
    """Pairwise cosines of embedding vectors (1 on the diagonal)."""
    floats = [as_floats(v) for v in vectors]
    n = len(floats)
    out = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            out[i][j] = out[j][i] = cosine(floats[i], floats[j])
    return out


def _terms(text: str) -> Counter[str]:
    words = _WORD.findall(text.lower())
    return Counter(words + [f"{a} {b}" for a, b in itertools.pairwise(words)])


def _sparse_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = math.fsum(w * b[t] for t, w in a.items() if t in b)
    norm = math.sqrt(math.fsum(w * w for w in a.values())) * math.sqrt(math.fsum(w * w for w in b.values()))
    return dot / norm if norm > 0 else 0.0


def lexical_matrix(texts: Sequence[str]) -> list[list[float]]:
    """Pairwise TF-IDF cosines of `texts` (word unigrams and bigrams), each in [0, 1]."""
    counts = [_terms(t) for t in texts]
    n = len(texts)
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    idf = {t: 1.0 + math.log((1 + n) / (1 + k)) for t, k in df.items()}
    weighted = [{t: (1.0 + math.log(k)) * idf[t] for t, k in c.items()} for c in counts]
    out = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            out[i][j] = out[j][i] = _sparse_cosine(weighted[i], weighted[j])
    return out
