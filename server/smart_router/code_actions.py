"""Inline code actions: "Explain / Fix / Write tests / Refactor / Document with Smart Router".

On a non-empty selection the editor's light bulb offers all five; on a diagnostic under an empty
cursor it offers Fix (preferred, a quick fix for those diagnostics) and Explain. Each action
carries the command `smartRouter.codeAction` with one argument, a `CodeActionArgs` (camelCase on
the wire): the preset intent, the document, the range the answer is about (a selection as made,
a diagnostic widened to its whole lines), the file's language and the messages of the
diagnostics in range. The extension runs the ask with that intent preset, so classification is
skipped, and turns answers to Fix, Refactor, Document and Write tests into an edit to preview.

The server learns each open file's language and text through document sync (incremental), which
pygls keeps in `server.workspace`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

__all__ = [
    "COMMAND",
    "KINDS",
    "SPECS",
    "ActionSpec",
    "CodeActionArgs",
    "Intent",
    "code_actions",
    "setup",
]

COMMAND = "smartRouter.codeAction"
"""The extension's command every action runs (contributed in package.json)."""

Intent = Literal["code_explanation", "debugging", "test_generation", "refactoring", "documentation"]


@dataclass(frozen=True, slots=True)
class ActionSpec:
    intent: Intent
    title: str
    kind: str
    """Code action kind: VS Code groups the light bulb's menu by it and filters with `only`."""
    on_selection: bool
    on_diagnostic: bool
    """Offered on a diagnostic under an empty cursor."""


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "debugging", "Fix with Smart Router", f"{types.CodeActionKind.QuickFix.value}.smartRouter", True, True
    ),
    ActionSpec("code_explanation", "Explain with Smart Router", "smartRouter.explain", True, True),
    ActionSpec(
        "refactoring",
        "Refactor with Smart Router",
        f"{types.CodeActionKind.RefactorRewrite.value}.smartRouter",
        True,
        False,
    ),
    ActionSpec(
        "documentation",
        "Document with Smart Router",
        f"{types.CodeActionKind.RefactorRewrite.value}.smartRouter.document",
        True,
        False,
    ),
    ActionSpec("test_generation", "Write tests with Smart Router", "smartRouter.tests", True, False),
)
"""The actions, in the order the light bulb lists them."""

KINDS: tuple[str, ...] = tuple(s.kind for s in SPECS)


@dataclass(frozen=True, slots=True)
class CodeActionArgs:
    """The argument of `smartRouter.codeAction`."""

    intent: Intent
    uri: str
    range: types.Range
    language_id: str | None
    diagnostics: tuple[str, ...]

    def to_wire(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "uri": self.uri,
            "range": {
                "start": {"line": self.range.start.line, "character": self.range.start.character},
                "end": {"line": self.range.end.line, "character": self.range.end.character},
            },
            "languageId": self.language_id,
            "diagnostics": list(self.diagnostics),
        }


def _is_empty(r: types.Range) -> bool:
    return r.start == r.end


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges touch (an empty range touches what contains it)."""
    return not (_before(a.end, b.start) or _before(b.end, a.start))


def _line_length(document: TextDocument | None, line: int) -> int | None:
    """Length of a line in UTF-16 code units (LSP's default position encoding), without its newline."""
    if document is None or line >= len(document.lines):
        return None
    text = document.lines[line].rstrip("\r\n")
    return len(text.encode("utf-16-le")) // 2


def _whole_lines(ranges: list[types.Range], document: TextDocument | None) -> types.Range:
    """The smallest range of whole lines holding every range."""
    first = min(r.start.line for r in ranges)
    last = max(r.end.line for r in ranges)
    end = _line_length(document, last)
    if end is None:  # document unknown: up to the next line's start, which VS Code clamps
        return types.Range(types.Position(first, 0), types.Position(last + 1, 0))
    return types.Range(types.Position(first, 0), types.Position(last, end))


def _describe(d: types.Diagnostic) -> str:
    where = f"line {d.range.start.line + 1}"
    origin = " ".join(str(x) for x in (d.source, d.code) if x not in (None, ""))
    return f"{where}: {d.message}" + (f" ({origin})" if origin else "")


def _wanted(kind: str, only: list[str] | None) -> bool:
    """LSP's `only` filter: a kind matches a requested kind equal to it or a prefix of it."""
    if not only:
        return True
    return any(o == "" or kind == o or kind.startswith(o + ".") for o in only)


def code_actions(params: types.CodeActionParams, document: TextDocument | None) -> list[types.CodeAction]:
    """The Smart Router actions for a selection or the diagnostics under the cursor (none otherwise)."""
    selection = params.range
    in_range = [d for d in params.context.diagnostics if _overlaps(d.range, selection)]
    has_selection = not _is_empty(selection)
    if not has_selection and not in_range:
        return []
    target = selection if has_selection else _whole_lines([d.range for d in in_range], document)
    language = document.language_id if document is not None else None
    messages = tuple(_describe(d) for d in in_range)
    only = [str(k.value if isinstance(k, types.CodeActionKind) else k) for k in params.context.only or []]
    actions: list[types.CodeAction] = []
    for spec in SPECS:
        if not (spec.on_selection if has_selection else spec.on_diagnostic) or not _wanted(spec.kind, only):
            continue
        args = CodeActionArgs(spec.intent, params.text_document.uri, target, language, messages)
        is_fix = spec.intent == "debugging"
        actions.append(
            types.CodeAction(
                title=spec.title,
                kind=spec.kind,
                diagnostics=in_range if is_fix and in_range else None,
                is_preferred=True if is_fix and in_range else None,
                command=types.Command(title=spec.title, command=COMMAND, arguments=[args.to_wire()]),
            )
        )
    return actions


def setup(server: LanguageServer) -> None:
    """Register the code actions (document sync is registered by `context_lsp`, which also feeds
    the documents to the context cache)."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=list(KINDS)),
    )
    def code_action(ls: LanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.text_documents.get(uri)
        return code_actions(params, document)
