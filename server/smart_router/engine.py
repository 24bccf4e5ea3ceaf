"""The engine: the one facade that the LSP server and the command line adapt.

It knows nothing about LSP. An ask runs: analyse (count tokens) -> select a model ->
call the provider, streaming -> settle the cost in the ledger. Listeners hear about each
step, so an adapter can show the chosen model before the first token and the spend as
soon as a call settles.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiosqlite
import httpx

from smart_router.budget import Ledger, LedgerRow, SpendSummary
from smart_router.catalog import Catalog, ModelSpec, ProviderSpec, load_catalog
from smart_router.config import Settings, database_path
from smart_router.errors import BadInputError, ProviderError
from smart_router.keys import KeyStore
from smart_router.providers import ChatRequest, Message, TextDelta, Usage
from smart_router.providers.ollama import list_local_models
from smart_router.providers.registry import make_provider
from smart_router.router import Decision, select_model
from smart_router.store import open_database
from smart_router.tokens import INLINE_CHARS, cost_micro_usd, count_text, encoding_loaded, prompt_tokens

__all__ = ["AskListener", "AskOutcome", "Engine", "ModelStatus"]

log = logging.getLogger(__name__)


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


@dataclass(frozen=True, slots=True)
class ModelStatus:
    model: ModelSpec
    provider: ProviderSpec
    key_available: bool


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
        self.ledger = ledger or Ledger(db)
        self.settings = settings
        self.catalog: Catalog = load_catalog(settings)
        self._discovered = False
        self._discovery_lock = asyncio.Lock()

    @classmethod
    async def open(cls, settings: Settings, db_path: Path | str | None = None) -> Engine:
        db = await open_database(db_path or database_path(settings))
        client = httpx.AsyncClient(
            timeout=_timeout(settings),
            limits=httpx.Limits(max_keepalive_connections=20, keepalive_expiry=60),
        )
        return cls(settings, db, client)

    async def close(self) -> None:
        await self._client.aclose()
        await self._db.close()

    def update_settings(self, settings: Settings) -> None:
        """Apply new settings; the catalog is rebuilt (a bad one raises and changes nothing)
        and local models are discovered again on the next request."""
        catalog = load_catalog(settings)
        self.settings, self.catalog = settings, catalog
        self._client.timeout = _timeout(settings)
        self._discovered = False

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

    async def route(self, prompt: str, model: str | None = None) -> Decision:
        """The decision for a prompt, without calling any provider."""
        messages = _messages(prompt, self.settings.system_prompt)
        if not self._discovered:
            await self.discover_local_models()
        if len(prompt) <= INLINE_CHARS and encoding_loaded():
            measured = prompt_tokens(messages)
        else:
            measured = await asyncio.to_thread(prompt_tokens, messages)
        return select_model(
            self.catalog,
            input_tokens=lambda m: measured.count(m.family),
            output_cap=self.settings.max_output_tokens,
            keyed_providers=await self._keyed_providers(),
            forced=model,
            default=self.settings.default_model or None,
        )

    async def ask(
        self,
        request_id: str,
        prompt: str,
        listener: AskListener,
        *,
        model: str | None = None,
        workspace: str | None = None,
    ) -> AskOutcome:
        """Route, stream the answer through `listener`, settle the cost. Cancellable."""
        decision = await self.route(prompt, model)
        listener.routed(request_id, decision)
        key = await self.keys.get(decision.provider)
        provider = make_provider(decision.provider, self._client, key)
        request = ChatRequest(
            model=decision.model.api_name,
            messages=_messages(prompt, self.settings.system_prompt),
            max_output_tokens=decision.max_output_tokens,
        )
        parts: list[str] = []
        usage: Usage | None = None
        ttft_ms: float | None = None
        start = time.perf_counter()

        async def settle(status: str, error_kind: str | None = None) -> AskOutcome:
            total_ms = (time.perf_counter() - start) * 1000
            text = "".join(parts)
            if usage is not None:
                tokens_in, tokens_out, estimated = usage.input_tokens, usage.output_tokens, False
            elif status == "error" and not parts:
                tokens_in, tokens_out, estimated = 0, 0, False  # refused before any work
            else:
                tokens_in = decision.input_tokens
                family = decision.model.family
                tokens_out = (
                    await asyncio.to_thread(count_text, text, family)
                    if len(text) > INLINE_CHARS
                    else count_text(text, family)
                )
                estimated = True
            cached = usage.cached_input_tokens if usage is not None else 0
            cost = cost_micro_usd(decision.model, tokens_in, tokens_out, cached)
            await self.ledger.record(
                LedgerRow(
                    request_id=request_id,
                    workspace=workspace,
                    model=decision.model.id,
                    provider=decision.provider.id,
                    intent=None,
                    input_tokens=tokens_in,
                    output_tokens=tokens_out,
                    cost_micro_usd=cost,
                    usage_estimated=estimated,
                    latency_ms=total_ms,
                    ttft_ms=ttft_ms,
                    status=status,  # type: ignore[arg-type]
                    error_kind=error_kind,
                )
            )
            listener.settled(await self.ledger.summary())
            return AskOutcome(
                request_id,
                decision,
                text,
                tokens_in,
                tokens_out,
                cost,
                estimated,
                ttft_ms,
                total_ms,
            )

        try:
            async for event in provider.stream(request):
                if isinstance(event, TextDelta):
                    if ttft_ms is None:
                        ttft_ms = (time.perf_counter() - start) * 1000
                    parts.append(event.text)
                    listener.delta(request_id, event.text)
                elif isinstance(event, Usage):
                    usage = event
        except ProviderError as exc:
            await settle("error", exc.kind)
            raise
        except asyncio.CancelledError:
            await settle("cancelled")
            raise
        return await settle("ok")

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
        return await self.ledger.summary()

    async def models(self) -> list[ModelStatus]:
        if not self._discovered:
            await self.discover_local_models()
        keyed = await self._keyed_providers()
        out = []
        for m in sorted(self.catalog.models.values(), key=lambda m: (m.provider, m.id)):
            p = self.catalog.providers[m.provider]
            out.append(ModelStatus(m, p, p.local or p.id in keyed))
        return out

    async def set_api_key(self, provider_id: str, key: str) -> str:
        provider = self.catalog.provider(provider_id)
        if provider.local:
            raise BadInputError(f"{provider.name} runs locally and needs no API key.")
        if key != key.strip() or any(c.isspace() for c in key):
            raise BadInputError("The API key contains spaces or line breaks. Paste the key alone.")
        return await self.keys.set(provider, key)


def _messages(prompt: str, system: str) -> tuple[Message, ...]:
    if not prompt.strip():
        raise BadInputError("The prompt is empty. Type a question, or select code and ask again.")
    user = Message("user", prompt)
    return (Message("system", system), user) if system.strip() else (user,)


def _timeout(settings: Settings) -> httpx.Timeout:
    return httpx.Timeout(settings.request_timeout_seconds, connect=10.0)
