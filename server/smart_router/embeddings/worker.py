"""The embedding worker: a child process of the sidecar that holds the sentence-transformers model.

    python -m smart_router.embeddings.worker MODEL_FOLDER

Importing sentence-transformers takes seconds and hundreds of megabytes, and would hold the
sidecar's GIL while it loads; here it costs the sidecar nothing. The worker speaks the frames of
`framing.py` on its standard input and output: it announces `ready` (or `failed`) once, then
answers `embed` requests one at a time with L2-normalised float32 vectors.

It exits as soon as its standard input ends, even while still loading: a thread reads the
requests, so the end of the sidecar (closed pipe, crash, kill) ends the worker too. Anything a
library prints goes to standard error, which the sidecar logs; the protocol owns standard output.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
from typing import Any, BinaryIO

from smart_router.embeddings.framing import Frame, FramingError, encode_frame, read_frame_sync

__all__ = ["BATCH_SIZE", "main"]

BATCH_SIZE = 64
"""Texts per forward pass of the model."""
THREADS_ENV = "SMART_ROUTER_EMBEDDING_THREADS"
"""Compute threads of the model (default 1). More threads win little on a short prompt and, on a
machine whose cores are busy (the editor, the sidecar, a build), their spin-waiting makes every
call many times slower: measured on 2 busy cores, one short prompt took 52 ms with 1 thread and
455 ms with 2."""


class _Pipe:
    """The protocol's output: the original standard output, which nothing else may write to."""

    def __init__(self) -> None:
        self._out: BinaryIO = os.fdopen(os.dup(1), "wb", buffering=0)
        os.dup2(2, 1)  # stray prints of libraries land in the log, not in the protocol

    def send(self, header: dict[str, Any], body: bytes = b"") -> None:
        self._out.write(encode_frame(header, body))


def _read_requests(requests: queue.Queue[Frame]) -> None:
    """Standard input -> queue; the end of input (the sidecar is gone) ends the process."""
    stdin = sys.stdin.buffer
    try:
        while (frame := read_frame_sync(stdin)) is not None:
            requests.put(frame)
    except FramingError as exc:
        print(f"embedding worker: bad request stream: {exc}", file=sys.stderr, flush=True)
        os._exit(2)
    os._exit(0)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _load(model_path: str, pipe: _Pipe) -> Any:
    started = time.perf_counter()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        pipe.send({"event": "failed", "kind": "missing", "error": _describe(exc)})
        return None
    try:
        import torch

        torch.set_num_threads(max(1, int(os.environ.get(THREADS_ENV) or 1)))
        model = SentenceTransformer(model_path, device="cpu")
        probe = model.encode(["warm up"], normalize_embeddings=True, convert_to_numpy=True)
    except Exception as exc:  # the process boundary: any load failure is reported, typed, to the sidecar
        pipe.send({"event": "failed", "kind": "failed", "error": _describe(exc)})
        return None
    pipe.send(
        {
            "event": "ready",
            "dim": int(probe.shape[1]),
            "model": model_path,
            "loadSeconds": round(time.perf_counter() - started, 3),
        }
    )
    return model


def _serve(model: Any, requests: queue.Queue[Frame], pipe: _Pipe) -> None:
    import numpy as np

    while True:
        header, _ = requests.get()
        rid = header.get("id")
        texts = header.get("texts")
        if header.get("op") != "embed" or not isinstance(texts, list):
            pipe.send({"id": rid, "ok": False, "error": f"unknown request {header.get('op')!r}"})
            continue
        try:
            vectors = model.encode(
                [str(t) for t in texts],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
            )
        except Exception as exc:  # one bad batch must not end the worker: its callers get the error
            pipe.send({"id": rid, "ok": False, "error": _describe(exc)})
            continue
        matrix = np.ascontiguousarray(vectors, dtype="<f4").reshape(len(texts), -1)
        pipe.send({"id": rid, "ok": True, "rows": matrix.shape[0], "dim": matrix.shape[1]}, matrix.tobytes())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m smart_router.embeddings.worker MODEL_FOLDER", file=sys.stderr)
        return 2
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is for the sidecar
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    pipe = _Pipe()
    requests: queue.Queue[Frame] = queue.Queue()
    threading.Thread(target=_read_requests, args=(requests,), name="requests", daemon=True).start()
    model = _load(args[0], pipe)
    if model is None:
        return 1
    _serve(model, requests, pipe)
    return 0


if __name__ == "__main__":
    sys.exit(main())
