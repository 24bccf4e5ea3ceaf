"""textDocument/codeAction through the real sidecar: which Smart Router actions appear, what they carry."""

from __future__ import annotations

from typing import Any, Union

from lsprotocol import types

from support.sidecar import Sidecar, SidecarFactory

URI = "file:///work/demo/calc.py"
SOURCE = "def mean(xs):\n    return sum(xs) / len(xs)\n\nprint(mean([]))  # cake 🍰\n"


def _pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def _read_code_actions_as_vs_code_does(sidecar: Sidecar) -> None:
    """lsprotocol's client reads every result item with a `command` key as a bare Command, so a
    CodeAction carrying a command comes back mangled; VS Code tells them apart by the key's type."""
    converter = sidecar.client.protocol._converter

    def structure(value: Any, _: type) -> types.Command | types.CodeAction:
        bare = isinstance(value.get("command"), str)
        return converter.structure(value, types.Command if bare else types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)  # noqa: UP007


async def _open(sidecar: Sidecar, text: str = SOURCE, language: str = "python") -> None:
    _read_code_actions_as_vs_code_does(sidecar)
    sidecar.client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=URI, language_id=language, version=1, text=text)
        )
    )


async def _actions(
    sidecar: Sidecar,
    selection: types.Range,
    diagnostics: list[types.Diagnostic] | None = None,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    result = await sidecar.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=selection,
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or []), "only code actions, no bare commands"
    return actions


def _argument(action: types.CodeAction) -> dict[str, Any]:
    assert action.command is not None and action.command.command == "smartRouter.codeAction"
    assert action.command.arguments is not None and len(action.command.arguments) == 1
    arg = action.command.arguments[0]
    return dict(arg) if isinstance(arg, dict) else _plain(arg)


def _plain(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


DIVISION = types.Diagnostic(
    range=types.Range(_pos(3, 6), _pos(3, 14)),
    message="ZeroDivisionError: division by zero",
    severity=types.DiagnosticSeverity.Error,
    source="pylint",
    code="E0001",
)


async def test_server_announces_code_actions_and_incremental_sync(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    caps = sidecar.server_capabilities
    assert caps is not None
    provider = caps.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert provider.code_action_kinds is not None and "quickfix.smartRouter" in provider.code_action_kinds
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.open_close is True and sync.change == types.TextDocumentSyncKind.Incremental


async def test_a_selection_offers_all_five_with_the_preset_intent(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    await _open(sidecar)
    selection = types.Range(_pos(0, 0), _pos(1, 28))
    actions = await _actions(sidecar, selection)

    assert [a.title for a in actions] == [
        "Fix with Smart Router",
        "Explain with Smart Router",
        "Refactor with Smart Router",
        "Document with Smart Router",
        "Write tests with Smart Router",
    ]
    by_title = {a.title: a for a in actions}
    assert by_title["Fix with Smart Router"].kind == "quickfix.smartRouter"
    assert by_title["Refactor with Smart Router"].kind == "refactor.rewrite.smartRouter"
    # no diagnostic: nothing is preferred, nothing claims to fix a diagnostic
    assert all(not a.is_preferred and not a.diagnostics for a in actions)

    intents = [_argument(a)["intent"] for a in actions]
    assert intents == ["debugging", "code_explanation", "refactoring", "documentation", "test_generation"]
    arg = _argument(by_title["Refactor with Smart Router"])
    assert arg == {
        "intent": "refactoring",
        "uri": URI,
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 28}},
        "languageId": "python",
        "diagnostics": [],
    }


async def test_a_diagnostic_under_the_cursor_offers_a_preferred_fix_for_its_whole_lines(
    start_sidecar: SidecarFactory,
) -> None:
    sidecar = await start_sidecar()
    await _open(sidecar)
    cursor = types.Range(_pos(3, 8), _pos(3, 8))
    actions = await _actions(sidecar, cursor, [DIVISION])

    assert [a.title for a in actions] == ["Fix with Smart Router", "Explain with Smart Router"]
    fix = actions[0]
    assert fix.kind == "quickfix.smartRouter" and fix.is_preferred is True
    assert fix.diagnostics is not None and [d.message for d in fix.diagnostics] == [DIVISION.message]
    arg = _argument(fix)
    assert arg["intent"] == "debugging"
    assert arg["diagnostics"] == ["line 4: ZeroDivisionError: division by zero (pylint E0001)"]
    # the whole line, its end in UTF-16 units (the cake is two units, the newline is left out)
    assert arg["range"] == {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 26}}
    assert not actions[1].is_preferred


async def test_a_selection_with_a_diagnostic_prefers_fix_and_keeps_the_selection(
    start_sidecar: SidecarFactory,
) -> None:
    sidecar = await start_sidecar()
    await _open(sidecar)
    selection = types.Range(_pos(2, 0), _pos(3, 15))
    far = types.Diagnostic(range=types.Range(_pos(0, 4), _pos(0, 8)), message="unused name")
    actions = await _actions(sidecar, selection, [DIVISION, far])

    assert len(actions) == 5
    fix = next(a for a in actions if a.title.startswith("Fix"))
    assert fix.is_preferred is True
    assert fix.diagnostics is not None and [d.message for d in fix.diagnostics] == [DIVISION.message]
    arg = _argument(fix)
    assert arg["range"] == {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 15}}
    assert arg["diagnostics"] == ["line 4: ZeroDivisionError: division by zero (pylint E0001)"]


async def test_nothing_selected_and_no_diagnostic_offers_nothing(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    await _open(sidecar)
    assert await _actions(sidecar, types.Range(_pos(1, 4), _pos(1, 4))) == []
    # a diagnostic elsewhere in the file does not count
    assert await _actions(sidecar, types.Range(_pos(0, 2), _pos(0, 2)), [DIVISION]) == []


async def test_only_filters_by_kind_and_edits_are_tracked(start_sidecar: SidecarFactory) -> None:
    sidecar = await start_sidecar()
    await _open(sidecar, text="x = 1\n", language="plaintext")
    selection = types.Range(_pos(0, 0), _pos(0, 5))
    quick = await _actions(sidecar, selection, only=["quickfix"])
    assert [a.title for a in quick] == ["Fix with Smart Router"]
    refactors = await _actions(sidecar, selection, only=["refactor"])
    assert [a.title for a in refactors] == ["Refactor with Smart Router", "Document with Smart Router"]
    assert await _actions(sidecar, selection, only=["source"]) == []

    # an incremental change re-measures the line the diagnostic range is widened to
    sidecar.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(_pos(0, 5), _pos(0, 5)), text=" + undefined_name"
                )
            ],
        )
    )
    diagnostic = types.Diagnostic(range=types.Range(_pos(0, 8), _pos(0, 22)), message="undefined name")
    actions = await _actions(sidecar, types.Range(_pos(0, 9), _pos(0, 9)), [diagnostic])
    arg = _argument(actions[0])
    assert arg["languageId"] == "plaintext"
    assert arg["range"]["end"] == {"line": 0, "character": 22}
