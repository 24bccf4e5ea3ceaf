"""`smart-router context ...`: the context cache from a terminal.

    smart-router context stats [--workspace W] [--json]      what is stored, its size against the cap
    smart-router context search QUERY [--workspace W] [--file F] [--limit N] [--json]
                                                             the entries an ask would draw on, and why
    smart-router context clear [--scope all|project|conversations|cache|notes] [--workspace W]
                               [--yes] [--json]              delete stored context (asks first)
    smart-router context pin TEXT [--title T] [--workspace W] [--json]
                                                             a note offered as context while relevant
    smart-router context unpin ID [--json]                   delete a pinned note

`--json` prints the same object as the LSP request (`smartRouter/contextStats`, `contextSearch`,
`contextClear`, `pinNote`, `unpinNote`), camelCase. `clear` asks for confirmation on a terminal;
without one (a script, a pipe) it needs `--yes`. A TEXT or QUERY of `-` is read from standard input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, TypeVar

from pydantic import BaseModel, ValidationError

from smart_router import protocol_context as wire
from smart_router.context.admin import SCOPES, ContextStats
from smart_router.engine import Engine
from smart_router.errors import BadInputError
from smart_router.tokens import usd_text

__all__ = ["add_parsers", "context_command", "format_stats"]

P = TypeVar("P", bound=BaseModel)

_SCOPE_WORDS = {
    "all": "all stored context: project chunks, selections, notes, conversations and cached answers",
    "project": "the project context (chunks of your files and the selections you asked about)",
    "conversations": "every conversation and its messages",
    "cache": "every cached answer",
    "notes": "every pinned note",
}


def add_parsers(sub: Any) -> None:
    """Add `context` to the `smart-router` sub-commands."""
    c = sub.add_parser("context", help="the context cache: stats, search, clear, pin, unpin")
    verbs = c.add_subparsers(dest="action", required=True)
    st = verbs.add_parser("stats", help="what is stored, its size against the cap, how it is ranked")
    st.add_argument("--workspace", help="count only this workspace folder's context (a path)")
    se = verbs.add_parser("search", help="the entries an ask with this text would draw on, and why")
    se.add_argument("query", help="the text to search for, or - to read it from standard input")
    se.add_argument("--workspace", help="rank this workspace folder's entries first (a path)")
    se.add_argument("--file", help="boost the chunks of this file (a path)")
    se.add_argument("--limit", type=int, default=20, help="how many entries (1-200, default 20)")
    cl = verbs.add_parser("clear", help="delete stored context; asks first unless --yes")
    cl.add_argument("--scope", choices=SCOPES, default="all", help="what to delete (default: all)")
    cl.add_argument("--workspace", help="only what was stored for this workspace folder (a path)")
    cl.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    pin = verbs.add_parser("pin", help="pin a note: offered as context while relevant, never evicted")
    pin.add_argument("text", help="the note, or - to read it from standard input")
    pin.add_argument("--title", help="a short title (default: the note's first line)")
    pin.add_argument("--workspace", help="the workspace folder the note belongs to (default: every one)")
    un = verbs.add_parser("unpin", help="delete a pinned note by its id")
    un.add_argument("id", type=int)
    for verb in (st, se, cl, pin, un):
        verb.add_argument("--json", action="store_true", help="print the LSP result as one JSON object")


def _print(model: BaseModel) -> None:
    print(model.model_dump_json(by_alias=True))


def _params(model: type[P], **values: object) -> P:
    """Check the arguments as the LSP request would; a bad one names itself."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise BadInputError(f"Invalid arguments ({problems}).") from None


def _text(arg: str) -> str:
    return sys.stdin.read() if arg == "-" else arg


def _mb(n: int) -> str:
    """Sizes for people: KB below a megabyte."""
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def format_stats(s: ContextStats) -> list[str]:
    """The statistics as aligned lines for people."""
    e = s.entries
    total = sum(e.values())
    share = f" ({100 * s.bytes / s.cap_bytes:.0f} %)" if s.cap_bytes else ""
    retention = f"{s.retention_days} days" if s.retention_days else "forever (retentionDays 0)"
    waiting = f" ({s.pending} waiting for the embedding model)" if s.pending else ""
    rows = [
        ("ranking", f"{s.mode}: {s.mode_detail}"),
        ("entries", f"{total}"),
        ("  documents", f"{e['document']:>6}  from {s.files} file(s)"),
        ("  selections", f"{e['selection']:>6}"),
        ("  notes", f"{e['note']:>6}  pinned, never evicted"),
        ("  messages", f"{e['message']:>6}"),
        ("embedded", f"{s.embedded} of {total}{waiting}"),
        ("conversations", f"{s.conversations} with {s.messages} message(s)"),
        ("cached answers", f"{s.cache_entries}, {s.cache_hits} hit(s), saved {usd_text(s.saved_micro_usd)}"),
        ("size", f"{_mb(s.bytes)} of {_mb(s.cap_bytes)}{share}"),
        ("retention", retention),
        ("oldest", s.oldest or "-"),
    ]
    width = max(len(label) for label, _ in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]


async def _stats(engine: Engine, args: argparse.Namespace) -> int:
    stats = await engine.context_admin.stats(engine.context.status(), args.workspace)
    if args.json:
        _print(wire.context_stats_result(stats))
    else:
        print("\n".join(format_stats(stats)))
    return 0


async def _search(engine: Engine, args: argparse.Namespace) -> int:
    query = _text(args.query)
    if not query.strip():
        print(
            'smart-router: give words to search for, e.g. smart-router context search "retry backoff".',
            file=sys.stderr,
        )
        return 2
    params = _params(
        wire.ContextSearchParams,
        query=query,
        workspace=args.workspace,
        file=args.file,
        limit=args.limit,
    )
    mode, items = await engine.context.search(
        params.query, workspace=params.workspace, file=params.file, limit=params.limit
    )
    result = wire.ContextSearchResult(mode=mode, items=[wire.context_item_info(i) for i in items])
    if args.json:
        _print(result)
        return 0
    how = "meaning (embeddings)" if mode == "embedding" else "keywords"
    print(f"{len(result.items)} entr{'y' if len(result.items) == 1 else 'ies'}, ranked by {how}")
    if not result.items:
        return 0
    where = [_where(i) for i in result.items]
    width = min(60, max(len(w) for w in where))
    print(f"{'#':>3}  {'score':>6}  {'kind':<9}  {'where':<{width}}  {'tokens':>6}  why")
    for n, (item, place) in enumerate(zip(result.items, where, strict=True), 1):
        print(
            f"{n:>3}  {item.score:>6.3f}  {item.kind:<9}  {place[-width:]:<{width}}  {item.tokens:>6}  "
            f"{', '.join(item.reasons)}"
        )
        first = next((line.strip() for line in item.preview.splitlines() if line.strip()), "")
        if first:
            print(f"{'':>3}  {first[:100]}")
    return 0


def _where(item: wire.ContextItemInfo) -> str:
    if item.file is None:
        return item.label
    lines = ""
    if item.start_line is not None:
        end = item.end_line if item.end_line is not None else item.start_line
        lines = f":{item.start_line + 1}-{end + 1}"
    label = "" if item.label.startswith("lines ") else f" {item.label}"  # the range says it already
    return f"{item.file}{lines}{label}"


def _confirmed(scope: str, workspace: str | None, stdin: TextIO, stderr: TextIO) -> bool | None:
    """True/False from the person at the terminal; None when there is no terminal to ask."""
    if not stdin.isatty():
        return None
    where = f" of workspace {workspace}" if workspace else ""
    stderr.write(f"Delete {_SCOPE_WORDS[scope]}{where}? This cannot be undone. [y/N] ")
    stderr.flush()
    return stdin.readline().strip().lower() in ("y", "yes")


async def _clear(engine: Engine, args: argparse.Namespace) -> int:
    if not args.yes:
        answer = _confirmed(args.scope, args.workspace, sys.stdin, sys.stderr)
        if answer is None:
            print(
                "smart-router: context clear deletes stored context and there is no terminal to confirm "
                "on; add --yes to clear without asking.",
                file=sys.stderr,
            )
            return 2
        if not answer:
            print("Nothing deleted.", file=sys.stderr)
            return 1
    cleared = await engine.context_admin.clear(args.scope, args.workspace)
    if args.json:
        _print(wire.context_clear_result(cleared))
    else:
        print(
            f"Deleted {cleared.entries} entr{'y' if cleared.entries == 1 else 'ies'}, "
            f"{cleared.conversations} conversation(s) and {cleared.cache_entries} cached answer(s)."
        )
    return 0


async def _pin(engine: Engine, args: argparse.Namespace) -> int:
    params = _params(wire.PinNoteParams, text=_text(args.text), title=args.title, workspace=args.workspace)
    entry = await engine.context.store.add_note(params.text, title=params.title, workspace=params.workspace)
    if args.json:
        _print(wire.PinNoteResult(id=entry))
    else:
        print(f"Pinned note {entry}. Remove it with: smart-router context unpin {entry}")
    return 0


async def _unpin(engine: Engine, args: argparse.Namespace) -> int:
    removed = await engine.context.store.remove_note(args.id)
    if args.json:
        _print(wire.UnpinNoteResult(removed=removed))
    elif removed:
        print(f"Deleted note {args.id}.")
    else:
        print(
            f"smart-router: there is no pinned note {args.id} (see smart-router context search).",
            file=sys.stderr,
        )
        return 1
    return 0


_ACTIONS = {"stats": _stats, "search": _search, "clear": _clear, "pin": _pin, "unpin": _unpin}


async def context_command(engine: Engine, args: argparse.Namespace) -> int:
    return await _ACTIONS[args.action](engine, args)
