"""The context cache over LSP: document sync feeding project context, and the requests
`smartRouter/contextStats`, `contextClear`, `pinNote` and `unpinNote`.

Document sync: pygls keeps each open document's text in `server.workspace` (full or incremental
changes alike); this module hands it to `engine.context.document_changed` at once when a
document is opened or saved, and about a second after the last change while it is edited
(one store per pause in typing, per document). A document is not stored when context is
turned off, when it is not a `file:` document (an untitled buffer has no stable identity and
often holds pasted secrets), when its path matches `smartRouter.context.exclude`, or when it is
larger than `MAX_DOCUMENT_BYTES` (the log says so, once per document). Closing a document keeps
its entries (they stay project context); edits closed without saving are replaced by the file
as saved on disk.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pydantic import BaseModel

from smart_router import protocol_context as wire
from smart_router.context.documents import display_path, file_key, is_excluded
from smart_router.errors import SmartRouterError

if TYPE_CHECKING:
    from smart_router.server import SmartRouterServer

__all__ = ["DEBOUNCE_S", "MAX_DOCUMENT_BYTES", "DocumentSync", "setup", "workspace_of"]

log = logging.getLogger(__name__)

DEBOUNCE_S = 1.0
"""How long after the last change a document being edited is stored."""
MAX_DOCUMENT_BYTES = 1_000_000
"""Larger documents (generated code, data, minified bundles) are not stored."""

Serve = Callable[[Any, type[Any], Callable[[Any], Awaitable[BaseModel]]], Awaitable[dict[str, Any]]]


def workspace_of(uri: str, folders: list[str]) -> str | None:
    """The path of the innermost workspace folder (URIs in `folders`) holding the document."""
    path = file_key(uri)
    best: str | None = None
    for folder in folders:
        root = file_key(folder)
        if (path == root or path.startswith(root.rstrip("/") + "/")) and (
            best is None or len(root) > len(best)
        ):
            best = root
    return display_path(best) if best is not None else None


class DocumentSync:
    """Stores open documents as project context, debounced per document."""

    def __init__(
        self,
        server: SmartRouterServer,
        *,
        debounce_s: float = DEBOUNCE_S,
        max_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        self._server = server
        self._debounce_s = debounce_s
        self._max_bytes = max_bytes
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsaved: set[str] = set()
        """Documents whose stored text has edits not saved to disk."""
        self._told: set[tuple[str, str]] = set()
        """(uri, reason) already logged, so a skipped document is reported once."""

    def opened(self, uri: str) -> None:
        self._schedule(uri, 0.0)

    def changed(self, uri: str) -> None:
        self._schedule(uri, self._debounce_s, unsaved=True)

    def saved(self, uri: str) -> None:
        self._schedule(uri, 0.0)

    def closed(self, uri: str) -> None:
        """Keep the entries; if edits were stored but never saved, store the file as it is on disk."""
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        if uri in self._unsaved or timer is not None:
            self._start(uri, from_disk=True)

    def _schedule(self, uri: str, delay: float, *, unsaved: bool = False) -> None:
        if unsaved:
            self._unsaved.add(uri)
        else:
            self._unsaved.discard(uri)
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        if delay <= 0:
            self._start(uri)
            return
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._fire, uri)

    def _fire(self, uri: str) -> None:
        self._timers.pop(uri, None)
        self._start(uri)

    def _start(self, uri: str, *, from_disk: bool = False) -> None:
        if self._server.closing:
            return
        task = asyncio.ensure_future(self._store(uri, from_disk=from_disk))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for the stores under way (pending debounced changes keep their timers)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    def _skip(self, uri: str, reason: str, level: int = logging.INFO) -> None:
        if (uri, reason) not in self._told:
            self._told.add((uri, reason))
            log.log(level, "%s not stored as context: %s", display_path(uri), reason)

    async def _store(self, uri: str, *, from_disk: bool) -> None:
        lock = self._locks.setdefault(uri, asyncio.Lock())
        async with lock:  # one store per document at a time, each with the text current when it starts
            settings = self._server.settings.context
            if not settings.enabled:
                return
            if not uri.startswith("file:"):
                self._skip(uri, "only files are stored (not untitled or virtual documents)", logging.DEBUG)
                return
            if is_excluded(uri, settings.exclude):
                self._skip(uri, "it matches smartRouter.context.exclude")
                return
            text, language, size = self._text(uri, from_disk)
            if size > self._max_bytes:
                mb = self._max_bytes / 1_000_000
                self._skip(uri, f"it is {size / 1_000_000:.1f} MB, over the {mb:g} MB limit for context")
                return
            if text is None:
                return
            folders = [f.uri for f in self._server.workspace.folders.values()]
            if not folders and self._server.workspace.root_uri:
                folders = [self._server.workspace.root_uri]
            try:
                engine = await self._server.engine()
                await engine.context.document_changed(
                    uri, text, workspace=workspace_of(uri, folders), language=language
                )
                if from_disk:
                    self._unsaved.discard(uri)
                engine.context_admin.limits.poke()
            except SmartRouterError as exc:
                log.warning("%s not stored as context: %s", display_path(uri), exc.message)

    def _text(self, uri: str, from_disk: bool) -> tuple[str | None, str | None, int]:
        """(text, language id, size in bytes); the text is None when too large or unreadable."""
        document = self._server.workspace.text_documents.get(uri)
        if document is not None and not from_disk:
            text = document.source
            return text, document.language_id, len(text.encode("utf-8", "surrogatepass"))
        path = Path(display_path(uri))
        try:
            size = path.stat().st_size
            if size > self._max_bytes:
                return None, None, size
            return path.read_text(encoding="utf-8", errors="replace"), None, size
        except OSError:  # deleted or unreadable: its entries stay until the limits retire them
            return None, None, 0


def setup(server: SmartRouterServer, serve: Serve) -> DocumentSync:
    """Register document sync and the context requests; returns the document sync."""
    sync = DocumentSync(server)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SmartRouterServer, params: types.DidOpenTextDocumentParams) -> None:
        sync.opened(params.text_document.uri)  # pygls has already stored the text in `ls.workspace`

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SmartRouterServer, params: types.DidChangeTextDocumentParams) -> None:
        sync.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: SmartRouterServer, params: types.DidSaveTextDocumentParams) -> None:
        sync.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SmartRouterServer, params: types.DidCloseTextDocumentParams) -> None:
        sync.closed(params.text_document.uri)  # pygls has already dropped the text

    @server.feature(wire.CONTEXT_STATS)
    async def context_stats(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: wire.ContextStatsParams) -> BaseModel:
            await sync.settle()  # a document just opened counts
            engine = await ls.engine()
            stats = await engine.context_admin.stats(engine.context.status(), p.workspace)
            return wire.context_stats_result(stats)

        return await serve(params, wire.ContextStatsParams, handle)

    @server.feature(wire.CONTEXT_CLEAR)
    async def context_clear(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: wire.ContextClearParams) -> BaseModel:
            await sync.settle()  # a store under way must not refill what is cleared
            cleared = await (await ls.engine()).context_admin.clear(p.scope, p.workspace)
            return wire.context_clear_result(cleared)

        return await serve(params, wire.ContextClearParams, handle)

    @server.feature(wire.PIN_NOTE)
    async def pin_note(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: wire.PinNoteParams) -> BaseModel:
            engine = await ls.engine()
            entry = await engine.context.store.add_note(p.text, title=p.title, workspace=p.workspace)
            engine.context_admin.limits.poke()
            return wire.PinNoteResult(id=entry)

        return await serve(params, wire.PinNoteParams, handle)

    @server.feature(wire.UNPIN_NOTE)
    async def unpin_note(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: wire.UnpinNoteParams) -> BaseModel:
            removed = await (await ls.engine()).context.store.remove_note(p.id)
            return wire.UnpinNoteResult(removed=removed)

        return await serve(params, wire.UnpinNoteParams, handle)

    return sync
