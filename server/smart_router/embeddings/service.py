"""The embedding service: the sidecar's handle on its embedding worker process.

`EmbeddingService.start(model_path)` returns at once; the worker (`worker.py`, the same Python,
`HF_HUB_OFFLINE=1`) loads the model in the background while the sidecar keeps answering, and
`state` says where it is:

    off      not started, closed, or `smartRouter.embeddingModel` is "off"
    loading  the worker is loading the model (or restarting after a crash)
    ready    `embed` works
    missing  sentence-transformers or the model folder is not installed; `detail` says how to
             install it
    failed   the model did not load, or the worker crashed again; `detail` says why

Every change is reported to `on_status` (the LSP server turns it into `smartRouter/status`).
`embed(texts)` returns one vector per text as a float32 blob (see `vectors.py`), L2-normalised;
before the model is ready it raises `EmbeddingsUnavailable` at once, so callers take their lexical
paths instead of waiting. Concurrent callers are served together: texts queued while the worker
is busy go out as one batch of up to `MAX_BATCH`, each request tagged with an id.

A worker that crashes after it was ready is restarted once (a second crash within
`RESTART_WINDOW_S` of that restart leaves the service `failed`); calls in flight at the crash get
`EmbeddingsUnavailable`. The worker ends with the sidecar: it exits when its standard input ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from smart_router.embeddings.framing import FramingError, encode_frame, read_frame
from smart_router.embeddings.locate import OFF, PACKAGED_MODEL, ModelLocation, install_hint, locate_model
from smart_router.embeddings.process import (
    STOP_GRACE_S,
    Job,
    WorkerProcess,
    drain_stderr,
    exit_reason,
    fail,
    process_rss_mb,
    stop,
)
from smart_router.embeddings.worker import THREADS_ENV
from smart_router.errors import EmbeddingsUnavailable, SmartRouterError

__all__ = [
    "MAX_BATCH",
    "MAX_CHARS",
    "RECENT",
    "RESTART_WINDOW_S",
    "EmbeddingService",
    "EmbeddingState",
    "EmbeddingStatus",
    "StatusListener",
    "process_rss_mb",
]

log = logging.getLogger(__name__)

EmbeddingState = Literal["off", "loading", "ready", "missing", "failed"]
MAX_BATCH = 64
"""Most texts in one request to the worker."""
MAX_CHARS = 8000
RECENT = 512
"""Vectors of this many recent short texts are kept: an ask embeds its prompt once, though the
classifier, the context ranking and the response cache each ask for it."""
RECENT_CHARS = 2000
"""Only texts up to this length are kept among the recent ones (bounds the memory: ~2.5 MB)."""
"""Texts are cut to this many characters; the model reads only its first 256 word pieces anyway."""
RESTART_WINDOW_S = 300.0
_SERVER_DIR = str(Path(__file__).resolve().parents[2])
_LEXICAL = "classification and context ranking use their lexical paths"


@dataclass(frozen=True, slots=True)
class EmbeddingStatus:
    state: EmbeddingState
    detail: str
    """For the user: what the model is doing, or what is wrong and what to do."""


StatusListener = Callable[[EmbeddingStatus], None]


class EmbeddingService:
    """The embedding model in a child worker process; see the module docstring."""

    def __init__(
        self,
        model_path: str | None = None,
        *,
        on_status: StatusListener | None = None,
        python: str | None = None,
    ) -> None:
        self.model_path = model_path or ""
        """`smartRouter.embeddingModel`: a model folder, empty for the packaged model, or "off"."""
        self.on_status = on_status
        self.python = python or sys.executable
        self.dim: int | None = None
        """Vector dimension, known once the model is ready (384 for all-MiniLM-L6-v2)."""
        self.load_seconds: float | None = None
        self.model_name = PACKAGED_MODEL
        self._status = EmbeddingStatus("off", "The embedding model starts once the server is up.")
        self._changed = asyncio.Event()
        self._queue: deque[Job] = deque()
        self._recent: OrderedDict[str, bytes] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[bytes]] = {}
        self._wake = asyncio.Event()
        self._worker: WorkerProcess | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closing = False
        self._launched = False
        self._last_restart: float | None = None

    @classmethod
    def start(
        cls, model_path: str | None = None, *, on_status: StatusListener | None = None
    ) -> EmbeddingService:
        """A service whose worker starts loading now, in the background (needs a running loop)."""
        service = cls(model_path, on_status=on_status)
        service.launch()
        return service

    @property
    def state(self) -> EmbeddingState:
        return self._status.state

    @property
    def detail(self) -> str:
        return self._status.detail

    @property
    def status(self) -> EmbeddingStatus:
        return self._status

    @property
    def launched(self) -> bool:
        """`launch` was called and `close` was not (whatever the state)."""
        return self._launched

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, if any."""
        return self._worker.proc.pid if self._worker is not None else None

    def launch(self) -> None:
        """Start the worker (no-op if it runs). Returns at once; watch `state` or `wait_ready`."""
        if self._supervisor is not None and not self._supervisor.done():
            return
        self._closing = False
        self._launched = True
        if self.model_path.strip().lower() == OFF:
            self._set(
                "off",
                f'The embedding model is off (smartRouter.embeddingModel is "off"); {_LEXICAL}.',
            )
            return
        location = locate_model(self.model_path, self.python)
        self.model_name = location.name
        if location.path is None:
            self._set("missing", location.problem or "The embedding model is not installed.")
            return
        self._set(
            "loading",
            f"Loading the embedding model {location.name} in a background process; until it is "
            f"ready, {_LEXICAL}.",
        )
        self._supervisor = asyncio.ensure_future(self._supervise(location))

    async def reload(self, model_path: str | None) -> None:
        """Switch to another model (a changed `smartRouter.embeddingModel`): a new worker loads it."""
        await self.close()
        self._recent.clear()
        self.model_path = model_path or ""
        self.dim = self.load_seconds = None
        self.launch()

    async def wait_ready(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109 (returns False, no raise)
        """Wait until the model is ready (True), or has settled otherwise or `timeout` passed (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.state == "loading":
            changed = self._changed
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
        return self.state == "ready"

    async def embed(self, texts: Sequence[str]) -> list[bytes]:
        """One L2-normalised float32 vector (little-endian bytes, `dim` x 4) per text, in order.

        Raises `EmbeddingsUnavailable` at once when the model is not ready, and when the worker
        fails during the call. Texts longer than `MAX_CHARS` are cut first.
        """
        if not texts:
            return []
        worker = self._worker
        if worker is None or not worker.ready or self.state != "ready":
            raise EmbeddingsUnavailable(self.detail, kind=f"embeddings_{self.state}")
        clipped = [str(t)[:MAX_CHARS] for t in texts]
        known = {t: v for t in clipped if (v := self._recent.get(t)) is not None}
        waiting = {t: f for t in clipped if t not in known and (f := self._inflight.get(t)) is not None}
        missing = list(dict.fromkeys(t for t in clipped if t not in known and t not in waiting))
        if missing:
            known.update(await self._compute_shared(missing))
        for text, future in waiting.items():  # another caller is embedding it right now
            try:
                known[text] = await asyncio.shield(future)
            except (asyncio.CancelledError, SmartRouterError):
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                known.update(await self._compute_shared([text]))  # that caller gave up: ask again
        for text in known:
            if text in self._recent:
                self._recent.move_to_end(text)
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return [known[t] for t in clipped]

    async def _compute_shared(self, texts: list[str]) -> dict[str, bytes]:
        """Embed `texts`, letting callers that ask for one of them meanwhile wait for it too."""
        loop = asyncio.get_running_loop()
        mine: dict[str, asyncio.Future[bytes]] = {t: loop.create_future() for t in texts}
        self._inflight.update(mine)
        try:
            vectors = dict(zip(texts, await self._compute(texts), strict=True))
            for text, vector in vectors.items():
                mine[text].set_result(vector)
                if len(text) <= RECENT_CHARS:
                    self._recent[text] = vector
        finally:
            for text, future in mine.items():
                if self._inflight.get(text) is future:
                    del self._inflight[text]
                if not future.done():
                    future.cancel()  # failed or cancelled here: the waiters embed it themselves
        return vectors

    async def _compute(self, texts: list[str]) -> list[bytes]:
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[list[bytes]]] = []
        for i in range(0, len(texts), MAX_BATCH):
            future: asyncio.Future[list[bytes]] = loop.create_future()
            self._queue.append(Job(texts[i : i + MAX_BATCH], future))
            futures.append(future)
        self._wake.set()
        try:
            parts = await asyncio.gather(*futures)
        finally:
            for f in futures:
                f.cancel()  # a cancelled caller's texts are skipped if not yet sent
        return [v for part in parts for v in part]

    def worker_rss_mb(self) -> float | None:
        """Resident memory of the worker process in MB; None when it does not run or cannot be read."""
        pid = self.pid
        return None if pid is None else process_rss_mb(pid)

    async def close(self) -> None:
        """Stop the worker (it exits when its input closes) and fail whatever still waits."""
        self._closing = True
        self._launched = False
        worker, supervisor = self._worker, self._supervisor
        if worker is not None and worker.proc.stdin is not None:
            worker.proc.stdin.close()
        if supervisor is not None:
            try:
                await asyncio.wait_for(asyncio.shield(supervisor), STOP_GRACE_S * 2)
            except TimeoutError:
                supervisor.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await supervisor
        self._supervisor = None
        self._fail_queue(EmbeddingsUnavailable("The embedding service stopped.", kind="embeddings_off"))
        self._status = EmbeddingStatus("off", "The embedding model was stopped.")
        self._notify_waiters()

    # -- internals ---------------------------------------------------------------------------

    def _set(self, state: EmbeddingState, detail: str) -> None:
        status = EmbeddingStatus(state, detail)
        if status == self._status:
            return
        self._status = status
        self._notify_waiters()
        level = logging.WARNING if state in ("missing", "failed") else logging.INFO
        log.log(level, "embeddings %s: %s", state, detail)
        if self.on_status is not None:
            self.on_status(status)

    def _notify_waiters(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _fail_queue(self, exc: EmbeddingsUnavailable) -> None:
        fail(self._queue, exc)
        self._queue.clear()

    async def _supervise(self, location: ModelLocation) -> None:
        """Run the worker; run it again after a crash while `_worker_ended` says so."""
        self._last_restart = None
        while await self._run_worker(location) and not self._closing:
            pass

    def _worker_ended(self, worker: WorkerProcess) -> bool:
        """Set the state after a worker ended on its own; True when it is to be restarted."""
        if self._closing or worker.reported:
            return False
        why = exit_reason(worker)
        now = time.monotonic()
        recent = self._last_restart is not None and now - self._last_restart < RESTART_WINDOW_S
        if worker.ready and not recent:
            self._last_restart = now
            self._set(
                "loading",
                f"The embedding worker stopped ({why}); restarting it. Until it is ready, {_LEXICAL}.",
            )
            return True
        again = " again" if worker.ready else ""
        self._set(
            "failed",
            f"The embedding worker stopped{again} ({why}) and is not restarted; {_LEXICAL}. See the "
            "Smart Router output for its log, and restart the server to try again.",
        )
        return False

    async def _run_worker(self, location: ModelLocation) -> bool:
        """Run one worker process until it ends; True when another one is to be started."""
        assert location.path is not None
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "TQDM_DISABLE": "1",
            "TRANSFORMERS_VERBOSITY": "error",
            "TOKENIZERS_PARALLELISM": "false",
            "OMP_NUM_THREADS": os.environ.get(THREADS_ENV) or "1",  # see worker.THREADS_ENV
            "MKL_NUM_THREADS": os.environ.get(THREADS_ENV) or "1",
            "PYTHONPATH": os.pathsep.join(p for p in (_SERVER_DIR, os.environ.get("PYTHONPATH")) if p),
        }
        try:
            proc = await asyncio.create_subprocess_exec(
                self.python,
                "-m",
                "smart_router.embeddings.worker",
                location.path,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
            )
        except OSError as exc:
            self._set("failed", f"Could not start the embedding worker ({self.python}): {exc}; {_LEXICAL}.")
            return False
        worker = WorkerProcess(proc)
        self._worker = worker
        if self._closing and proc.stdin is not None:  # `close` came while the process was starting
            proc.stdin.close()
        stderr = asyncio.ensure_future(drain_stderr(proc, worker.stderr_tail))
        sender: asyncio.Task[None] | None = None
        try:
            assert proc.stdout is not None
            while True:
                try:
                    frame = await read_frame(proc.stdout)
                except FramingError as exc:
                    log.error("embedding worker sent a malformed frame: %s", exc)
                    break
                if frame is None:
                    break
                header = frame.header
                event = header.get("event")
                if event == "ready":
                    self.dim, self.load_seconds = int(header["dim"]), float(header["loadSeconds"])
                    worker.ready = True
                    sender = asyncio.ensure_future(self._send_loop(worker))
                    self._set(
                        "ready",
                        f"Embedding model {location.name} ready: {self.dim} dimensions, loaded in "
                        f"{self.load_seconds:.1f} s by a background process.",
                    )
                elif event == "failed":
                    worker.reported = True
                    self._report_failure(location, str(header.get("kind")), str(header.get("error")))
                else:
                    worker.answer(header, frame.body)
        finally:
            self._worker = None
            if sender is not None:
                sender.cancel()
            await stop(proc)
            await stderr
            restart = self._worker_ended(worker)  # the state moves on before the waiting calls hear
            stopped = EmbeddingsUnavailable(
                "The embedding worker stopped while embedding; try again once it is ready.",
                kind="embeddings_loading",
            )
            worker.fail_all(stopped)
            self._fail_queue(stopped)
        return restart

    def _report_failure(self, location: ModelLocation, kind: str, error: str) -> None:
        if kind == "missing":
            self._set("missing", f"The embedding model cannot run: {error}. {install_hint(self.python)}")
            return
        self._set(
            "failed",
            f"The embedding model {location.name} did not load: {error}. Check smartRouter.embeddingModel "
            f"(a sentence-transformers model folder; empty for the packaged {PACKAGED_MODEL}). "
            f"Until the server restarts, {_LEXICAL}.",
        )

    async def _send_loop(self, worker: WorkerProcess) -> None:
        """Queue -> worker: whatever callers queued meanwhile leaves together, `MAX_BATCH` at most."""
        stdin = worker.proc.stdin
        assert stdin is not None
        while True:
            while not self._queue:
                self._wake.clear()
                await self._wake.wait()
            await asyncio.sleep(0)  # callers in this same turn of the loop join the batch
            await worker.slots.acquire()
            batch: list[Job] = []
            count = 0
            while self._queue:
                job = self._queue[0]
                if job.future.done():
                    self._queue.popleft()
                    continue
                if count and count + len(job.texts) > MAX_BATCH:
                    break
                batch.append(self._queue.popleft())
                count += len(job.texts)
            if not batch:
                worker.slots.release()
                continue
            rid = worker.next_id = worker.next_id + 1
            worker.inflight[rid] = batch
            texts = [t for job in batch for t in job.texts]
            try:
                stdin.write(encode_frame({"op": "embed", "id": rid, "texts": texts}))
                await stdin.drain()
            except ConnectionError:
                return  # the worker is gone: the reader sees the end and fails the calls
