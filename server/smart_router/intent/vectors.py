"""Embedding vectors as the classifier receives them from the embedding service: float32 blobs
(the service's form) or rows of floats (an in-process model's numpy array)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import Any

__all__ = ["as_vectors", "first_vector"]


def as_vectors(vectors: Iterable[Any]) -> list[array[float]]:
    """Every vector as an `array('f')`."""
    out: list[array[float]] = []
    for vector in vectors:
        if isinstance(vector, bytes | bytearray | memoryview):
            row = array("f")
            row.frombytes(bytes(vector))
            if sys.byteorder == "big":
                row.byteswap()
        else:
            row = array("f", (float(x) for x in vector))
        out.append(row)
    return out


def first_vector(vectors: Iterable[Any]) -> array[float]:
    """The first vector of an embedder's answer."""
    for vector in as_vectors(vectors):
        return vector
    raise ValueError("the embedding service returned no vector")
