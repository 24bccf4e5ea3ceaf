"""Budget enforcement by reservation.

Before a provider call, its worst-case cost (the prompt plus the longest answer, at the
model's prices) is reserved against every hard budget that applies, in one `BEGIN IMMEDIATE`
transaction that checks, for each budget, `spent + held + amount <= limit`, where `spent` is
the ledger's sum for the budget's current period and `held` the reservations of the requests
in flight. After the call, `settle` writes the ledger row with the actual cost and deletes the
reservation in one transaction; a failed or cancelled call settles what it used the same way,
`release` drops a reservation that was never used. So the settled spend of a period never
passes a hard limit, however many asks run at once, in one process or several.

Reservations carry their owner (process id) and an expiry. Expired ones are ignored by the
check and deleted; when an engine opens, it deletes those whose owner process is gone, so a
crash never leaves one held.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiosqlite

from smart_router.budget.ledger import Ledger, LedgerRow, insert_row
from smart_router.budget.limits import Limit, workspace_name
from smart_router.budget.periods import TimeZone, window
from smart_router.store.transaction import run_to_completion, transaction

__all__ = ["Reservation", "ReservationBook", "Shortfall", "Usage"]


@dataclass(frozen=True, slots=True)
class Reservation:
    id: int
    """Its row; 0 when no hard budget applies, so nothing is held in the database."""
    amount_micro_usd: int
    renew_at: float
    """Monotonic time after which the holder should extend the expiry."""

    @property
    def held(self) -> bool:
        return self.id != 0


@dataclass(frozen=True, slots=True)
class Usage:
    """What a budget has in its current period."""

    limit: Limit
    spent_micro_usd: int
    reserved_micro_usd: int
    period: str | None
    resets_at: str | None


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Why a reservation was refused: the first budget it would pass."""

    usage: Usage
    amount_micro_usd: int


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="milliseconds")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class ReservationBook:
    """Reserve, settle, release and reconcile, against one database."""

    def __init__(
        self,
        db: aiosqlite.Connection,
        ledger: Ledger,
        zone: Callable[[], TimeZone],
        ttl_s: Callable[[], float] = lambda: 900.0,
    ) -> None:
        self._db = db
        self._ledger = ledger
        self._zone = zone
        self._ttl_s = ttl_s
        self.owner = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._next_sweep = 0.0

    # -- sums ---------------------------------------------------------------------------
    def _scope_sql(self, limit: Limit, params: list[object]) -> str:
        if limit.key is None:
            return ""
        paths, names = limit.workspace_values()
        params += [*paths, *names]
        parts = [f"workspace IN ({','.join('?' * len(paths))})"]
        if names:
            parts.append(f"workspace_name IN ({','.join('?' * len(names))})")
        return " AND (" + " OR ".join(parts) + ")"

    async def usage(self, limits: Sequence[Limit], now: datetime | None = None) -> list[Usage]:
        """Spent and held for each budget, in one query (inside or outside a transaction)."""
        if not limits:
            return []
        now = now or self._ledger.now()
        zone = self._zone()
        columns: list[str] = []
        params: list[object] = []
        windows = []
        for lim in limits:
            win = window(lim.period, now, zone) if lim.period else None
            windows.append(win)
            if win is None:  # the per-request budget: each request alone, nothing accumulates
                columns += ["0", "0"]
                continue
            params += [win.first_day, win.last_day]
            scope = self._scope_sql(lim, params)
            columns.append(
                "(SELECT COALESCE(SUM(cost_micro_usd), 0) FROM ledger"
                f" WHERE local_day >= ? AND local_day <= ?{scope})"
            )
            params.append(_iso(now))
            scope = self._scope_sql(lim, params)
            columns.append(
                f"(SELECT COALESCE(SUM(amount_micro_usd), 0) FROM reservations WHERE expires_at > ?{scope})"
            )
        async with self._db.execute("SELECT " + ", ".join(columns), params) as cur:
            row = await cur.fetchone()
        assert row is not None
        return [
            Usage(
                lim,
                int(row[2 * i]),
                int(row[2 * i + 1]),
                win.key if win else None,
                win.resets_at if win else None,
            )
            for i, (lim, win) in enumerate(zip(limits, windows, strict=True))
        ]

    # -- the life of a reservation ----------------------------------------------------------
    async def reserve(
        self,
        amount_micro_usd: int,
        limits: Sequence[Limit],
        *,
        request_id: str | None,
        workspace: str | None,
        model: str,
    ) -> Reservation | Shortfall:
        """Hold `amount` against every hard budget in `limits`, or say which one it does not fit."""
        hard = [lim for lim in limits if lim.hard]
        if not hard:  # nothing can be overrun: the call starts without a database round trip
            return Reservation(0, amount_micro_usd, math.inf)

        async def work() -> Reservation | Shortfall:
            now = self._ledger.now()
            ttl = self._ttl_s()
            async with transaction(self._db) as db:
                if time.monotonic() >= self._next_sweep:
                    await db.execute("DELETE FROM reservations WHERE expires_at <= ?", (_iso(now),))
                    self._next_sweep = time.monotonic() + 60
                for use in await self.usage(hard, now):
                    if (
                        use.spent_micro_usd + use.reserved_micro_usd + amount_micro_usd
                        > use.limit.limit_micro_usd
                    ):
                        return Shortfall(use, amount_micro_usd)
                cur = await db.execute(
                    "INSERT INTO reservations (request_id, workspace, workspace_name, model,"
                    " amount_micro_usd, owner, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        request_id,
                        workspace,
                        workspace_name(workspace),
                        model,
                        amount_micro_usd,
                        self.owner,
                        _iso(now),
                        _iso(now + timedelta(seconds=ttl)),
                    ),
                )
                assert cur.lastrowid is not None
                return Reservation(cur.lastrowid, amount_micro_usd, time.monotonic() + ttl / 2)

        async def undo(result: Reservation | Shortfall) -> None:
            if isinstance(result, Reservation):
                await self.release(result)

        return await run_to_completion(work(), undo)

    async def settle(self, reservation: Reservation | None, row: LedgerRow) -> None:
        """Write the call's ledger row and drop its reservation, in one transaction."""

        async def work() -> None:
            now = self._ledger.now()
            async with transaction(self._db) as db:
                await insert_row(db, row, now, self._ledger.local_day(now))
                if reservation is not None and reservation.held:
                    await db.execute("DELETE FROM reservations WHERE id = ?", (reservation.id,))

        await run_to_completion(work())

    async def release(self, reservation: Reservation) -> None:
        """Drop a reservation that no call used."""
        if not reservation.held:
            return

        async def work() -> None:
            async with transaction(self._db) as db:
                await db.execute("DELETE FROM reservations WHERE id = ?", (reservation.id,))

        await run_to_completion(work())

    async def renew(self, reservation: Reservation) -> Reservation:
        """Push the expiry of a long call's reservation back by a full time-to-live."""
        if not reservation.held:
            return reservation
        ttl = self._ttl_s()

        async def work() -> None:
            expires = _iso(self._ledger.now() + timedelta(seconds=ttl))
            async with transaction(self._db) as db:
                await db.execute(
                    "UPDATE reservations SET expires_at = ? WHERE id = ?", (expires, reservation.id)
                )

        await run_to_completion(work())
        return Reservation(reservation.id, reservation.amount_micro_usd, time.monotonic() + ttl / 2)

    def _orphaned(self, owner: str) -> bool:
        if owner == self.owner:
            return False
        pid_text = owner.split(":", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():  # an earlier engine of this process
            return True
        return not _pid_alive(int(pid_text))

    async def reconcile(self) -> int:
        """Delete expired reservations and those of processes that are gone; returns how many."""
        now = _iso(self._ledger.now())
        async with transaction(self._db) as db:
            async with db.execute("SELECT id, owner, expires_at FROM reservations") as cur:
                rows = list(await cur.fetchall())
            stale = [r[0] for r in rows if r[2] <= now or self._orphaned(str(r[1]))]
            for rid in stale:
                await db.execute("DELETE FROM reservations WHERE id = ?", (rid,))
        return len(stale)
