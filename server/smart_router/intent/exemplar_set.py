"""The exemplar requests the embedding path compares a request with: our own realistic editor
prompts, 30+ per intent, in English and Dutch (with some German, French and Spanish), with code
snippets and stack traces. One JSON Lines file per intent in `exemplars/`, one `{"text": ...}`
object per line."""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources

from smart_router.config import INTENTS

__all__ = ["exemplars", "exemplars_digest"]


@functools.cache
def exemplars() -> tuple[tuple[str, str], ...]:
    """All exemplars as `(intent, text)` pairs, in the order of `INTENTS`."""
    folder = resources.files("smart_router.intent").joinpath("exemplars")
    out: list[tuple[str, str]] = []
    for intent in INTENTS:
        body = folder.joinpath(f"{intent}.jsonl").read_text(encoding="utf-8")
        out.extend((intent, json.loads(line)["text"]) for line in body.splitlines() if line.strip())
    return tuple(out)


def exemplars_digest() -> str:
    """SHA-256 of the exemplar set: changes whenever an exemplar or its label does."""
    digest = hashlib.sha256()
    for intent, text in exemplars():
        digest.update(f"{intent}\t{text}\n".encode())
    return digest.hexdigest()
