"""Calendar periods in the user's time zone: midnight, month end, daylight-saving days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smart_router.budget import Ledger, LedgerRow
from smart_router.budget.periods import TimeZone, resolve_zone, window
from smart_router.config import parse_settings
from smart_router.errors import ConfigError
from smart_router.store import open_database

AMS = resolve_zone("Europe/Amsterdam")
SAO = resolve_zone("America/Sao_Paulo")
NY = resolve_zone("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_a_day_runs_from_local_midnight_to_local_midnight() -> None:
    # 22:59 UTC on Mar 14 is 23:59 in Amsterdam (winter time, UTC+1): still the 14th
    w = window("day", utc(2026, 3, 14, 22, 59), AMS)
    assert (w.key, w.resets_at) == ("2026-03-14", "2026-03-15T00:00:00+01:00")
    assert w.start == utc(2026, 3, 13, 23, 0) and w.end == utc(2026, 3, 14, 23, 0)
    # a minute later it is the 15th there, while UTC still says the 14th
    assert window("day", utc(2026, 3, 14, 23, 0), AMS).key == "2026-03-15"


def test_a_month_ends_on_its_own_last_day_in_the_zone() -> None:
    # 02:30 UTC on Mar 1 is still Feb 28 in Sao Paulo (UTC-3)
    w = window("month", utc(2026, 3, 1, 2, 30), SAO)
    assert (w.key, w.first_day, w.last_day) == ("2026-02", "2026-02-01", "2026-02-28")
    assert w.resets_at == "2026-03-01T00:00:00-03:00"
    leap = window("month", utc(2028, 2, 29, 12), SAO)
    assert (leap.last_day, leap.resets_at) == ("2028-02-29", "2028-03-01T00:00:00-03:00")
    december = window("month", utc(2026, 12, 31, 23, 30), NY)
    assert (december.key, december.resets_at) == ("2026-12", "2027-01-01T00:00:00-05:00")


def test_daylight_saving_days_are_23_and_25_hours_long() -> None:
    spring = window("day", utc(2026, 3, 29, 12), AMS)  # clocks go 02:00 -> 03:00
    autumn = window("day", utc(2026, 10, 25, 12), AMS)  # clocks go 03:00 -> 02:00
    assert spring.end - spring.start == timedelta(hours=23)
    assert autumn.end - autumn.start == timedelta(hours=25)
    assert spring.resets_at == "2026-03-30T00:00:00+02:00"
    assert autumn.resets_at == "2026-10-26T00:00:00+01:00"


def test_a_day_whose_midnight_is_skipped_starts_at_one_oclock() -> None:
    # Sao Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04: that day had no midnight
    w = window("day", utc(2018, 11, 4, 12), SAO)
    assert w.start == utc(2018, 11, 4, 3, 0)
    assert w.start.astimezone(SAO.tz).isoformat() == "2018-11-04T01:00:00-02:00"
    assert w.end - w.start == timedelta(hours=23)
    assert window("day", utc(2018, 11, 4, 2, 59), SAO).key == "2018-11-03"


async def test_ledger_rows_keep_the_local_day_of_the_configured_zone(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "sr.db")
    clock = [utc(2026, 3, 31, 22, 30)]  # 00:30 on Apr 1 in Amsterdam (summer time)
    ledger = Ledger(db, now=lambda: clock[0], zone=lambda: AMS)
    row = LedgerRow("r", None, "m", "p", None, 1, 1, 5, False, 1.0, 1.0, "ok")
    await ledger.record(row)
    clock[0] = utc(2026, 3, 31, 21, 30)  # 23:30 on Mar 31 there
    await ledger.record(row)
    days = [r[0] for r in await db.execute_fetchall("SELECT local_day FROM ledger ORDER BY id")]
    assert days == ["2026-04-01", "2026-03-31"]
    s = await ledger.summary()
    assert (s.day, s.today_micro_usd, s.month_micro_usd) == ("2026-03-31", 5, 5)
    await db.close()


def test_the_time_zone_setting_is_checked() -> None:
    assert (
        parse_settings({"budgets": {"timeZone": "Europe/Amsterdam"}}).budgets.time_zone == "Europe/Amsterdam"
    )
    with pytest.raises(ConfigError, match=r"smartRouter\.budgets.*IANA time zone"):
        parse_settings({"budgets": {"timeZone": "Mars/Olympus"}})


def test_thresholds_are_percentages_listed_once_and_sorted() -> None:
    assert parse_settings({"budgets": {"alertThresholds": [90, 25]}}).budgets.alert_thresholds == [25, 90]
    with pytest.raises(ConfigError, match="twice"):
        parse_settings({"budgets": {"alertThresholds": [50, 50]}})
    with pytest.raises(ConfigError, match=r"alertThresholds\[0\]: Input should be greater"):
        parse_settings({"budgets": {"alertThresholds": [0]}})
    with pytest.raises(ConfigError, match="webhookUrl"):
        parse_settings({"budgets": {"webhookUrl": "hooks.slack.com/x"}})


def test_the_system_zone_is_used_when_none_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve_zone.cache_clear()
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    try:
        zone = resolve_zone("")
        assert isinstance(zone, TimeZone) and zone.name == "Asia/Tokyo"
        assert zone.day(utc(2026, 1, 1, 15)) == "2026-01-02"
    finally:
        resolve_zone.cache_clear()
