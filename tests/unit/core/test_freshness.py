"""The freshness badge's words and the stale verdict from qLastReloadTime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from viewer.core.freshness import Freshness, parse_reload_time

RELOADED = datetime(2026, 1, 15, 6, 0, tzinfo=UTC)


def test_the_engine_time_is_parsed_as_utc() -> None:
    assert parse_reload_time("2026-01-15T06:00:00.000Z") == RELOADED


@pytest.mark.parametrize("value", [None, "", "yesterday", 17, "2026-01-15T06:00:00"])
def test_no_time_or_a_time_without_zone_is_no_reload_time(value: object) -> None:
    assert parse_reload_time(value) is None


def test_same_day_shows_the_time_only_in_the_walls_zone() -> None:
    berlin = timezone(timedelta(hours=1))
    now = RELOADED + timedelta(hours=3)
    assert Freshness(RELOADED).text(now, berlin) == "Data as of 07:00"


def test_another_day_shows_the_date() -> None:
    now = RELOADED + timedelta(days=1)
    assert Freshness(RELOADED).text(now, UTC) == "Data as of 15 Jan 06:00"


def test_stale_after_the_allowed_age_and_says_so() -> None:
    fresh = Freshness(RELOADED, stale_after_s=3600)
    assert not fresh.stale(RELOADED + timedelta(seconds=3600))
    later = RELOADED + timedelta(seconds=3601)
    assert fresh.stale(later)
    assert fresh.text(later, UTC) == "Data as of 06:00 — out of date"
    assert not Freshness(RELOADED).stale(later + timedelta(days=30))


def test_a_reload_time_ahead_of_the_local_clock_has_age_zero() -> None:
    assert Freshness(RELOADED).age_s(RELOADED - timedelta(minutes=5)) == 0.0
