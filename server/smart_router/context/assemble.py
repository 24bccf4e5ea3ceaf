"""Putting an ask together: its conversation, the context that goes in, the response cache.

The engine routes on the bare prompt first (intent, chosen model), then `Assembler.prepare`:

1. **Conversation**: the one named (an unknown id is refused) or a new one titled after the
   prompt. The user's message is stored now, so a failed or cancelled ask still shows the
   question in its conversation (with no answer; unanswered questions are not sent again).
2. **Budget**: `min(context.maxTokens, chosen model's window // 4 - prompt tokens)`, never
   below 0. The conversation's earlier exchanges come first, newest first, whole question and
   answer pairs, up to half of it; the project context (`ContextService.gather`) gets the rest,
   so a new conversation gives all of it to context.
3. **Response cache** (unless asked afresh, or context or caching is off): the intent, the tier
   of the chosen (or named) model and the fingerprint of what would go in (the gathered items,
   the editor's selection, the history sent). A hit is answered by `answer_from_cache`: cost 0,
   nothing reserved nor billed, stored in the conversation as a cached answer.

Otherwise `messages` builds what is sent (system prompt with the context block, the history,
the prompt with the selection), the engine prices every candidate again on it with the same
classification, calls the model as always, and `remember` stores the answer: the assistant
message, both messages as context entries, and the response cache (answers with status ok only).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from smart_router.context.conversations import ConversationMessage, Conversations
from smart_router.context.documents import is_excluded
from smart_router.context.guard import content_words
from smart_router.context.messages import ask_messages, fit_history, items_to_json
from smart_router.context.relevance import ContextItem, Gathered
from smart_router.editor import EditorContext
from smart_router.embeddings import EmbeddingService
from smart_router.intent.probe import embedding_text
from smart_router.providers import Message
from smart_router.tokens import count_text, micro_to_usd

if TYPE_CHECKING:
    from smart_router.config import Settings
    from smart_router.context.cache import CacheHit, ResponseCache
    from smart_router.context.service import ContextService
    from smart_router.router import Decision

__all__ = [
    "HISTORY_SHARE",
    "AskOutcome",
    "Assembler",
    "Prepared",
    "PreparedListener",
    "cache_fingerprint",
    "context_budget",
    "prefetch_vectors",
]

HISTORY_SHARE = 0.5
"""At most this part of an ask's context budget goes to the conversation's earlier messages."""


@dataclass(frozen=True, slots=True)
class AskOutcome:
    request_id: str
    decision: Decision
    text: str
    input_tokens: int
    output_tokens: int
    cost_micro_usd: int
    usage_estimated: bool
    ttft_ms: float | None
    total_ms: float
    conversation_id: str = ""
    context: Gathered | None = None
    """The context that went in (None only for outcomes made outside `Engine.ask`)."""
    cached: CacheHit | None = None
    """The response-cache entry that answered; None when a model did."""
    saved_micro_usd: int = 0
    """For a cached answer: what asking afresh would have cost (the chosen model's estimate)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """An ask once its conversation, context and cache verdict are known."""

    conversation_id: str
    workspace: str | None
    """The conversation's workspace (where its messages are filed as context)."""
    context: Gathered
    history: tuple[ConversationMessage, ...]
    """The earlier messages sent along, oldest first (answered exchanges only)."""
    history_tokens: int
    fingerprint: str
    """What the cache keys on besides the prompt: the context, the selection, the history."""
    cached: CacheHit | None
    saved_micro_usd: int
    started: float
    """`time.perf_counter()` when the ask began to be prepared."""
    editor: EditorContext | None = None
    """What the editor sent: its selection is kept as context once the ask is answered."""


@runtime_checkable
class PreparedListener(Protocol):
    """A listener that also hears the conversation, context and cache verdict (before `routed`)."""

    def prepared(self, request_id: str, prepared: Prepared) -> None: ...


def context_budget(max_tokens: int, decision: Decision) -> int:
    """Tokens of context (history included) an ask may carry: the setting, at most a quarter of
    the chosen model's window less the prompt, not below 0."""
    return max(0, min(max_tokens, decision.model.context_window // 4 - decision.input_tokens))


def _ago(asked_at: str, now: datetime) -> str:
    try:
        then = datetime.fromisoformat(asked_at)
    except ValueError:
        return asked_at
    seconds = (now - (then if then.tzinfo else then.replace(tzinfo=UTC))).total_seconds()
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n > 1 else ''} ago"
    return "just now"


def cache_fingerprint(
    items: Sequence[ContextItem], editor: EditorContext | None, history: Sequence[ConversationMessage]
) -> str:
    """What a cached answer must share with a new ask besides the prompt: the project context
    (documents, selections, notes: not past messages of other conversations, which change with
    every ask and do not change what the right answer is), the editor's selection, and the
    history sent (the same question means something else after another exchange)."""
    h = hashlib.sha256()
    for part in sorted(i.content_hash for i in items if i.kind != "message"):
        h.update(f"item {part}\n".encode())
    if editor is not None and editor.selection:
        h.update(b"selection " + hashlib.sha256(editor.selection.encode("utf-8")).digest())
    for m in history:
        h.update(f"{m.role} ".encode() + hashlib.sha256(m.content.encode("utf-8")).digest())
    return h.hexdigest()


def _off(selection: str | None) -> Gathered:
    digest = hashlib.sha256((selection or "").encode("utf-8")).hexdigest()
    return Gathered(items=(), mode="off", tokens=0, budget_tokens=0, fingerprint=digest, files={})


class Assembler:
    """Prepares asks and remembers their answers (see the module docstring)."""

    def __init__(
        self,
        conversations: Conversations,
        context: ContextService,
        cache: ResponseCache,
        settings: Callable[[], Settings],
    ) -> None:
        self.conversations = conversations
        self.context = context
        self.cache = cache
        self._settings = settings

    async def prepare(
        self,
        prompt: str,
        decision: Decision,
        editor: EditorContext | None,
        workspace: str | None,
        conversation_id: str | None,
        no_cache: bool,
    ) -> Prepared:
        """The conversation, history, context and cache verdict of an ask routed to `decision`;
        the user's message is stored in the conversation."""
        started = time.perf_counter()
        settings = self._settings().context
        intent, new = _intent(decision), not conversation_id
        if conversation_id:
            conversation = await self.conversations.get(conversation_id)
        else:  # with the user's message, in one transaction
            conversation = await self.conversations.create(prompt, workspace, first=prompt, intent=intent)
        conversation_id, earlier = conversation.id, conversation.messages
        total = context_budget(settings.max_tokens, decision)
        family = decision.model.family
        history, used = fit_history(earlier, int(total * HISTORY_SHARE), lambda t: count_text(t, family))
        if settings.enabled:
            gathered = await self.context.gather(
                prompt,
                editor=editor,
                workspace=workspace,
                conversation_id=conversation_id if earlier else None,
                budget_tokens=total - used,
                family=family,
            )
        else:
            gathered = _off(editor.selection if editor else None)
        fingerprint = cache_fingerprint(gathered.items, editor, history)
        hit = None
        if settings.enabled and settings.response_cache and not no_cache:
            hit = await self.cache.lookup(
                prompt,
                intent=intent,
                tier=decision.model.tier,
                fingerprint=fingerprint,
                workspace=workspace,
            )
        if not new:  # a new conversation holds the message already
            await self.conversations.append(conversation_id, "user", prompt, intent=intent)
        saved = decision.estimated_micro_usd if hit is not None else 0
        return Prepared(
            conversation_id,
            conversation.workspace,
            gathered,
            history,
            used,
            fingerprint,
            hit,
            saved,
            started,
            editor,
        )

    def messages(self, prompt: str, editor: EditorContext | None, p: Prepared) -> tuple[Message, ...]:
        return ask_messages(prompt, self._settings().system_prompt, editor, p.context.items, p.history)

    async def answer_from_cache(
        self, request_id: str, prompt: str, decision: Decision, p: Prepared, listener: CachedListener
    ) -> AskOutcome:
        """Serve the cached answer: `routed` (marked cached, nothing to spend), the text as one
        delta, the hit counted, the exchange stored in the conversation."""
        hit = p.cached
        assert hit is not None
        when = _ago(hit.asked_at, datetime.now(UTC))
        reason = (
            f"cached answer from {hit.model}, {when}; asked afresh costs "
            f"~${micro_to_usd(p.saved_micro_usd):.4f}"
        )
        served = replace(
            decision, reason=reason, estimated_micro_usd=0, max_micro_usd=0, fallbacks=(), candidates=()
        )
        listener.routed(request_id, served)
        listener.delta(request_id, hit.answer)
        await self.cache.record_hit(hit, p.saved_micro_usd)
        await self._store_answer(
            request_id,
            prompt,
            hit.answer,
            p,
            model=hit.model,
            provider=hit.provider,
            cost=0,
            cached=True,
            intent=_intent(decision),
        )
        total_ms = (time.perf_counter() - p.started) * 1000
        return AskOutcome(
            request_id,
            served,
            hit.answer,
            0,
            0,
            0,
            False,
            None,
            total_ms,
            conversation_id=p.conversation_id,
            context=p.context,
            cached=hit,
            saved_micro_usd=p.saved_micro_usd,
        )

    async def remember(self, prompt: str, outcome: AskOutcome, p: Prepared, *, workspace: str | None) -> None:
        """Store a model's answer: in the conversation, as context, in the response cache."""
        d = outcome.decision
        await self._store_answer(
            outcome.request_id,
            prompt,
            outcome.text,
            p,
            model=d.model.id,
            provider=d.provider.id,
            cost=outcome.cost_micro_usd,
            cached=False,
            intent=_intent(d),
        )
        settings = self._settings().context
        selection = p.editor.selection if p.editor is not None else None
        if settings.enabled and selection and selection.strip():
            where = p.editor.file_path if p.editor is not None else None
            if where is None or not is_excluded(where, settings.exclude):  # a selection asked about
                await self.context.store.add_selection(
                    where, selection, workspace=workspace, start_line=None, end_line=None
                )
        if settings.enabled and settings.response_cache and outcome.text.strip():
            await self.cache.store(
                prompt,
                outcome.text,
                intent=_intent(d),
                tier=d.model.tier,
                fingerprint=p.fingerprint,
                workspace=workspace,
                model=d.model.id,
                provider=d.provider.id,
                cost_micro_usd=outcome.cost_micro_usd,
                files=dict(p.context.files),
            )

    async def _store_answer(
        self,
        request_id: str,
        prompt: str,
        answer: str,
        p: Prepared,
        *,
        model: str,
        provider: str,
        cost: int,
        cached: bool,
        intent: str | None,
    ) -> None:
        await self.conversations.append(
            p.conversation_id,
            "assistant",
            answer,
            model=model,
            provider=provider,
            intent=intent,
            cost_micro_usd=cost,
            cached=cached,
            request_id=request_id,
            context_json=items_to_json(p.context.items),
        )
        if self._settings().context.enabled:
            workspace = p.workspace
            await self.context.store.add_message(p.conversation_id, "user", prompt, workspace=workspace)
            await self.context.store.add_message(p.conversation_id, "assistant", answer, workspace=workspace)


def prefetch_vectors(
    embeddings: EmbeddingService, prompt: str, editor: EditorContext | None
) -> asyncio.Future[list[bytes]] | None:
    """With the embedding model ready, start embedding in one batch what an ask will want vectors
    of (the classifier's text, the prompt for context ranking, its words for the response cache),
    while the ask is routed: each later asks for its vector and waits for this batch instead of
    a worker call of its own. A failure here only means they ask themselves."""
    if embeddings.state != "ready" or not prompt.strip():
        return None
    texts = list(dict.fromkeys([embedding_text(prompt, editor), prompt, *content_words(prompt)]))
    future = asyncio.ensure_future(embeddings.embed(texts))
    future.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved: never logged
    return future


class CachedListener(Protocol):
    def routed(self, request_id: str, decision: Decision) -> None: ...
    def delta(self, request_id: str, text: str) -> None: ...


def _intent(d: Decision) -> str | None:
    return d.classification.intent if d.classification is not None else None
