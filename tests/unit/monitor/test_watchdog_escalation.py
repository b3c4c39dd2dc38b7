"""The watchdog's escalation as pure logic: steps in order, each after its time, bounded, and
reset by progress; the interval systemd asks for."""

from __future__ import annotations

import os

import pytest

from viewer.monitor.watchdog import (
    STEPS,
    Escalation,
    EscalationPolicy,
    Escalator,
    Notifier,
    watchdog_sec,
)

POLICY = EscalationPolicy(grace_s=10, step_s=5)


def _run(escalator: Escalator, observations: list[tuple[bool, float]]) -> list[tuple[float, str]]:
    taken = []
    for progressing, now in observations:
        escalator, step = escalator.observe(progressing, now)
        if step is not None:
            taken.append((now, step.value))
    return taken


def test_a_stall_takes_each_step_in_turn_then_stops_pinging() -> None:
    stalled = [(False, float(t)) for t in range(0, 60)]
    steps = _run(Escalator(POLICY), stalled)
    assert steps == [(10.0, "reload-page"), (15.0, "restart-renderer"), (20.0, "stop-pinging")]


def test_the_escalation_is_bounded_and_fits_in_watchdog_sec() -> None:
    escalator = Escalator(EscalationPolicy.within(30.0))
    taken = []
    for t in range(0, 120):
        escalator, step = escalator.observe(False, float(t))
        if step is not None:
            taken.append((t, step.value))
    assert taken == [(0, "reload-page"), (10, "restart-renderer"), (20, "stop-pinging")]
    assert escalator.exhausted


def test_progress_starts_the_escalation_over() -> None:
    observations = [(False, float(t)) for t in range(0, 12)]  # reload at 10
    observations += [(True, 12.0)]
    observations += [(False, float(t)) for t in range(13, 30)]  # a new stall from 13
    steps = _run(Escalator(POLICY), observations)
    assert steps == [(10.0, "reload-page"), (23.0, "reload-page"), (28.0, "restart-renderer")]


def test_steps_are_the_documented_three() -> None:
    assert STEPS == (Escalation.RELOAD_PAGE, Escalation.RESTART_RENDERER, Escalation.STOP_PINGING)
    with pytest.raises(ValueError, match="step_s"):
        EscalationPolicy(step_s=0)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 30.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 30.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # someone else's
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_watchdog_sec_comes_from_watchdog_usec(
    environ: dict[str, str], expected: float | None
) -> None:
    assert watchdog_sec(environ) == expected


def test_without_notify_socket_nothing_is_sent() -> None:
    notifier = Notifier.from_environment({})
    assert not notifier.enabled
    assert notifier.send(READY="1") is False
