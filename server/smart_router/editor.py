"""What the editor tells about a request: the file, its language, the selected code and the
diagnostics in range. The classifier, the rules engine and the prompt builder read it; the
command line has none."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EditorContext"]


@dataclass(frozen=True, slots=True)
class EditorContext:
    language: str | None = None
    """VS Code language id of the file (`python`, `typescript`, ...)."""
    file_path: str | None = None
    """File system path of the file, or its URI when it has none."""
    selection: str | None = None
    """The selected text the request is about."""
    diagnostics: tuple[str, ...] = ()
    """Messages of the errors and warnings in the selected range."""
    workspace: str | None = None
    """Workspace folder the file belongs to."""
