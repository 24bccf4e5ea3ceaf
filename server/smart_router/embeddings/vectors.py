"""Embedding vectors as the sidecar holds them: float32 blobs, with arithmetic that needs no numpy.

A vector is `bytes`: its components as little-endian float32, 4 bytes each (384 of them for
all-MiniLM-L6-v2). That is the form the worker sends and the form the database stores, keyed
by content hash. The sidecar does not import numpy (it would cost its idle memory about 16 MB);
code that wants a matrix, in a benchmark or a CLI batch, builds one with
`numpy.frombuffer(b"".join(vectors), dtype="<f4").reshape(len(vectors), -1)`.
"""

from __future__ import annotations

import math
import operator
import sys
from array import array
from collections.abc import Sequence

__all__ = ["dot", "norm", "to_floats"]


def to_floats(vector: bytes) -> array[float]:
    """The components of a float32 blob as an `array('f')`."""
    out = array("f")
    out.frombytes(vector)
    if sys.byteorder == "big":
        out.byteswap()
    return out


def dot(a: bytes | Sequence[float], b: bytes | Sequence[float]) -> float:
    """Dot product; for the service's L2-normalised vectors this is their cosine similarity."""
    x = to_floats(a) if isinstance(a, bytes) else a
    y = to_floats(b) if isinstance(b, bytes) else b
    if len(x) != len(y):
        raise ValueError(f"vectors of different dimension: {len(x)} and {len(y)}")
    return float(sum(map(operator.mul, x, y)))


def norm(a: bytes | Sequence[float]) -> float:
    """Euclidean length (1.0, up to float32 rounding, for the service's vectors)."""
    return math.sqrt(dot(a, a))
