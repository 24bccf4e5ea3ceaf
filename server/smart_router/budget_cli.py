"""`smart-router budget ...` and `smart-router usage ...`: budgets and spend from a terminal.

    smart-router budget status [--json] [--workspace W]      every budget, spent, held, resets, forecast
    smart-router budget set daily|monthly|per-request USD [--soft] [--workspace W]
    smart-router budget clear daily|monthly|per-request [--workspace W]
    smart-router usage [--since DATE] [--until DATE] [--by model|intent|day|workspace]
                       [--workspace W] [--json|--csv]

`set` and `clear` edit the settings file (`smart_router.config.config_path`), keeping its other
keys; a running VS Code sidecar takes budgets from VS Code's own settings instead.
"""

from __future__ import annotations

import argparse
import csv
import sys
from typing import Any

from smart_router import protocol
from smart_router.budget import SpendSummary
from smart_router.budget.keeper import usd
from smart_router.budget.settings_file import clear_budget, set_budget
from smart_router.config import config_path
from smart_router.engine import Engine

__all__ = ["add_parsers", "budget_command", "edit_budget", "usage_command"]

KINDS = ("daily", "monthly", "per-request")


def add_parsers(sub: Any) -> None:
    """Add `budget` and `usage` to the `smart-router` sub-commands."""
    b = sub.add_parser("budget", help="budgets: status, set, clear")
    b.add_argument("action", choices=["status", "set", "clear"])
    b.add_argument("kind", nargs="?", choices=KINDS, help="with set/clear: which budget")
    b.add_argument("usd", nargs="?", help="with set: the limit in USD")
    b.add_argument("--soft", action="store_true", help="with set: warn only, never refuse")
    b.add_argument("--workspace", help="a workspace folder's name or path")
    b.add_argument("--json", action="store_true")
    u = sub.add_parser("usage", help="spend grouped by model, intent, day or workspace")
    u.add_argument("--since", metavar="YYYY-MM-DD", help="first local day (default: 29 days before --until)")
    u.add_argument("--until", metavar="YYYY-MM-DD", help="last local day (default: today)")
    u.add_argument("--by", choices=["model", "intent", "day", "workspace"], default="model")
    u.add_argument("--workspace", help="only this workspace (name or path)")
    fmt = u.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object")
    fmt.add_argument("--csv", action="store_true", help="the groups as CSV")


def edit_budget(args: argparse.Namespace) -> int:
    """`budget set|clear`: needs no database, so it also repairs a setting that stops the engine."""
    if args.kind is None:
        print(f"smart-router: say which budget: budget {args.action} {'|'.join(KINDS)}", file=sys.stderr)
        return 2
    if args.action == "set":
        if args.usd is None:
            print(f"smart-router: give the limit in USD: budget set {args.kind} 5", file=sys.stderr)
            return 2
        print(set_budget(config_path(), args.kind, args.usd, soft=args.soft, workspace=args.workspace))
    else:
        if args.usd is not None or args.soft:
            print("smart-router: budget clear takes no amount and no --soft", file=sys.stderr)
            return 2
        print(clear_budget(config_path(), args.kind, workspace=args.workspace))
    return 0


def _print_status(s: SpendSummary) -> None:
    print(f"budgets (time zone {s.time_zone}):" if s.budgets else f"no budgets set (time zone {s.time_zone})")
    for b in s.budgets:
        lim = b.limit
        name = lim.name + (f" [{lim.key}]" if lim.key else "")
        resets = f", resets {b.resets_at}" if b.resets_at else ""
        print(
            f"  {name:<32} {lim.mode:<4} {usd(b.spent_micro_usd):>9} of {usd(lim.limit_micro_usd):<9} "
            f"{b.percent:>6.1f}%  {usd(b.reserved_micro_usd)} held  {b.level}{resets}"
        )
    print(
        f"today ({s.day}): {usd(s.today_micro_usd)} in {s.today_calls} calls; "
        f"this month: {usd(s.month_micro_usd)}"
    )
    if s.forecast is not None:
        print(
            f"forecast: {usd(s.forecast.day_micro_usd)} by the end of today, "
            f"{usd(s.forecast.month_micro_usd)} by the end of the month"
        )
    for m in s.by_model:
        print(
            f"  {m.model:<40} {m.calls:>5} calls {m.input_tokens:>9} in {m.output_tokens:>9} out "
            f"{usd(m.cost_micro_usd):>12}"
        )


async def budget_command(engine: Engine, args: argparse.Namespace) -> int:
    s = await engine.budget_status(args.workspace)
    if args.json:
        print(protocol.budget_status(s).model_dump_json())
    else:
        _print_status(s)
    return 0


async def usage_command(engine: Engine, args: argparse.Namespace) -> int:
    report, status = await engine.usage_report(
        since=args.since, until=args.until, by=args.by, workspace=args.workspace
    )
    result = protocol.usage_report(report, status)
    if args.json:
        print(result.model_dump_json())
        return 0
    if args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow([args.by, "cost_usd", "cost_micro_usd", "calls", "input_tokens", "output_tokens"])
        for g in report.groups:
            w.writerow(
                [
                    g.key,
                    f"{g.cost_micro_usd / 1_000_000:.6f}",
                    g.cost_micro_usd,
                    g.calls,
                    g.input_tokens,
                    g.output_tokens,
                ]
            )
        return 0
    print(f"{report.since} .. {report.until}: {usd(report.total_micro_usd)} in {report.calls} calls")
    for g in report.groups:
        print(
            f"  {g.key:<40} {g.calls:>6} calls {g.input_tokens:>10} in {g.output_tokens:>10} out "
            f"{usd(g.cost_micro_usd):>12}"
        )
    if report.top:
        print("most expensive calls:")
        for t in report.top[:5]:
            print(f"  {t.ts}  {t.model:<32} {usd(t.cost_micro_usd):>10}  {t.status}")
    return 0
