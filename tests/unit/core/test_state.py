"""The viewer state machine: tables of event sequences with the state and directive each must
end in, plus a hypothesis state machine for the properties that must hold after any sequence."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from viewer.core.backoff import ReconnectPolicy
from viewer.core.closes import CloseClassification, CloseKind, Initiator, classify_close
from viewer.core.state import (
    AuthRequired,
    Directive,
    EngineClosed,
    EngineOpened,
    EngineResumed,
    EngineSuspended,
    Event,
    Mode,
    NetworkOffline,
    NetworkOnline,
    PageFailed,
    PageLoaded,
    Phase,
    RecoveryAction,
    RecoveryFailed,
    RendererTerminated,
    SignInDone,
    TimerFired,
    UserAction,
    UserRequestedReconnect,
    UserRequestedSignIn,
    ViewerState,
)

POLICY = ReconnectPolicy(min_delay=1.0, max_delay=8.0, retryable_min_delay=2.0, jitter=0.0)
NETWORK_BLIP = EngineSuspended.from_close(Initiator.NETWORK, 1006, "")
SERVER_ENDED = EngineClosed(classify_close(1000, "", Initiator.REMOTE))
PERMISSION = EngineClosed(classify_close(4203, '{"code":"QEP-1"}', Initiator.REMOTE))
BUSY = EngineClosed(classify_close(4205, "", Initiator.REMOTE))
WE_CLOSED = EngineClosed(classify_close(1000, "", Initiator.LOCAL))
TIMED_OUT = EngineClosed(CloseClassification(CloseKind.AUTH_REQUIRED, "proxy.session_timed_out"))
LIVE_EVENTS: tuple[Event, ...] = (EngineOpened(), PageLoaded())


def run(
    events: Sequence[Event],
    mode: Mode = Mode.DESKTOP,
    *,
    silent_reauth: bool = False,
    policy: ReconnectPolicy = POLICY,
) -> tuple[ViewerState, Directive]:
    """Feed `events` one second apart; return the final state and directive."""
    state = ViewerState.start(mode, policy=policy, silent_reauth=silent_reauth)
    directive = state.directive
    for now, event in enumerate(events):
        state, directive = state.handle(event, float(now))
    return state, directive


def live(*then: Event) -> tuple[Event, ...]:
    return (*LIVE_EVENTS, *then)


# (name, mode, events, phase, view visible, perform, planned action, needs click)
TABLE: list[
    tuple[str, Mode, tuple[Event, ...], Phase, bool, RecoveryAction | None, RecoveryAction | None, bool]
] = [
    ("start connecting", Mode.DESKTOP, (), Phase.CONNECTING, False, None, None, False),
    ("engine without page", Mode.DESKTOP, (EngineOpened(),), Phase.CONNECTING, False, None, None, False),
    ("page without engine", Mode.DESKTOP, (PageLoaded(),), Phase.CONNECTING, False, None, None, False),
    ("live", Mode.DESKTOP, live(), Phase.LIVE, True, None, None, False),
    ("blip desktop resumes by itself", Mode.DESKTOP, live(NETWORK_BLIP), Phase.SUSPENDED, False, None, RecoveryAction.RESUME, False),
    ("blip kiosk", Mode.KIOSK, live(NETWORK_BLIP), Phase.SUSPENDED, False, None, RecoveryAction.RESUME, False),
    ("resume attached is live without reload", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1), EngineResumed(attached=True)), Phase.LIVE, True, None, None, False),
    ("resume created reloads the sheet", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1), EngineResumed(attached=False)), Phase.CONNECTING, False, RecoveryAction.RELOAD_SHEET, None, False),
    ("reload done is live", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1), EngineResumed(attached=False), PageLoaded()), Phase.LIVE, True, None, None, False),
    ("socket reopened during a resume stays hidden", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1), EngineOpened()), Phase.SUSPENDED, False, None, None, False),
    ("timer starts the resume", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1)), Phase.SUSPENDED, False, RecoveryAction.RESUME, None, False),
    ("stale timer does nothing", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(7)), Phase.SUSPENDED, False, None, RecoveryAction.RESUME, False),
    ("offline hides the view", Mode.DESKTOP, live(NetworkOffline()), Phase.OFFLINE, False, None, None, False),
    ("back online with the socket intact is live", Mode.DESKTOP, live(NetworkOffline(), NetworkOnline()), Phase.LIVE, True, None, None, False),
    ("offline pauses the plan", Mode.KIOSK, live(NETWORK_BLIP, NetworkOffline()), Phase.OFFLINE, False, None, None, False),
    ("online attempts at once", Mode.KIOSK, live(NETWORK_BLIP, NetworkOffline(), NetworkOnline()), Phase.SUSPENDED, False, RecoveryAction.RESUME, None, False),
    ("online attempts at once on desktop too", Mode.DESKTOP, live(NetworkOffline(), NETWORK_BLIP, NetworkOnline()), Phase.SUSPENDED, False, RecoveryAction.RESUME, None, False),
    ("server ended: desktop waits for a click", Mode.DESKTOP, live(SERVER_ENDED), Phase.CLOSED, False, None, RecoveryAction.RELOAD_SHEET, True),
    ("server ended: kiosk retries", Mode.KIOSK, live(SERVER_ENDED), Phase.CLOSED, False, None, RecoveryAction.RELOAD_SHEET, False),
    ("fatal close is closed", Mode.DESKTOP, live(PERMISSION), Phase.CLOSED, False, None, RecoveryAction.RELOAD_SHEET, True),
    ("retryable close: desktop click", Mode.DESKTOP, live(BUSY), Phase.SUSPENDED, False, None, RecoveryAction.RELOAD_SHEET, True),
    ("retryable close: kiosk reloads later", Mode.KIOSK, live(BUSY), Phase.SUSPENDED, False, None, RecoveryAction.RELOAD_SHEET, False),
    ("reconnect click reloads", Mode.DESKTOP, live(SERVER_ENDED, UserRequestedReconnect()), Phase.CONNECTING, False, RecoveryAction.RELOAD_SHEET, None, False),
    ("reconnect click resumes now", Mode.DESKTOP, live(NETWORK_BLIP, UserRequestedReconnect()), Phase.SUSPENDED, False, RecoveryAction.RESUME, None, False),
    ("reconnect while live does nothing", Mode.DESKTOP, live(UserRequestedReconnect()), Phase.LIVE, True, None, None, False),
    ("we closed: no recovery", Mode.KIOSK, live(WE_CLOSED), Phase.CLOSED, False, None, None, False),
    ("auth desktop prompts", Mode.DESKTOP, live(AuthRequired()), Phase.AUTH_REQUIRED, False, None, RecoveryAction.PROMPT_SIGN_IN, True),
    ("auth desktop click opens sign-in", Mode.DESKTOP, live(AuthRequired(), UserRequestedSignIn()), Phase.AUTH_REQUIRED, False, RecoveryAction.PROMPT_SIGN_IN, None, False),
    ("auth kiosk signs in at once", Mode.KIOSK, live(TIMED_OUT), Phase.AUTH_REQUIRED, False, None, RecoveryAction.PROMPT_SIGN_IN, False),
    ("sign-in done reloads", Mode.KIOSK, live(TIMED_OUT, TimerFired(1), SignInDone()), Phase.CONNECTING, False, RecoveryAction.RELOAD_SHEET, None, False),
    ("signed in and loaded is live", Mode.KIOSK, live(TIMED_OUT, TimerFired(1), SignInDone(), EngineOpened(), PageLoaded()), Phase.LIVE, True, None, None, False),
    ("page failed: desktop reloads by itself (the engine session lives on)", Mode.DESKTOP, live(PageFailed()), Phase.SUSPENDED, False, None, RecoveryAction.RELOAD_SHEET, False),
    ("page failed after a server close: desktop click", Mode.DESKTOP, live(SERVER_ENDED, TimerFired(99), PageFailed()), Phase.CLOSED, False, None, RecoveryAction.RELOAD_SHEET, True),
    ("renderer crash reloads by itself", Mode.DESKTOP, live(RendererTerminated()), Phase.SUSPENDED, False, None, RecoveryAction.RELOAD_SHEET, False),
    ("resume attached keeps a crashed page's reload", Mode.KIOSK, live(NETWORK_BLIP, RendererTerminated(), EngineResumed(attached=True)), Phase.SUSPENDED, False, None, RecoveryAction.RELOAD_SHEET, False),
    ("failed resume plans the next", Mode.DESKTOP, live(NETWORK_BLIP, TimerFired(1), RecoveryFailed()), Phase.SUSPENDED, False, None, RecoveryAction.RESUME, False),
    ("closed wins over offline", Mode.DESKTOP, live(PERMISSION, NetworkOffline()), Phase.CLOSED, False, None, None, False),
    ("offline wins over auth", Mode.DESKTOP, live(AuthRequired(), NetworkOffline()), Phase.OFFLINE, False, None, None, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "events", "phase", "visible", "perform", "planned", "needs_click"),
    [pytest.param(*row[1:], id=row[0]) for row in TABLE],
)
def test_transitions(
    mode: Mode,
    events: tuple[Event, ...],
    phase: Phase,
    visible: bool,
    perform: RecoveryAction | None,
    planned: RecoveryAction | None,
    needs_click: bool,
) -> None:
    _, directive = run(events, mode)
    assert directive.phase is phase
    assert directive.view_visible is visible
    assert directive.perform is perform
    assert (directive.recovery.action if directive.recovery else None) is planned
    assert (directive.recovery is not None and directive.recovery.needs_click) is needs_click


def test_silent_reauth_where_the_flow_allows() -> None:
    _, directive = run(live(AuthRequired(), UserRequestedSignIn()), silent_reauth=True)
    assert directive.perform is RecoveryAction.REAUTH_SILENT
    _, kiosk = run(live(AuthRequired(), TimerFired(1)), Mode.KIOSK, silent_reauth=False)
    assert kiosk.perform is RecoveryAction.PROMPT_SIGN_IN


def test_first_resume_waits_the_first_backoff_step() -> None:
    _, directive = run(live(NETWORK_BLIP))  # the blip arrives at now=2
    assert directive.recovery is not None
    assert directive.recovery.delay == POLICY.min_delay
    assert directive.recovery.due_at == 2.0 + POLICY.min_delay


def test_failed_attempts_back_off_up_to_the_cap() -> None:
    failures: list[Event] = [NETWORK_BLIP]
    for timer in range(1, 7):
        failures += [TimerFired(timer), NETWORK_BLIP]
    _, directive = run(live(*failures), Mode.KIOSK)
    assert directive.recovery is not None
    assert directive.recovery.delay == POLICY.max_delay


def test_desktop_gives_up_when_the_policy_does_and_kiosk_never() -> None:
    limited = ReconnectPolicy(min_delay=1.0, max_delay=8.0, jitter=0.0, max_attempts=2)
    failures = live(NETWORK_BLIP, TimerFired(1), RecoveryFailed(), TimerFired(2), RecoveryFailed())
    _, desktop = run(failures, Mode.DESKTOP, policy=limited)
    assert desktop.recovery is not None
    assert desktop.recovery.needs_click
    _, kiosk = run(failures, Mode.KIOSK, policy=limited)
    assert kiosk.recovery is not None
    assert not kiosk.recovery.needs_click


def test_closed_reason_is_the_classification_key() -> None:
    _, directive = run(live(PERMISSION))
    assert directive.reason_key == "cloud.permission_denied"
    assert directive.message_key == "closed"
    assert directive.notice is Phase.CLOSED


def test_offers_match_the_state() -> None:
    assert run(live())[1].offers == frozenset()
    assert run(live(AuthRequired()))[1].offers == {UserAction.SIGN_IN, UserAction.QUIT}
    assert run(live(SERVER_ENDED))[1].offers == {UserAction.RECONNECT, UserAction.QUIT}


def test_reload_hides_the_view_until_the_page_loaded_again() -> None:
    state, directive = run(live(RendererTerminated(), TimerFired(1), EngineOpened()))
    assert directive.phase is Phase.CONNECTING
    assert not directive.view_visible
    _, directive = state.handle(PageLoaded(), 10.0)
    assert directive.view_visible


# --- properties over any event sequence -----------------------------------------------------

EVENTS = st.one_of(
    st.sampled_from(
        [
            EngineOpened(),
            EngineResumed(attached=True),
            EngineResumed(attached=False),
            NetworkOnline(),
            NetworkOffline(),
            AuthRequired(),
            PageLoaded(),
            PageFailed(),
            RendererTerminated(),
            RecoveryFailed(),
            UserRequestedReconnect(),
            UserRequestedSignIn(),
            SignInDone(),
            NETWORK_BLIP,
            SERVER_ENDED,
            PERMISSION,
            BUSY,
            WE_CLOSED,
            TIMED_OUT,
        ]
    ),
    st.builds(EngineSuspended.from_close, st.sampled_from(list(Initiator)), st.sampled_from([1000, 1006, 4000, 4205])),
    st.builds(TimerFired, st.integers(min_value=0, max_value=12)),
)  # fmt: skip


class ViewerMachine(RuleBasedStateMachine):
    """Random event sequences in either mode; the invariants hold after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.state = ViewerState.start(Mode.DESKTOP, policy=POLICY)
        self.directive = self.state.directive
        self.now = 0.0

    @initialize(mode=st.sampled_from(list(Mode)), silent=st.booleans())
    def pick_mode(self, mode: Mode, silent: bool) -> None:
        self.state = ViewerState.start(mode, policy=POLICY, silent_reauth=silent)
        self.directive = self.state.directive

    @rule(event=EVENTS, elapsed=st.floats(min_value=0, max_value=60))
    def feed(self, event: Event, elapsed: float) -> None:
        self.now += elapsed
        before = self.directive.recovery
        self.state, self.directive = self.state.handle(event, self.now)
        after = self.directive.recovery
        if after is not None and after != before and after.due_at is not None:
            assert after.due_at >= self.now, "a new plan lies in the future"

    @rule()
    def fire_the_planned_timer(self) -> None:
        if self.directive.recovery is not None:
            self.feed(TimerFired(self.directive.recovery.timer_id), 0.0)

    @invariant()
    def view_visible_only_in_live(self) -> None:
        assert self.directive.view_visible == (self.directive.phase is Phase.LIVE)
        if self.directive.view_visible:
            assert self.state.page_loaded

    @invariant()
    def ends_in_a_defined_state(self) -> None:
        assert self.directive.phase in Phase
        assert self.directive == self.state.directive.__class__(
            **{**self.state.directive.__dict__, "perform": self.directive.perform}
        )
        if self.directive.phase is Phase.LIVE:
            assert self.directive.notice is None
            assert self.directive.recovery is None
        else:
            waiting = self.directive.waits_for_user and self.directive.phase in (
                Phase.SUSPENDED,
                Phase.CONNECTING,
            )
            # a notice that waits for a click says so; "Reconnecting…" only while it is true
            expected = "reconnect_to_continue" if waiting else self.directive.phase.message_key
            assert self.directive.message_key == expected
            assert self.directive.offers

    @invariant()
    def never_stuck(self) -> None:
        """Not live and nothing under way: either offline from LIVE (heals when the network
        does), or a known trouble with a plan or a Reconnect/Sign in button."""
        state = self.state
        if self.directive.view_visible or state.in_flight is not None:
            return
        if state.trouble is None:
            assert self.directive.phase is Phase.OFFLINE
            return
        if state.online and state.trouble.classification.kind is not CloseKind.DELIBERATE:
            assert self.directive.recovery is not None

    @invariant()
    def kiosk_never_waits_for_a_click(self) -> None:
        recovery = self.directive.recovery
        if self.state.mode is Mode.KIOSK and recovery is not None:
            assert not recovery.needs_click
            assert recovery.delay is not None
            assert 0 <= recovery.delay <= POLICY.max_delay


ViewerMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
test_any_event_sequence = ViewerMachine.TestCase


def test_sign_in_due_after_network_trouble_is_not_delayed_by_its_backoff() -> None:
    """Failed resumes grow the backoff; when the server then says sign-in is due, that is a
    new problem: the silent sign-in starts at once instead of inheriting the resume's delay."""
    failing_resumes = (
        NETWORK_BLIP,
        TimerFired(1),
        RecoveryFailed(),
        TimerFired(2),
        RecoveryFailed(),
    )
    state, directive = run(live(*failing_resumes), Mode.KIOSK, silent_reauth=True)
    assert directive.recovery is not None
    assert directive.recovery.delay is not None
    assert directive.recovery.delay > POLICY.min_delay  # the resume backoff has grown
    state, directive = state.handle(TIMED_OUT, 10.0)
    assert directive.phase is Phase.AUTH_REQUIRED
    assert directive.recovery is not None
    assert directive.recovery.action is RecoveryAction.REAUTH_SILENT
    assert directive.recovery.delay == 0.0


def test_first_sign_in_of_a_desktop_run_opens_at_once() -> None:
    """Before anything was shown there is nothing to lose: the sign-in opens without a click.
    Once the sheet was live, a sign-in that falls due waits for the user's click."""
    _, directive = run((AuthRequired(),))
    assert directive.phase is Phase.AUTH_REQUIRED
    assert directive.recovery is not None
    assert directive.recovery.action is RecoveryAction.PROMPT_SIGN_IN
    assert directive.recovery.delay == 0.0
    _, later = run(live(AuthRequired()))
    assert later.recovery is not None
    assert later.recovery.needs_click


SIGN_IN_SERVER_ERROR = RecoveryFailed(
    cause=CloseClassification(CloseKind.NETWORK, "auth.server_error", detail={"http_status": "503"})
)


def test_a_kiosk_retries_a_silent_sign_in_the_tenant_failed_with_a_server_error() -> None:
    """The session ended, the silent sign-in got a 5xx: the tenant is down for now, no sign-in
    is due from anyone. The wall names the cause and tries the same sign-in again, backing off."""
    state, directive = run(
        live(TIMED_OUT, TimerFired(1), SIGN_IN_SERVER_ERROR), Mode.KIOSK, silent_reauth=True
    )
    assert directive.phase is Phase.SUSPENDED
    assert directive.reason_key == "auth.server_error"
    assert UserAction.SIGN_IN not in directive.offers
    assert directive.recovery is not None
    assert directive.recovery.action is RecoveryAction.REAUTH_SILENT
    assert directive.recovery.delay is not None
    assert directive.recovery.delay >= POLICY.min_delay
    assert not directive.recovery.needs_click
    again, directive = state.handle(TimerFired(directive.recovery.timer_id), 10.0)
    assert directive.perform is RecoveryAction.REAUTH_SILENT
    _, directive = again.handle(SignInDone(), 11.0)
    assert directive.perform is RecoveryAction.RELOAD_SHEET


def test_a_desktop_retries_a_sign_in_the_tenant_failed_with_a_server_error_by_itself() -> None:
    _, directive = run(
        live(TIMED_OUT, UserRequestedSignIn(), SIGN_IN_SERVER_ERROR), silent_reauth=True
    )
    assert directive.phase is Phase.SUSPENDED
    assert directive.reason_key == "auth.server_error"
    assert directive.recovery is not None
    assert directive.recovery.action is RecoveryAction.REAUTH_SILENT
    assert not directive.recovery.needs_click


def test_a_silent_sign_in_that_fails_without_a_cause_still_asks_for_a_sign_in() -> None:
    _, directive = run(
        live(TIMED_OUT, TimerFired(1), RecoveryFailed()), Mode.KIOSK, silent_reauth=True
    )
    assert directive.phase is Phase.AUTH_REQUIRED
    assert directive.reason_key == "recovery.failed"
