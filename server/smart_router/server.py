"""The LSP adapter: registers `smartRouter/*` handlers over the engine.

Parameters arrive from pygls as namedtuples; they are turned back into plain data and
validated with the pydantic models of `protocol.py`, and results leave as camelCase JSON,
all in `_serve`. Engine errors become JSON-RPC errors whose message tells the user what to do.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from lsprotocol import types
from pydantic import BaseModel, ValidationError
from pygls.exceptions import JsonRpcServerError
from pygls.lsp.server import LanguageServer

from smart_router import __version__, code_actions, context_lsp, protocol
from smart_router import protocol_arena as arena_wire
from smart_router import protocol_context as context_wire
from smart_router.arena.results import ArenaStart, ContestantResult
from smart_router.budget import SpendSummary
from smart_router.config import Settings, parse_settings
from smart_router.context.assemble import Prepared
from smart_router.engine import Engine
from smart_router.errors import BadInputError, SmartRouterError
from smart_router.router import Decision
from smart_router.tokens import warm_up as warm_up_tokens

__all__ = ["SmartRouterServer", "create_server"]

log = logging.getLogger(__name__)
P = TypeVar("P", bound=BaseModel)
_Handler = Callable[["SmartRouterServer", Any], Awaitable[BaseModel]]


class SmartRouterServer(LanguageServer):
    """The sidecar: an LSP server holding one engine, opened on first use."""

    def __init__(self) -> None:
        super().__init__("smart-router", __version__)
        self.settings = Settings()
        self._engine: Engine | None = None
        self._engine_lock = asyncio.Lock()
        self.warm_up: asyncio.Future[None] | None = None
        self.closing = False
        self._budget_announcement: asyncio.Future[None] | None = None
        self.documents: context_lsp.DocumentSync | None = None
        """Document sync feeding the context cache (set by `create_server`)."""

    async def engine(self) -> Engine:
        async with self._engine_lock:
            if self.closing:  # after `shutdown` nothing may open the database again
                raise SmartRouterError("Smart Router is shutting down.")
            if self._engine is None:
                self._engine = await Engine.open(self.settings)
                self._engine.budget.alert_listeners.append(
                    lambda alert: self.notify(protocol.BUDGET_ALERT, protocol.budget_alert(alert))
                )
            return self._engine

    async def close_engine(self) -> None:
        self.closing = True
        if self.warm_up is not None:
            self.warm_up.cancel()
        async with self._engine_lock:
            if self._engine is not None:
                await self._engine.close()
                self._engine = None

    def apply_settings(self, raw: Any) -> None:
        settings = parse_settings(_plain(raw), origin="VS Code settings")
        budgets_changed = settings.budgets != self.settings.budgets
        if self._engine is not None:
            self._engine.update_settings(settings)
        self.settings = settings
        if budgets_changed and self._engine is not None:  # the cost meter shows the new limits at once
            self._budget_announcement = asyncio.ensure_future(self._announce_budgets(self._engine))
        logging.getLogger("smart_router").setLevel(settings.log_level.upper())
        # pygls and httpx log every message and request at INFO: only when debugging
        for chatty in ("pygls", "httpx"):
            logging.getLogger(chatty).setLevel("DEBUG" if settings.log_level == "debug" else "WARNING")

    async def _announce_budgets(self, engine: Engine) -> None:
        try:
            self.notify(protocol.BUDGET_CHANGED, protocol.budget_status(await engine.budget_status()))
        except (SmartRouterError, ValueError) as exc:  # closed meanwhile
            log.info("budget status not sent: %s", exc)

    def notify(self, method: str, payload: BaseModel) -> None:
        self.protocol.notify(method, payload.model_dump(mode="json", by_alias=True))

    def notify_status(self, component: str, state: str, detail: str) -> None:
        """`smartRouter/status`: a background component (the embedding model) changed state."""
        if not self.closing:
            self.notify(
                protocol.STATUS, protocol.StatusNotification(component=component, state=state, detail=detail)
            )


def _plain(value: Any) -> Any:
    """pygls namedtuples (nested) back to dicts and lists."""
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _rpc_error(exc: SmartRouterError) -> JsonRpcServerError:
    return JsonRpcServerError(exc.message, exc.code, exc.data())  # type: ignore[no-untyped-call]


async def _serve(params: Any, model: type[P], handle: Callable[[P], Awaitable[BaseModel]]) -> dict[str, Any]:
    """Validate params, run the handler, serialise the result; errors become JSON-RPC errors."""
    try:
        try:
            parsed = model.model_validate(_plain(params) or {})
        except ValidationError as exc:  # the input values are left out: they may hold a key
            fields = ", ".join(".".join(map(str, e["loc"])) + f" ({e['msg']})" for e in exc.errors())
            raise BadInputError(f"Invalid request parameters: {fields}.") from None
        result = await handle(parsed)
    except SmartRouterError as exc:
        raise _rpc_error(exc) from None
    return result.model_dump(mode="json", by_alias=True)


class _Listener:
    """Forwards an ask's progress to the client as notifications."""

    def __init__(self, server: SmartRouterServer) -> None:
        self._server = server
        self._prepared: Prepared | None = None

    def prepared(self, request_id: str, prepared: Prepared) -> None:
        self._prepared = prepared  # its conversation, context and cache hit go out with `routed`

    def routed(self, request_id: str, d: Decision) -> None:
        self._server.notify(protocol.ROUTED, protocol.routed_notification(request_id, d, self._prepared))

    def delta(self, request_id: str, text: str) -> None:
        self._server.notify(protocol.STREAM, protocol.StreamNotification(request_id=request_id, delta=text))

    def settled(self, summary: SpendSummary) -> None:
        self._server.notify(protocol.BUDGET_CHANGED, protocol.budget_status(summary))


class _ArenaListener:
    """Forwards a battle to the client: notifications per contestant, work-done progress."""

    def __init__(self, server: SmartRouterServer, token: str | int | None) -> None:
        self._server = server
        self._token = token
        self._total = 0
        self._finished = 0

    def started(self, start: ArenaStart) -> None:
        self._total = len(start.members)
        self._server.notify(protocol.ARENA_STARTED, arena_wire.arena_started(start))
        self._report(f"0 of {self._total} answered")

    def delta(self, request_id: str, model: str, text: str) -> None:
        self._server.notify(
            protocol.ARENA_STREAM,
            arena_wire.ArenaStreamNotification(request_id=request_id, model=model, delta=text),
        )

    def contestant(self, request_id: str, result: ContestantResult) -> None:
        self._finished += 1
        self._server.notify(
            protocol.ARENA_CONTESTANT,
            arena_wire.ArenaContestantNotification(
                request_id=request_id, contestant=arena_wire.contestant_info(result)
            ),
        )
        self._report(f"{self._finished} of {self._total} answered")

    def settled(self, summary: SpendSummary) -> None:
        self._server.notify(protocol.BUDGET_CHANGED, protocol.budget_status(summary))

    def merge(self, request_id: str, judge: str, sources: tuple[str, ...], text: str) -> None:
        if not text:
            self._report(f"{judge} is merging the best {len(sources)} answers")
        self._server.notify(
            protocol.ARENA_MERGE,
            arena_wire.ArenaMergeNotification(
                request_id=request_id, model=judge, sources=list(sources), delta=text
            ),
        )

    def _report(self, message: str) -> None:
        if self._token is not None and self._total:
            percentage = round(100 * self._finished / self._total)
            self._server.work_done_progress.report(
                self._token,
                types.WorkDoneProgressReport(message=message, percentage=percentage, cancellable=True),
            )


async def _arena(ls: SmartRouterServer, p: arena_wire.ArenaParams) -> BaseModel:
    """A battle with work-done progress: cancelling the progress stops the contestants and still
    returns the verdict on the answers that finished; `$/cancelRequest` cancels the request."""
    engine = await ls.engine()
    stop = asyncio.Event()
    token = p.work_done_token
    progress = ls.work_done_progress
    if token is not None:
        progress.begin(
            token, types.WorkDoneProgressBegin(title="Smart Router arena", cancellable=True, percentage=0)
        )
        cancelled = progress.tokens.get(token)
        if cancelled is not None:
            cancelled.add_done_callback(lambda f: stop.set() if f.cancelled() else None)
    done = "stopped"
    try:
        outcome = await engine.arena(
            p.request_id,
            p.prompt,
            _ArenaListener(ls, token),
            group=p.group,
            models=p.models,
            editor=p.context.editor() if p.context else None,
            workspace=p.workspace,
            stop=stop,
        )
        done = f"picked {outcome.pick.model}" if outcome.pick else "no usable answer"
        return arena_wire.arena_result(outcome)
    finally:
        if token is not None:
            progress.end(token, types.WorkDoneProgressEnd(message=done))
            progress.tokens.pop(token, None)


def create_server() -> SmartRouterServer:
    """A new sidecar server with every feature registered."""
    server = SmartRouterServer()
    code_actions.setup(server)  # the inline code actions
    server.documents = context_lsp.setup(server, _serve)  # document sync -> context; context requests

    @server.feature(types.INITIALIZE)
    def initialize(ls: SmartRouterServer, params: types.InitializeParams) -> None:
        options = _plain(params.initialization_options) or {}
        try:
            ls.apply_settings(options.get("settings") if isinstance(options, dict) else None)
        except SmartRouterError as exc:
            log.error("%s Using default settings.", exc.message)
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, exc.message))

    @server.feature(types.INITIALIZED)
    def initialized(ls: SmartRouterServer, params: types.InitializedParams) -> None:
        # After start-up, off its path: start the embedding worker (it loads for seconds in its own
        # process), load the tokenizer and open provider connections, so the first ask waits for none.
        async def warm_up() -> None:
            try:
                engine = await ls.engine()
                engine.start_embeddings(lambda s: ls.notify_status("embeddings", s.state, s.detail))
                await asyncio.to_thread(warm_up_tokens, {m.family for m in engine.catalog.models.values()})
                warmed = await engine.prewarm()
                log.info("connections to %d provider(s) ready", warmed)
            except SmartRouterError as exc:
                log.warning("%s", exc.message)

        def start() -> None:
            if not ls.closing:
                ls.warm_up = asyncio.ensure_future(warm_up())  # held, so it is not collected midway

        asyncio.get_running_loop().call_later(0.3, start)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: SmartRouterServer, params: types.DidChangeConfigurationParams) -> None:
        raw = _plain(params.settings)
        section = raw.get("smartRouter") if isinstance(raw, dict) else None
        if section is None:
            return
        try:
            ls.apply_settings(section)
        except SmartRouterError as exc:
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, exc.message))

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: SmartRouterServer, params: None) -> None:
        await ls.close_engine()

    @server.feature(protocol.ASK)
    async def ask(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.AskParams) -> BaseModel:
            engine = await ls.engine()
            outcome = await engine.ask(
                p.request_id,
                p.prompt,
                _Listener(ls),
                model=p.model,
                workspace=p.workspace,
                editor=p.context.editor() if p.context else None,
                intent=p.intent,  # a code action's preset: classification is skipped
                conversation_id=p.conversation_id,
                no_cache=p.no_cache,
            )
            return protocol.ask_result(outcome)

        return await _serve(params, protocol.AskParams, handle)

    @server.feature(protocol.ROUTE)
    async def route(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.RouteParams) -> BaseModel:
            engine = await ls.engine()
            editor = p.context.editor() if p.context else None
            decision = await engine.route(
                p.prompt, p.model, editor=editor, intent=p.intent, workspace=p.workspace
            )
            return protocol.route_result(decision)

        return await _serve(params, protocol.RouteParams, handle)

    @server.feature(protocol.BUDGET_STATUS)
    async def budget(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.BudgetStatusParams) -> BaseModel:
            return protocol.budget_status(await (await ls.engine()).budget_status(p.workspace))

        return await _serve(params, protocol.BudgetStatusParams, handle)

    @server.feature(protocol.USAGE_REPORT)
    async def usage_report(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.UsageReportParams) -> BaseModel:
            report, status = await (await ls.engine()).usage_report(
                since=p.since, until=p.until, by=p.by, workspace=p.workspace
            )
            return protocol.usage_report(report, status)

        return await _serve(params, protocol.UsageReportParams, handle)

    @server.feature(protocol.MODELS)
    async def models(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.ModelsParams) -> BaseModel:
            rows = await (await ls.engine()).models()
            return protocol.ModelsResult(models=[protocol.model_info(r) for r in rows])

        return await _serve(params, protocol.ModelsParams, handle)

    @server.feature(protocol.SET_API_KEY)
    async def set_api_key(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: protocol.SetApiKeyParams) -> BaseModel:
            backend = await (await ls.engine()).set_api_key(p.provider, p.api_key)
            return protocol.SetApiKeyResult(provider=p.provider, backend=backend)

        return await _serve(params, protocol.SetApiKeyParams, handle)

    @server.feature(protocol.ARENA)
    async def arena(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        return await _serve(params, arena_wire.ArenaParams, lambda p: _arena(ls, p))

    @server.feature(protocol.ARENA_VOTE)
    async def arena_vote(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: arena_wire.ArenaVoteParams) -> BaseModel:
            rows = await (await ls.engine()).arena_vote(p.battle_id, p.vote, p.winner)
            entries = [arena_wire.leaderboard_entry(r) for r in rows]
            return arena_wire.ArenaVoteResult(battle_id=p.battle_id, recorded=True, leaderboard=entries)

        return await _serve(params, arena_wire.ArenaVoteParams, handle)

    @server.feature(protocol.LEADERBOARD)
    async def leaderboard(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: arena_wire.LeaderboardParams) -> BaseModel:
            rows = await (await ls.engine()).leaderboard(p.intent)
            entries = [arena_wire.leaderboard_entry(r) for r in rows]
            return arena_wire.LeaderboardResult(intent=p.intent, entries=entries)

        return await _serve(params, arena_wire.LeaderboardParams, handle)

    @server.feature(context_wire.CONTEXT_SEARCH)
    async def context_search(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
        async def handle(p: context_wire.ContextSearchParams) -> BaseModel:
            engine = await ls.engine()
            found = engine.context.search(p.query, workspace=p.workspace, file=p.file, limit=p.limit)
            mode, items = await found
            return context_wire.ContextSearchResult(
                mode=mode, items=[context_wire.context_item_info(i) for i in items]
            )

        return await _serve(params, context_wire.ContextSearchParams, handle)

    _conversation_features(server)
    return server


def _conversation_features(server: SmartRouterServer) -> None:
    """`smartRouter/conversations`, `conversation`, `conversationFork`, `conversationDelete` and
    `conversationRename`: the chat panel's history."""

    async def listed(ls: SmartRouterServer, p: context_wire.ConversationsParams) -> BaseModel:
        rows = await (await ls.engine()).conversations.list(p.workspace, p.limit)
        summaries = [context_wire.conversation_summary(r) for r in rows]
        return context_wire.ConversationsResult(conversations=summaries)

    async def one(ls: SmartRouterServer, p: context_wire.ConversationParams) -> BaseModel:
        return context_wire.conversation_detail(await (await ls.engine()).conversations.get(p.id))

    async def fork(ls: SmartRouterServer, p: context_wire.ConversationForkParams) -> BaseModel:
        return context_wire.conversation_detail(await (await ls.engine()).conversations.fork(p.id, p.at_seq))

    async def delete(ls: SmartRouterServer, p: context_wire.ConversationDeleteParams) -> BaseModel:
        removed = await (await ls.engine()).conversations.delete(p.id)
        return context_wire.ConversationDeleteResult(removed=removed)

    async def rename(ls: SmartRouterServer, p: context_wire.ConversationRenameParams) -> BaseModel:
        c = await (await ls.engine()).conversations.rename(p.id, p.title)
        return context_wire.ConversationRenameResult(id=c.id, title=c.title)

    def register(method: str, model: type[BaseModel], handle: _Handler) -> None:
        @server.feature(method)
        async def feature(ls: SmartRouterServer, params: Any) -> dict[str, Any]:
            return await _serve(params, model, lambda p: handle(ls, p))

    register(context_wire.CONVERSATIONS, context_wire.ConversationsParams, listed)
    register(context_wire.CONVERSATION, context_wire.ConversationParams, one)
    register(context_wire.CONVERSATION_FORK, context_wire.ConversationForkParams, fork)
    register(context_wire.CONVERSATION_DELETE, context_wire.ConversationDeleteParams, delete)
    register(context_wire.CONVERSATION_RENAME, context_wire.ConversationRenameParams, rename)
