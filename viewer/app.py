"""Composition root: the QApplication, the one qasync loop of the process, and `Viewer`, which
wires auth, the web view, the engine session and the UI around the pure `ViewerState`.

Everything that happens (engine, network, page, user, timers) is fed to the state machine as an
event; its directive is rendered (the view hidden at once when not LIVE) and its recovery action
started. Nothing here decides on its own whether the view may be visible.

Shutdown, whatever asked for it (window, Ctrl+C, SIGTERM, --quit-after): stop recovering, close
the engine socket with 1000, delete the proxy session this run created (where the mode does),
delete the page before its profile, then leave the loop — which runs exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.auth.errors import AuthError, SignInRequired
from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore, default_grant_path
from viewer.config.loading import Profile
from viewer.config.models import WebRendering
from viewer.config.tenant_urls import tenant_engine_url, tenant_sheet_url
from viewer.config.tls import TlsSettings
from viewer.config.tls import prepare as prepare_tls
from viewer.core import state as vs
from viewer.core.backoff import ReconnectPolicy
from viewer.core.closes import CloseKind, Initiator
from viewer.engine import events as engine_events
from viewer.engine.connection import SessionConfig
from viewer.engine.errors import EngineClientError, EngineConnectError, EngineError
from viewer.engine.session import Session, SessionState
from viewer.log import emit, get_logger
from viewer.monitor.memory import resident_mib
from viewer.web.policy import RendererTermination, is_warm_up, should_reload, url_for_log
from viewer.web.rendering import RenderingChoice
from viewer.web.rendering import apply as apply_rendering
from viewer.web.rendering import choose as choose_rendering
from viewer.web.socket_watch import SocketReport

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEngineLoadingInfo
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from viewer.core.grant import SessionGrant
    from viewer.engine.objects import Global
    from viewer.monitor.health import HealthServer, ViewerMetrics
    from viewer.ui.shells import DesktopShell, KioskShell
    from viewer.web.session import WebSession

_log = get_logger("app")

JS_GC_FLAG = "--js-flags=--expose-gc"
SILENT = "network.silent"  # the reason key of a close noticed by keepalive
LATENCY_INTERVAL_S = 5.0
CLOSE_TIMEOUT_S = 2.0  # a dead socket's closing handshake is not waited for longer
PAGE_LOAD_TIMEOUT_S = 30.0  # a sheet page that has not loaded by then counts as failed
RECOVERY_TIMEOUT_S = 60.0  # an attempt still running by then is cut off and counts as failed


@dataclass(frozen=True)
class AppOptions:
    """How this run differs from the profile: kiosk mode, health port, demo conveniences."""

    kiosk: bool = False
    health_port: int | None = None
    quit_after: float | None = None
    screenshot: Path | None = None
    cookie_name: str | None = None  # the proxy session cookie's name where it is not the default


def prepare_environment(rendering: WebRendering) -> RenderingChoice:
    """What must be set before Qt and QtWebEngine start: the Chromium flag that exposes `gc()`,
    so a page that runs for weeks can be collected on a timer (reference/qt-notes.md: renderer
    memory growth), and how the view is drawn (viewer.web.rendering)."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if JS_GC_FLAG not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {JS_GC_FLAG}".strip()
    choice = choose_rendering(rendering)
    apply_rendering(choice)
    return choice


def run_app(profile: Profile, options: AppOptions) -> int:
    """Run the viewer for `profile` until it is asked to quit; return the exit code."""
    # The system's CAs are read on a worker thread while Qt and Chromium start (an http client
    # needs the context too: httpx builds it with the client).
    prepare_tls(TlsSettings(ca_bundle=profile.config.network.ca_bundle))
    rendering = prepare_environment(profile.config.web.rendering)
    emit(_log, "web.rendering", software=rendering.software, reason=rendering.reason)
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must come before the QApplication)
    import qasync
    from PySide6.QtWidgets import QApplication

    from viewer.ui.i18n import install_translator

    app = QApplication(sys.argv[:1])
    app.setApplicationName("viewer")
    app.setApplicationDisplayName(profile.config.branding.product_name)
    app.setQuitOnLastWindowClosed(False)
    install_translator(app, profile.config.branding.language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    viewer = Viewer(profile, options)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, viewer.request_quit)
    with loop:
        return int(loop.run_until_complete(viewer.run()))


def session_config(profile: Profile) -> SessionConfig:
    network = profile.config.network
    return SessionConfig(
        ping_interval=network.keepalive_interval_s,
        ping_timeout=network.keepalive_timeout_s,
        close_timeout=CLOSE_TIMEOUT_S,
        ca_bundle=network.ca_bundle,
    )


def reconnect_policy(profile: Profile) -> ReconnectPolicy:
    network = profile.config.network
    return ReconnectPolicy(
        min_delay=network.reconnect_min_s,
        max_delay=network.reconnect_max_s,
        retryable_min_delay=min(max(5.0, network.reconnect_min_s), network.reconnect_max_s),
        jitter=network.reconnect_jitter,
    )


class Viewer:
    """One viewer window for one profile: the data path of DESIGN.md, wired.

    Owns the state machine and feeds it; renders each directive through the shell; starts the
    directive's recovery action as a task (one at a time: a newer action cancels an older one);
    arms the timer of a planned recovery.
    """

    def __init__(self, profile: Profile, options: AppOptions) -> None:
        from viewer.monitor.network import NetworkMonitor
        from viewer.web.policy import NavigationPolicy
        from viewer.web.profile import ProfileSettings
        from viewer.web.session import WebSession

        self.profile = profile
        self.config = profile.config
        self.options = options
        self.kiosk = options.kiosk or self.config.kiosk.enabled
        self.identity = profile.identity()
        strategy = strategy_for(self.config, self.identity, cookie_name=options.cookie_name)
        data_dir = profile.locations.state_dir
        persist = self.config.web.persistent_profile
        store = GrantStore(default_grant_path(data_dir, profile.name)) if persist else None
        self.auth = AuthSession(strategy, store)
        self.machine = vs.ViewerState.start(
            vs.Mode.KIOSK if self.kiosk else vs.Mode.DESKTOP,
            policy=reconnect_policy(profile),
            silent_reauth=strategy.renews_silently,
            random=random.random,
        )
        policy = NavigationPolicy.for_tenant(
            self.config.tenant.base_url,
            [str(o) for o in self.config.web.allowed_origins],
            desktop=not self.kiosk,
        )
        storage = data_dir / "web" / profile.name if persist else None
        self.web: WebSession = WebSession(
            ProfileSettings(profile.name, storage, self.config.web.downloads_allowed),
            policy,
            self.config.tenant.base_url,
        )
        self.view = self._make_view()
        self.shell = self._make_shell()
        self.network = NetworkMonitor(_host_of(self.config.tenant.base_url))
        self.network.online.connect(lambda: self.feed(vs.NetworkOnline()))
        self.network.offline.connect(lambda: self.feed(vs.NetworkOffline()))
        self.session: Session | None = None
        self.sheet_url: str | None = None
        self._sheet: str | None = None
        self._theme: str | None = None
        self._load_deadline: asyncio.TimerHandle | None = None
        self.metrics: ViewerMetrics | None = None
        self.health: HealthServer | None = None
        self._recovery: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._last_reported: tuple[str, str | None] | None = None
        self._page_loading = False
        self._suspended_silently = False
        self._grant_on_trial = False  # the engine is opening with a grant nobody checked
        self._quit: asyncio.Future[int] | None = None
        self._closing = False

    # ---- construction -----------------------------------------------------------------------

    def _make_view(self) -> QWebEngineView:
        from PySide6.QtWebEngineWidgets import QWebEngineView

        view = QWebEngineView()
        page = self.web.page
        assert page is not None
        view.setPage(page)
        page.loadingChanged.connect(self._on_page_loading_changed)
        page.renderer_terminated.connect(self._on_page_renderer_terminated)
        page.engine_socket_changed.connect(self._on_page_engine_socket_changed)
        page.warm_up()
        return view

    def _make_shell(self) -> DesktopShell | KioskShell:
        from viewer.ui.shells import DesktopShell, KioskShell

        branding = self.config.branding
        if self.kiosk:
            kiosk = KioskShell(self.view, branding, self.config.kiosk)
            kiosk.exit_requested.connect(self.request_quit)
            kiosk.window.close_requested.connect(self.request_quit)
            return kiosk
        desktop = DesktopShell(self.view, branding)
        desktop.window.resize(1280, 800)
        desktop.reconnect_requested.connect(lambda: self.feed(vs.UserRequestedReconnect()))
        desktop.sign_in_requested.connect(lambda: self.feed(vs.UserRequestedSignIn()))
        desktop.quit_requested.connect(self.request_quit)
        desktop.window.close_requested.connect(self.request_quit)
        return desktop

    # ---- lifecycle ---------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        self._quit = loop.create_future()
        self._render(self.machine.directive)
        self.shell.show()
        if self.options.health_port is not None:
            await self._start_health(self.options.health_port)
        if self.options.quit_after is not None:
            loop.call_later(self.options.quit_after, self.request_quit)
        self.network.start()
        self._spawn(self._housekeeping())
        tenant = self.config.tenant
        if tenant.rotate_every_s is not None and len(tenant.sheets) > 1:
            self._spawn(self._rotate_sheets(list(tenant.sheets), tenant.rotate_every_s))
        self._start_recovery(vs.RecoveryAction.RELOAD_SHEET)  # the first connect
        code = await self._quit
        await self._shutdown()
        return code

    def request_quit(self, code: int = 0) -> None:
        """Ask for the ordered shutdown (idempotent; safe from signal handlers and slots)."""
        if self._quit is not None and not self._quit.done():
            emit(_log, "app.quit_requested", code=code)
            self._quit.set_result(code)

    async def _shutdown(self) -> None:
        self._closing = True
        emit(_log, "app.shutdown")
        if self.options.screenshot is not None:
            self.save_screenshot(self.options.screenshot)
        if self._timer is not None:
            self._timer.cancel()
        self._cancel_load_deadline()
        for task in [self._recovery, *self._background]:
            if task is not None:
                task.cancel()
        await asyncio.gather(
            *(t for t in [self._recovery, *self._background] if t is not None),
            return_exceptions=True,
        )
        await self._drop_session()
        if getattr(self.config.auth, "delete_on_exit", False):
            with contextlib.suppress(AuthError, OSError):
                await self.auth.sign_out()
        if self.health is not None:
            await self.health.stop()
        self.view.setPage(None)  # type: ignore[arg-type]  # detach the page before deleting it
        self.web.close()
        self.shell.close()
        self.view.deleteLater()
        emit(_log, "app.stopped")

    def save_screenshot(self, path: Path) -> None:
        """Save what the window shows now (the sheet, or the notice in its place)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = self.shell.window.grab().save(str(path))
        emit(_log, "app.screenshot", path=str(path), saved=bool(saved))

    # ---- the state machine ------------------------------------------------------------------

    def feed(self, event: vs.Event) -> None:
        """Give one event to the state machine and act on its directive."""
        if self._closing:
            return
        self.machine, directive = self.machine.handle(event, time.monotonic())
        emit(_log, "state.event", level=logging.DEBUG, kind=type(event).__name__)
        self._render(directive)
        if directive.perform is not None:
            self._start_recovery(directive.perform)
        self._arm_timer(directive.recovery)

    def _render(self, directive: vs.Directive) -> None:
        self.shell.render(directive)
        reported = (directive.phase.value, directive.reason_key)
        if reported != self._last_reported:
            self._last_reported = reported
            emit(_log, "ui.state", state=directive.phase.value, reason=directive.reason_key)
        if self.metrics is not None:
            self.metrics.observe_state(
                directive.phase.value, directive.reason_key, directive.view_visible
            )

    def _arm_timer(self, plan: vs.PlannedRecovery | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if plan is None or plan.due_at is None:
            return
        delay = max(0.0, plan.due_at - time.monotonic())
        emit(_log, "recovery.planned", action=plan.action.value, delay_s=round(delay, 3))
        self._timer = asyncio.get_running_loop().call_later(
            delay, self.feed, vs.TimerFired(plan.timer_id)
        )

    # ---- recovery actions -------------------------------------------------------------------

    def _start_recovery(self, action: vs.RecoveryAction) -> None:
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()
        emit(_log, "recovery.start", action=action.value)
        self._recovery = asyncio.get_running_loop().create_task(self._recover(action))

    async def _recover(self, action: vs.RecoveryAction) -> None:
        # Every attempt ends, one way or another: one that hangs (a half-open network, a
        # server that accepts and never answers) is cut off and counts as failed. A person
        # signing in takes the time they need.
        deadline = None if action is vs.RecoveryAction.PROMPT_SIGN_IN else RECOVERY_TIMEOUT_S
        try:
            async with asyncio.timeout(deadline):
                await self._perform_recovery(action)
        except asyncio.CancelledError:
            raise
        except SignInRequired:
            self.feed(vs.AuthRequired("auth.required"))
        except (AuthError, EngineClientError, OSError, TimeoutError) as error:
            emit(_log, "recovery.failed", level=logging.WARNING, action=action.value,
                 error=type(error).__name__, message=str(error))  # fmt: skip
            self.feed(vs.RecoveryFailed())
        except Exception:
            # A bug must not leave a wall display stuck with an attempt "under way" forever:
            # say so loudly, and let the state machine plan the next attempt.
            _log.exception("recovery %s failed unexpectedly", action.value)
            self.feed(vs.RecoveryFailed())

    async def _perform_recovery(self, action: vs.RecoveryAction) -> None:
        match action:
            case vs.RecoveryAction.RESUME:
                await self._resume()
            case vs.RecoveryAction.RELOAD_SHEET:
                await self._reload_sheet()
            case vs.RecoveryAction.REAUTH_SILENT:
                await self.auth.renew("the server ended the session")
                self.feed(vs.SignInDone())
            case vs.RecoveryAction.PROMPT_SIGN_IN:
                await self._prompt_sign_in()

    async def _resume(self) -> None:
        session = self.session
        if session is None:
            await self._connect()
            return
        await session.resume()  # emits Resumed (or Suspended/Closed), which feeds the machine

    async def _reload_sheet(self) -> None:
        """Bring the sheet back: with the engine session open (a new session after a resume,
        or a page that lost its own socket) reloading the page is enough; else reconnect."""
        session = self.session
        if session is not None and session.state is SessionState.OPEN and self.sheet_url:
            self._start_page_load(self.sheet_url)
            return
        await self._connect()

    async def _connect(self) -> None:
        """(Re)connect from scratch: a grant, a new engine session with the app open, and the
        sheet loaded with the grant applied first. Feeds EngineOpened; the page's load result
        feeds PageLoaded / PageFailed."""
        await self._drop_session()
        grant, global_ = await self._open_engine()
        doc = await global_.open_doc(self.config.tenant.app_id)
        self._theme = self.config.tenant.single.theme or await doc.get_theme_id()
        if self._sheet is None:
            tenant = self.config.tenant
            self._sheet = tenant.sheet_id or (tenant.sheets[0] if tenant.sheets else None)
        if self._sheet is None:
            sheets = await doc.get_sheet_list()
            self._sheet = str(sheets[0]["id"]) if sheets else None
        if self._sheet is None:
            raise EngineError(1003, "", "the app has no sheet to show")
        self.feed(vs.EngineOpened())
        # The store applies queued cookies before the page's first request; it reports them
        # (cookieAdded) only once the profile's network context runs, so nothing to await here.
        self.web.apply_grant(grant)
        self._load_sheet(self._sheet)

    async def _open_engine(self) -> tuple[SessionGrant, Global]:
        """A grant and the engine session opened with it. A grant the viewer already has is
        tried as it is: the engine's handshake checks it, which saves a request at every start
        and reconnect. If the engine refuses it, `auth.grant()` checks it the usual way (the
        same session with a new csrf token, or a new sign-in) and the engine is tried again."""
        known = self.auth.unchecked()
        if known is not None:
            try:
                return known, await self._open_session(known, on_trial=True)
            except EngineConnectError as error:
                if error.classification.kind is not CloseKind.AUTH_REQUIRED:
                    raise
                emit(_log, "auth.grant_refused", reason=error.classification.reason_key)
        grant = await self.auth.grant()
        return grant, await self._open_session(grant, on_trial=False)

    async def _open_session(self, grant: SessionGrant, *, on_trial: bool) -> Global:
        session = Session(
            tenant_engine_url(self.config.tenant, self.identity, grant.csrf_token),
            grant,
            session_config(self.profile),
        )
        session.events.add(self._on_session_event)
        self.session = session
        self._grant_on_trial = on_trial
        try:
            return await session.open()
        finally:
            self._grant_on_trial = False

    def _load_sheet(self, sheet: str) -> None:
        self._sheet = sheet
        self.sheet_url = tenant_sheet_url(self.config.tenant, self.identity, sheet, self._theme)
        self._start_page_load(self.sheet_url)

    def _start_page_load(self, url: str) -> None:
        """Load the sheet page; a load that neither finishes nor fails in time is stopped and
        counted as failed, so a hung load can never leave the viewer waiting for ever."""
        emit(_log, "sheet.loading", url_without_secrets=url_for_log(url))
        self._cancel_load_deadline()
        self._load_deadline = asyncio.get_running_loop().call_later(
            PAGE_LOAD_TIMEOUT_S, self._on_page_load_timeout
        )
        self.web.load(url)

    def _cancel_load_deadline(self) -> None:
        if self._load_deadline is not None:
            self._load_deadline.cancel()
            self._load_deadline = None

    def _on_page_load_timeout(self) -> None:
        from PySide6.QtWebEngineCore import QWebEnginePage

        self._load_deadline = None
        emit(_log, "sheet.load_timeout", level=logging.WARNING, seconds=PAGE_LOAD_TIMEOUT_S)
        if self.web.page is not None:
            self.web.page.triggerAction(QWebEnginePage.WebAction.Stop)
        self.feed(vs.PageFailed("page.load_timeout"))

    async def _rotate_sheets(self, sheets: list[str], every_s: float) -> None:
        """Show the configured sheets in turn, each for `every_s` seconds, while LIVE (a sheet
        that is not on screen is not rotated away from a notice)."""
        while True:
            await asyncio.sleep(every_s)
            if self.machine.phase is not vs.Phase.LIVE or self._sheet is None:
                continue
            position = sheets.index(self._sheet) if self._sheet in sheets else -1
            following = sheets[(position + 1) % len(sheets)]
            emit(_log, "sheet.rotating", sheet=following)
            self._load_sheet(following)

    async def _drop_session(self) -> None:
        """Close the current engine session on purpose, without telling the state machine (a
        deliberate close of our own is not news)."""
        session, self.session = self.session, None
        if session is not None:
            session.events.clear()
            with contextlib.suppress(EngineError, OSError):
                await session.close()

    async def _prompt_sign_in(self) -> None:
        """Interactive modes: the tenant's sign-in page in its own window on the sheet's web
        profile (the sheet itself stays hidden); SignInDone once the tenant confirms the cookies
        it set."""
        from viewer.auth.interactive import Interactive
        from viewer.ui.signin import SignInWindow
        from viewer.web.signin import InteractiveSignIn

        strategy = self.auth.strategy
        if not isinstance(strategy, Interactive):
            raise SignInRequired("this sign-in mode has no interactive sign-in")
        window = SignInWindow(self.web.profile, self.config.branding)
        sign_in = InteractiveSignIn(self.auth, window.page, self.web.cookies)
        outcome: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

        def settle(failure: str | None) -> None:
            if not outcome.done():
                outcome.set_result(failure)

        sign_in.signed_in.connect(lambda _grant: settle(None))
        sign_in.failed.connect(settle)
        window.page.loadingChanged.connect(
            lambda info: emit(_log, "signin.page", status=info.status().name,
                              error=info.errorString(), url_without_secrets=url_for_log(
                                  info.url().toString()))
        )  # fmt: skip
        window.show()
        sign_in.start(strategy.login_url(strategy.tenant.url("")))
        try:
            failure = await outcome
        finally:
            window.close()
            sign_in.deleteLater()
        if failure is not None:
            raise SignInRequired(failure)
        self.feed(vs.SignInDone())

    # ---- inputs -------------------------------------------------------------------------------

    def _on_session_event(self, event: engine_events.SessionEvent) -> None:
        match event:
            case engine_events.Suspended(initiator=initiator, code=code, reason=reason):
                who = Initiator.LOCAL if initiator == "manual" else Initiator.NETWORK
                suspended = (
                    vs.EngineSuspended(event.classification)
                    if event.classification is not None
                    else vs.EngineSuspended.from_close(who, code, reason)
                )
                self._suspended_silently = suspended.classification.reason_key == SILENT
                self.feed(suspended)
            case engine_events.Resumed(attached=attached):
                # After a silent network the page's own socket may be dead without knowing it
                # (no keepalive in the page): its numbers cannot be trusted, reload it.
                trusted = attached and not self._suspended_silently
                if attached and not trusted:
                    emit(_log, "sheet.stale", reason="network.silent")
                self.feed(vs.EngineResumed(trusted))
            case engine_events.Closed(classification=classification):
                if classification.kind is CloseKind.AUTH_REQUIRED:
                    if not self._grant_on_trial:  # else _open_engine checks the grant itself
                        self.feed(vs.AuthRequired(classification.reason_key))
                else:
                    self.feed(vs.EngineClosed(classification))
            case _:
                pass

    def _on_page_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        # Never act inside QtWebEngine's own signal emission (showing the view from in here
        # hung a fullscreen window): take the facts, act on the next turn of the loop.
        from PySide6.QtWebEngineCore import QWebEngineLoadingInfo

        if is_warm_up(info.url().toString()):
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
        if not self._is_sheet(url):
            # a redirect away from the sheet (a login page): the session is gone
            emit(_log, "sheet.redirected", url_without_secrets=url_for_log(url))
            self.feed(vs.AuthRequired("http.auth_required"))
            return
        emit(_log, "sheet.loaded", url_without_secrets=url_for_log(url))
        self.feed(vs.PageLoaded())

    def _on_page_renderer_terminated(self, termination: RendererTermination) -> None:
        if should_reload(termination):
            asyncio.get_running_loop().call_soon(self.feed, vs.RendererTerminated())

    def _on_page_engine_socket_changed(self, report: SocketReport) -> None:
        """The page's own engine socket closed outside a page load: whatever our session says,
        the page stopped updating; it must be reloaded before it is shown again."""
        if report.kind != "close" or self._page_loading:
            return
        emit(_log, "sheet.socket_closed", code=report.code)
        asyncio.get_running_loop().call_soon(self.feed, vs.PageFailed("page.connection_lost"))

    def _is_sheet(self, url: str) -> bool:
        from urllib.parse import urlsplit

        expected = urlsplit(self.sheet_url or "")
        actual = urlsplit(url)
        return (actual.scheme, actual.netloc, actual.path) == (
            expected.scheme,
            expected.netloc,
            expected.path,
        )

    # ---- housekeeping -------------------------------------------------------------------------

    async def _housekeeping(self) -> None:
        """Every few seconds: report the engine's round-trip time and watch the renderer's
        memory (long-running kiosks; see reference/qt-notes.md: renderers grow to gigabytes
        over hours). The page collects its own garbage (viewer.web.socket_watch.GC_SCRIPT)."""
        while True:
            await asyncio.sleep(LATENCY_INTERVAL_S)
            self._report_latency()
            self._check_renderer_memory()

    def _report_latency(self) -> None:
        from viewer.ui.shells import KioskShell

        latency = self.session.latency if self.session is not None else None
        if not isinstance(self.shell, KioskShell):  # the kiosk shows no status bar
            self.shell.show_latency(None if latency is None else latency * 1000)
        if self.metrics is not None and latency is not None:
            self.metrics.observe_latency(latency)

    def _check_renderer_memory(self) -> None:
        """A renderer over the configured limit is replaced by reloading the sheet (handled
        like a renderer crash: hidden, reloaded after a pause, on a desktop too)."""
        limit = self.config.web.renderer_memory_limit_mb
        page = self.web.page
        if not limit or page is None or self.machine.phase is not vs.Phase.LIVE:
            return
        held = resident_mib(page.renderProcessPid())
        if held is not None and held > limit:
            emit(_log, "web.renderer_memory", level=logging.WARNING, resident_mib=round(held),
                 limit_mib=limit)  # fmt: skip
            self.feed(vs.RendererTerminated("page.renderer_memory"))

    async def _start_health(self, port: int) -> None:
        from viewer.monitor.health import HealthServer, ViewerMetrics

        self.metrics = ViewerMetrics([phase.value for phase in vs.Phase])
        self.health = HealthServer(self.metrics, port=port)
        await self.health.start()
        directive = self.machine.directive
        self.metrics.observe_state(
            directive.phase.value, directive.reason_key, directive.view_visible
        )

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def _host_of(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or ""
