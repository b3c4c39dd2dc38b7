"""The kiosk schedule parks the sheet while the screen is off on purpose and wakes it early
enough: run on a wall clock that goes 300 times faster than the event loop's (and sleeps that
are 300 times shorter): a two-minute window takes 0.4 s."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from viewer.core.schedule import DailySchedule
from viewer.features.schedule import Schedules

SPEED = 300.0  # schedule seconds per loop second
START = datetime(2026, 3, 10, 21, 59, 0)
WINDOW = "22:00-22:02"  # off 60 s after START, for 120 s


@pytest.fixture(autouse=True)
def fast_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        await real_sleep(seconds / SPEED)

    monkeypatch.setattr(asyncio, "sleep", sleep)


def run(*, park_result: bool = True, wake_takes_s: float = 0.0) -> list[tuple[str, float]]:
    """What happened, each with its schedule time (seconds after START)."""
    events: list[tuple[str, float]] = []

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        origin = loop.time()
        screen_on = asyncio.Event()

        def now() -> datetime:
            return START + timedelta(seconds=(loop.time() - origin) * SPEED)

        def note(name: str) -> None:
            events.append((name, (now() - START).total_seconds()))
            if name == "on":
                screen_on.set()

        async def park() -> bool:
            note("park")
            return park_result

        async def wake() -> None:
            note("wake")
            await asyncio.sleep(wake_takes_s)
            note("loaded")

        schedules = Schedules(
            DailySchedule.parse([], [WINDOW]),
            reload_action="sheet",
            reload=lambda: None,
            restart=lambda: None,
            set_display_on=lambda on: note("on" if on else "off"),
            display_backend="blank",
            park=park,
            wake=wake,
            wake_lead_s=30.0,
            now=now,
        )
        await schedules.start()
        await screen_on.wait()
        await schedules.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))
    return events


def test_the_sheet_is_parked_when_the_screen_goes_off_and_woken_before_it_comes_on() -> None:
    events = run()
    names = [name for name, _ in events]
    assert names == ["off", "park", "wake", "loaded", "on"]
    at = dict(events)
    assert 60 <= at["off"] <= 64
    assert 146 <= at["wake"] <= 154  # 30 s before the window ends at 180 s
    assert 180 <= at["on"] <= 184


def test_the_screen_waits_for_a_slow_wake_to_load() -> None:
    at = dict(run(wake_takes_s=50.0))  # woken 30 s ahead, loaded 20 s after the planned on
    assert at["loaded"] <= at["on"]
    assert at["on"] >= 198


def test_a_sheet_that_was_not_parked_is_not_woken() -> None:
    names = [name for name, _ in run(park_result=False)]
    assert names == ["off", "park", "on"]
