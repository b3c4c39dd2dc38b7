"""The state machine's side of the user journeys (issue "every journey ends well"): one fault
reported twice in either order shows the server's reason and heals the same way; a sign-in that
is due is never overwritten by a generic connection loss; a failed attempt that names its cause
(a configuration fault) shows that cause."""

from __future__ import annotations

from itertools import permutations

import pytest

from viewer.core.closes import CloseClassification, CloseKind, Initiator, classify_close
from viewer.core.state import (
    PAGE_SOCKET_LOST,
    EngineClosed,
    EngineOpened,
    EngineResumed,
    EngineSuspended,
    Event,
    Mode,
    PageFailed,
    PageLoaded,
    Phase,
    RecoveryAction,
    RecoveryFailed,
    TimerFired,
    ViewerState,
)

LIVE = (EngineOpened(), PageLoaded())
PAGE_SOCKET_CLOSED = PageFailed(PAGE_SOCKET_LOST)
NETWORK_BLIP = EngineSuspended.from_close(Initiator.NETWORK, 1006, "")
SERVER_ENDED = EngineClosed(classify_close(1000, "session ended", Initiator.REMOTE))
EXPIRED = EngineClosed(CloseClassification(CloseKind.AUTH_REQUIRED, "proxy.session_timed_out"))
UNTRUSTED = CloseClassification(CloseKind.FATAL, "tls.untrusted_certificate")


def feed(state: ViewerState, events: tuple[Event, ...], start: float = 0.0) -> ViewerState:
    for offset, event in enumerate(events):
        state, _ = state.handle(event, start + offset)
    return state


def live(mode: Mode) -> ViewerState:
    return feed(ViewerState.start(mode), LIVE)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize(
    ("engine_event", "phase", "reason"),
    [
        (SERVER_ENDED, Phase.CLOSED, "server.closed_session"),
        (EXPIRED, Phase.AUTH_REQUIRED, "proxy.session_timed_out"),
    ],
)
def test_the_servers_reason_wins_whatever_the_order(
    mode: Mode, engine_event: Event, phase: Phase, reason: str
) -> None:
    for order in permutations((engine_event, PAGE_SOCKET_CLOSED)):
        state = feed(live(mode), order, start=10)
        directive = state.directive
        assert (directive.phase, directive.reason_key) == (phase, reason), order


@pytest.mark.parametrize("order", list(permutations((NETWORK_BLIP, PAGE_SOCKET_CLOSED))))
def test_a_desktop_blip_heals_by_itself_whatever_the_order(order: tuple[Event, ...]) -> None:
    state = feed(live(Mode.DESKTOP), order, start=10)
    plan = state.directive.recovery
    assert plan is not None
    assert not plan.needs_click
    assert plan.action is RecoveryAction.RESUME
    state, directive = state.handle(TimerFired(plan.timer_id), 20)
    assert directive.perform is RecoveryAction.RESUME
    state, directive = state.handle(EngineResumed(attached=True), 21)
    # the page lost its socket: it is reloaded on the same engine session, no click
    assert directive.perform is RecoveryAction.RELOAD_SHEET
    state, directive = state.handle(PageLoaded(), 22)
    assert directive.phase is Phase.LIVE


@pytest.mark.parametrize("mode", list(Mode))
def test_a_sign_in_that_is_due_is_not_overwritten_by_a_connection_loss(mode: Mode) -> None:
    state = feed(live(mode), (EXPIRED, NETWORK_BLIP, PAGE_SOCKET_CLOSED), start=10)
    assert state.directive.phase is Phase.AUTH_REQUIRED
    assert state.directive.reason_key == "proxy.session_timed_out"


def test_a_failure_with_a_named_cause_is_closed_with_that_cause() -> None:
    desktop = ViewerState.start(Mode.DESKTOP)
    _state, directive = desktop.handle(RecoveryFailed(cause=UNTRUSTED), 1.0)
    assert (directive.phase, directive.reason_key) == (Phase.CLOSED, "tls.untrusted_certificate")
    assert directive.recovery is not None
    assert directive.recovery.needs_click


def test_a_kiosk_retries_a_named_cause_slowly_and_keeps_showing_it() -> None:
    kiosk = ViewerState.start(Mode.KIOSK)
    state, directive = kiosk.handle(RecoveryFailed(cause=UNTRUSTED), 1.0)
    assert directive.reason_key == "tls.untrusted_certificate"
    plan = directive.recovery
    assert plan is not None
    assert plan.delay is not None
    assert plan.delay >= 5.0
    state, directive = state.handle(TimerFired(plan.timer_id), 1.0 + plan.delay)
    assert directive.perform is RecoveryAction.RELOAD_SHEET
    state, directive = state.handle(RecoveryFailed(cause=UNTRUSTED), 2.0 + plan.delay)
    assert (directive.phase, directive.reason_key) == (Phase.CLOSED, "tls.untrusted_certificate")


def test_a_failure_without_a_cause_stays_a_failed_attempt() -> None:
    _state, directive = ViewerState.start(Mode.KIOSK).handle(RecoveryFailed(), 1.0)
    assert (directive.phase, directive.reason_key) == (Phase.SUSPENDED, "recovery.failed")


def test_a_desktop_reconnect_the_network_makes_fail_is_retried_by_itself() -> None:
    """A blip whose resume finds no session reloads the sheet; when the server cannot be reached
    for a while, the desktop keeps trying with backoff instead of waiting for a click."""
    state = feed(live(Mode.DESKTOP), (NETWORK_BLIP,), start=10)
    plan = state.directive.recovery
    assert plan is not None
    state, directive = state.handle(TimerFired(plan.timer_id), 11)
    state, directive = state.handle(EngineResumed(attached=False), 12)
    assert directive.perform is RecoveryAction.RELOAD_SHEET
    unreachable = CloseClassification(CloseKind.NETWORK, "network.unreachable")
    state, directive = state.handle(RecoveryFailed(cause=unreachable), 13)
    assert directive.phase is Phase.SUSPENDED
    assert directive.recovery is not None
    assert not directive.recovery.needs_click
    assert directive.message_key == "suspended"
