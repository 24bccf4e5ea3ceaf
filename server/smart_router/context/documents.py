"""Where context comes from: documents named by URI (what LSP document sync sends) or by file
system path (what the editor context and the command line give), and which files are never
stored.

`file_key` gives one comparable key for both spellings of the same file, so "same file" holds
between `file:///home/me/app/main.py` and `/home/me/app/main.py` (and on Windows between
`file:///c%3A/app/main.py` and `C:\\app\\main.py`). `is_excluded` applies the
`smartRouter.context.exclude` globs: a glob without a slash matches the file's name, one with a
slash the whole path (`**` spans folders).
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

__all__ = ["display_path", "file_key", "is_excluded", "to_uri"]

_DRIVE = re.compile(r"^/?([A-Za-z]):[/\\]?")


@functools.lru_cache(maxsize=4096)
def display_path(uri_or_path: str) -> str:
    """The file system path of a `file:` URI (other URIs and plain paths unchanged)."""
    if not uri_or_path.startswith("file:"):
        return uri_or_path
    parts = urlsplit(uri_or_path)
    path = unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":  # a UNC share
        return f"//{parts.netloc}{path}"
    drive = _DRIVE.match(path)
    if drive:  # file:///c%3A/x -> c:/x
        path = f"{drive.group(1)}:/{path[drive.end() :]}"
    return path


@functools.lru_cache(maxsize=4096)
def file_key(uri_or_path: str) -> str:
    """A key equal for the URI and the path of one file: forward slashes, Windows drive letters
    lower-cased, no trailing slash."""
    path = display_path(uri_or_path).replace("\\", "/")
    drive = _DRIVE.match(path)
    if drive:
        path = f"{drive.group(1).lower()}:/{path[drive.end() :]}"
    return path.rstrip("/") or path


def to_uri(uri_or_path: str) -> str:
    """A URI for a path (`file://` + the path); URIs unchanged."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", uri_or_path) and not _DRIVE.match(uri_or_path):
        return uri_or_path
    path = uri_or_path.replace("\\", "/")
    return "file://" + (path if path.startswith("/") else "/" + path)


def is_excluded(uri_or_path: str, patterns: Sequence[str]) -> bool:
    """Whether a file matches one of the exclude globs (then it is never stored nor sent)."""
    path = file_key(uri_or_path)
    name = path.rsplit("/", 1)[-1]
    for pattern in patterns:
        glob = pattern.replace("\\", "/")
        if "/" not in glob:
            if fnmatch.fnmatchcase(name, glob):
                return True
            continue
        if fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase("/" + path.lstrip("/"), "/" + glob):
            return True
        if glob.startswith("**/") and fnmatch.fnmatchcase(path, glob[3:]):
            return True
    return False
