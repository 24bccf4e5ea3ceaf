"""The context cache through the real sidecar process: document sync fills it (never with an
excluded or untitled file), contextStats counts it, contextClear empties a scope, notes pin."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from support.sidecar import Sidecar, SidecarFactory

PY = """import math


def area(radius: float) -> float:
    return math.pi * radius ** 2


def circumference(radius: float) -> float:
    return 2 * math.pi * radius
"""
TS = """export function greet(name: string): string {
  return `hello ${name}`;
}
"""
SECRET = "OPENAI_API_KEY=sk-live-do-not-store-0123456789"


def _open(sidecar: Sidecar, uri: str, text: str, language: str = "python") -> None:
    sidecar.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )


def _rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


async def _stats(sidecar: Sidecar) -> dict[str, Any]:
    result: dict[str, Any] = await sidecar.request("smartRouter/contextStats", {})
    return result


async def test_open_documents_are_counted_and_excluded_or_untitled_ones_never_stored(
    start_sidecar: SidecarFactory, user_env: Path
) -> None:
    sidecar = await start_sidecar()
    root = user_env / "proj"
    _open(sidecar, f"file://{root}/geometry.py", PY)
    _open(sidecar, f"file://{root}/greet.ts", TS, "typescript")
    _open(sidecar, f"file://{root}/.env", SECRET, "dotenv")
    _open(sidecar, f"file://{root}/certs/server.pem", "-----BEGIN PRIVATE KEY-----\nabc", "plaintext")
    _open(sidecar, "untitled:Untitled-1", "pasted " + SECRET, "plaintext")
    _open(sidecar, f"file://{root}/huge.py", "x = 1\n" * 200_000)  # 1.2 MB
    stats = await _stats(sidecar)
    assert stats["files"] == 2
    assert stats["entries"]["document"] >= 2 and stats["entries"]["note"] == 0
    assert stats["bytes"] > 0.9 * (len(PY) + len(TS)) and stats["capBytes"] == 25 * 1024 * 1024
    assert stats["retentionDays"] == 90 and stats["mode"] == "lexical" and stats["modeDetail"]
    db = Path(sidecar.env["SMART_ROUTER_DB"])
    uris = {r[0] for r in _rows(db, "SELECT DISTINCT uri FROM context_entries")}
    assert uris == {f"file://{root}/geometry.py", f"file://{root}/greet.ts"}
    assert _rows(db, "SELECT count(*) FROM context_entries WHERE text LIKE '%sk-live%'") == [(0,)]
    assert _rows(db, "SELECT count(*) FROM context_fts WHERE context_fts MATCH 'sk'") == [(0,)]


async def test_an_edit_replaces_the_entries_after_the_pause_in_typing(
    start_sidecar: SidecarFactory, user_env: Path
) -> None:
    sidecar = await start_sidecar()
    uri = f"file://{user_env}/calc.py"
    _open(sidecar, uri, "def add(a, b):\n    return a + b\n")
    await _stats(sidecar)
    db = Path(sidecar.env["SMART_ROUTER_DB"])
    sidecar.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(0, 4), types.Position(0, 7)), text="plus"
                )
            ],
        )
    )
    await _stats(sidecar)

    def texts() -> str:
        return " ".join(r[0] for r in _rows(db, "SELECT text FROM context_entries WHERE uri = ?", (uri,)))

    assert "def add(" in texts()  # not yet: the store waits for a pause in typing
    deadline = asyncio.get_running_loop().time() + 5
    while "def plus(a, b)" not in texts():
        assert asyncio.get_running_loop().time() < deadline, texts()
        await asyncio.sleep(0.1)
    assert "def add(" not in texts()
    sidecar.client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    assert (await _stats(sidecar))["files"] == 1  # closing keeps the entries


async def test_clear_by_scope_and_pinned_notes(start_sidecar: SidecarFactory, user_env: Path) -> None:
    sidecar = await start_sidecar()
    _open(sidecar, f"file://{user_env}/geometry.py", PY)
    pinned = await sidecar.request(
        "smartRouter/pinNote", {"text": "Use metres everywhere.", "title": "Units", "workspace": None}
    )
    assert isinstance(pinned["id"], int)
    before = await _stats(sidecar)
    assert before["entries"]["note"] == 1 and before["entries"]["document"] >= 1

    cleared = await sidecar.request("smartRouter/contextClear", {"scope": "project"})
    assert cleared == {
        "removed": {"entries": before["entries"]["document"], "conversations": 0, "cacheEntries": 0}
    }
    after = await _stats(sidecar)
    assert after["entries"]["document"] == 0 and after["files"] == 0 and after["entries"]["note"] == 1

    assert await sidecar.request("smartRouter/unpinNote", {"id": pinned["id"]}) == {"removed": True}
    assert await sidecar.request("smartRouter/unpinNote", {"id": pinned["id"]}) == {"removed": False}
    nothing = await sidecar.request("smartRouter/contextClear", {"scope": "all"})
    assert nothing == {"removed": {"entries": 0, "conversations": 0, "cacheEntries": 0}}


async def test_a_bad_scope_is_refused_and_disabled_context_stores_nothing(
    start_sidecar: SidecarFactory, user_env: Path
) -> None:
    sidecar = await start_sidecar({"context": {"enabled": False}})
    _open(sidecar, f"file://{user_env}/geometry.py", PY)
    stats = await _stats(sidecar)
    assert stats["files"] == 0 and stats["mode"] == "off"
    with pytest.raises(JsonRpcException, match="scope"):
        await sidecar.request("smartRouter/contextClear", {"scope": "everything"})
