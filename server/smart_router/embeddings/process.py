"""One embedding worker process as the service sees it: the requests it has not answered yet,
how its answers are handed to the callers, its log, its exit, and its memory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smart_router.embeddings.framing import FLOAT_BYTES
from smart_router.errors import EmbeddingsUnavailable

__all__ = [
    "MAX_IN_FLIGHT",
    "STOP_GRACE_S",
    "Job",
    "WorkerProcess",
    "drain_stderr",
    "exit_reason",
    "fail",
    "process_rss_mb",
    "stop",
]

log = logging.getLogger("smart_router.embeddings.service")
worker_log = logging.getLogger("smart_router.embeddings.worker")

MAX_IN_FLIGHT = 2
"""Requests sent but not yet answered: one computing, the next one already waiting in the pipe."""
STOP_GRACE_S = 3.0
"""How long a worker whose input was closed may take to exit before it is killed."""


@dataclass(slots=True)
class Job:
    texts: list[str]
    future: asyncio.Future[list[bytes]]


@dataclass(slots=True)
class WorkerProcess:
    """One worker process and the requests it has not answered yet."""

    proc: asyncio.subprocess.Process
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(MAX_IN_FLIGHT))
    inflight: dict[int, list[Job]] = field(default_factory=dict)
    next_id: int = 0
    ready: bool = False
    reported: bool = False
    """The worker said itself why it stops (`failed` event)."""
    stderr_tail: deque[str] = field(default_factory=lambda: deque(maxlen=20))

    def answer(self, header: dict[str, Any], body: bytes) -> None:
        jobs = self.inflight.pop(int(header.get("id", -1)), None)
        if jobs is None:
            log.warning("embedding worker answered unknown request %r", header.get("id"))
            return
        self.slots.release()
        wanted = sum(len(j.texts) for j in jobs)
        rows, dim = int(header.get("rows", -1)), int(header.get("dim", 0))
        if not header.get("ok") or rows != wanted or len(body) != rows * dim * FLOAT_BYTES:
            error = header.get("error") or f"{rows} vectors of {dim} for {wanted} texts"
            fail(jobs, EmbeddingsUnavailable(f"The embedding model could not embed these texts: {error}."))
            return
        stride = dim * FLOAT_BYTES
        row = 0
        for job in jobs:
            vectors = [body[(row + i) * stride : (row + i + 1) * stride] for i in range(len(job.texts))]
            row += len(job.texts)
            if not job.future.done():
                job.future.set_result(vectors)

    def fail_all(self, exc: EmbeddingsUnavailable) -> None:
        for jobs in self.inflight.values():
            fail(jobs, exc)
        self.inflight.clear()


def fail(jobs: Sequence[Job], exc: EmbeddingsUnavailable) -> None:
    for job in jobs:
        if not job.future.done():
            job.future.set_exception(exc)


async def drain_stderr(proc: asyncio.subprocess.Process, tail: deque[str]) -> None:
    """The worker's standard error -> the log (debug), keeping the last lines for error messages."""
    assert proc.stderr is not None
    pending = b""
    while chunk := await proc.stderr.read(65536):
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            if line.strip():
                tail.append(line)
                worker_log.debug("%s", line)
    if pending.strip():
        tail.append(pending.decode("utf-8", "replace"))


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        await asyncio.wait_for(proc.wait(), STOP_GRACE_S)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()


def exit_reason(worker: WorkerProcess) -> str:
    code = worker.proc.returncode
    why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    last = next((line for line in reversed(worker.stderr_tail) if line.strip()), "")
    return f"{why}: {last.strip()[:300]}" if last else why


def process_rss_mb(pid: int) -> float | None:
    """Resident set size of a process in MB (Linux /proc, else `ps`); None if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    if sys.platform == "win32":
        return None
    try:
        out = subprocess.run(
            ["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return int(out) / 1024 if out.isdigit() else None
