"""`ContextService`: the engine's handle on the context cache (`engine.context`).

It stores what the editor shows (documents from LSP document sync, chunked; selections; pinned
notes; past messages), keeps their embeddings coming in the background (indexer.py), and for an
ask gathers the entries most relevant to the question within a token budget (relevance.py),
saying for each why it was chosen. Ranking is by embeddings when the model is ready and vectors
exist, else by keywords; `status()` says which and why. Nothing here waits for the embedding
model: the question's vector is asked for with a short timeout, and without it the ranking is
lexical.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Literal

import aiosqlite

from smart_router.config import Settings
from smart_router.context.documents import is_excluded
from smart_router.context.indexer import Indexer, model_key
from smart_router.context.relevance import CANDIDATES, ContextItem, Gathered, Scored, fingerprint, fit, rank
from smart_router.context.store import CL100K, ContextStore, DocumentUpdate, file_hash
from smart_router.context.vectors import Focus, VectorIndex, epoch
from smart_router.editor import EditorContext
from smart_router.embeddings import EmbeddingService
from smart_router.errors import EmbeddingsUnavailable
from smart_router.tokens import encoding_loaded
from smart_router.tokens import warm_up as load_encoding

__all__ = ["HISTORY_TAIL", "QUERY_EMBED_TIMEOUT_S", "SEARCH_MIN_SCORE", "ContextService"]

log = logging.getLogger(__name__)

QUERY_EMBED_TIMEOUT_S = 0.5
"""Longest wait for the question's vector before ranking by keywords instead."""
HISTORY_TAIL = 6
"""The conversation's last messages, which the prompt carries as history: never context too."""
SEARCH_MIN_SCORE = 0.05
"""A search shows weaker matches than an ask sends."""

Mode = Literal["embedding", "lexical", "off"]


class ContextService:
    """Stores context and gathers it for asks; see the module docstring."""

    def __init__(
        self, db: aiosqlite.Connection, embeddings: EmbeddingService, settings: Callable[[], Settings]
    ) -> None:
        self._db = db
        self._embeddings = embeddings
        self._settings = settings
        self.store = ContextStore(db)
        self.index = VectorIndex(db, lambda: model_key(embeddings))
        self.indexer = Indexer(db, embeddings, self.index)
        self.store.on_added.append(self.indexer.poke)
        self.store.on_removed.append(self.index.remove)
        self.on_file_changed: Callable[[str, str], Awaitable[int]] | None = None
        """(uri, new file hash) -> answers removed: the response cache's invalidation."""
        self._background: set[asyncio.Future[None]] = set()

    def start(self) -> None:
        """Start embedding entries in the background (cheap; idempotent)."""
        self.indexer.start()

    async def close(self) -> None:
        await self.indexer.close()
        for task in list(self._background):
            await task

    @property
    def enabled(self) -> bool:
        return self._settings().context.enabled

    def status(self) -> tuple[Mode, str]:
        """How context is ranked now, and why, in words for the user."""
        if not self.enabled:
            return "off", "Context is turned off (smartRouter.context.enabled)."
        state = self._embeddings.state
        if state == "ready":
            if not self.index.loaded or len(self.index):
                return "embedding", f"Ranking context by meaning with {self._embeddings.model_name}."
            return "lexical", "Ranking context by keywords until the stored entries are embedded."
        if state == "loading":
            return "lexical", "Ranking context by keywords while the embedding model loads."
        return "lexical", f"Ranking context by keywords: {self._embeddings.detail}"

    # -- writes -------------------------------------------------------------------------------

    async def document_changed(
        self, uri: str, text: str, *, workspace: str | None, language: str | None
    ) -> DocumentUpdate:
        """Store a document's current text (unless context is off or the file is excluded, when
        its stored chunks are forgotten instead); when the content changed, tell the response
        cache (`on_file_changed`)."""
        settings = self._settings().context
        if not settings.enabled:
            return DocumentUpdate(uri, file_hash([]), False, 0, 0)
        if is_excluded(uri, settings.exclude):
            removed = await self.store.forget_document(uri)
            return DocumentUpdate(uri, file_hash([]), bool(removed), 0, removed)
        update = await self.store.upsert_document(uri, text, workspace=workspace, language=language)
        if update.changed and self.on_file_changed is not None:
            await self.on_file_changed(uri, update.file_hash)
        return update

    def entries_removed(self, ids: Sequence[int]) -> None:
        """Entries were deleted by other code (eviction, clear): drop them from the vector index."""
        self.index.remove(ids)

    def forget_index(self) -> None:
        """Drop the in-memory vectors (after a bulk delete); the next ranking reloads them."""
        self.index.reset()

    # -- reads --------------------------------------------------------------------------------

    async def gather(
        self,
        query: str,
        *,
        editor: EditorContext | None,
        workspace: str | None,
        conversation_id: str | None,
        budget_tokens: int,
        family: str,
    ) -> Gathered:
        """The context for an ask within `budget_tokens` of `family`'s tokenizer (see
        relevance.py). Records that the items were used. Never raises for an empty store."""
        selection = editor.selection if editor is not None else None
        if not self.enabled or budget_tokens <= 0 or not query.strip():
            mode: Mode = "off" if not self.enabled else self.status()[0]
            return Gathered((), mode, 0, max(0, budget_tokens), fingerprint((), selection), {})
        workspace = workspace or (editor.workspace if editor is not None else None)
        focus = Focus(
            workspace, editor.file_path if editor is not None else None, conversation_id, _now(self.store)
        )
        vector, scored = await self._ranked(query, focus)
        skip = await self._history_tail(conversation_id) if conversation_id else frozenset()
        if not encoding_loaded(family):
            await asyncio.to_thread(load_encoding, [family])
        items = fit(scored, budget_tokens=budget_tokens, family=family, selection=selection, skip_ids=skip)
        files = await self.store.file_hashes(i.uri for i in items if i.kind == "document" and i.uri)
        if items:
            self._mark_used(items)
        return Gathered(
            tuple(items),
            "embedding" if vector is not None else "lexical",
            sum(i.tokens for i in items),
            budget_tokens,
            fingerprint(items, selection),
            files,
        )

    async def search(
        self, query: str, *, workspace: str | None, file: str | None, limit: int = 20
    ) -> tuple[Literal["embedding", "lexical"], list[ContextItem]]:
        """The entries most relevant to `query` (what `smart-router context search` and
        `smartRouter/contextSearch` show), with their stored cl100k token counts."""
        focus = Focus(workspace, file, None, _now(self.store))
        vector, scored = await self._ranked(query, focus, candidates=max(limit * 2, 40))
        if not encoding_loaded(CL100K):
            await asyncio.to_thread(load_encoding, [CL100K])
        items = fit(scored, budget_tokens=10**9, family=CL100K, min_score=SEARCH_MIN_SCORE)
        return ("embedding" if vector is not None else "lexical"), items[:limit]

    # -- internals ----------------------------------------------------------------------------

    async def _ranked(
        self, query: str, focus: Focus, candidates: int = CANDIDATES
    ) -> tuple[bytes | None, list[Scored]]:
        """The question's vector (None: ranked by keywords) and the entries ranked for it."""
        vector = await self._query_vector(query) if query.strip() else None
        if vector is not None:
            await self.index.ensure_loaded()
            if not len(self.index):
                vector = None
        scored = await rank(
            self._db,
            self.index,
            query,
            vector,
            focus,
            model=model_key(self._embeddings),
            unembedded=self.indexer.maybe_pending,
            candidates=candidates,
        )
        return vector, scored

    async def _query_vector(self, query: str) -> bytes | None:
        if self._embeddings.state != "ready":
            return None
        try:
            vectors = await asyncio.wait_for(self._embeddings.embed([query]), QUERY_EMBED_TIMEOUT_S)
        except (EmbeddingsUnavailable, TimeoutError) as exc:
            log.info("context ranked by keywords: the question was not embedded (%s)", exc)
            return None
        return vectors[0] if vectors else None

    async def _history_tail(self, conversation_id: str) -> frozenset[int]:
        rows = await self._db.execute_fetchall(
            "SELECT id FROM context_entries WHERE conversation_id = ? AND kind = 'message' "
            "ORDER BY id DESC LIMIT ?",
            (conversation_id, HISTORY_TAIL),
        )
        return frozenset(int(r[0]) for r in rows)

    def _mark_used(self, items: Sequence[ContextItem]) -> None:
        """Record the use in the background (the ask does not wait for the write)."""
        self.index.touch([i.entry_id for i in items], _now(self.store))
        task = asyncio.ensure_future(self._record_use(items))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _record_use(self, items: Sequence[ContextItem]) -> None:
        try:
            await self.store.mark_used(items)
        except (aiosqlite.Error, ValueError) as exc:  # closed meanwhile: usage stats are not vital
            log.info("context use not recorded: %s", exc)


def _now(store: ContextStore) -> float:
    return epoch(store.stamp())
