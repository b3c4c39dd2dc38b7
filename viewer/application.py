"""`Application`: one viewer window for one profile — the auth session with single-flight
sign-in (any number of sheets needing a sign-in cause one), the web context shared by the
sheets' pages, the network monitor fanned out to every sheet, the shell, the features and the
sheets (`SheetController`s). A kiosk shows one sheet; the analyst's window
(`viewer.desktop.analyst_window.AnalystWindow`, `Application.desktop`) one tab per sheet, opened
and closed while it runs, brought back on the next start.

Shutdown, whatever asked for it (window, Ctrl+C, SIGTERM, --quit-after): one exit stack, filled
while things are built, unwinds in reverse — features stop, each sheet stops recovering and
closes its engine socket with 1000, the proxy session this run created is deleted (where the
mode does), pages are deleted before their profile, then the loop ends (it runs exactly once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.auth.errors import AuthError, SignInRequired
from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore, default_grant_path
from viewer.config.loading import Profile
from viewer.config.places import web_profile_dir
from viewer.core import state as vs
from viewer.core.backoff import ReconnectPolicy
from viewer.core.single_flight import SingleFlight
from viewer.features.base import Feature
from viewer.features.health import Reporting
from viewer.log import emit, get_logger
from viewer.sheet.connect import ConnectPath, SheetTarget, session_config
from viewer.sheet.controller import SheetController
from viewer.web.policy import url_for_log

if TYPE_CHECKING:
    from viewer.desktop.analyst_window import AnalystWindow
    from viewer.features.health import Health
    from viewer.features.watchdog import SystemdWatchdog
    from viewer.sheet.connect import Connected
    from viewer.ui.shells import KioskShell
    from viewer.ui.tabs import TabbedShell

_log = get_logger("app")


@dataclass(frozen=True)
class AppOptions:
    """How this run differs from the profile: kiosk mode, health port, demo conveniences."""

    kiosk: bool = False
    health_port: int | None = None
    quit_after: float | None = None
    screenshot: Path | None = None
    cookie_name: str | None = None  # the proxy session cookie's name where it is not the default
    open: tuple[SheetTarget, ...] = ()  # tabs to open besides the profile's (analyst window)
    remember_window: bool = True  # bring the tabs and geometry back on the next start


def reconnect_policy(profile: Profile) -> ReconnectPolicy:
    """The backoff between reconnect attempts, from the profile."""
    network = profile.config.network
    return ReconnectPolicy(
        min_delay=network.reconnect_min_s,
        max_delay=network.reconnect_max_s,
        retryable_min_delay=min(max(5.0, network.reconnect_min_s), network.reconnect_max_s),
        jitter=network.reconnect_jitter,
    )


def recovery_limit_s(profile: Profile) -> float:
    """The backstop deadline of a whole recovery attempt: every step's own deadline, added."""
    network = profile.config.network
    return network.open_app_timeout_s + 4 * network.connect_step_timeout_s


class Application:
    """One window of sheets for one profile (see the module docstring). `run()` until
    `request_quit()`."""

    def __init__(self, profile: Profile, options: AppOptions) -> None:
        from viewer.monitor.network import NetworkMonitor
        from viewer.web.context import WebContext
        from viewer.web.policy import NavigationPolicy
        from viewer.web.profile import ProfileSettings

        self.profile = profile
        self.config = profile.config
        self.options = options
        self.kiosk = options.kiosk or self.config.kiosk.enabled
        self.identity = profile.identity()
        self.strategy = strategy_for(self.config, self.identity, cookie_name=options.cookie_name)
        data_dir = profile.locations.state_dir
        persist = self.config.web.persistent_profile
        store = GrantStore(default_grant_path(data_dir, profile.name)) if persist else None
        self.auth = AuthSession(self.strategy, store)
        self.sign_in = SingleFlight[None](self._prompt_sign_in)
        self.renew = SingleFlight[None](self._renew)
        policy = NavigationPolicy.for_tenant(
            self.config.tenant.base_url,
            [str(o) for o in self.config.web.allowed_origins],
            desktop=not self.kiosk,
        )
        storage = web_profile_dir(data_dir, profile.name) if persist else None
        self.web = WebContext(
            ProfileSettings(profile.name, storage, self.config.web.downloads_allowed),
            policy,
            self.config.tenant.base_url,
        )
        self.sheets: list[SheetController] = []
        self.health: Health | None = None
        self.watchdog: SystemdWatchdog | None = None
        self.running = False  # the sheets have been started
        self.closing = False  # the ordered shutdown is under way
        self._quit: asyncio.Future[int] | None = None
        self.restart_arguments: list[str] | None = None  # set by switch_profile
        self.desktop: AnalystWindow | None = None  # the analyst's window (not on a kiosk)
        configured = self._configured_target()
        if self.kiosk:
            if configured is None:
                raise ValueError("a kiosk needs tenant.app_id: the app whose sheet it shows")
            self.shell: KioskShell | TabbedShell = self._make_kiosk_shell(
                self.new_sheet(configured)
            )
        else:
            from viewer.desktop.analyst_window import AnalystWindow

            self.desktop = AnalystWindow(self, remember=options.remember_window)
            self.shell = self.desktop.shell
            self.desktop.open_start_tabs(configured, options.open)
        self.network = NetworkMonitor(_host_of(self.config.tenant.base_url))
        self.network.online.connect(lambda: self._feed_all(vs.NetworkOnline()))
        self.network.offline.connect(lambda: self._feed_all(vs.NetworkOffline()))

    # ---- construction -----------------------------------------------------------------------

    def _configured_target(self) -> SheetTarget | None:
        tenant = self.config.tenant
        return SheetTarget(tenant.app_id, tenant.sheet_id) if tenant.app_id else None

    def new_sheet(
        self,
        target: SheetTarget,
        tab: str | None = None,
        *,
        on_connected: Callable[[SheetController, Connected], None] | None = None,
    ) -> SheetController:
        """A sheet showing `target` on a new page of the web context, in `sheets`; not started.
        `on_connected(sheet, connected)` follows each of its connects that finished."""
        from PySide6.QtWebEngineWidgets import QWebEngineView

        page = self.web.new_page()
        view = QWebEngineView()
        view.setPage(page)
        page.warm_up()
        machine = vs.ViewerState.start(
            vs.Mode.KIOSK if self.kiosk else vs.Mode.DESKTOP,
            policy=reconnect_policy(self.profile),
            silent_reauth=self.strategy.renews_silently,
            random=random.random,
        )
        sheet: SheetController | None = None

        def connected(info: Connected) -> None:
            if sheet is not None and on_connected is not None:
                on_connected(sheet, info)

        path = ConnectPath(
            self.auth,
            self.config,
            self.identity,
            session_config(self.config.network),
            connected=connected,
            grant_changed=self.apply_grant,
        )
        sheet = SheetController(
            self,
            target,
            view=view,
            page=page,
            machine=machine,
            path=path,
            tab=tab,
            recovery_limit_s=recovery_limit_s(self.profile),
        )
        self.sheets.append(sheet)
        return sheet

    def _make_kiosk_shell(self, sheet: SheetController) -> KioskShell:
        from viewer.ui.shells import KioskShell

        kiosk = KioskShell(sheet.view, self.config.branding, self.config.kiosk)
        kiosk.exit_requested.connect(self.request_quit)
        kiosk.reload_requested.connect(sheet.reload)
        kiosk.window.close_requested.connect(self.request_quit)
        return kiosk

    async def sign_out(self) -> None:
        """End the Qlik session where the mode can, forget the stored grant, clear the web
        profile's cookies, close every sheet's engine session (the signed-out user's) and show
        every sheet's sign-in notice."""
        dead = self.auth.current
        try:
            await self.auth.sign_out()  # logs auth.signed_out {mode, qlik_session_ended}
        except (AuthError, OSError) as error:
            emit(_log, "auth.sign_out_failed", level=logging.WARNING, error=str(error))
        if dead is not None:
            self.web.forget_grant(dead)  # its headers leave the interceptor, its cookies the disk
        self.web.profile.cookieStore().deleteAllCookies()
        await asyncio.gather(*(sheet.signed_out() for sheet in list(self.sheets)))

    # ---- lifecycle ---------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        self._quit = loop.create_future()
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(self._close_window)
            if not self.kiosk:  # the desktop's dialog goes over a window that is up
                self.shell.show()
            for sheet in self.sheets:
                self.render(sheet, sheet.machine.directive)
            if self.kiosk:  # the overlay filled first: one layout, and the first paint says it
                self.shell.show()
            if self.desktop is not None:
                stack.callback(self.desktop.remember)
            for feature in self._features():
                await feature.start()
                stack.push_async_callback(feature.close)
            if self.options.quit_after is not None:
                handle = loop.call_later(self.options.quit_after, self.request_quit)
                stack.callback(handle.cancel)
            stack.push_async_callback(self._sign_out_if_asked)
            stack.push_async_callback(self._close_sheets)
            self.running = True
            for sheet in self.sheets:
                sheet.start()
            # Qt's reachability backend (a plugin and, on Linux, a D-Bus round trip) loads once
            # the first connects are under way: they wait on the network meanwhile.
            loop.call_soon(self.network.start)
            if self.desktop is not None and not self.sheets:
                self.desktop.show_hub()  # no app named and none remembered: the user picks one
            stack.push_async_callback(self.sign_in.close)
            stack.push_async_callback(self.renew.close)
            stack.push_async_callback(self.auth.close)
            code = await self._quit
            self.closing = True
            emit(_log, "app.shutdown")
            if self.options.screenshot is not None:
                self.save_screenshot(self.options.screenshot)
        emit(_log, "app.stopped")
        return code

    async def _close_sheets(self) -> None:
        if self.desktop is not None:
            await self.desktop.cancel_tasks()
        for sheet in reversed(self.sheets):
            await sheet.close()

    def _features(self) -> list[Feature]:
        from viewer.features.health import Health
        from viewer.features.housekeeping import Housekeeping
        from viewer.features.rotation import Rotation

        features: list[Feature] = []
        reporting: list[Reporting] = []
        monitor = self.config.monitor
        if self.options.health_port is not None or monitor.port is not None:
            self.health = Health(
                monitor,
                self.options.health_port,
                screenshot=self.screenshot_png,
                reporting=lambda: reporting,
            )
            features.append(self.health)
        health = self.health
        if os.environ.get("NOTIFY_SOCKET"):
            from viewer.features.watchdog import SystemdWatchdog

            self.watchdog = SystemdWatchdog(
                lambda: self.sheets,
                recovery_limit_s(self.profile),
                health.metrics if health is not None else None,
            )
            features.append(self.watchdog)
        features.append(
            Housekeeping(
                lambda: self.sheets,
                self._show_latency,
                health.observe_latency if health is not None else lambda _s: None,
                self.config.web.renderer_memory_limit_mb,
            )
        )
        tenant = self.config.tenant
        rotation = None
        if self.sheets and tenant.rotate_every_s is not None and len(tenant.sheets) > 1:
            from viewer.ui.frame_hold import FrameHold

            first = self.sheets[0]
            hold = FrameHold(first.view).hold
            rotation = Rotation(first, list(tenant.sheets), tenant.rotate_every_s, hold_frame=hold)
            features.append(rotation)
        if self.kiosk:
            from viewer.features.kiosk import kiosk_features

            features.extend(kiosk_features(self, rotation))
        reporting.extend(f for f in features if isinstance(f, Reporting))
        return features

    def switch_profile(self, name: str) -> None:
        """Close this window (the ordered shutdown) and start again on the profile `name`,
        remembered as the last one; the composition root re-executes the program."""
        import sys

        from viewer.config.start import remember_last_profile
        from viewer.desktop.restart import switched_arguments

        if name == self.profile.name:
            return
        remember_last_profile(self.profile.locations, name)
        self.restart_arguments = switched_arguments(sys.argv[1:], name)
        emit(_log, "profile.switch", profile=name, previous=self.profile.name)
        self.request_quit()

    def request_quit(self, code: int = 0) -> None:
        """Ask for the ordered shutdown (idempotent; safe from signal handlers and slots)."""
        if self._quit is not None and not self._quit.done():
            emit(_log, "app.quit_requested", code=code)
            self._quit.set_result(code)

    async def _sign_out_if_asked(self) -> None:
        if getattr(self.config.auth, "delete_on_exit", False):
            with contextlib.suppress(AuthError, OSError):
                await self.auth.sign_out()

    async def _close_window(self) -> None:
        if self.desktop is not None:
            await self.desktop.close()
        for sheet in self.sheets:
            sheet.delete_page()
        self.web.close()
        self.shell.close()

    def screenshot_png(self) -> bytes:
        """What the window shows now, as PNG bytes (the health endpoint's /screenshot)."""
        from PySide6.QtCore import QBuffer, QIODevice

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.shell.window.grab().save(buffer, "PNG")
        return bytes(buffer.data().data())

    def save_screenshot(self, path: Path) -> None:
        """Save what the window shows now (the sheet, or the notice in its place): in the image
        format its name ends in when Qt writes that format, else as PNG (`shot`, `shot.out`)."""
        from PySide6.QtGui import QImageWriter

        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = path.suffix.lstrip(".").lower().encode()
        known = suffix in {bytes(name.data()) for name in QImageWriter.supportedImageFormats()}
        saved = self.shell.window.grab().save(str(path), suffix.decode() if known else "PNG")
        emit(_log, "app.screenshot", path=str(path), saved=bool(saved))

    # ---- what the sheets ask of their window (SheetHost) -------------------------------------

    def render(self, sheet: SheetController, directive: vs.Directive) -> None:
        from viewer.ui.tabs import TabbedShell

        if self.closing:
            return
        if isinstance(self.shell, TabbedShell):
            if sheet.tab is not None:
                self.shell.render(sheet.tab, directive)
        else:
            self.shell.render(directive)
        if self.health is not None:
            self.health.observe(sheet.tab, directive)
        if self.watchdog is not None:
            self.watchdog.observe(directive)

    def show_progress(self, sheet: SheetController, step: str | None) -> None:
        from viewer.ui.tabs import TabbedShell

        if isinstance(self.shell, TabbedShell):
            if sheet.tab is not None:
                self.shell.show_progress(sheet.tab, step)
        else:
            self.shell.show_progress(step)

    def _show_latency(self, sheet: SheetController, latency_ms: float | None) -> None:
        from viewer.ui.tabs import TabbedShell

        if isinstance(self.shell, TabbedShell):
            if sheet.tab is not None:
                self.shell.show_latency(sheet.tab, latency_ms)
        else:
            self.shell.show_latency(latency_ms)

    def apply_grant(self) -> None:
        grant = self.auth.current
        if grant is not None:
            self.web.apply_grant(grant)

    async def _renew(self) -> None:
        await self.auth.renew("the server ended the session")

    async def _prompt_sign_in(self) -> None:
        """Interactive modes: the tenant's sign-in page in its own window on the sheets' web
        profile (the sheets stay hidden); returns once the tenant confirms the cookies it set."""
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
        if self.kiosk:  # a wall has one window: the sign-in page covers the screen too
            window.showFullScreen()
        else:
            window.show()
        sign_in.start(strategy.login_url(strategy.tenant.url("")))
        try:
            failure = await outcome
        finally:
            sign_in.stop()  # a check still under way must not outlive its window
            window.close()
            sign_in.deleteLater()
        if failure is not None:
            raise SignInRequired(failure)

    def _feed_all(self, event: vs.Event) -> None:
        for sheet in self.sheets:
            sheet.feed(event)


def _host_of(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or ""
