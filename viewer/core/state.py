"""The viewer's one state machine: engine, network and web events in; the viewer's state and
what to do about it (show the view?, which notice?, which recovery, when?) out.

Pure in the style of a sans-I/O protocol: no Qt, no I/O, no clock. Every event comes with the
time `now` (monotonic seconds, any origin) and `handle` returns the next state plus a
`Directive`. The caller renders the directive, starts `directive.perform` when it is set, arms a
timer for `directive.recovery.due_at` and feeds `TimerFired(timer_id)` when it fires.

Recovery policy (the decision the modes differ in):

* kiosk: every recovery is automatic and it never gives up — a fatal close is retried like a
  retryable one (an administrator may fix it meanwhile), backoff capped at its maximum.
* desktop: the first sign-in of a run opens at once (nothing was shown yet, so nothing is
  lost). Afterwards the viewer heals on its own only where nothing the user sees or owns changes —
  resuming after a network blip (with backoff), the immediate attempt when the network comes
  back, reloading after a renderer crash, and finishing an attempt already under way (a resume
  that found the session gone reloads the sheet; a finished sign-in reloads it). Everything else
  (the server ended the session, sign-in is due, the page failed, backoff gave up) waits for the
  user's Reconnect or Sign in again: those lose selections or need the user, and silently
  looping on them only hides a problem the user should see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from viewer.core.backoff import ReconnectPolicy, next_delay
from viewer.core.closes import (
    CloseClassification,
    CloseKind,
    Initiator,
    classify_close,
)


class Phase(StrEnum):
    """The viewer's state, as logged (`ui.state`) and reported on /healthz."""

    CONNECTING = "CONNECTING"
    LIVE = "LIVE"
    SUSPENDED = "SUSPENDED"  # the session is being resumed (reconnecting)
    OFFLINE = "OFFLINE"
    AUTH_REQUIRED = "AUTH_REQUIRED"
    CLOSED = "CLOSED"  # ended for good (reason in the directive) until someone reconnects

    @property
    def message_key(self) -> str:
        """The key of this state's message in the branding configuration."""
        return self.value.lower()


class Mode(StrEnum):
    """Who is in front of the screen: a user (desktop) or nobody (kiosk)."""

    DESKTOP = "desktop"
    KIOSK = "kiosk"


class RecoveryAction(StrEnum):
    """What the caller does to get back to LIVE."""

    RESUME = "resume"  # reopen the engine session on the same URL; the page stays
    RELOAD_SHEET = "reload-sheet"  # (re)connect the engine and reload the sheet page
    REAUTH_SILENT = "reauth-silent"  # run the configured non-interactive auth flow again
    PROMPT_SIGN_IN = "prompt-sign-in"  # show the interactive sign-in


class UserAction(StrEnum):
    """Buttons a notice offers."""

    RECONNECT = "reconnect"
    SIGN_IN = "sign-in"
    QUIT = "quit"


# --- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineOpened:
    """The engine socket opened and the app is open (first connect or after a reload)."""


@dataclass(frozen=True)
class EngineSuspended:
    """The engine session was suspended: the socket is gone, the session may be resumed."""

    classification: CloseClassification

    @classmethod
    def from_close(
        cls, initiator: Initiator, code: int | None = None, reason: str = ""
    ) -> EngineSuspended:
        """The event for a close not classified yet (classified once, by `classify_close`)."""
        return cls(classify_close(code, reason, initiator))


@dataclass(frozen=True)
class EngineResumed:
    """A resume finished; `attached` is False when the server created a new session."""

    attached: bool


@dataclass(frozen=True)
class EngineClosed:
    """The engine session ended (a close, a fatal notification or an OnConnected error)."""

    classification: CloseClassification


@dataclass(frozen=True)
class NetworkOnline:
    """The network is reachable again."""


@dataclass(frozen=True)
class NetworkOffline:
    """The network went away."""


@dataclass(frozen=True)
class AuthRequired:
    """The tenant asked for authentication (401, login redirect, mustAuthenticate)."""

    reason_key: str = "auth.required"


@dataclass(frozen=True)
class PageLoaded:
    """The sheet page finished loading successfully."""


@dataclass(frozen=True)
class PageFailed:
    """The sheet page failed to load (network error, HTTP error status)."""

    reason_key: str = "page.load_failed"


@dataclass(frozen=True)
class RendererTerminated:
    """The web renderer process died or was killed."""

    reason_key: str = "page.renderer_crashed"


@dataclass(frozen=True)
class RecoveryFailed:
    """The recovery the caller was performing raised without any other event saying why;
    `cause` is what the failure says about the cause when it names one (a certificate that is
    not trusted, an app that does not exist, a server that speaks plain HTTP …): such a cause
    is shown as it is, not as a generic failed attempt."""

    reason_key: str = "recovery.failed"
    cause: CloseClassification | None = None


@dataclass(frozen=True)
class UserRequestedReconnect:
    """The user clicked Reconnect."""


@dataclass(frozen=True)
class UserRequestedSignIn:
    """The user clicked Sign in again."""


@dataclass(frozen=True)
class SignInDone:
    """A (silent or interactive) sign-in produced a new session grant."""


@dataclass(frozen=True)
class TimerFired:
    """The timer armed for `PlannedRecovery.timer_id` fired."""

    timer_id: int


Event = (
    EngineOpened
    | EngineSuspended
    | EngineResumed
    | EngineClosed
    | NetworkOnline
    | NetworkOffline
    | AuthRequired
    | PageLoaded
    | PageFailed
    | RendererTerminated
    | RecoveryFailed
    | UserRequestedReconnect
    | UserRequestedSignIn
    | SignInDone
    | TimerFired
)


# --- output ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRecovery:
    """The next recovery: `action` at `due_at` (= the event's `now` + `delay`), or — when
    `needs_click` — whenever the user asks for it (then `delay` and `due_at` are None)."""

    action: RecoveryAction
    delay: float | None
    due_at: float | None
    timer_id: int

    @property
    def needs_click(self) -> bool:
        """True when nothing happens until the user asks."""
        return self.due_at is None


@dataclass(frozen=True)
class Directive:
    """What the UI and the recovery driver do after one event.

    `perform` is a one-shot command of this step (start that action now); everything else
    describes the state and is safe to render again.
    """

    phase: Phase
    view_visible: bool
    reason_key: str | None
    offers: frozenset[UserAction]
    recovery: PlannedRecovery | None
    perform: RecoveryAction | None = None
    under_way: RecoveryAction | None = None  # the recovery running now (e.g. a sign-in window)

    @property
    def notice(self) -> Phase | None:
        """Which dialog/overlay to show: the phase's notice, or None while LIVE."""
        return None if self.phase is Phase.LIVE else self.phase

    @property
    def waits_for_user(self) -> bool:
        """True when nothing will happen until the user acts: no attempt is under way and the
        plan (if any) waits for a click."""
        return self.under_way is None and (self.recovery is None or self.recovery.needs_click)

    @property
    def message_key(self) -> str | None:
        """Key of the message to show (a field of the branding's per-state messages). A
        reconnect that waits for the user says so, never "Reconnecting…"."""
        if self.notice is None:
            return None
        if self.notice in (Phase.SUSPENDED, Phase.CONNECTING) and self.waits_for_user:
            return "reconnect_to_continue"
        return self.notice.message_key


# --- the machine ----------------------------------------------------------------------------


class _Link(StrEnum):
    NONE = "none"
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


@dataclass(frozen=True)
class _Trouble:
    """Why the viewer is not LIVE, and what would fix it."""

    classification: CloseClassification
    action: RecoveryAction
    automatic_on_desktop: bool


_AUTH_ACTIONS = frozenset({RecoveryAction.REAUTH_SILENT, RecoveryAction.PROMPT_SIGN_IN})

# How much a report says about why the viewer is not LIVE: what the network did (or the page
# saw) < a server that refuses for now < a server that ended the session or a configuration
# fault < a sign-in that is due. The page's own socket closing is an echo of whatever closed the
# engine session, never a cause of its own while another trouble is known.
PAGE_SOCKET_LOST = "page.connection_lost"
_WEIGHT = {
    CloseKind.NETWORK: 1,
    CloseKind.RETRYABLE: 2,
    CloseKind.FATAL: 3,
    CloseKind.DELIBERATE: 3,
    CloseKind.AUTH_REQUIRED: 4,
}


def _never_random() -> float:
    return 0.0


@dataclass(frozen=True)
class ViewerState:
    """The state machine's state. Start with `ViewerState.start(...)`, then `handle` events."""

    mode: Mode
    policy: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    silent_reauth: bool = False
    random: Callable[[], float] = field(default=_never_random, compare=False, repr=False)
    online: bool = True
    link: _Link = _Link.NONE
    page_loaded: bool = False
    trouble: _Trouble | None = None
    in_flight: RecoveryAction | None = RecoveryAction.RELOAD_SHEET  # the first connect
    attempt: int = 0
    was_live: bool = False  # LIVE at least once in this run
    plan: PlannedRecovery | None = None
    last_timer_id: int = 0

    @classmethod
    def start(
        cls,
        mode: Mode,
        *,
        policy: ReconnectPolicy | None = None,
        silent_reauth: bool = False,
        random: Callable[[], float] = _never_random,
    ) -> ViewerState:
        """The state before the first connect, which counts as a sheet load under way (the caller
        starts it). `silent_reauth` says whether the configured auth flow can sign in again
        without a user; `random` feeds the backoff jitter."""
        policy = policy or ReconnectPolicy()
        if mode is Mode.KIOSK:
            policy = replace(policy, max_attempts=None)  # a kiosk never gives up
        return cls(mode=mode, policy=policy, silent_reauth=silent_reauth, random=random)

    # -- derived ------------------------------------------------------------------------------

    @property
    def phase(self) -> Phase:
        """The state, derived from what is known about the engine, the page and the network."""
        kind = self.trouble.classification.kind if self.trouble else None
        if kind in (CloseKind.FATAL, CloseKind.DELIBERATE):
            return Phase.CLOSED
        if not self.online:
            return Phase.OFFLINE
        if kind is CloseKind.AUTH_REQUIRED:
            return Phase.AUTH_REQUIRED
        resuming = self.in_flight is RecoveryAction.RESUME  # LIVE only once Resumed says how
        if self.trouble is None and self.link is _Link.OPEN and self.page_loaded and not resuming:
            return Phase.LIVE
        if self.link is _Link.SUSPENDED or kind is not None or resuming:
            return Phase.SUSPENDED
        return Phase.CONNECTING

    @property
    def directive(self) -> Directive:
        """The directive describing this state (with no one-shot command)."""
        phase = self.phase
        reason = self.trouble.classification.reason_key if self.trouble else None
        return Directive(
            phase=phase,
            view_visible=phase is Phase.LIVE,
            reason_key=reason,
            offers=self._offers(phase),
            recovery=self.plan,
            under_way=self.in_flight,
        )

    def _offers(self, phase: Phase) -> frozenset[UserAction]:
        if phase is Phase.LIVE:
            return frozenset()
        if phase is Phase.AUTH_REQUIRED:
            return frozenset({UserAction.SIGN_IN, UserAction.QUIT})
        return frozenset({UserAction.RECONNECT, UserAction.QUIT})

    # -- transitions --------------------------------------------------------------------------

    def handle(self, event: Event, now: float) -> tuple[ViewerState, Directive]:
        """Apply one event at time `now`; return the next state and its directive."""
        state, perform = self._apply(event, now)
        if perform is None and state._idle_without_cause:
            state, perform = state._perform(state._fix_action)
        if state.phase is Phase.LIVE:
            state = replace(state, in_flight=None, attempt=0, plan=None, was_live=True)
        return state, replace(state.directive, perform=perform)

    def _apply(self, event: Event, now: float) -> tuple[ViewerState, RecoveryAction | None]:
        match event:
            case EngineOpened():
                return replace(self, link=_Link.OPEN), None
            case EngineSuspended():
                lost = replace(self, link=_Link.SUSPENDED)
                return lost._troubled(event.classification, RecoveryAction.RESUME, now)
            case EngineResumed(attached=True):
                return self._resumed_attached(), None
            case EngineResumed(attached=False):
                resumed = replace(self, link=_Link.OPEN, trouble=None)
                return resumed._perform(RecoveryAction.RELOAD_SHEET)
            case EngineClosed(classification=classification):
                closed = replace(self, link=_Link.CLOSED)
                return closed._troubled(classification, RecoveryAction.RELOAD_SHEET, now)
            case NetworkOffline():
                return replace(self, online=False, plan=None), None
            case NetworkOnline():
                return replace(self, online=True)._back_online(now)
            case AuthRequired(reason_key=key):
                auth = CloseClassification(CloseKind.AUTH_REQUIRED, key)
                return self._troubled(auth, self._sign_in_action, now)
            case PageFailed(reason_key=key):
                failed = replace(self, page_loaded=False)
                page = CloseClassification(CloseKind.NETWORK, key)
                return failed._troubled(page, RecoveryAction.RELOAD_SHEET, now)
            case RendererTerminated(reason_key=key):
                crashed = replace(self, page_loaded=False)
                page = CloseClassification(CloseKind.NETWORK, key)
                return crashed._troubled(page, RecoveryAction.RELOAD_SHEET, now, desktop=True)
            case RecoveryFailed(reason_key=key, cause=cause):
                return self._recovery_failed(key, cause, now)
            case PageLoaded():
                return replace(self, page_loaded=True), None
            case UserRequestedReconnect():
                return self._on_user_reconnect()
            case UserRequestedSignIn():
                if self.phase is Phase.LIVE:
                    return self, None
                return replace(self, attempt=1)._perform(self._sign_in_action)
            case SignInDone():
                if self.in_flight not in _AUTH_ACTIONS and self.phase is not Phase.AUTH_REQUIRED:
                    return self, None
                return replace(self, trouble=None)._perform(RecoveryAction.RELOAD_SHEET)
            case TimerFired(timer_id=timer_id):
                plan = self.plan
                if plan is None or plan.needs_click or plan.timer_id != timer_id:
                    return self, None  # a stale timer: superseded, or the plan changed
                return self._perform(plan.action)
        raise TypeError(f"not a viewer event: {event!r}")  # pragma: no cover - typing guards it

    @property
    def _sign_in_action(self) -> RecoveryAction:
        return RecoveryAction.REAUTH_SILENT if self.silent_reauth else RecoveryAction.PROMPT_SIGN_IN

    def _perform(self, action: RecoveryAction) -> tuple[ViewerState, RecoveryAction]:
        """Start `action` now: the plan is used up; an auth trouble stays until SignInDone."""
        keep = self.trouble if action in _AUTH_ACTIONS else None
        page_loaded = self.page_loaded and action is not RecoveryAction.RELOAD_SHEET
        started = replace(self, plan=None, trouble=keep, in_flight=action, page_loaded=page_loaded)
        return started, action

    def _troubled(
        self,
        classification: CloseClassification,
        action: RecoveryAction,
        now: float,
        *,
        desktop: bool | None = None,
        after_attempt: bool = False,
    ) -> tuple[ViewerState, RecoveryAction | None]:
        """Something broke: remember why and plan the fix (the next attempt if one was under
        way, else the first).

        One fault is often reported twice — the server closes the engine session and the page's
        own socket closes with it, in either order. Between attempts, a report that says less
        than the trouble already known (`_weight`) is a consequence: it does not replace the
        cause (the server's reason stays on screen; a sign-in that is due stays due), though
        what it says about the page still counts (the page is reloaded on the way back)."""
        known = self.trouble
        if known is not None and not after_attempt and self.in_flight is None:
            echo = classification.reason_key == PAGE_SOCKET_LOST
            if echo or _WEIGHT[classification.kind] < _WEIGHT[known.classification.kind]:
                return self, None
        kind = classification.kind
        if kind is CloseKind.AUTH_REQUIRED:
            action = self._sign_in_action
        if desktop is None:
            # On the desktop what loses nothing the user could keep by waiting heals by itself:
            # a resume after a blip, any attempt the network made fail (retried with backoff,
            # up to the policy's attempts), a page reload while the engine session lives on
            # (the page re-attaches to it, the selections are kept), and the first sign-in.
            desktop = action is RecoveryAction.RESUME and classification.resumable
            desktop = desktop or (after_attempt and kind is CloseKind.NETWORK)
            desktop = desktop or (
                action is RecoveryAction.RELOAD_SHEET
                and classification.reason_key.startswith("page.")
                and self.link is _Link.OPEN
            )
            desktop = desktop or (action in _AUTH_ACTIONS and not self.was_live)
        trouble = _Trouble(classification, action, desktop)
        # Backoff grows while the same fix keeps failing; a different problem (say, sign-in due
        # after network trouble) starts counting again.
        previous = self.trouble.action if self.trouble is not None else self.in_flight
        continuing = previous is action and (self.in_flight is not None or self.attempt > 0)
        attempt = self.attempt + 1 if continuing else 1
        troubled = replace(self, trouble=trouble, in_flight=None, attempt=attempt)
        return troubled._planned(now), None

    def _planned(self, now: float) -> ViewerState:
        """This state with the plan for its trouble (none while offline: nothing can work)."""
        trouble = self.trouble
        timer_id = self.last_timer_id + 1
        if trouble is None or not self.online or not self._may_retry(trouble):
            return replace(self, plan=None)
        delay = self._delay(trouble)
        if delay is None:
            plan = PlannedRecovery(trouble.action, None, None, timer_id)
        else:
            plan = PlannedRecovery(trouble.action, delay, now + delay, timer_id)
        return replace(self, plan=plan, last_timer_id=timer_id)

    def _may_retry(self, trouble: _Trouble) -> bool:
        """False only for a deliberate close: we ended the session ourselves."""
        return trouble.classification.kind is not CloseKind.DELIBERATE

    def _delay(self, trouble: _Trouble) -> float | None:
        """Seconds until the automatic attempt, or None when it waits for the user."""
        kind = trouble.classification.kind
        if self.mode is Mode.DESKTOP and not trouble.automatic_on_desktop:
            return None
        if trouble.action in _AUTH_ACTIONS and self.attempt <= 1:
            return 0.0  # signing in again is not a retry of something that failed
        if kind not in (CloseKind.NETWORK, CloseKind.RETRYABLE):
            kind = CloseKind.RETRYABLE  # kiosk: fatal and auth troubles retried slowly
        backoff_as = replace(trouble.classification, kind=kind)
        return next_delay(self.policy, self.attempt, backoff_as, self.random)

    def _recovery_failed(
        self, reason_key: str, cause: CloseClassification | None, now: float
    ) -> tuple[ViewerState, RecoveryAction | None]:
        action = self.in_flight
        if action is None:
            return self, None  # nothing was under way; nothing to retry
        if cause is not None and cause.kind is not CloseKind.NETWORK:
            # A named cause: a configuration fault is CLOSED with its reason (a kiosk retries
            # it slowly), a sign-in that is due is AUTH_REQUIRED, a busy server is retried.
            fix = RecoveryAction.RELOAD_SHEET if action is RecoveryAction.RESUME else action
            return self._troubled(cause, fix, now, after_attempt=True)
        if cause is not None and action is RecoveryAction.REAUTH_SILENT:
            # A silent sign-in the server could not serve (a server error, the network): no
            # sign-in is due from the user; the same sign-in is retried with backoff.
            return self._troubled(cause, action, now, after_attempt=True)
        kind = CloseKind.AUTH_REQUIRED if action in _AUTH_ACTIONS else CloseKind.NETWORK
        key = cause.reason_key if cause is not None else reason_key
        failed = CloseClassification(kind, key)
        return self._troubled(failed, action, now, after_attempt=True)

    def _resumed_attached(self) -> ViewerState:
        """The same session is back: the page is still current, only the resume's own trouble
        is over (a page that broke meanwhile still needs its reload)."""
        trouble = self.trouble
        if trouble is not None and trouble.action is RecoveryAction.RESUME:
            trouble = None
        in_flight = None if self.in_flight is RecoveryAction.RESUME else self.in_flight
        return replace(self, link=_Link.OPEN, trouble=trouble, in_flight=in_flight)

    def _back_online(self, now: float) -> tuple[ViewerState, RecoveryAction | None]:
        """The network is back: try at once whatever would fix the trouble (desktop prompts
        still wait for their click)."""
        trouble = self.trouble
        if trouble is None:
            return self, None
        fresh = replace(self, attempt=1)
        if self.mode is Mode.DESKTOP and not trouble.automatic_on_desktop:
            return fresh._planned(now), None
        if not self._may_retry(trouble):
            return fresh, None
        return fresh._perform(trouble.action)

    def _on_user_reconnect(self) -> tuple[ViewerState, RecoveryAction | None]:
        if self.phase is Phase.LIVE:
            return self, None
        return replace(self, attempt=1)._perform(self._fix_action)

    @property
    def _fix_action(self) -> RecoveryAction:
        """What would bring this state back to LIVE."""
        if self.trouble is not None:
            return self.trouble.action
        if self.link is _Link.SUSPENDED:
            return RecoveryAction.RESUME
        return RecoveryAction.RELOAD_SHEET

    @property
    def _idle_without_cause(self) -> bool:
        """Online, not LIVE, nothing under way and no known trouble: nobody would act (e.g. a
        resume came back while the page was gone), so the caller must fix it now."""
        return (
            self.online
            and self.trouble is None
            and self.in_flight is None
            and self.phase is not Phase.LIVE
        )
