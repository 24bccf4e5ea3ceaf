"""The local models a fake Ollama has "pulled": ``/api/tags`` entries and name matching.

A model is given by name (``"llama3.2:3b"``; the details are derived from it) or as
a full or partial ``/api/tags`` entry (``{"name": ..., "details": {...}}``; missing
fields are derived from the name).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "DEFAULT_OLLAMA_MODELS",
    "OllamaModelError",
    "canonical_name",
    "model_entries",
    "model_entry",
]

DEFAULT_OLLAMA_MODELS = ("llama3.2:3b", "llama3.1:8b", "qwen2.5-coder:7b", "gemma3:4b", "mistral:latest")
MODIFIED_AT = "2025-05-04T17:37:44.706015396-07:00"
BYTES_PER_PARAMETER = 0.6  # Q4_K_M
_SIZE_TAG = re.compile(r"(?:^|[-_])(\d+(?:\.\d+)?)([bm])(?:$|[-_])", re.IGNORECASE)


class OllamaModelError(ValueError):
    """A model list (e.g. sent to the control endpoint) is invalid."""


def canonical_name(name: str) -> str:
    """``name`` with Ollama's default tag: ``llama3.2`` means ``llama3.2:latest``."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _parameters(name: str) -> float:
    """Parameter count from the name's size tag (``3b``, ``0.5b``, ``135m``); 7B if none."""
    base, _, tag = name.rpartition(":")
    for text in (tag, base.rsplit("/", 1)[-1]):
        found = _SIZE_TAG.search(text)
        if found:
            return float(found.group(1)) * (1e9 if found.group(2).lower() == "b" else 1e6)
    return 7e9


def _family(name: str) -> str:
    base = name.split(":", 1)[0].rsplit("/", 1)[-1]
    found = re.match(r"[a-z]+", base.lower())
    return found.group(0) if found else "llama"


def _parameter_size(parameters: float) -> str:
    if parameters >= 1e9:
        return f"{parameters / 1e9:g}B"
    return f"{parameters / 1e6:g}M"


def model_entry(spec: str | dict[str, Any]) -> dict[str, Any]:
    """The ``/api/tags`` entry of a model given by name or by a (partial) entry."""
    if isinstance(spec, str):
        given: dict[str, Any] = {"name": spec}
    elif isinstance(spec, dict):
        given = dict(spec)
    else:
        raise OllamaModelError("a model must be a name or an object with a name")
    name = given.get("name", given.get("model"))
    if not isinstance(name, str) or not name.strip():
        raise OllamaModelError("a model must have a non-empty string name")
    name = canonical_name(name.strip())
    details = given.get("details", {})
    if not isinstance(details, dict):
        raise OllamaModelError(f"details of {name} must be an object")
    parameters = _parameters(name)
    family = _family(name)
    entry: dict[str, Any] = {
        "name": name,
        "model": name,
        "modified_at": MODIFIED_AT,
        "size": int(parameters * BYTES_PER_PARAMETER),
        "digest": hashlib.sha256(name.encode()).hexdigest(),
    }
    entry.update({k: v for k, v in given.items() if k not in ("name", "model", "details")})
    entry["details"] = {
        "parent_model": "",
        "format": "gguf",
        "family": family,
        "families": [family],
        "parameter_size": _parameter_size(parameters),
        "quantization_level": "Q4_K_M",
        **details,
    }
    return entry


def model_entries(specs: Iterable[str | dict[str, Any]] | Any) -> tuple[dict[str, Any], ...]:
    """The ``/api/tags`` entries of several models (later duplicates of a name dropped)."""
    if isinstance(specs, str | dict) or not isinstance(specs, Iterable):
        raise OllamaModelError("the models must be a list of names or objects")
    entries: dict[str, dict[str, Any]] = {}
    for spec in specs:
        entry = model_entry(spec)
        entries.setdefault(entry["name"], entry)
    return tuple(entries.values())
