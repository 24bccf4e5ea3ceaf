"""The context cache and conversations on the wire (camelCase): method names and payloads of
`smartRouter/contextSearch`, `contextStats`, `contextClear`, `pinNote`, `unpinNote`, the
conversation requests, and the pieces an ask's result and `smartRouter/routed` carry
(`ContextItemInfo`, `CachedInfo`).

docs/protocol.md describes the same surface for people; `extension/src/common/constants.ts` and
`protocol.ts` mirror it. Dumped without aliases (snake_case), the same models are the `--json`
output of `smart-router context ...` and `smart-router conversations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from smart_router.protocol import WireModel
from smart_router.tokens import micro_to_usd

if TYPE_CHECKING:
    from smart_router.context.admin import Cleared, ContextStats
    from smart_router.context.conversations import Conversation, ConversationSummary
    from smart_router.context.relevance import ContextItem

__all__ = [
    "CONTEXT_CLEAR",
    "CONTEXT_SEARCH",
    "CONTEXT_STATS",
    "CONVERSATION",
    "CONVERSATIONS",
    "CONVERSATION_DELETE",
    "CONVERSATION_FORK",
    "CONVERSATION_RENAME",
    "PIN_NOTE",
    "PREVIEW_CHARS",
    "UNPIN_NOTE",
    "CachedInfo",
    "ContextClearParams",
    "ContextClearResult",
    "ContextEntryCounts",
    "ContextItemInfo",
    "ContextMode",
    "ContextRemoved",
    "ContextSearchParams",
    "ContextSearchResult",
    "ContextStatsParams",
    "ContextStatsResult",
    "ConversationDeleteParams",
    "ConversationDeleteResult",
    "ConversationDetail",
    "ConversationForkParams",
    "ConversationMessageInfo",
    "ConversationParams",
    "ConversationRenameParams",
    "ConversationRenameResult",
    "ConversationSummaryInfo",
    "ConversationsParams",
    "ConversationsResult",
    "PinNoteParams",
    "PinNoteResult",
    "UnpinNoteParams",
    "UnpinNoteResult",
    "context_clear_result",
    "context_item_info",
    "context_stats_result",
    "conversation_detail",
    "conversation_summary",
]

CONTEXT_SEARCH = "smartRouter/contextSearch"
CONTEXT_STATS = "smartRouter/contextStats"
CONTEXT_CLEAR = "smartRouter/contextClear"
PIN_NOTE = "smartRouter/pinNote"
UNPIN_NOTE = "smartRouter/unpinNote"
CONVERSATIONS = "smartRouter/conversations"
CONVERSATION = "smartRouter/conversation"
CONVERSATION_FORK = "smartRouter/conversationFork"
CONVERSATION_DELETE = "smartRouter/conversationDelete"
CONVERSATION_RENAME = "smartRouter/conversationRename"

PREVIEW_CHARS = 200
"""`ContextItemInfo.preview` holds this many characters of the item's text."""

ContextMode = Literal["embedding", "lexical", "off"]
"""How context was ranked: by meaning (embeddings), by keywords (BM25), or not at all."""


# -- pieces shared by ask, routed and the conversation requests ---------------------------------


class ContextItemInfo(WireModel):
    """One piece of context that went in (or was found), and why."""

    id: int
    kind: str
    """`document`, `selection`, `note` or `message`."""
    label: str
    """The symbol or line range, the note's title, or who wrote the message."""
    file: str | None
    """File system path of the document (its URI when it is not a file); null for notes and messages."""
    start_line: int | None
    """0-based, inclusive."""
    end_line: int | None
    score: float
    reasons: list[str]
    tokens: int
    preview: str
    """The first `PREVIEW_CHARS` characters of the text."""


class CachedInfo(WireModel):
    """An answer served from the response cache, at no cost."""

    kind: Literal["exact", "semantic"]
    similarity: float
    """0-1 (1 for an exact hit)."""
    asked_at: str
    """When the original answer was made, ISO 8601."""
    model: str
    prompt: str
    """The original prompt."""
    saved_usd: float


def context_item_info(item: ContextItem) -> ContextItemInfo:
    """The wire form of a context item: the file as a path when its URI is a file's."""
    from smart_router.context.documents import display_path

    return ContextItemInfo(
        id=item.entry_id,
        kind=item.kind,
        label=item.label,
        file=display_path(item.uri) if item.uri else None,
        start_line=item.start_line,
        end_line=item.end_line,
        score=round(item.score, 4),
        reasons=list(item.reasons),
        tokens=item.tokens,
        preview=item.text[:PREVIEW_CHARS],
    )


# -- smartRouter/contextSearch ------------------------------------------------------------------


class ContextSearchParams(WireModel):
    query: str = Field(min_length=1, max_length=20_000)
    workspace: str | None = None
    """Rank this workspace's entries first (others are demoted, not hidden)."""
    file: str | None = None
    """Boost the chunks of this file (a path or URI)."""
    limit: int = Field(default=20, ge=1, le=200)


class ContextSearchResult(WireModel):
    mode: ContextMode
    items: list[ContextItemInfo]


# -- smartRouter/contextStats -------------------------------------------------------------------


class ContextStatsParams(WireModel):
    workspace: str | None = None


class ContextEntryCounts(WireModel):
    document: int = 0
    selection: int = 0
    note: int = 0
    message: int = 0


class ContextStatsResult(WireModel):
    entries: ContextEntryCounts
    files: int
    conversations: int
    messages: int
    embedded: int
    """Entries whose text has an embedding of the current model."""
    pending: int
    """Entries waiting for one."""
    cache_entries: int
    cache_hits: int
    saved_usd: float
    bytes: int
    cap_bytes: int
    retention_days: int
    mode: ContextMode
    mode_detail: str
    oldest: str | None
    """ISO 8601 of the oldest entry; null when there is none."""


def context_stats_result(s: ContextStats) -> ContextStatsResult:
    """The wire form of the context statistics (also what `smart-router context stats --json` prints)."""
    return ContextStatsResult(
        entries=ContextEntryCounts(**s.entries),
        files=s.files,
        conversations=s.conversations,
        messages=s.messages,
        embedded=s.embedded,
        pending=s.pending,
        cache_entries=s.cache_entries,
        cache_hits=s.cache_hits,
        saved_usd=micro_to_usd(s.saved_micro_usd),
        bytes=s.bytes,
        cap_bytes=s.cap_bytes,
        retention_days=s.retention_days,
        mode=s.mode,  # type: ignore[arg-type]
        mode_detail=s.mode_detail,
        oldest=s.oldest,
    )


# -- smartRouter/contextClear -------------------------------------------------------------------


class ContextClearParams(WireModel):
    scope: Literal["all", "project", "conversations", "cache", "notes"] = "all"
    workspace: str | None = None


class ContextRemoved(WireModel):
    entries: int = 0
    conversations: int = 0
    cache_entries: int = 0


class ContextClearResult(WireModel):
    removed: ContextRemoved


def context_clear_result(c: Cleared) -> ContextClearResult:
    return ContextClearResult(
        removed=ContextRemoved(
            entries=c.entries, conversations=c.conversations, cache_entries=c.cache_entries
        )
    )


# -- smartRouter/pinNote, unpinNote -------------------------------------------------------------


class PinNoteParams(WireModel):
    text: str = Field(min_length=1, max_length=100_000)
    title: str | None = Field(default=None, max_length=200)
    workspace: str | None = None


class PinNoteResult(WireModel):
    id: int


class UnpinNoteParams(WireModel):
    id: int


class UnpinNoteResult(WireModel):
    removed: bool


# -- conversations ------------------------------------------------------------------------------


class ConversationsParams(WireModel):
    workspace: str | None = None
    limit: int = Field(default=50, ge=1, le=1000)


class ConversationSummaryInfo(WireModel):
    id: str
    title: str
    workspace: str | None
    created_at: str
    updated_at: str
    messages: int
    last_model: str | None
    cost_usd: float
    forked_from: str | None


class ConversationsResult(WireModel):
    conversations: list[ConversationSummaryInfo]


class ConversationMessageInfo(WireModel):
    seq: int
    role: Literal["user", "assistant"]
    content: str
    model: str | None
    intent: str | None
    cost_usd: float
    cached: bool
    ts: str
    context: list[ContextItemInfo] = Field(default_factory=list)


class ConversationDetail(WireModel):
    """`smartRouter/conversation` and `conversationFork`: a conversation with its messages."""

    id: str
    title: str
    workspace: str | None
    forked_from: str | None
    messages: list[ConversationMessageInfo]


class ConversationParams(WireModel):
    id: str = Field(min_length=1)


class ConversationForkParams(WireModel):
    id: str = Field(min_length=1)
    at_seq: int | None = Field(default=None, ge=1)
    """Copy messages 1..atSeq; absent: all of them."""


class ConversationDeleteParams(WireModel):
    id: str = Field(min_length=1)


class ConversationDeleteResult(WireModel):
    removed: bool


class ConversationRenameParams(WireModel):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=200)


class ConversationRenameResult(WireModel):
    id: str
    title: str


def conversation_summary(s: ConversationSummary) -> ConversationSummaryInfo:
    """A row of `smartRouter/conversations` (sessions)."""
    return ConversationSummaryInfo(
        id=s.id,
        title=s.title,
        workspace=s.workspace,
        created_at=s.created_at,
        updated_at=s.updated_at,
        messages=s.messages,
        last_model=s.last_model,
        cost_usd=micro_to_usd(s.cost_micro_usd),
        forked_from=s.forked_from,
    )


def conversation_detail(c: Conversation) -> ConversationDetail:
    """`smartRouter/conversation` and `conversationFork`: every message, with the context of answers."""
    from smart_router.context.messages import items_from_json

    return ConversationDetail(
        id=c.id,
        title=c.title,
        workspace=c.workspace,
        forked_from=c.forked_from,
        messages=[
            ConversationMessageInfo(
                seq=m.seq,
                role=m.role,
                content=m.content,
                model=m.model,
                intent=m.intent,
                cost_usd=micro_to_usd(m.cost_micro_usd),
                cached=m.cached,
                ts=m.ts,
                context=[context_item_info(i) for i in items_from_json(m.context_json)],
            )
            for m in c.messages
        ],
    )
