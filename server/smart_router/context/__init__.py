"""Context that persists: conversations, project context, its relevance, the response cache."""

from smart_router.context.cache import CacheHit, ResponseCache
from smart_router.context.conversations import (
    Conversation,
    ConversationMessage,
    Conversations,
    ConversationSummary,
)
from smart_router.context.relevance import ContextItem, Gathered
from smart_router.context.service import ContextService
from smart_router.context.store import ContextStore, DocumentUpdate

__all__ = [
    "CacheHit",
    "ContextItem",
    "ContextService",
    "ContextStore",
    "Conversation",
    "ConversationMessage",
    "ConversationSummary",
    "Conversations",
    "DocumentUpdate",
    "Gathered",
    "ResponseCache",
]
