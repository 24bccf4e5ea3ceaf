"""`smart-router`: the engine from a terminal.

    smart-router ask "prompt" [--model ID] [--json]    stream an answer, then its cost and timing
        [--continue | --conversation ID] [--no-cache]  continue a conversation; ask afresh
    smart-router conversations [--json]                your conversations, the most recent first
    smart-router route "prompt" [--model ID] [--json]  the decision only, no provider call
    smart-router route --batch FILE.jsonl [--models STRONG,WEAK]
                                                       one JSON decision per line, no key needed
    smart-router budget status [--json] [--workspace W] every budget, spent, held, resets, forecast
    smart-router budget set|clear daily|monthly|per-request [USD] [--soft] [--workspace W]
    smart-router usage [--since D] [--until D] [--by model|intent|day|workspace] [--json|--csv]
    smart-router models [--json]                       the catalog, which models have a key, health
    smart-router status [--json]                       providers, keys, circuits, embedding model
    smart-router keys set PROVIDER                     store a key in the OS keyring (from stdin)
    smart-router keys delete PROVIDER
    smart-router arena "prompt" [--group G] [--models A,B] [--json]
                                                       a live battle: every model at once, then the pick
    smart-router arena --replay FILE.jsonl [--json]    score answered battles offline, no key needed
    smart-router leaderboard [--intent X] [--json]     your ratings from arena votes
    smart-router embeddings status [--wait S] [--json] load the embedding model, show its state
    smart-router context stats|search QUERY|clear|pin TEXT|unpin ID [--json]
                                                       the context cache (see context_cli.py)
    smart-router serve                                 the LSP sidecar on stdio (what VS Code runs)

Settings come from the settings file (see `smart_router.config`), the database from
`$SMART_ROUTER_DB` or the settings. A prompt of `-` is read from standard input.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TextIO

from pydantic import BaseModel

from smart_router import __version__, budget_cli, context_cli, protocol, sessions_cli
from smart_router.budget import SpendSummary
from smart_router.config import INTENTS, config_path, load_settings_file
from smart_router.context.assemble import Prepared
from smart_router.engine import Engine, ModelStatus
from smart_router.errors import SmartRouterError
from smart_router.router import Decision
from smart_router.tokens import micro_to_usd

__all__ = ["main"]


def _usd(micro: int) -> str:
    return f"${micro_to_usd(micro):.6f}"


class _TerminalListener:
    def __init__(self, out: TextIO, quiet: bool) -> None:
        self._out, self._quiet = out, quiet

    def routed(self, request_id: str, d: Decision) -> None:
        if not self._quiet:
            print(f"[{d.model.id} via {d.provider.name}: {d.reason}]", file=sys.stderr, flush=True)

    def prepared(self, request_id: str, prepared: Prepared) -> None:
        if not self._quiet:
            sessions_cli.describe_prepared(prepared, sys.stderr)

    def delta(self, request_id: str, text: str) -> None:
        if not self._quiet:
            self._out.write(text)
            self._out.flush()

    def settled(self, summary: SpendSummary) -> None:
        pass


def _print_json(model: BaseModel) -> None:
    """The protocol model in snake_case: what `--json` prints."""
    print(model.model_dump_json())


def _prompt(arg: str) -> str:
    return sys.stdin.read() if arg == "-" else arg


async def _ask(engine: Engine, args: argparse.Namespace) -> int:
    outcome = await engine.ask(
        uuid.uuid4().hex,
        _prompt(args.prompt),
        _TerminalListener(sys.stdout, args.json),
        model=args.model,
        workspace=args.workspace,
        conversation_id=await sessions_cli.conversation_for(engine, args),
        no_cache=args.no_cache,
    )
    if args.json:
        _print_json(protocol.ask_result(outcome))
    else:
        if not outcome.text.endswith("\n"):
            print()
        ttft = f"{outcome.ttft_ms:.0f} ms" if outcome.ttft_ms is not None else "-"
        est = " (estimated)" if outcome.usage_estimated else ""
        line = (
            f"-- {outcome.decision.model.id} · {outcome.input_tokens} in / {outcome.output_tokens} "
            f"out tokens{est} · {_usd(outcome.cost_micro_usd)} · first token {ttft} · "
            f"total {outcome.total_ms:.0f} ms"
        )
        if outcome.cached is not None:  # nothing was asked: say so, and what it saved
            saved = _usd(outcome.saved_micro_usd)
            line = f"-- cached answer from {outcome.cached.model} · $0 (asked afresh ~{saved})"
        print(f"{line} · conversation {outcome.conversation_id}", file=sys.stderr)
    return 0


async def _route(engine: Engine, args: argparse.Namespace) -> int:
    if args.batch is not None:
        return await _route_batch(engine, args)
    if args.prompt is None:
        print("smart-router: give a prompt (or - for standard input), or --batch FILE.jsonl", file=sys.stderr)
        return 2
    d = await engine.route(_prompt(args.prompt), args.model)
    if args.json:
        _print_json(protocol.route_result(d))
    else:
        print(
            f"{d.model.id} ({d.provider.name}), {d.input_tokens} input tokens, estimated "
            f"{_usd(d.estimated_micro_usd)}, at most {_usd(d.max_micro_usd)}"
        )
        print(f"why: {d.explanation or d.reason}")
        if d.fallbacks:
            print(f"fallbacks: {', '.join(d.fallbacks)}")
    return 0


async def _route_batch(engine: Engine, args: argparse.Namespace) -> int:
    """One JSON line per input line; see `smart_router.batch`. Needs no provider key."""
    from smart_router.batch import BatchOptions, read_batch_input, route_batch

    if args.prompt is not None or args.model:
        print("smart-router: --batch reads prompts from its file; drop PROMPT and --model", file=sys.stderr)
        return 2
    models = tuple(m.strip() for m in args.models.split(",") if m.strip()) if args.models else ()
    options = BatchOptions(models=models, embeddings=not args.no_embeddings)
    model_path = getattr(engine.settings, "embedding_model", None) or None
    text = await asyncio.to_thread(read_batch_input, args.batch)
    failed = await route_batch(engine, text.splitlines(), sys.stdout, options, model_path=model_path)
    return 1 if failed else 0


def _retirement(day: str | None) -> str:
    if not day:
        return ""
    return f"retired {day}" if day <= date.today().isoformat() else f"retires {day}"


async def _models(engine: Engine, args: argparse.Namespace) -> int:
    rows = await engine.models()
    if args.json:
        print(json.dumps([protocol.model_info(r).model_dump(mode="json") for r in rows]))
        return 0
    print(
        f"{'model':<40} {'provider':<11} {'in $/Mtok':>9} {'out $/Mtok':>10} {'cached':>7} {'context':>9}"
        f"  tier      family    key  {'circuit':<9} {'latency':>8} {'ttft':>7} {'errors':>6}  notes"
    )
    for r in rows:
        m = r.model
        cached = f"{m.cached_input_usd_per_mtok}" if m.cached_input_usd_per_mtok is not None else "-"
        notes = ", ".join(
            n
            for n in (
                "free" if m.free else "",
                "local" if r.provider.local else "",
                _retirement(m.deprecation_date),
                "provider disabled" if not r.provider.enabled else "",
            )
            if n
        )
        key = "yes" if r.key_available else "no"
        print(
            f"{m.id:<40} {r.provider.id:<11} {m.input_usd_per_mtok:>9} {m.output_usd_per_mtok:>10} "
            f"{cached:>7} {m.context_window:>9}  {m.tier:<9} {m.family:<9} {key:<4} "
            f"{_health_columns(r)}  {notes}"
        )
    return 0


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def _health_columns(r: ModelStatus) -> str:
    h = r.health
    errors = f"{h.error_rate:.0%}" if h is not None else "-"
    return (
        f"{r.circuit:<9} {_ms(h.latency_ms if h else None):>8} {_ms(h.ttft_ms if h else None):>7} {errors:>6}"
    )


async def _status(engine: Engine, args: argparse.Namespace) -> int:
    """Providers (key, circuit), models with a health record, the embedding model's state."""
    rows = await engine.models()
    snapshot = engine.health.snapshot()
    keyed = {r.provider.id for r in rows if r.key_available}
    providers: list[dict[str, object]] = []
    for pid, spec in sorted(engine.catalog.providers.items()):
        if spec.enabled:
            providers.append(
                {
                    "id": pid,
                    "name": spec.name,
                    "local": spec.local,
                    "keyAvailable": spec.local or pid in keyed,
                    "circuit": "closed",
                    "latencyMs": None,
                    "ttftMs": None,
                    "errorRate": None,
                    "calls": 0,
                    **_provider_health(snapshot["providers"].get(pid)),
                }
            )
    embeddings = getattr(engine, "embeddings", None)
    report = {
        "routingPreference": engine.settings.routing_preference,
        "rules": [r.name for r in engine.rules],
        "providers": providers,
        "models": snapshot["models"],
        "embeddings": {"state": embeddings.state, "detail": embeddings.detail} if embeddings else None,
    }
    if args.json:
        print(json.dumps(report))
        return 0
    names = ", ".join(r.name for r in engine.rules) or "none"
    print(f"routing: {engine.settings.routing_preference}; rules: {names}")
    if embeddings is not None:
        print(f"embeddings: {embeddings.state} ({embeddings.detail})")
    print(f"{'provider':<12} {'key':<5} {'circuit':<9} {'latency':>8} {'ttft':>7} {'errors':>6} {'calls':>6}")
    for row in providers:
        key = "local" if row["local"] else ("yes" if row["keyAvailable"] else "no")
        print(
            f"{row['id']!s:<12} {key:<5} {row['circuit']!s:<9} {_ms(_num(row['latencyMs'])):>8} "
            f"{_ms(_num(row['ttftMs'])):>7} {_pct(_num(row['errorRate'])):>6} {row['calls']!s:>6}"
        )
    for mid, h in snapshot["models"].items():
        print(
            f"  {mid:<40} {h['state']!s:<9} latency {_ms(_num(h['latencyMs']))}, first token "
            f"{_ms(_num(h['ttftMs']))}, errors {_pct(_num(h['errorRate']))}"
        )
    return 0


def _provider_health(h: dict[str, object] | None) -> dict[str, object]:
    if h is None:
        return {}
    return {"circuit": h["state"], **{k: v for k, v in h.items() if k != "state"}}


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


async def _arena(engine: Engine, args: argparse.Namespace) -> int:
    from smart_router.arena.commands import replay_command

    if args.replay is None:
        if args.prompt is None:
            print(
                "smart-router: give a prompt (or - for standard input), or --replay FILE.jsonl",
                file=sys.stderr,
            )
            return 2
        from smart_router.arena.terminal import live_command

        models = [m.strip() for m in args.models.split(",") if m.strip()] if args.models else None
        return await live_command(
            engine, _prompt(args.prompt), group=args.group, models=models, as_json=args.json, out=sys.stdout
        )
    if args.prompt is not None or args.group or args.models:
        print(
            "smart-router: --replay reads its battles from the file; drop PROMPT, --group and --models",
            file=sys.stderr,
        )
        return 2
    return await replay_command(
        engine.settings,
        args.replay,
        as_json=args.json,
        lexical=args.lexical,
        use_votes=args.votes,
        out=sys.stdout,
    )


async def _leaderboard(engine: Engine, args: argparse.Namespace) -> int:
    from smart_router.arena.commands import leaderboard_command

    return await leaderboard_command(engine.settings, args.intent, as_json=args.json, out=sys.stdout)


async def _keys(engine: Engine, args: argparse.Namespace) -> int:
    if args.action == "delete":
        key = ""
    elif sys.stdin.isatty():
        key = getpass.getpass(f"API key for {args.provider}: ").strip()
    else:
        key = sys.stdin.readline().strip()
    if args.action == "set" and not key:
        print(
            f"No key given: type or pipe the key. (To remove one: smart-router keys delete {args.provider})",
            file=sys.stderr,
        )
        return 2
    backend = await engine.set_api_key(args.provider, key)
    done = "stored in" if key else "deleted from"
    print(f"Key for {args.provider} {done} the OS keyring ({backend}).")
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="smart-router",
        description="Cost-aware LLM router.",
        epilog=f"Settings file: {config_path()}",
    )
    p.add_argument("--version", action="version", version=f"smart-router {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    for name, helptext in (("ask", "stream an answer"), ("route", "show the routing decision")):
        c = sub.add_parser(name, help=helptext)
        c.add_argument(
            "prompt",
            nargs="?" if name == "route" else None,
            help="the prompt, or - to read it from standard input",
        )
        c.add_argument("--model", help="catalog id of the model to use")
        c.add_argument("--json", action="store_true", help="print one JSON object")
        if name == "ask":
            sessions_cli.add_ask_flags(c)
        if name == "route":
            c.add_argument("--batch", metavar="FILE.jsonl", help='route each {"prompt": ...} line')
            c.add_argument("--models", help="with --batch: catalog ids to route between; two = strong,weak")
            c.add_argument("--no-embeddings", action="store_true", help="with --batch: classify lexically")
    budget_cli.add_parsers(sub)  # budget status|set|clear, usage
    m = sub.add_parser("models", help="list the catalog")
    m.add_argument("--json", action="store_true")
    st = sub.add_parser("status", help="providers, keys, health and circuits, embedding model")
    st.add_argument("--json", action="store_true")
    k = sub.add_parser("keys", help="store or delete an API key in the OS keyring")
    k.add_argument("action", choices=["set", "delete"])
    k.add_argument("provider")
    a = sub.add_parser("arena", help="a live battle of models, or --replay to score answered battles offline")
    a.add_argument(
        "prompt", nargs="?", help="the prompt of a live battle, or - to read it from standard input"
    )
    a.add_argument(
        "--group", help="battle group: frontier, fast, hybrid (default) or one of smartRouter.arenaGroups"
    )
    a.add_argument("--models", help="catalog ids to battle instead of a group, comma-separated")
    a.add_argument("--replay", metavar="FILE.jsonl", help='score {"prompt", "answers"} lines offline, or -')
    a.add_argument(
        "--json", action="store_true", help="the result as JSON (with --replay: one verdict per line)"
    )
    a.add_argument("--lexical", action="store_true", help="compare answers lexically, skip embeddings")
    a.add_argument("--votes", action="store_true", help="weigh your arena votes too")
    lb = sub.add_parser("leaderboard", help="your model ratings from arena votes")
    lb.add_argument("--intent", choices=INTENTS, help="only battles of this intent")
    lb.add_argument("--json", action="store_true")
    e = sub.add_parser("embeddings", help="start the embedding model and show its state and figures")
    e.add_argument("action", choices=["status"])
    e.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the model (default 60)")
    e.add_argument("--json", action="store_true")
    sessions_cli.add_parsers(sub)  # conversations
    context_cli.add_parsers(sub)  # context stats|search|clear|pin|unpin
    sub.add_parser("serve", help="run the LSP sidecar on stdio")
    return p


async def _embeddings(engine: Engine, args: argparse.Namespace) -> int:
    from smart_router.embeddings.report import report

    return await report(engine.start_embeddings(), wait_s=args.wait, as_json=args.json, out=sys.stdout)


_COMMANDS: dict[str, Callable[[Engine, argparse.Namespace], Awaitable[int]]] = {
    "ask": _ask,
    "route": _route,
    "budget": budget_cli.budget_command,
    "usage": budget_cli.usage_command,
    "models": _models,
    "status": _status,
    "keys": _keys,
    "arena": _arena,
    "leaderboard": _leaderboard,
    "embeddings": _embeddings,
    "context": context_cli.context_command,
    "conversations": sessions_cli.conversations_command,
}


async def _run(args: argparse.Namespace) -> int:
    engine = await Engine.open(load_settings_file())
    try:
        return await _COMMANDS[args.command](engine, args)
    finally:
        await engine.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from smart_router.__main__ import main as serve

        serve()
        return 0
    try:
        if args.command == "budget" and args.action in ("set", "clear"):
            return budget_cli.edit_budget(args)
        return asyncio.run(_run(args))
    except SmartRouterError as exc:
        print(f"smart-router: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        sys.stderr.close()
        return 0
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\nsmart-router: stopped; the tokens used so far are recorded.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
