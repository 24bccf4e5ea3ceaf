"""`smart-router conversations`, and what `smart-router ask` says about its conversation and context.

    smart-router conversations [--workspace W] [--limit N] [--json]
    smart-router ask "prompt" --continue           continue the most recent conversation
    smart-router ask "prompt" --conversation ID    continue that one (ids from `conversations`)
    smart-router ask "prompt" --no-cache           ask the model afresh, even when a cached answer fits

The JSON shapes are the LSP results of `smartRouter/conversations` in snake_case.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from smart_router import protocol_context as wire
from smart_router.context.assemble import Prepared
from smart_router.context.messages import context_label
from smart_router.engine import Engine
from smart_router.errors import BadInputError
from smart_router.tokens import micro_to_usd

__all__ = ["add_ask_flags", "add_parsers", "conversation_for", "conversations_command", "describe_prepared"]

_MODE_WORDS = {"embedding": "by meaning", "lexical": "by keywords", "off": "context off"}


def add_ask_flags(ask: argparse.ArgumentParser) -> None:
    """`ask --continue | --conversation ID`, `--no-cache`, `--workspace W`."""
    which = ask.add_mutually_exclusive_group()
    which.add_argument(
        "--conversation", metavar="ID", help="continue this conversation (see `conversations`)"
    )
    which.add_argument(
        "--continue", dest="continue_", action="store_true", help="continue the most recent conversation"
    )
    ask.add_argument("--no-cache", action="store_true", help="ask afresh, even when a cached answer fits")
    ask.add_argument(
        "--workspace", help="the project folder the ask belongs to (budgets, context, --continue)"
    )


def add_parsers(sub: Any) -> None:
    c = sub.add_parser("conversations", help="your conversations, the most recent first")
    c.add_argument("--workspace", help="only this workspace's")
    c.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    c.add_argument("--json", action="store_true")


async def conversation_for(engine: Engine, args: argparse.Namespace) -> str | None:
    """The conversation an ask continues: `--conversation ID`, the latest for `--continue`, else None."""
    if args.conversation:
        return str(args.conversation)
    if not args.continue_:
        return None
    latest = await engine.conversations.latest(args.workspace)
    if latest is None:
        where = f" in {args.workspace}" if args.workspace else ""
        raise BadInputError(f"There is no conversation{where} to continue yet. Ask without --continue.")
    return latest


def describe_prepared(p: Prepared, out: TextIO) -> None:
    """One line for the conversation and context, then one per context item (to standard error)."""
    c = p.context
    history = f", {len(p.history)} earlier messages" if p.history else ""
    if c.items:
        what = f"{len(c.items)} context item(s), {c.tokens} tokens, ranked {_MODE_WORDS[c.mode]}"
    else:
        what = "no context" if c.mode != "off" else "context off"
    print(f"[conversation {p.conversation_id}{history}; {what}]", file=out, flush=True)
    for n, item in enumerate(c.items, start=1):
        why = f"; {', '.join(item.reasons)}" if item.reasons else ""
        print(f"  {n}. {context_label(item)} ({item.kind}, score {item.score:.2f}{why})", file=out)


async def conversations_command(engine: Engine, args: argparse.Namespace) -> int:
    rows = await engine.conversations.list(args.workspace, args.limit)
    if args.json:
        result = wire.ConversationsResult(conversations=[wire.conversation_summary(r) for r in rows])
        print(result.model_dump_json())
        return 0
    if not rows:
        print("No conversations yet. `smart-router ask` starts one.", file=sys.stderr)
        return 0
    print(f"{'id':<32}  {'updated':<16}  {'msgs':>4}  {'cost':>9}  {'last model':<24}  title")
    for r in rows:
        updated = r.updated_at[:16].replace("T", " ")
        cost = f"${micro_to_usd(r.cost_micro_usd):.4f}"
        print(
            f"{r.id:<32}  {updated:<16}  {r.messages:>4}  {cost:>9}  {(r.last_model or '-'):<24}  {r.title}"
        )
    return 0
