"""The engine: the one facade that the LSP server and the command line adapt.

It knows nothing about LSP. An ask runs: analyse (count tokens) -> select a model ->
call the provider, streaming -> settle the cost in the ledger. Listeners hear about each
step, so an adapter can show the chosen model before the first token and the spend as
soon as a call settles.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import aiosqlite
import httpx

from smart_router.arena.battle import ArenaDeps, ArenaRequest, run_battle
from smart_router.arena.ratings import Rating, load_ratings
from smart_router.arena.results import ArenaListener, ArenaOutcome
from smart_router.arena.standings import standings, vote_adjustments
from smart_router.arena.votes import VoteStore
from smart_router.attempts import Attempt, RetryElsewhere
from smart_router.budget import BudgetKeeper, GroupBy, Ledger, Placement, SpendSummary, UsageReport
from smart_router.budget.keeper import usd
from smart_router.budget.periods import resolve_zone
from smart_router.budget.usage import usage_report
from smart_router.catalog import Catalog, ModelSpec, ProviderSpec, load_catalog
from smart_router.config import Settings, database_path
from smart_router.context.admin import ContextAdmin
from smart_router.context.assemble import AskOutcome, Assembler, PreparedListener, prefetch_vectors
from smart_router.context.cache import ResponseCache
from smart_router.context.conversations import Conversations
from smart_router.context.messages import ask_messages as _messages
from smart_router.context.service import QUERY_EMBED_TIMEOUT_S, ContextService
from smart_router.editor import EditorContext
from smart_router.embeddings import EmbeddingService, EmbeddingStatus, StatusListener
from smart_router.errors import BadInputError, ProviderError, SmartRouterError
from smart_router.intent import Classification, Classifier
from smart_router.keys import KeyStore
from smart_router.providers import Message
from smart_router.providers.base import Provider
from smart_router.providers.ollama import list_local_models
from smart_router.providers.registry import make_provider
from smart_router.router import Candidate, Decision, compile_rules, select_model
from smart_router.router.health import BreakerState, Health, HealthStats
from smart_router.router.scoring import QualityAdjustments
from smart_router.store import open_database
from smart_router.tokens import INLINE_CHARS, encoding_loaded, prompt_tokens

__all__ = ["MAX_ATTEMPTS", "AskListener", "AskOutcome", "Engine", "ModelStatus"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
"""Provider calls one ask may make: the chosen model and up to two fallbacks."""


@dataclass(frozen=True, slots=True)
class ModelStatus:
    model: ModelSpec
    provider: ProviderSpec
    key_available: bool
    health: HealthStats | None = None
    """Moving averages since the sidecar started; None before the model's first call."""
    circuit: BreakerState = "closed"


class AskListener(Protocol):
    """What an adapter hears during an ask."""

    def routed(self, request_id: str, decision: Decision) -> None: ...
    def delta(self, request_id: str, text: str) -> None: ...
    def settled(self, summary: SpendSummary) -> None: ...


class Engine:
    """Routes, asks and accounts. Create with `Engine.open`, finish with `close`."""

    def __init__(
        self,
        settings: Settings,
        db: aiosqlite.Connection,
        client: httpx.AsyncClient,
        keys: KeyStore | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self._db = db
        self._client = client
        self.keys = keys or KeyStore()
        self.settings = settings
        self.ledger = ledger or Ledger(db, zone=lambda: resolve_zone(self.settings.budgets.time_zone))
        self.budget = BudgetKeeper(db, self.ledger, client, lambda: self.settings)
        """Budgets: reservations, alerts (`budget.alert_listeners`), status."""
        self.catalog: Catalog = load_catalog(settings)
        self._discovered = False
        self._discovery_lock = asyncio.Lock()
        self.health = Health()
        """Latency, errors and circuit breakers per model and provider (see router/health.py)."""
        self.rules = compile_rules(settings.rules, self.catalog)
        self.embeddings = EmbeddingService(settings.embedding_model)
        """The embedding model's worker process; started by `start_embeddings`, never at import."""
        self._embeddings_reload: asyncio.Task[None] | None = None
        self._exemplars_warm_up: asyncio.Task[None] | None = None
        self.classifier = Classifier(self.embeddings)
        self.quality_adjustments: QualityAdjustments | None = None
        """Points added to catalog priors per model and intent (the user's arena votes)."""
        self.votes = VoteStore(db)
        """Arena battles and the user's votes on them."""
        self.context = ContextService(db, self.embeddings, lambda: self.settings)
        """Project context, notes and past messages, ranked for each ask (context/service.py)."""
        self.response_cache = ResponseCache(db, self.embeddings, lambda: self.settings)
        self.context.on_file_changed = self.response_cache.invalidate  # drop answers on changed files
        self.conversations = Conversations(db)
        self.conversations.on_entries_removed.append(self.context.entries_removed)
        self.assembler = Assembler(
            self.conversations, self.context, self.response_cache, lambda: self.settings
        )
        self.context_admin = ContextAdmin(db, lambda: self.settings, on_removed=self.context.store.on_removed)
        """Context statistics and clearing; its `limits` apply the size cap and retention."""

    @classmethod
    async def open(cls, settings: Settings, db_path: Path | str | None = None) -> Engine:
        db = await open_database(db_path or database_path(settings))
        client = httpx.AsyncClient(
            timeout=_timeout(settings),
            limits=httpx.Limits(max_keepalive_connections=20, keepalive_expiry=60),
        )
        engine = cls(settings, db, client)
        dropped = await engine.budget.book.reconcile()
        if dropped:
            log.info("released %d budget reservation(s) left by a process that stopped", dropped)
        await engine.refresh_vote_adjustments()
        engine.context_admin.limits.start()  # retention and the size cap, in the background
        return engine

    def start_embeddings(self, on_status: StatusListener | None = None) -> EmbeddingService:
        """Start the embedding worker in the background (no-op while it runs) and return the service
        at once. The LSP server calls it once it is up; the CLI when a command wants vectors.
        The classifier reads its intent models at once and again once the embedding model is
        ready (the probe), off any request's path."""

        def changed(status: EmbeddingStatus) -> None:
            if status.state == "ready":
                self._exemplars_warm_up = asyncio.ensure_future(self._warm_up_classifier())
            if on_status is not None:
                on_status(status)

        self.embeddings.on_status = changed
        self.embeddings.launch()
        self.context.start()  # the indexer embeds new context entries in batches once the model is ready
        if self._exemplars_warm_up is None:  # the intent models are read now, not by the first ask
            self._exemplars_warm_up = asyncio.ensure_future(self._warm_up_classifier())
        return self.embeddings

    async def _warm_up_classifier(self) -> None:
        try:
            await self.classifier.warm_up()
        except SmartRouterError as exc:  # the worker went away meanwhile: the first request retries
            log.info("intent exemplars not embedded yet: %s", exc.message)

    async def close(self) -> None:
        if self._exemplars_warm_up is not None:
            self._exemplars_warm_up.cancel()
        await self.context_admin.close()
        await self.context.close()
        await self.embeddings.close()
        await self.budget.close()
        await self._client.aclose()
        await self._db.close()

    def update_settings(self, settings: Settings) -> None:
        """Apply new settings; the catalog is rebuilt (a bad one raises and changes nothing)
        and local models are discovered again on the next request."""
        catalog = load_catalog(settings)
        rules = compile_rules(settings.rules, catalog)
        self.settings, self.catalog, self.rules = settings, catalog, rules
        self._client.timeout = _timeout(settings)
        self._discovered = False
        if self.embeddings.launched and settings.embedding_model != self.embeddings.model_path:
            self._embeddings_reload = asyncio.ensure_future(self.embeddings.reload(settings.embedding_model))

    async def discover_local_models(self) -> list[str]:
        """Add the models each enabled Ollama has pulled to the catalog; returns their ids.
        An Ollama that does not answer adds none (and is asked again after a settings change)."""
        async with self._discovery_lock:
            found_ids: list[str] = []
            for spec in [p for p in self.catalog.providers.values() if p.kind == "ollama" and p.enabled]:
                try:
                    found = await list_local_models(self._client, spec)
                except ProviderError as exc:
                    log.info("no local models from %s: %s", spec.name, exc.message)
                    continue
                self.catalog = self.catalog.with_local_models(found, provider=spec.id)
                found_ids += [f"{spec.id}/{m.name}" for m in found]
            self._discovered = True
            return found_ids

    async def _keyed_providers(self) -> set[str]:
        needed = {m.provider for m in self.catalog.models.values()}
        found = set()
        for pid in needed:
            spec = self.catalog.providers.get(pid)
            if spec and spec.enabled and (spec.local or await self.keys.get(spec)):
                found.add(pid)
        return found

    async def route(
        self,
        prompt: str,
        model: str | None = None,
        *,
        editor: EditorContext | None = None,
        intent: str | None = None,
        workspace: str | None = None,
        messages: tuple[Message, ...] | None = None,
        classification: Classification | None = None,
    ) -> Decision:
        """The decision for a prompt, without calling any provider.

        `editor` is what the editor tells about the request (its selection and diagnostics
        count as prompt tokens; language, file and workspace feed the rules); `intent` a preset
        intent (a code action) that skips classification; `workspace` the ask's workspace when
        `editor` has none. Budgets are applied by `ask`, which walks the ranked candidates.
        `messages` (what is really sent, with context and history) and `classification` (the
        bare prompt's) re-price the candidates without classifying again.
        """
        messages = messages or _messages(prompt, self.settings.system_prompt, editor)
        if not self._discovered:
            await self.discover_local_models()
        if sum(len(m.content) for m in messages) <= INLINE_CHARS and encoding_loaded():
            measured = prompt_tokens(messages)
        else:
            measured = await asyncio.to_thread(prompt_tokens, messages)
        classification = classification or await self.classifier.classify_async(prompt, editor, intent)
        return select_model(
            self.catalog,
            input_tokens=lambda m: measured.count(m.family),
            output_cap=self.settings.max_output_tokens,
            keyed_providers=await self._keyed_providers(),
            forced=model,
            default=self.settings.default_model or None,
            classification=classification,
            preference=self.settings.routing_preference,
            rules=self.rules,
            editor=editor,
            workspace=workspace,
            health=self.health,
            quality_adjustments=self.quality_adjustments,
            rule_tokens=measured.count("openai"),
        )

    async def ask(
        self,
        request_id: str,
        prompt: str,
        listener: AskListener,
        *,
        model: str | None = None,
        workspace: str | None = None,
        editor: EditorContext | None = None,
        intent: str | None = None,
        conversation_id: str | None = None,
        no_cache: bool = False,
    ) -> AskOutcome:
        """Route, reserve the budget, stream the answer through `listener`, settle. Cancellable.

        The ask continues `conversation_id` (else starts a conversation) and carries context;
        a response-cache hit answers at no cost unless `no_cache` (see context/assemble.py).

        The first candidate (in the router's order) whose worst-case cost fits every hard
        budget is used: a downgrade when it is not the chosen one, a `BudgetExceededError`
        when none fits. A retryable failure before the first token moves on to the next
        candidate of another provider (one that just failed would likely fail again for its
        other models), up to `MAX_ATTEMPTS` calls; each attempt is its own ledger row and its
        own reservation. A request that names its model gets that model only (tried even while
        its circuit breaker is open).
        """
        workspace = (workspace.rstrip("/\\") or workspace) if workspace else None
        warming = prefetch_vectors(self.embeddings, prompt, editor) if self.settings.context.enabled else None
        decision = await self.route(prompt, model, editor=editor, intent=intent, workspace=workspace)
        if warming is not None:  # the batch is under way: wait for it, then the vectors are at hand
            await asyncio.wait([warming], timeout=QUERY_EMBED_TIMEOUT_S)
        prep = await self.assembler.prepare(prompt, decision, editor, workspace, conversation_id, no_cache)
        if isinstance(listener, PreparedListener):
            listener.prepared(request_id, prep)
        if prep.cached is not None:
            return await self.assembler.answer_from_cache(request_id, prompt, decision, prep, listener)
        messages = self.assembler.messages(prompt, editor, prep)
        if prep.context.items or prep.history:  # price every candidate on what is really sent
            c = decision.classification
            decision = await self.route(
                prompt, model, editor=editor, workspace=workspace, messages=messages, classification=c
            )
        chain = list(decision.candidates) or [_candidate_of(decision)]
        if model is not None:
            chain = chain[:1]
        failures: list[str] = []
        failed_providers: set[str] = set()
        last_error: ProviderError | None = None
        while True:
            # a named model is tried even while its circuit is open: the user asked for it
            usable = [
                c for c in chain if model is not None or self.health.available(c.model.id, c.provider.id)
            ]
            if not usable:
                raise last_error or _cooling_down(chain)
            placed = await self.budget.place(usable, request_id=request_id, workspace=workspace)
            if not isinstance(placed, Placement):
                if last_error is not None:  # the fallbacks do not fit: the provider failure is the news
                    raise last_error
                cheapest = min(usable, key=lambda c: c.max_micro_usd)
                raise self.budget.refusal(placed, cheapest)
            candidate = usable[placed.index]
            chosen = _decision_for(decision, candidate, usable[placed.index + 1 :], placed, failures)
            listener.routed(request_id, chosen)
            attempt = Attempt(
                request_id,
                chosen,
                candidate,
                placed.reservation,
                workspace,
                _intent_of(decision),
                self.budget,
                self.health,
                listener,
            )
            try:
                key = await self.keys.get(candidate.provider)
                provider = make_provider(candidate.provider, self._client, key)
            except BaseException:
                await self.budget.book.release(placed.reservation)
                raise
            try:
                r = await attempt.run(provider, messages)
            except RetryElsewhere as retry:
                last_error = retry.error
                failures.append(f"{candidate.model.id} ({retry.error.kind})")
                if len(failures) >= MAX_ATTEMPTS:
                    raise retry.error from None
                failed_providers.add(candidate.provider.id)
                chain = [c for c in usable[placed.index + 1 :] if c.provider.id not in failed_providers]
                continue
            outcome = AskOutcome(
                request_id,
                chosen,
                r.text,
                r.input_tokens,
                r.output_tokens,
                r.cost_micro_usd,
                r.usage_estimated,
                r.ttft_ms,
                r.total_ms,
                conversation_id=prep.conversation_id,
                context=prep.context,
            )
            await self.assembler.remember(prompt, outcome, prep, workspace=workspace)
            return outcome

    async def arena(
        self,
        request_id: str,
        prompt: str,
        listener: ArenaListener,
        *,
        group: str | None = None,
        models: list[str] | None = None,
        editor: EditorContext | None = None,
        workspace: str | None = None,
        stop: asyncio.Event | None = None,
    ) -> ArenaOutcome:
        """Run a battle: every member of `group` (default Hybrid), or the `models` listed, answers at
        once, each streamed through `listener`; the verdict picks the best (see arena/battle.py).
        Cancelling (or setting `stop`) stops every contestant; each settles what it used."""
        workspace = workspace or (editor.workspace if editor else None)
        workspace = (workspace.rstrip("/\\") or workspace) if workspace else None
        messages = _messages(prompt, self.settings.system_prompt, editor)
        if not self._discovered:
            await self.discover_local_models()
        if sum(len(m.content) for m in messages) <= INLINE_CHARS and encoding_loaded():
            measured = prompt_tokens(messages)
        else:
            measured = await asyncio.to_thread(prompt_tokens, messages)
        deps = ArenaDeps(
            catalog=self.catalog,
            keyed_providers=frozenset(await self._keyed_providers()),
            local_up=bool(self.catalog.discovered),
            user_groups=self.settings.arena_groups,
            output_cap=self.settings.max_output_tokens,
            keeper=self.budget,
            health=self.health,
            classifier=self.classifier,
            votes=self.votes,
            providers=self._provider_for,
            embed=self.embeddings.embed if self.embeddings.state == "ready" else None,
            judge=self.settings.arena_judge,
        )
        request = ArenaRequest(
            request_id, prompt, messages, lambda m: measured.count(m.family), group, models, editor, workspace
        )
        return await run_battle(deps, request, listener, stop)

    async def _provider_for(self, c: Candidate) -> Provider:
        return make_provider(c.provider, self._client, await self.keys.get(c.provider))

    async def arena_vote(self, battle_id: str, vote: str, winner: str | None = None) -> list[Rating]:
        """Store the user's vote on a battle (replacing an earlier one), let the router hear it, and
        return the overall leaderboard."""
        await self.votes.vote(battle_id, vote, winner)
        await self.refresh_vote_adjustments()
        return await self.leaderboard()

    async def leaderboard(self, intent: str | None = None) -> list[Rating]:
        """The user's ratings from their votes, overall or for one intent, best first."""
        return await standings(await self.votes.outcomes(intent))

    async def refresh_vote_adjustments(self) -> None:
        """Recompute the router's quality adjustments from the user's votes."""
        self.quality_adjustments = vote_adjustments(await load_ratings(self.votes)) or None

    async def prewarm(self) -> int:
        """Open connections to the providers the user can use, so the first ask skips the
        TCP and TLS handshakes. Failures are ignored: an ask reports them properly. Returns how
        many providers answered."""
        keyed = await self._keyed_providers()
        targets = {self.catalog.providers[p].base_url for p in keyed}

        async def touch(url: str) -> bool:
            try:
                await self._client.head(url, timeout=httpx.Timeout(3.0))
                return True
            except httpx.HTTPError:
                return False

        return sum(await asyncio.gather(*(touch(u) for u in sorted(targets))))

    async def spend(self) -> SpendSummary:
        return await self.budget_status()

    async def budget_status(self, workspace: str | None = None) -> SpendSummary:
        """Spend today and this month, every budget (or the global ones and `workspace`'s) and the
        forecast, in the budgets' time zone."""
        return await self.budget.status(workspace)

    async def usage_report(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        by: GroupBy = "model",
        workspace: str | None = None,
    ) -> tuple[UsageReport, SpendSummary]:
        """Spend between two local days (inclusive; default: the last 30 days), grouped `by`, with
        the budgets' status and forecast."""
        today = self.ledger.local_day(self.ledger.now())
        until = until or today
        since = since or (date.fromisoformat(until) - timedelta(days=29)).isoformat()
        for name, value in (("since", since), ("until", until)):
            try:
                date.fromisoformat(value)
            except ValueError:
                raise BadInputError(f"{name} must be a date as YYYY-MM-DD, not '{value}'.") from None
        if since > until:
            raise BadInputError(f"since ({since}) is after until ({until}): swap them.")
        report = await usage_report(self._db, since=since, until=until, by=by, workspace=workspace)
        return report, await self.budget.status(workspace)

    async def models(self) -> list[ModelStatus]:
        if not self._discovered:
            await self.discover_local_models()
        keyed = await self._keyed_providers()
        out = []
        for m in sorted(self.catalog.models.values(), key=lambda m: (m.provider, m.id)):
            p = self.catalog.providers[m.provider]
            out.append(
                ModelStatus(
                    m, p, p.local or p.id in keyed, self.health.model(m.id), self.health.state(m.id, p.id)
                )
            )
        return out

    async def set_api_key(self, provider_id: str, key: str) -> str:
        provider = self.catalog.provider(provider_id)
        if provider.local:
            raise BadInputError(f"{provider.name} runs locally and needs no API key.")
        if key != key.strip() or any(c.isspace() for c in key):
            raise BadInputError("The API key contains spaces or line breaks. Paste the key alone.")
        return await self.keys.set(provider, key)


def _candidate_of(d: Decision) -> Candidate:
    return Candidate(
        d.model, d.provider, d.input_tokens, d.max_output_tokens, d.estimated_micro_usd, d.max_micro_usd
    )


def _intent_of(d: Decision) -> str | None:
    return d.classification.intent if d.classification is not None else None


def _decision_for(
    d: Decision, c: Candidate, rest: list[Candidate], placed: Placement, failures: list[str]
) -> Decision:
    """The decision as it stands for this attempt: the model it goes to and why."""
    reason = d.reason
    if failures:
        reason = f"{c.model.id}: fallback after {', '.join(failures)} failed"
    elif c.model.id != d.model.id and placed.skipped is not None:
        use = placed.skipped.usage
        lim = use.limit
        if lim.name == "perRequest":
            why = f"it could cost up to {usd(placed.skipped.amount_micro_usd)}, over {lim.label} of "
            why += usd(lim.limit_micro_usd)
        else:
            left = max(0, lim.limit_micro_usd - use.spent_micro_usd - use.reserved_micro_usd)
            why = f"{lim.label} has {usd(left)} left"
        reason = f"{c.model.id}: downgraded from {d.model.id}: {why}"
    return dataclasses.replace(
        d,
        model=c.model,
        provider=c.provider,
        reason=reason,
        input_tokens=c.input_tokens,
        max_output_tokens=c.max_output_tokens,
        estimated_micro_usd=c.estimated_micro_usd,
        max_micro_usd=c.max_micro_usd,
        fallbacks=tuple(x.model.id for x in rest),
        candidates=(c, *rest),
    )


def _cooling_down(chain: list[Candidate]) -> ProviderError:
    names = ", ".join(dict.fromkeys(c.model.id for c in chain))
    return ProviderError(
        f"Every model this request may use ({names}) failed recently and is paused. Retry in a minute, "
        "or pick another model.",
        kind="provider_unavailable",
        provider=chain[0].provider.id if chain else None,
        retryable=True,
    )


def _timeout(settings: Settings) -> httpx.Timeout:
    return httpx.Timeout(settings.request_timeout_seconds, connect=10.0)
