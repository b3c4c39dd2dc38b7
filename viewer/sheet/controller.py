"""`SheetController`: everything one sheet needs — its state machine, its engine session, its
page and its pane — and the loop that ties them: facts in (`feed`), the machine's directive out
(rendered at once: the view hidden the moment it is not LIVE), its recovery action started, its
timer armed.

The window-wide parts (sign-in, the shell, the network, health) belong to the host
(`viewer.application.Application`), which a controller reaches through `SheetHost`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Protocol

from viewer.core import inputs
from viewer.core import state as vs
from viewer.engine import events as engine_events
from viewer.engine.session import Session, SessionState
from viewer.log import emit, get_logger
from viewer.sheet.connect import ConnectPath, SheetTarget, close_quietly
from viewer.sheet.recovery import RecoverySteps, run_recovery
from viewer.web.policy import WARM_UP_URL, RendererTermination, should_reload, url_for_log

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEngineLoadingInfo
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from viewer.engine.objects import Doc
    from viewer.web.page import ViewerPage
    from viewer.web.socket_watch import SocketReport

_log = get_logger("app")

PAGE_LOAD_TIMEOUT_S = 30.0  # a sheet page that has not loaded by then counts as failed


class SheetHost(Protocol):
    """What a sheet needs from the window it lives in."""

    def render(self, sheet: SheetController, directive: vs.Directive) -> None:
        """Show `directive` for `sheet` (its pane, and the notice if it is on screen)."""

    async def sign_in(self) -> None:
        """Interactive sign-in, once for every sheet that asks at the same time."""

    async def renew(self) -> None:
        """Silent sign-in again, once for every sheet that asks at the same time."""

    def apply_grant(self) -> None:
        """Give the current grant to the web context before a sheet page loads."""

    def show_progress(self, sheet: SheetController, step: str | None) -> None:
        """Tell the user which step of connecting `sheet` is under way (None: none)."""


class SheetController:
    """One sheet: `start()` connects it, `feed(event)` drives it, `close()` ends it.

    Recovery actions run as a task, one at a time (a newer action cancels an older one); an
    engine session counts as this sheet's only once the whole connect path has finished, so an
    attempt cut off half-way leaves nothing the next attempt could mistake for a working session.
    """

    def __init__(
        self,
        host: SheetHost,
        target: SheetTarget,
        *,
        view: QWebEngineView,
        page: ViewerPage,
        machine: vs.ViewerState,
        path: ConnectPath,
        tab: str | None = None,
        recovery_limit_s: float | None = None,
    ) -> None:
        self.host = host
        self.target = target
        self.view = view
        self.page = page
        self.machine = machine
        self.path = path
        self.tab = tab
        self.recovery_limit_s = recovery_limit_s
        self.session: Session | None = None
        self.doc: Doc | None = None  # the app, open in `session` (kiosk features use it)
        self.sheet_id: str | None = target.sheet_id
        self.sheet_url: str | None = None
        self.theme: str | None = None
        self._facts = inputs.EngineFacts()
        self._recovery: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._load_deadline: asyncio.TimerHandle | None = None
        self._page_loading = False
        self._last_reported: tuple[str, str | None] | None = None
        # the (state, reason) the viewer rests in until the user acts; None while it acts itself
        self._awaiting_user: tuple[str, str | None] | None = None
        # when the state or its reason last changed (or the sheet woke from being parked)
        self.state_changed_at = time.monotonic()
        self._closing = False
        self._steps = RecoverySteps(
            resume=self._resume,
            reload_sheet=self._reload_sheet,
            renew=host.renew,
            sign_in=host.sign_in,
            drop_session=self._drop_session,
            feed=self.feed,
            was_live=lambda: self.machine.was_live,
        )
        self._parked = False  # engine session and page closed on purpose (a planned-off screen)
        self._sheet_loaded = asyncio.Event()  # set by each load of the sheet's page
        page.loadingChanged.connect(self._on_page_loading_changed)
        page.renderer_terminated.connect(self._on_page_renderer_terminated)
        page.engine_socket_changed.connect(self._on_page_engine_socket_changed)

    @property
    def phase(self) -> vs.Phase:
        return self.machine.phase

    def _log_fields(self) -> dict[str, Any]:
        return {} if self.tab is None else {"tab": self.tab}

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Render the first state and start the first connect."""
        self._render(self.machine.directive)
        self._start_recovery(vs.RecoveryAction.RELOAD_SHEET)

    async def close(self) -> None:
        """Stop recovering and close the engine socket (1000); then detach the page from its view
        and schedule both for deletion (before their profile, which the host deletes later)."""
        self._closing = True
        await self._stop_activity()
        await self._drop_session()

    async def _stop_activity(self) -> None:
        """No planned attempt, no load deadline, no attempt under way (awaited to its end)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._cancel_load_deadline()
        if self._recovery is not None:
            self._recovery.cancel()
            await asyncio.gather(self._recovery, return_exceptions=True)

    async def signed_out(self) -> None:
        """Its user signed out: the sheet asks for a sign-in (its view hidden at once) and its
        engine session, which is that user's, closes; the recovery after the next sign-in
        connects afresh, as whoever signs in then."""
        self.feed(vs.AuthRequired("auth.required"))
        await self._drop_session()

    @property
    def awaits_user(self) -> bool:
        """True while the sheet rests until the user acts (nothing planned, nothing under way)."""
        return self._awaiting_user is not None

    @property
    def parked(self) -> bool:
        """True between `park()` and `wake()`: no session, no page, nothing recovers."""
        return self._parked

    async def park(self) -> bool:
        """Free the tenant's engine session while nobody can see the sheet (a screen off by
        plan): the page leaves the sheet (its own engine socket closes) and this sheet's socket
        is closed; nothing is recovered, loaded or fed to the state machine until `wake()`.
        Only a LIVE sheet is parked (one that is recovering goes on recovering); returns
        whether it was. A sheet whose sign-in needs a person is not parked: its proxy session
        would time out meanwhile and nobody is there to sign in again."""
        if self._parked or self._closing or self.phase is not vs.Phase.LIVE:
            return False
        if not self.machine.silent_reauth:
            emit(_log, "sheet.park_skipped", reason="interactive sign-in", **self._log_fields())
            return False
        self._parked = True
        await self._stop_activity()
        from PySide6.QtCore import QUrl

        self.page.open(QUrl(WARM_UP_URL))  # an empty document: the page's socket closes
        await self._drop_session()
        emit(_log, "sheet.parked", **self._log_fields())
        return True

    async def wake(self) -> None:
        """Open the engine session and load the sheet again after `park()`; returns once the
        sheet's page has loaded. A failing attempt is recovered as usual (its notice shows)."""
        if not self._parked:
            return
        self._parked = False
        # a new page from here on: its renderer's heartbeat (the watchdog's probe) starts anew
        self.state_changed_at = time.monotonic()
        emit(_log, "sheet.waking", **self._log_fields())
        self._sheet_loaded.clear()
        self._start_recovery(vs.RecoveryAction.RELOAD_SHEET)
        await self._sheet_loaded.wait()

    def delete_page(self) -> None:
        """Detach the page from the view and schedule both for deletion."""
        self.view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        self.view.deleteLater()

    # ---- the state machine ------------------------------------------------------------------

    def feed(self, event: vs.Event) -> None:
        """Give one event to the state machine and act on its directive (none while parked:
        the page's and the session's ends are our own doing then)."""
        if self._closing or self._parked:
            return
        self.machine, directive = self.machine.handle(event, time.monotonic())
        emit(_log, "state.event", level=logging.DEBUG, kind=type(event).__name__)
        self._render(directive)
        if directive.perform is not None:
            self._start_recovery(directive.perform)
        self._arm_timer(directive.recovery)

    def _render(self, directive: vs.Directive) -> None:
        self.host.render(self, directive)
        reported = (directive.phase.value, directive.reason_key)
        if reported != self._last_reported:
            self._last_reported = reported
            self.state_changed_at = time.monotonic()
            emit(_log, "ui.state", state=directive.phase.value, reason=directive.reason_key,
                 **self._log_fields())  # fmt: skip
        resting = directive.phase not in (vs.Phase.LIVE, vs.Phase.OFFLINE)
        awaiting = reported if resting and directive.waits_for_user else None
        if awaiting is not None and awaiting != self._awaiting_user:
            offers = sorted(action.value for action in directive.offers)
            emit(_log, "recovery.awaits_user", state=directive.phase.value,
                 reason=directive.reason_key, offers=offers, **self._log_fields())  # fmt: skip
        self._awaiting_user = awaiting

    def _arm_timer(self, plan: vs.PlannedRecovery | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if plan is None or plan.due_at is None:
            return
        delay = max(0.0, plan.due_at - time.monotonic())
        emit(_log, "recovery.planned", action=plan.action.value, delay_s=round(delay, 3),
             **self._log_fields())  # fmt: skip
        self._timer = asyncio.get_running_loop().call_later(
            delay, self.feed, vs.TimerFired(plan.timer_id)
        )

    # ---- recovery actions -------------------------------------------------------------------

    def reload(self) -> None:
        """The user asked for the sheet again (F5): the same as the viewer's own reload."""
        self._start_recovery(vs.RecoveryAction.RELOAD_SHEET)

    def _start_recovery(self, action: vs.RecoveryAction) -> None:
        if self._parked:
            return  # woken by `wake()` only
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()
        emit(_log, "recovery.start", action=action.value, **self._log_fields())
        attempt = run_recovery(self._steps, action, self.recovery_limit_s)
        self._recovery = asyncio.get_running_loop().create_task(attempt)

    async def _resume(self) -> None:
        session = self.session
        if session is None:
            # No session to resume (an earlier attempt failed and closed it): that is a resume
            # that finds its session gone, which the machine answers with a sheet reload.
            self.feed(vs.EngineResumed(attached=False))
            return
        await session.resume()  # emits Resumed (or Suspended/Closed), which feeds the machine

    async def _reload_sheet(self) -> None:
        """Bring the sheet back: with this sheet's engine session open (a new session after a
        resume, or a page that lost its own socket) reloading the page is enough; else
        reconnect from a clean start."""
        session = self.session
        if session is not None and session.state is SessionState.OPEN and self.sheet_url:
            self._start_page_load(self.sheet_url)
            return
        await self._connect()

    async def _connect(self) -> None:
        """(Re)connect from scratch along the one connect path; feeds EngineOpened; the page's
        load result feeds PageLoaded / PageFailed."""
        await self._drop_session()
        connected = await self.path.connect(self.target, self._on_session_event, self._on_step)
        self.host.show_progress(self, None)
        self.session = connected.session
        self.doc = connected.doc
        self.sheet_id = connected.sheet_id
        self.theme = connected.theme
        self.feed(vs.EngineOpened())
        # The store applies queued cookies before the page's first request; it reports them
        # (cookieAdded) only once the profile's network context runs, so nothing to await here.
        self.host.apply_grant()
        self.show_sheet(connected.sheet_id)

    def _on_step(self, step: str) -> None:
        emit(_log, "connect.step", step=step, **self._log_fields())
        self.host.show_progress(self, step)

    def show_sheet(self, sheet_id: str) -> None:
        """Load `sheet_id` of this sheet's app in the page (rotation, the start sheet again);
        while parked it is only remembered, for `wake()`."""
        self.sheet_id = sheet_id
        if self._parked:
            return
        self.sheet_url = self.path.sheet_url(self.target.app_id, sheet_id, self.theme)
        self._start_page_load(self.sheet_url)

    def _start_page_load(self, url: str) -> None:
        """Load the sheet page; a load that neither finishes nor fails in time is stopped and
        counted as failed, so a hung load can never leave the viewer waiting for ever."""
        emit(_log, "sheet.loading", url_without_secrets=url_for_log(url))
        self._cancel_load_deadline()
        self._load_deadline = asyncio.get_running_loop().call_later(
            PAGE_LOAD_TIMEOUT_S, self._on_page_load_timeout
        )
        from PySide6.QtCore import QUrl

        self.page.open(QUrl(url))

    def _cancel_load_deadline(self) -> None:
        if self._load_deadline is not None:
            self._load_deadline.cancel()
            self._load_deadline = None

    def _on_page_load_timeout(self) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePage

        self._load_deadline = None
        emit(_log, "sheet.load_timeout", level=logging.WARNING, seconds=PAGE_LOAD_TIMEOUT_S)
        self.page.triggerAction(QWebEnginePage.WebAction.Stop)
        self.feed(vs.PageFailed("page.load_timeout"))

    async def _drop_session(self) -> None:
        """Close this sheet's engine session on purpose, without telling the state machine (a
        deliberate close of our own is not news)."""
        session, self.session = self.session, None
        self.doc = None
        if session is not None:
            await close_quietly(session)

    # ---- inputs -------------------------------------------------------------------------------

    def _on_session_event(self, event: engine_events.SessionEvent) -> None:
        translated = inputs.from_session_event(event, self._facts)
        if (
            isinstance(event, engine_events.Resumed)
            and event.attached
            and self._facts.suspended_silently
        ):
            emit(_log, "sheet.stale", reason=inputs.SILENT)
        if translated is not None:
            self.feed(translated)

    def _on_page_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        # Never act inside QtWebEngine's own signal emission (showing the view from in here
        # hung a fullscreen window): take the facts, act on the next turn of the loop.
        from PySide6.QtWebEngineCore import QWebEngineLoadingInfo

        if self.page.warming_up:
            return  # the renderer's warm-up before the first sheet: not a sheet load
        status = info.status()
        self._page_loading = status == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus
        if not self._page_loading:
            self._cancel_load_deadline()
        if status == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus:
            asyncio.get_running_loop().call_soon(self._page_loaded, info.url().toString())
        elif status == QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus:
            emit(_log, "sheet.failed", level=logging.WARNING, code=info.errorCode(),
                 domain=info.errorDomain().name, error=info.errorString())  # fmt: skip
            asyncio.get_running_loop().call_soon(self.feed, vs.PageFailed())

    def _page_loaded(self, url: str) -> None:
        if self._parked:
            return  # the empty document `park()` loaded
        event = inputs.from_page_loaded(url, self.sheet_url)
        if isinstance(event, vs.PageLoaded):
            self._sheet_loaded.set()
            emit(_log, "sheet.loaded", url_without_secrets=url_for_log(url), **self._log_fields())
        else:
            emit(_log, "sheet.redirected", url_without_secrets=url_for_log(url))
        self.feed(event)

    def _on_page_renderer_terminated(self, termination: RendererTermination) -> None:
        if should_reload(termination):
            asyncio.get_running_loop().call_soon(self.feed, vs.RendererTerminated())

    def _on_page_engine_socket_changed(self, report: SocketReport) -> None:
        if report.kind != "close" or self._page_loading:
            return
        emit(_log, "sheet.socket_closed", code=report.code)
        asyncio.get_running_loop().call_soon(self.feed, inputs.from_page_socket_closed())
