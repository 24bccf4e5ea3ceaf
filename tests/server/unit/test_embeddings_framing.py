"""The embedding worker's pipe protocol, the float32 vector helpers and where the model is found."""

from __future__ import annotations

import asyncio
import io
import struct
import tomllib
from pathlib import Path

import pytest

from smart_router.embeddings import (
    EXTRA_PACKAGES,
    EmbeddingService,
    EmbeddingsUnavailable,
    dot,
    locate_model,
    norm,
    to_floats,
)
from smart_router.embeddings.framing import (
    MAX_HEADER_BYTES,
    Frame,
    FramingError,
    encode_frame,
    read_frame,
    read_frame_sync,
)

ROOT = Path(__file__).resolve().parents[3]


def _reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


def _floats(*values: float) -> bytes:
    return struct.pack(f"<{len(values)}f", *values)


async def test_frames_round_trip_in_order_with_their_bodies() -> None:
    body = _floats(0.5, -0.25, 1.0)
    stream = encode_frame({"op": "embed", "id": 1, "texts": ["naïve café ☕", ""]}) + encode_frame(
        {"id": 1, "ok": True, "rows": 1, "dim": 3}, body
    )
    reader = _reader(stream)
    first = await read_frame(reader)
    second = await read_frame(reader)
    assert first == Frame({"op": "embed", "id": 1, "texts": ["naïve café ☕", ""]}, b"")
    assert second == Frame({"id": 1, "ok": True, "rows": 1, "dim": 3}, body)
    assert await read_frame(reader) is None


def test_the_blocking_reader_reads_the_same_frames() -> None:
    stream = io.BytesIO(encode_frame({"a": 1}, b"\x00\x01") + encode_frame({"b": [2]}))
    assert read_frame_sync(stream) == Frame({"a": 1}, b"\x00\x01")
    assert read_frame_sync(stream) == Frame({"b": [2]}, b"")
    assert read_frame_sync(stream) is None


@pytest.mark.parametrize("cut", [3, 8, 12])
async def test_a_stream_that_ends_inside_a_frame_is_an_error(cut: int) -> None:
    data = encode_frame({"id": 7, "texts": ["hello"]}, b"abcd")[:cut]
    with pytest.raises(FramingError):
        await read_frame(_reader(data))
    with pytest.raises(FramingError):
        read_frame_sync(io.BytesIO(data))


async def test_garbage_headers_and_lengths_are_refused() -> None:
    not_json = struct.pack(">II", 3, 0) + b"{x}"
    not_object = struct.pack(">II", 2, 0) + b"[]"
    too_long = struct.pack(">II", MAX_HEADER_BYTES + 1, 0)
    for data in (not_json, not_object, too_long):
        with pytest.raises(FramingError):
            await read_frame(_reader(data))
        with pytest.raises(FramingError):
            read_frame_sync(io.BytesIO(data))


def test_dot_and_norm_of_float32_blobs() -> None:
    a, b = _floats(0.6, 0.8, 0.0), _floats(0.0, 1.0, 0.0)
    assert list(to_floats(a)) == pytest.approx([0.6, 0.8, 0.0])
    assert norm(a) == pytest.approx(1.0, abs=1e-6)
    assert dot(a, b) == pytest.approx(0.8, abs=1e-6)
    assert dot(a, [1.0, 0.0, 0.0]) == pytest.approx(0.6, abs=1e-6)
    with pytest.raises(ValueError, match="different dimension"):
        dot(a, _floats(1.0))


def test_the_embeddings_extra_matches_what_the_install_hint_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert tuple(project["optional-dependencies"]["embeddings"]) == EXTRA_PACKAGES
    setup = (ROOT / ".ci" / "setup.sh").read_text(encoding="utf-8")
    assert setup.index("torch==2.13.0") < setup.index(".[dev,embeddings]")


def test_a_model_folder_that_does_not_exist_is_missing_with_what_to_do(tmp_path: Path) -> None:
    where = locate_model(str(tmp_path / "no-such-model"))
    assert where.path is None
    assert where.problem is not None
    if "sentence-transformers, which is not installed" not in where.problem:
        assert str(tmp_path / "no-such-model") in where.problem
        assert "smartRouter.embeddingModel" in where.problem
    assert "lexical" in where.problem


async def test_before_launch_and_when_off_embed_refuses_at_once() -> None:
    idle = EmbeddingService()
    assert idle.state == "off"
    with pytest.raises(EmbeddingsUnavailable):
        await idle.embed(["hello"])
    assert await idle.embed([]) == []
    off = EmbeddingService.start("off")
    assert off.state == "off"
    assert "off" in off.detail
    assert off.pid is None
    assert await off.wait_ready(0.1) is False
    with pytest.raises(EmbeddingsUnavailable) as caught:
        await off.embed(["hello"])
    assert caught.value.kind == "embeddings_off"
    await off.close()


async def test_a_missing_model_folder_reports_missing_and_starts_no_process(tmp_path: Path) -> None:
    seen: list[str] = []
    service = EmbeddingService.start(str(tmp_path / "nowhere"), on_status=lambda s: seen.append(s.state))
    assert service.state == "missing"
    assert seen == ["missing"]
    assert service.pid is None
    assert await service.wait_ready(0.1) is False
    await service.close()
