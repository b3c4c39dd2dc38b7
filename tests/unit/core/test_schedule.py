"""The kiosk's daily schedule with a fake clock: reload times, display-off windows (also over
midnight) and the next moment anything changes."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from viewer.core.schedule import DailySchedule, Window, next_at, parse_time

DAY = datetime(2026, 3, 10)


def at(hh: int, mm: int, ss: int = 0, *, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hh, mm, ss)


@pytest.mark.parametrize(("text", "parsed"), [("06:00", time(6)), ("23:59:30", time(23, 59, 30))])
def test_times_of_day(text: str, parsed: time) -> None:
    assert parse_time(text) == parsed


@pytest.mark.parametrize("text", ["6:00", "24:00", "06:60", "06", "06:00:00:00", "ab:cd", ""])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"HH:MM|not a time of day"):
        parse_time(text)


def test_an_empty_window_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        Window.parse("06:00-06:00")


def test_next_at_is_strictly_after_now() -> None:
    assert next_at(at(6, 0), time(6)) == at(6, 0, day=11)
    assert next_at(at(5, 59, 59), time(6)) == at(6, 0)


def test_next_reload_is_the_earliest_of_the_times() -> None:
    schedule = DailySchedule.parse(["18:00", "06:30"], [])
    assert schedule.next_reload(at(7, 0)) == at(18, 0)
    assert schedule.next_reload(at(19, 0)) == at(6, 30, day=11)
    assert DailySchedule().next_reload(at(7, 0)) is None


def test_a_window_over_midnight() -> None:
    schedule = DailySchedule.parse([], ["22:00-06:00"])
    assert schedule.display_off_at(at(23, 0))
    assert schedule.display_off_at(at(5, 59, 59))
    assert not schedule.display_off_at(at(6, 0))
    assert not schedule.display_off_at(at(21, 59, 59))
    assert schedule.display_off_at(at(22, 0))
    assert schedule.next_display_change(at(12, 0)) == at(22, 0)
    assert schedule.next_display_change(at(23, 0)) == at(6, 0, day=11)


def test_adjoining_windows_change_once() -> None:
    schedule = DailySchedule.parse([], ["20:00-22:00", "22:00-23:00"])
    assert schedule.next_display_change(at(21, 0)) == at(23, 0)


def test_windows_covering_the_day_never_change() -> None:
    schedule = DailySchedule.parse([], ["00:00-12:00", "12:00-00:00"])
    assert schedule.display_off_at(at(3, 0))
    assert schedule.next_display_change(at(3, 0)) is None


def test_no_windows_no_change() -> None:
    assert DailySchedule().next_display_change(at(3, 0)) is None
    assert not DailySchedule().display_off_at(at(3, 0))
