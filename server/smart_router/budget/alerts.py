"""Budget alerts: fired when a budget's settled spend crosses an alert threshold, once per
budget, period and threshold.

Which alerts have fired is kept in SQLite (`budget_alerts`), so a restart of the sidecar or a
run of the command line does not fire them again. A single call that crosses several
thresholds at once gets one alert, for the highest of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from smart_router.budget.status import BudgetState, reset_text, usd
from smart_router.store.transaction import run_to_completion, transaction

__all__ = ["AlertBook", "BudgetAlert", "alert_message"]


@dataclass(frozen=True, slots=True)
class BudgetAlert:
    state: BudgetState
    threshold: int
    message: str


def alert_message(state: BudgetState, threshold: int) -> str:
    """What the user reads: which budget, how much of it, when it resets, what to do."""
    lim = state.limit
    text = (
        f"Smart Router has used {state.percent:.0f}% of {lim.label} "
        f"({usd(state.spent_micro_usd)} of {usd(lim.limit_micro_usd)})"
    )
    if state.resets_at:
        text += f"; it resets {reset_text(state.resets_at)}"
    if threshold >= 100 and lim.hard:
        text += (
            ". Requests that could cost more are refused until then; "
            "raise it with 'Smart Router: Set Budget'."
        )
    elif threshold >= 100:
        text += ". It is a soft budget: requests go on; raise it with 'Smart Router: Set Budget'."
    else:
        text += "."
    return text


class AlertBook:
    """Decides which thresholds are newly crossed, and remembers the ones fired."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._fired: set[tuple[str, str, str, int]] = set()
        """Already fired (here or by another process): skips the database on every settle."""

    async def crossed(self, states: Sequence[BudgetState], thresholds: Sequence[int]) -> list[BudgetAlert]:
        """The alerts to send now for `states` (periodic budgets only)."""
        todo: list[tuple[BudgetState, list[tuple[str, str, str, int]]]] = []
        for st in states:
            if st.period is None:
                continue
            name: str = st.limit.name
            keys = [
                (name, st.limit.key or "", st.period, t)
                for t in thresholds
                if st.percent >= t and (name, st.limit.key or "", st.period, t) not in self._fired
            ]
            if keys:
                todo.append((st, keys))
        if not todo:
            return []

        async def work() -> list[BudgetAlert]:
            out = []
            fired_at = datetime.now(UTC).isoformat(timespec="seconds")
            async with transaction(self._db) as db:
                for st, keys in todo:
                    new = []
                    for key in keys:
                        cur = await db.execute(
                            "INSERT OR IGNORE INTO budget_alerts (budget, scope, period, threshold, fired_at)"
                            " VALUES (?,?,?,?,?)",
                            (*key, fired_at),
                        )
                        if cur.rowcount == 1:
                            new.append(key[3])
                    if new:
                        out.append(BudgetAlert(st, max(new), alert_message(st, max(new))))
            for _, keys in todo:
                self._fired.update(keys)
            return out

        return await run_to_completion(work())
