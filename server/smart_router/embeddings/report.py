"""`smart-router embeddings status`: start the embedding worker, wait for it, and say how it is.

Prints the state and its detail (for `missing`, the commands that install the model), and once
it is ready the vector dimension, load time, the latency of one short embedding, and the memory
of the worker and of this process, reported separately.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, TextIO

from smart_router.embeddings.service import EmbeddingService, process_rss_mb

__all__ = ["report"]


async def report(service: EmbeddingService, *, wait_s: float, as_json: bool, out: TextIO) -> int:
    """Launch `service` if needed, wait up to `wait_s`, print the figures. Exit code 0 when ready."""
    service.launch()
    await service.wait_ready(wait_s)
    facts: dict[str, Any] = {"state": service.state, "detail": service.detail, "model": service.model_name}
    if service.state == "ready":
        started = time.perf_counter()
        await service.embed(["How do I read a file line by line in Python?"])
        facts |= {
            "dim": service.dim,
            "load_seconds": service.load_seconds,
            "embed_ms": round((time.perf_counter() - started) * 1000, 2),
            "worker_pid": service.pid,
            "worker_rss_mb": _round(service.worker_rss_mb()),
            "process_rss_mb": _round(process_rss_mb(os.getpid())),
        }
    if as_json:
        print(json.dumps(facts), file=out)
    else:
        print(f"embeddings: {facts['state']}: {facts['detail']}", file=out)
        if service.state == "ready":
            print(
                f"  {facts['dim']} dimensions, loaded in {facts['load_seconds']:.1f} s, one short text in "
                f"{facts['embed_ms']:.1f} ms; worker (pid {facts['worker_pid']}) "
                f"{facts['worker_rss_mb']} MB, this process {facts['process_rss_mb']} MB",
                file=out,
            )
    return 0 if service.state == "ready" else 1


def _round(mb: float | None) -> float | None:
    return None if mb is None else round(mb, 1)
