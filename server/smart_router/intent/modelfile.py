"""The file format of the learned intent models in `models/`: a JSON header, then little-endian
arrays, the whole zlib-compressed. Written by the trainer (`training/train.py`), read by
`linear.py` and `probe.py` with nothing but the standard library."""

from __future__ import annotations

import json
import struct
import sys
import zlib
from array import array
from importlib import resources
from typing import Any

__all__ = ["read_model", "write_model"]

_MAGIC = b"SRIM1"


def write_model(path: str, header: dict[str, Any], arrays: dict[str, array[Any]]) -> int:
    """Write `header` and the named `arrays` to `path`; returns the file's size in bytes."""
    meta = dict(header, arrays=[[name, values.typecode, len(values)] for name, values in arrays.items()])
    head = json.dumps(meta, sort_keys=True).encode()
    body = bytearray(_MAGIC + struct.pack("<I", len(head)) + head)
    for values in arrays.values():
        copy = array(values.typecode, values)
        if sys.byteorder == "big":
            copy.byteswap()
        body += copy.tobytes()
    data = zlib.compress(bytes(body), 9)
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def read_model(name: str) -> tuple[dict[str, Any], dict[str, array[Any]]]:
    """The header and arrays of the packaged model file `models/<name>`."""
    raw = zlib.decompress(resources.files("smart_router.intent").joinpath("models", name).read_bytes())
    if not raw.startswith(_MAGIC):
        raise ValueError(f"models/{name} is not an intent model file: retrain with training/train.py")
    (size,) = struct.unpack_from("<I", raw, len(_MAGIC))
    start = len(_MAGIC) + 4
    header: dict[str, Any] = json.loads(raw[start : start + size])
    offset = start + size
    arrays: dict[str, array[Any]] = {}
    for key, typecode, count in header.pop("arrays"):
        values = array(typecode)
        end = offset + count * values.itemsize
        values.frombytes(raw[offset:end])
        if sys.byteorder == "big":
            values.byteswap()
        arrays[key] = values
        offset = end
    return header, arrays
