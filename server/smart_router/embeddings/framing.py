"""The pipe protocol between the sidecar and its embedding worker process.

Both directions carry frames:

    uint32 header length | uint32 body length | header: UTF-8 JSON object | body: raw bytes

(lengths big-endian). The header says what the frame is; the body carries vectors as
little-endian float32, row after row, so a batch of 64 vectors costs no JSON encoding.

Sidecar -> worker:
    {"op": "embed", "id": 7, "texts": ["...", ...]}                           body empty

Worker -> sidecar:
    {"event": "ready", "dim": 384, "model": "/path", "loadSeconds": 4.2}      once, after loading
    {"event": "failed", "kind": "missing" | "failed", "error": "..."}         then it exits
    {"id": 7, "ok": true, "rows": 2, "dim": 384}                              body: rows x dim float32
    {"id": 7, "ok": false, "error": "..."}

Requests carry an id so the sidecar can have several in flight and hand each answer to the
callers that asked for it. The worker exits when its standard input ends (the sidecar closed
it, or died).
"""

from __future__ import annotations

import asyncio
import json
import struct
from collections.abc import Mapping
from typing import Any, BinaryIO, NamedTuple

__all__ = [
    "FLOAT_BYTES",
    "MAX_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "Frame",
    "FramingError",
    "encode_frame",
    "read_frame",
    "read_frame_sync",
]

PREFIX = struct.Struct(">II")
FLOAT_BYTES = 4
"""Bytes per vector component (float32, little-endian)."""
MAX_HEADER_BYTES = 64 << 20
"""A header larger than this means the stream is garbage (a batch of texts is far smaller)."""
MAX_BODY_BYTES = 512 << 20


class FramingError(Exception):
    """The byte stream does not hold a well-formed frame (a bug or a corrupted pipe)."""


class Frame(NamedTuple):
    header: dict[str, Any]
    body: bytes


def encode_frame(header: Mapping[str, Any], body: bytes = b"") -> bytes:
    """One frame, ready to write to the pipe."""
    raw = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) > MAX_HEADER_BYTES or len(body) > MAX_BODY_BYTES:
        raise FramingError(f"frame too large: header {len(raw)} bytes, body {len(body)} bytes")
    return PREFIX.pack(len(raw), len(body)) + raw + body


def _lengths(prefix: bytes) -> tuple[int, int]:
    header_len, body_len = PREFIX.unpack(prefix)
    if header_len > MAX_HEADER_BYTES or body_len > MAX_BODY_BYTES:
        raise FramingError(f"frame lengths out of range: header {header_len}, body {body_len}")
    return header_len, body_len


def _header(raw: bytes) -> dict[str, Any]:
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FramingError(f"frame header is not JSON: {exc}") from None
    if not isinstance(header, dict):
        raise FramingError("frame header is not a JSON object")
    return header


async def read_frame(reader: asyncio.StreamReader) -> Frame | None:
    """The next frame, or None at a clean end of stream (between frames)."""
    try:
        prefix = await reader.readexactly(PREFIX.size)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise FramingError("the stream ended inside a frame's length prefix") from None
        return None
    header_len, body_len = _lengths(prefix)
    try:
        raw = await reader.readexactly(header_len + body_len)
    except asyncio.IncompleteReadError:
        raise FramingError("the stream ended inside a frame") from None
    return Frame(_header(raw[:header_len]), raw[header_len:])


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    chunks: list[bytes] = []
    remaining = n
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame_sync(stream: BinaryIO) -> Frame | None:
    """Blocking `read_frame` for the worker, which reads its standard input in a thread."""
    prefix = _read_exactly(stream, PREFIX.size)
    if not prefix:
        return None
    if len(prefix) < PREFIX.size:
        raise FramingError("the stream ended inside a frame's length prefix")
    header_len, body_len = _lengths(prefix)
    raw = _read_exactly(stream, header_len + body_len)
    if len(raw) < header_len + body_len:
        raise FramingError("the stream ended inside a frame")
    return Frame(_header(raw[:header_len]), raw[header_len:])
