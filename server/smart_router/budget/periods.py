"""Calendar periods of the budgets: days and months in the user's time zone.

A daily budget runs from local midnight to the next local midnight, a monthly one from the
first of the month to the first of the next, in `smartRouter.budgets.timeZone` (an IANA
name) or, when that is empty, the system's zone. Boundaries are computed as instants in
that zone, so a day of a daylight-saving change is 23 or 25 hours long and a month ends on
its own last day. Ledger rows keep the local day (YYYY-MM-DD) they were written in; the
month is its first seven characters.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["PeriodKind", "TimeZone", "Window", "resolve_zone", "window"]

PeriodKind = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class TimeZone:
    """The zone budgets are counted in, and the name shown to the user."""

    tz: tzinfo
    name: str

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)

    def day(self, instant: datetime) -> str:
        """The local calendar day of an instant, YYYY-MM-DD."""
        return self.local(instant).date().isoformat()


@dataclass(frozen=True, slots=True)
class Window:
    """One period: `key` is YYYY-MM-DD (day) or YYYY-MM (month); `[start, end)` as UTC instants
    (so that subtracting them gives real elapsed time, 23 or 25 hours on a daylight-saving day)."""

    kind: PeriodKind
    key: str
    first_day: str
    last_day: str
    start: datetime
    end: datetime
    resets_at: str
    """When the next period starts: ISO 8601 with the zone's offset at that moment."""


def _midnight(day: date, zone: TimeZone) -> datetime:
    """The first instant of `day` in the zone (also when midnight itself is skipped by a DST jump)."""
    naive = datetime.combine(day, time())
    # fold=0 reads a skipped wall time with the offset before the jump: that is the instant
    # at which the new day begins. Round-tripping through UTC gives the real local time.
    return naive.replace(tzinfo=zone.tz).astimezone(UTC)


def window(kind: PeriodKind, instant: datetime, zone: TimeZone) -> Window:
    """The day or month containing `instant` (an aware datetime) in `zone`."""
    today = zone.local(instant).date()
    if kind == "day":
        first, after = today, today + timedelta(days=1)
        key = today.isoformat()
    else:
        first = today.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        key = first.isoformat()[:7]
    end = _midnight(after, zone)
    return Window(
        kind=kind,
        key=key,
        first_day=first.isoformat(),
        last_day=(after - timedelta(days=1)).isoformat(),
        start=_midnight(first, zone),
        end=end,
        resets_at=end.astimezone(zone.tz).isoformat(timespec="seconds"),
    )


@functools.lru_cache(maxsize=16)
def resolve_zone(name: str = "") -> TimeZone:
    """`name` (an IANA zone), else the system's zone: `$TZ`, then /etc/localtime, then the
    current UTC offset as a fixed zone (which knows no daylight-saving changes)."""
    if name:
        return TimeZone(ZoneInfo(name), name)  # validated by the settings model
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        try:
            return TimeZone(ZoneInfo(env), env)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            iana = target.split("zoneinfo/", 1)[1]
            return TimeZone(ZoneInfo(iana), iana)
        with localtime.open("rb") as f:
            return TimeZone(ZoneInfo.from_file(f, key="localtime"), "localtime")
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    fixed = datetime.now().astimezone().tzinfo or UTC
    return TimeZone(fixed, str(fixed))
