"""Batch routing for evaluation: `smart-router route --batch FILE.jsonl --json [--models A,B]`.

Each input line is a JSON object `{"prompt": "..."}` (optionally `"history": ["earlier user
turn", ...]` for a follow-up, and an `"id"` that is echoed back). Each output line is one JSON
object with the decision: `intent`, `intent_confidence`, `complexity`, `model`, `fallbacks`,
`estimated_cost_usd`, `decision_ms`. With exactly two models (strong first) it also has
`p_strong`, the router's estimate that the strong model is needed, and `threshold`: the model
above is the strong one when `p_strong >= threshold`. A bad line prints
`{"line": N, "error": "..."}` and the batch goes on.

Batch routing calls no provider, so it needs no API key: every provider in the catalog counts
as usable (`RoutingOnlyKeys`). The choice is otherwise the router's own: the same candidates,
scoring, context-window checks and rules as an ask. Classification uses the embedding model
when it loads (progress on standard error) and the lexical path otherwise.
"""

from __future__ import annotations

import asyncio
import difflib
import itertools
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from smart_router.catalog import Catalog, ProviderSpec
from smart_router.engine import Engine
from smart_router.errors import BadInputError, ConfigError, SmartRouterError
from smart_router.intent.difficulty import DEFAULT_THRESHOLD, p_strong
from smart_router.keys import KeyStore
from smart_router.tokens import micro_to_usd

if TYPE_CHECKING:
    from smart_router.embeddings import EmbeddingService

__all__ = ["BatchOptions", "RoutingOnlyKeys", "read_batch_input", "resolve_models", "route_batch"]

EMBEDDING_WAIT_SECONDS = 120.0
"""How long the batch waits for the embedding model before classifying lexically."""
CONCURRENCY = 16
"""Prompts routed at once: their embeddings go to the worker together, as one batch."""


class RoutingOnlyKeys(KeyStore):
    """Every provider has a key, as far as routing is concerned: batch routing decides where a
    prompt would go and never calls a provider, so it must not depend on which keys this
    machine holds."""

    async def get(self, provider: ProviderSpec) -> str | None:
        return "routing-only"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    models: tuple[str, ...] = ()
    """Catalog ids to route between (empty: the whole catalog); with two, strong first."""
    embeddings: bool = True
    """Load the embedding model for classification (lexical when it is not available)."""


def read_batch_input(path: str) -> str:
    """The batch file's text (`-`: standard input); an unreadable file raises a clear error."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInputError(f"Cannot read the batch file {path}: {exc.strerror}. Check the path.") from None
    except UnicodeDecodeError:
        raise BadInputError(
            f"The batch file {path} is not UTF-8 text. Save it as UTF-8 JSON lines."
        ) from None


def resolve_models(catalog: Catalog, ids: Sequence[str]) -> tuple[str, ...]:
    """The ids as given, checked against the catalog; an unknown one raises with close matches."""
    for mid in ids:
        if mid not in catalog.models:
            close = difflib.get_close_matches(mid, list(catalog.models), n=5, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise ConfigError(
                f"Unknown model '{mid}' in --models.{hint} `smart-router models` lists every catalog id.",
                kind="unknown_model",
                model=mid,
            )
    if len(set(ids)) != len(ids):
        raise BadInputError("--models names a model twice. Give each catalog id once.")
    return tuple(ids)


async def _start_embeddings(
    engine: Engine, model_path: str | None, progress: TextIO
) -> EmbeddingService | None:
    """Give the engine's classifier the embedding model once it is ready, and return the service;
    None (with the reason on `progress`) when it is not installed or does not load."""
    from smart_router.embeddings import EmbeddingService
    from smart_router.intent import Classifier

    service = EmbeddingService.start(model_path)
    if service.state != "loading":
        print(f"smart-router: {service.detail}", file=progress)
        await service.close()
        return None
    start = time.perf_counter()
    print("smart-router: loading the embedding model ...", file=progress, flush=True)
    while not await service.wait_ready(5.0):
        waited = time.perf_counter() - start
        if service.state != "loading" or waited > EMBEDDING_WAIT_SECONDS:
            print(
                f"smart-router: embedding model {service.state} ({service.detail}); classifying lexically",
                file=progress,
            )
            await service.close()
            return None
        print(f"smart-router: still loading the embedding model ({waited:.0f} s)", file=progress, flush=True)
    # a batch wants the embedding answer for every prompt, not the interactive deadline's fallback
    engine.classifier = Classifier(embeddings=service, timeout_s=EMBEDDING_WAIT_SECONDS)
    await engine.classifier.warm_up()  # the exemplar index, before the first prompt's deadline
    print(f"smart-router: embedding model ready in {time.perf_counter() - start:.1f} s", file=progress)
    return service


def _parse(line: str) -> tuple[str, list[str], Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadInputError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise BadInputError('expected a JSON object like {"prompt": "..."}')
    prompt = obj.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise BadInputError('"prompt" must be a non-empty string')
    history = obj.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise BadInputError('"history" must be a list of strings (the earlier user turns)')
    return prompt, history, obj.get("id")


async def _route_one(
    engine: Engine, models: tuple[str, ...], prompt: str, history: list[str]
) -> dict[str, Any]:
    start = time.perf_counter()
    # the conversation so far is what the model would be sent, and what is classified
    decision = await engine.route("\n\n".join((*history, prompt)))
    c = decision.classification or engine.classifier.classify(prompt)
    model, fallbacks = decision.model.id, list(decision.fallbacks)
    estimated = decision.estimated_micro_usd
    p: float | None = None
    if len(models) == 2:
        p = p_strong(prompt, c, history=history)
        wanted = models[0] if p >= DEFAULT_THRESHOLD else models[1]
        # both are priced in the decision unless a rule or the context window ruled one out
        for candidate in decision.candidates:
            if candidate.model.id == wanted:
                model, estimated = wanted, candidate.estimated_micro_usd
        fallbacks = [x.model.id for x in decision.candidates if x.model.id != model]
    out: dict[str, Any] = {
        "intent": c.intent,
        "intent_confidence": round(c.confidence, 4),
        "complexity": round(c.complexity, 4),
        "classifier": c.source,
        "model": model,
        "fallbacks": fallbacks,
        "estimated_cost_usd": micro_to_usd(estimated),
    }
    if p is not None:
        out["p_strong"] = round(p, 4)
        out["threshold"] = DEFAULT_THRESHOLD
    out["decision_ms"] = round((time.perf_counter() - start) * 1000, 3)
    return out


async def _line(engine: Engine, models: tuple[str, ...], number: int, line: str) -> dict[str, Any]:
    try:
        prompt, history, ident = _parse(line)
        result = await _route_one(engine, models, prompt, history)
    except SmartRouterError as exc:
        return {"line": number, "error": f"line {number}: {exc.message}"}
    return {"line": number, **({"id": ident} if ident is not None else {}), **result}


async def route_batch(
    engine: Engine,
    lines: Iterable[str],
    out: TextIO,
    options: BatchOptions,
    *,
    progress: TextIO = sys.stderr,
    model_path: str | None = None,
) -> int:
    """Route every line of `lines`, printing one JSON object per line to `out`.
    Returns the number of lines that failed (each has an error object in the output)."""
    engine.keys = RoutingOnlyKeys()
    # the router's own choice is under evaluation, not the user's smartRouter.defaultModel
    engine.settings = engine.settings.model_copy(update={"default_model": ""})
    await engine.discover_local_models()
    models = resolve_models(engine.catalog, options.models)
    if models:
        c = engine.catalog
        engine.catalog = Catalog(c.providers, {m: c.models[m] for m in models}, c.pending, c.discovered)
    service = await _start_embeddings(engine, model_path, progress) if options.embeddings else None
    failed = total = 0
    try:
        numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
        while chunk := list(itertools.islice(numbered, CONCURRENCY)):
            rows = await asyncio.gather(*(_line(engine, models, n, line) for n, line in chunk))
            for row in rows:
                total += 1
                failed += "error" in row
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if service is not None:
            await service.close()
    out.flush()
    if failed:
        print(f"smart-router: {failed} of {total} lines failed (see their error objects)", file=progress)
    return failed
