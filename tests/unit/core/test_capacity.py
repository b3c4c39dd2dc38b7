"""Analyzer Capacity minutes in 6-minute blocks, and rotation paced below a daily budget."""

from __future__ import annotations

from viewer.core.capacity import CapacityMeter, paced_interval_s


def test_activity_inside_a_block_is_free_and_outside_starts_one() -> None:
    meter = CapacityMeter()
    assert meter.activity(0.0)
    assert not meter.activity(359.9)
    assert meter.activity(360.0)
    assert meter.minutes == 12


def test_rotating_every_minute_for_an_hour_costs_the_hour() -> None:
    meter = CapacityMeter()
    for minute in range(60):
        meter.activity(minute * 60.0)
    assert meter.minutes == 60


def test_rotating_every_ten_minutes_costs_six_each() -> None:
    meter = CapacityMeter()
    for step in range(6):
        meter.activity(step * 600.0)
    assert meter.minutes == 36


def test_pacing_below_a_budget() -> None:
    assert paced_interval_s(30.0, None) == 30.0
    assert paced_interval_s(30.0, 1440) == 30.0  # a whole day of blocks: no pacing needed
    assert paced_interval_s(30.0, 720) == 720.0  # 120 blocks a day: a sheet every 12 minutes
    assert paced_interval_s(3600.0, 720) == 3600.0  # never faster than asked
    meter = CapacityMeter()
    interval = paced_interval_s(30.0, 240)
    for step in range(int(86_400 / interval)):
        meter.activity(step * interval)
    assert meter.minutes <= 240
