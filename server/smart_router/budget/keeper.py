"""The budget keeper: what the engine asks of the budgets during an ask.

`place` finds the first candidate (in the router's order) whose worst-case cost fits every
hard budget and reserves it; `settle` writes the attempt's ledger row and drops its
reservation, then reports the new status and fires the alerts whose threshold was crossed;
`status` is what the cost meter and `smart-router budget status` show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import aiosqlite
import httpx

from smart_router.budget.alerts import AlertBook, BudgetAlert
from smart_router.budget.forecast import forecast
from smart_router.budget.ledger import Ledger, LedgerRow, SpendSummary
from smart_router.budget.limits import Limit, defined_limits, limits_for
from smart_router.budget.periods import TimeZone, resolve_zone
from smart_router.budget.reservations import Reservation, ReservationBook, Shortfall
from smart_router.budget.status import BudgetState, level_for, reset_text, usd
from smart_router.budget.webhook import Webhook
from smart_router.config import Settings
from smart_router.errors import BudgetExceededError
from smart_router.router import Candidate

__all__ = ["AlertListener", "BudgetKeeper", "Placement", "usd"]

log = logging.getLogger(__name__)

AlertListener = Callable[[BudgetAlert], None]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an attempt goes: the candidate's index in the list given, and its reservation."""

    index: int
    reservation: Reservation
    skipped: Shortfall | None
    """Why the candidates before it did not fit (the first refusal), when any did not."""


class BudgetKeeper:
    def __init__(
        self,
        db: aiosqlite.Connection,
        ledger: Ledger,
        client: httpx.AsyncClient,
        settings: Callable[[], Settings],
    ) -> None:
        self._db = db
        self._settings = settings
        self.ledger = ledger
        self.book = ReservationBook(db, ledger, self.zone, self._ttl_s)
        self.alerts = AlertBook(db)
        self.webhook = Webhook(client)
        self.alert_listeners: list[AlertListener] = []
        """Called with each alert (the LSP server turns them into `smartRouter/budgetAlert`)."""

    def zone(self) -> TimeZone:
        return resolve_zone(self._settings().budgets.time_zone)

    def _ttl_s(self) -> float:
        return max(600.0, 3 * self._settings().request_timeout_seconds)

    def limits(self, workspace: str | None) -> list[Limit]:
        return limits_for(self._settings().budgets, workspace)

    async def place(
        self,
        candidates: Sequence[Candidate],
        *,
        request_id: str,
        workspace: str | None,
        start: int = 0,
    ) -> Placement | Shortfall:
        """Reserve the first candidate from `start` on that fits; else the refusal of the cheapest."""
        limits = self.limits(workspace)
        first: Shortfall | None = None
        cheapest: tuple[int, Shortfall] | None = None
        for i in range(start, len(candidates)):
            c = candidates[i]
            got = await self.book.reserve(
                c.max_micro_usd, limits, request_id=request_id, workspace=workspace, model=c.model.id
            )
            if isinstance(got, Reservation):
                return Placement(i, got, first)
            first = first or got
            if cheapest is None or c.max_micro_usd < cheapest[0]:
                cheapest = (c.max_micro_usd, got)
        assert cheapest is not None, "place() needs at least one candidate"
        return cheapest[1]

    def refusal(self, shortfall: Shortfall, candidate: Candidate) -> BudgetExceededError:
        """The error for a request that fits no budget, naming the budget and what to do."""
        use, lim = shortfall.usage, shortfall.usage.limit
        need = shortfall.amount_micro_usd
        if lim.name == "perRequest":
            text = (
                f"This request could cost up to {usd(need)} on the cheapest usable model "
                f"({candidate.model.id}), more than {lim.label} of {usd(lim.limit_micro_usd)}. "
                f"Shorten the prompt, lower smartRouter.maxOutputTokens, or raise {lim.setting}."
            )
        else:
            text = (
                f"{lim.label.capitalize()} of {usd(lim.limit_micro_usd)} has "
                f"{usd(max(0, lim.limit_micro_usd - use.spent_micro_usd - use.reserved_micro_usd))} left "
                f"({usd(use.spent_micro_usd)} spent, {usd(use.reserved_micro_usd)} held by requests in "
                f"flight), and this request could cost up to {usd(need)} even on the cheapest usable "
                f"model ({candidate.model.id}). It resets {reset_text(use.resets_at or '')}. Wait until "
                f"then, raise it with 'Smart Router: Set Budget' (smart-router budget set {lim.name} USD), "
                "or shorten the prompt."
            )
        return BudgetExceededError(
            text,
            budget=lim.name,
            scope=lim.scope,
            workspace=lim.key,
            limit_micro_usd=lim.limit_micro_usd,
            spent_micro_usd=use.spent_micro_usd,
            reserved_micro_usd=use.reserved_micro_usd,
            required_micro_usd=need,
            resets_at=use.resets_at,
            model=candidate.model.id,
        )

    async def settle(self, reservation: Reservation | None, row: LedgerRow) -> SpendSummary:
        """Record an attempt and release its reservation; then the new status, and any alerts."""
        await self.book.settle(reservation, row)
        status = await self.status()
        settings = self._settings().budgets
        alerts = await self.alerts.crossed(status.budgets, settings.alert_thresholds)
        per_request = settings.per_request
        if per_request is not None and per_request.mode == "soft":
            for st in status.budgets:
                if st.limit.name == "perRequest" and row.cost_micro_usd > st.limit.limit_micro_usd:
                    spent = replace(st, spent_micro_usd=row.cost_micro_usd)
                    alerts.append(
                        BudgetAlert(
                            spent,
                            100,
                            f"A request to {row.model} cost {usd(row.cost_micro_usd)}, more than the soft "
                            f"per-request budget of {usd(st.limit.limit_micro_usd)}.",
                        )
                    )
        for alert in alerts:
            self.fire(alert)
        return status

    def fire(self, alert: BudgetAlert) -> None:
        log.info("budget alert: %s", alert.message)
        for listener in list(self.alert_listeners):
            listener(alert)
        url = self._settings().budgets.webhook_url
        if url:
            self.webhook.post(url, alert.message)

    async def status(self, workspace: str | None = None) -> SpendSummary:
        """Spend today and this month, every budget (or the global ones and `workspace`'s), the forecast."""
        settings = self._settings().budgets
        now = self.ledger.now()
        summary = await self.ledger.summary()
        limits = defined_limits(settings, workspace)
        states = tuple(
            BudgetState(
                u.limit,
                u.spent_micro_usd,
                u.reserved_micro_usd,
                u.period,
                u.resets_at,
                level_for(u.limit, u.spent_micro_usd, settings.alert_thresholds),
            )
            for u in await self.book.usage(limits, now)
        )
        zone = self.zone()
        projected = await forecast(
            self._db,
            now=now,
            zone=zone,
            spent_today=summary.today_micro_usd,
            spent_month=summary.month_micro_usd,
        )
        return replace(summary, budgets=states, forecast=projected, time_zone=zone.name)

    async def close(self) -> None:
        await self.webhook.close()
