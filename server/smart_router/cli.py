"""`smart-router`: the engine from a terminal.

    smart-router ask "prompt" [--model ID] [--json]    stream an answer, then its cost and timing
    smart-router route "prompt" [--model ID] [--json]  the decision only, no provider call
    smart-router budget status [--json]                today's and this month's spend
    smart-router models [--json]                       the catalog and which models have a key
    smart-router keys set PROVIDER                     store a key in the OS keyring (from stdin)
    smart-router keys delete PROVIDER
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

from smart_router import __version__, protocol
from smart_router.budget import SpendSummary
from smart_router.config import config_path, load_settings_file
from smart_router.engine import Engine
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
    )
    if args.json:
        _print_json(protocol.ask_result(outcome))
    else:
        if not outcome.text.endswith("\n"):
            print()
        ttft = f"{outcome.ttft_ms:.0f} ms" if outcome.ttft_ms is not None else "-"
        est = " (estimated)" if outcome.usage_estimated else ""
        print(
            f"-- {outcome.decision.model.id} · {outcome.input_tokens} in / {outcome.output_tokens} "
            f"out tokens{est} · {_usd(outcome.cost_micro_usd)} · first token {ttft} · "
            f"total {outcome.total_ms:.0f} ms",
            file=sys.stderr,
        )
    return 0


async def _route(engine: Engine, args: argparse.Namespace) -> int:
    d = await engine.route(_prompt(args.prompt), args.model)
    if args.json:
        _print_json(protocol.route_result(d))
    else:
        print(
            f"{d.model.id} ({d.provider.name}), {d.input_tokens} input tokens, estimated "
            f"{_usd(d.estimated_micro_usd)}, at most {_usd(d.max_micro_usd)}"
        )
        print(f"why: {d.reason}")
        if d.fallbacks:
            print(f"fallbacks: {', '.join(d.fallbacks)}")
    return 0


async def _budget(engine: Engine, args: argparse.Namespace) -> int:
    s = await engine.spend()
    if args.json:
        _print_json(protocol.budget_status(s))
        return 0
    print(
        f"today ({s.day}): {_usd(s.today_micro_usd)} in {s.today_calls} calls; "
        f"this month: {_usd(s.month_micro_usd)}"
    )
    for m in s.by_model:
        print(
            f"  {m.model:<40} {m.calls:>5} calls {m.input_tokens:>9} in {m.output_tokens:>9} out "
            f"{_usd(m.cost_micro_usd):>12}"
        )
    return 0


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
        "  tier      family    key  notes"
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
            f"{cached:>7} {m.context_window:>9}  {m.tier:<9} {m.family:<9} {key:<4} {notes}"
        )
    return 0


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
        c.add_argument("prompt", help="the prompt, or - to read it from standard input")
        c.add_argument("--model", help="catalog id of the model to use")
        c.add_argument("--json", action="store_true", help="print one JSON object")
    b = sub.add_parser("budget", help="spend so far")
    b.add_argument("action", choices=["status"])
    b.add_argument("--json", action="store_true")
    m = sub.add_parser("models", help="list the catalog")
    m.add_argument("--json", action="store_true")
    k = sub.add_parser("keys", help="store or delete an API key in the OS keyring")
    k.add_argument("action", choices=["set", "delete"])
    k.add_argument("provider")
    sub.add_parser("serve", help="run the LSP sidecar on stdio")
    return p


_COMMANDS: dict[str, Callable[[Engine, argparse.Namespace], Awaitable[int]]] = {
    "ask": _ask,
    "route": _route,
    "budget": _budget,
    "models": _models,
    "keys": _keys,
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
