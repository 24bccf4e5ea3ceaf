"""`smart-router budget set|clear`: edit `smartRouter.budgets` in the settings file.

The file keeps every other key as it was. Budgets are written where the file already keeps
them (a flat `"smartRouter.budgets"` key, or `budgets` inside a nested `"smartRouter"`
object), else as a flat key, the way VS Code's settings.json spells it. The result is
validated like any settings file before it replaces the old one (atomically).
"""

from __future__ import annotations

import json
import os
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from smart_router.config import SECTION, parse_settings, unflatten_settings
from smart_router.errors import BadInputError, ConfigError

__all__ = ["BudgetKind", "clear_budget", "set_budget"]

BudgetKind = Literal["daily", "monthly", "per-request"]
_KEY = {"daily": "daily", "monthly": "monthly", "per-request": "perRequest"}
_FLAT = f"{SECTION}.budgets"


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Cannot read settings file {path}: {exc}. Fix the JSON and retry.") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"Settings file {path} must hold a JSON object.")
    return raw


def _budgets(raw: dict[str, Any]) -> dict[str, Any]:
    """The budgets object inside `raw`, created where the file keeps its settings."""
    nested = raw.get(SECTION)
    if _FLAT not in raw and isinstance(nested, dict):
        box = nested.setdefault("budgets", {})
    else:
        box = raw.setdefault(_FLAT, {})
    if not isinstance(box, dict):
        raise ConfigError("smartRouter.budgets in the settings file is not an object: fix it by hand first.")
    return box


def _target(budgets: dict[str, Any], kind: BudgetKind, workspace: str | None) -> dict[str, Any]:
    if workspace is None:
        return budgets
    if kind == "per-request":
        raise BadInputError("A per-request budget applies to every workspace: drop --workspace.")
    spaces = budgets.setdefault("workspaces", {})
    if not isinstance(spaces, dict):
        raise ConfigError("smartRouter.budgets.workspaces in the settings file is not an object.")
    ws = spaces.setdefault(workspace, {})
    if not isinstance(ws, dict):
        raise ConfigError(
            f'smartRouter.budgets.workspaces["{workspace}"] in the settings file is not an object.'
        )
    return ws


def _write(path: Path, raw: dict[str, Any]) -> None:
    parse_settings(unflatten_settings(raw), origin=f"The edited settings file {path}")  # refuse a bad result
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(raw, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_budget(
    path: Path, kind: BudgetKind, usd: str, *, soft: bool = False, workspace: str | None = None
) -> str:
    """Set a budget; returns a sentence saying what is now in force."""
    try:
        amount = Decimal(usd)
    except InvalidOperation:
        raise BadInputError(f"'{usd}' is not an amount in USD: write it like 5 or 0.25.") from None
    if not amount.is_finite() or amount < 0:
        raise BadInputError(f"A budget is an amount of USD of 0 or more, not {usd}.")
    raw = _read(path)
    target = _target(_budgets(raw), kind, workspace)
    target[_KEY[kind]] = {"usd": float(amount) if amount != amount.to_integral() else int(amount)}
    target[_KEY[kind]]["mode"] = "soft" if soft else "hard"
    _write(path, raw)
    where = f" for workspace {workspace}" if workspace else ""
    return f"{kind} budget{where} set to ${amount} ({'soft: warn only' if soft else 'hard'}) in {path}"


def clear_budget(path: Path, kind: BudgetKind, *, workspace: str | None = None) -> str:
    """Remove a budget; returns a sentence saying what changed."""
    raw = _read(path)
    budgets = _budgets(raw)
    target = _target(budgets, kind, workspace)
    where = f" for workspace {workspace}" if workspace else ""
    if _KEY[kind] not in target:
        if workspace is not None and not target:
            del budgets["workspaces"][workspace]
        return f"No {kind} budget{where} was set in {path}: nothing to clear."
    del target[_KEY[kind]]
    if workspace is not None and not target:
        del budgets["workspaces"][workspace]
    _write(path, raw)
    return f"{kind} budget{where} cleared in {path}"
