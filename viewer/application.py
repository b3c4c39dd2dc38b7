"""`Application`: one viewer window for one profile — the auth session with single-flight
sign-in (any number of sheets needing a sign-in cause one), the web context shared by the
sheets' pages, the network monitor fanned out to every sheet, the shell, the features and the
sheets (`SheetController`s). A kiosk shows one sheet; the analyst's window (`TabbedShell`) one
tab per sheet, opened and closed while it runs (`open_sheet`, `close_sheet`), and brings its
tabs and geometry back on the next start (`viewer.desktop.window_state`).

Shutdown, whatever asked for it (window, Ctrl+C, SIGTERM, --quit-after): one exit stack, filled
while things are built, unwinds in reverse — features stop, each sheet stops recovering and
closes its engine socket with 1000, the proxy session this run created is deleted (where the
mode does), pages are deleted before their profile, then the loop ends (it runs exactly once).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.auth.errors import AuthError, SignInRequired
from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore, default_grant_path
from viewer.config.loading import Profile
from viewer.config.places import web_profile_dir
from viewer.core import state as vs
from viewer.core.backoff import ReconnectPolicy
from viewer.core.single_flight import SingleFlight
from viewer.engine.errors import EngineClientError, EngineError
from viewer.features.base import Feature
from viewer.features.health import Reporting
from viewer.log import emit, get_logger
from viewer.sheet.connect import ConnectPath, SheetTarget, session_config
from viewer.sheet.controller import SheetController
from viewer.web.policy import url_for_log

if TYPE_CHECKING:
    from viewer.desktop.commands import WindowCommands
    from viewer.desktop.hub import Hub
    from viewer.desktop.window_state import WindowState
    from viewer.engine.objects import Doc
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
        self._tab_numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._running = False
        self._quit: asyncio.Future[int] | None = None
        self._closing = False
        self._window_state_path: Path | None = None
        self.window_state: WindowState | None = None
        self.hub: Hub | None = None
        self.restart_arguments: list[str] | None = None  # set by switch_profile
        self.commands: WindowCommands | None = None
        self._docs: dict[SheetController, Doc] = {}
        self._last_reload: dict[SheetController, str] = {}
        configured = self._configured_target()
        if self.kiosk:
            if configured is None:
                raise ValueError("a kiosk needs tenant.app_id: the app whose sheet it shows")
            self.shell: KioskShell | TabbedShell = self._make_kiosk_shell(
                self._make_sheet(configured)
            )
        else:
            self._load_window_state()
            self.shell = self._make_tabbed_shell()
            for target in self._start_targets(configured):
                self.open_sheet(target)
            self._restore_current()
        self.network = NetworkMonitor(_host_of(self.config.tenant.base_url))
        self.network.online.connect(lambda: self._feed_all(vs.NetworkOnline()))
        self.network.offline.connect(lambda: self._feed_all(vs.NetworkOffline()))

    # ---- construction -----------------------------------------------------------------------

    def _configured_target(self) -> SheetTarget | None:
        tenant = self.config.tenant
        return SheetTarget(tenant.app_id, tenant.sheet_id) if tenant.app_id else None

    def _load_window_state(self) -> None:
        from viewer.desktop.window_state import WindowState, window_state_path

        if self.options.remember_window:
            self._window_state_path = window_state_path(
                self.profile.locations.state_dir, self.profile.name
            )
            self.window_state = WindowState.load(self._window_state_path)

    def _start_targets(self, configured: SheetTarget | None) -> list[SheetTarget]:
        """The analyst's first tabs: those of the last run (else the profile's sheet), then the
        ones asked for with --open, each once."""
        remembered = self.window_state.tabs if self.window_state is not None else []
        targets = list(remembered) or ([configured] if configured is not None else [])
        for target in self.options.open:
            if target not in targets:
                targets.append(target)
        return targets

    def _make_sheet(self, target: SheetTarget, tab: str | None = None) -> SheetController:
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
            if sheet is not None:
                self._sheet_connected(sheet, info)

        path = ConnectPath(
            self.auth,
            self.config,
            self.identity,
            session_config(self.config.network),
            connected=connected,
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

    def _make_tabbed_shell(self) -> TabbedShell:
        from viewer.ui.tabs import TabbedShell

        shell = TabbedShell(self.config.branding)
        shell.window.resize(1280, 800)
        state = self.window_state
        if state is not None and state.geometry:
            from PySide6.QtCore import QByteArray

            shell.window.restoreGeometry(QByteArray.fromHex(state.geometry.encode("ascii")))
        shell.reconnect_requested.connect(
            lambda tab: self._feed_tab(tab, vs.UserRequestedReconnect())
        )
        shell.sign_in_requested.connect(self._user_requested_sign_in)
        shell.close_requested.connect(self._close_tab_soon)
        shell.reload_requested.connect(self._reload_tab)
        shell.quit_requested.connect(self.request_quit)
        shell.window.close_requested.connect(self.request_quit)
        from viewer.desktop.commands import WindowCommands

        self.commands = WindowCommands(self, shell)
        return shell

    def _restore_current(self) -> None:
        from viewer.ui.tabs import TabbedShell

        state = self.window_state
        if isinstance(self.shell, TabbedShell) and state is not None and state.tabs:
            tabs = self.shell.tab_ids()
            if 0 <= state.current < len(tabs):
                self.shell.set_current(tabs[state.current])

    # ---- tabs (the analyst's window) ---------------------------------------------------------

    def open_sheet(self, target: SheetTarget) -> SheetController:
        """A new tab showing `target`, made current; it starts connecting at once when the
        window runs (else when it starts). Tabs of one app share its engine session: they
        connect with the same identity."""
        from viewer.ui.tabs import TabbedShell

        shell = self.shell
        if not isinstance(shell, TabbedShell):
            raise RuntimeError("only the analyst's window opens sheets in tabs")
        tab = f"t{next(self._tab_numbers)}"
        sheet = self._make_sheet(target, tab)
        shell.add_tab(tab, sheet.view, _short_title(target))
        sheet.view.setZoomFactor(self.zoom)
        emit(_log, "tab.opened", tab=tab, app_id=target.app_id, sheet_id=target.sheet_id)
        if self._running:
            sheet.start()
            self._remember_window()
        return sheet

    async def close_sheet(self, sheet: SheetController) -> None:
        """Close one tab: its recovery stops, its engine socket closes (1000), its page and view
        are deleted (long before their profile, which goes at shutdown)."""
        from viewer.ui.tabs import TabbedShell

        if sheet not in self.sheets:
            return
        self.sheets.remove(sheet)
        if isinstance(self.shell, TabbedShell) and sheet.tab is not None:
            self.shell.remove_tab(sheet.tab)
        self._docs.pop(sheet, None)
        self._last_reload.pop(sheet, None)
        await sheet.close()
        sheet.delete_page()
        emit(_log, "tab.closed", tab=sheet.tab)
        self._remember_window()

    def show_hub(self) -> None:
        """The hub of apps and sheets (Ctrl+O; at start when there is no sheet to show)."""
        from viewer.desktop.catalog import Catalog
        from viewer.desktop.hub import Hub

        if self.hub is None:
            path = ConnectPath(
                self.auth, self.config, self.identity, session_config(self.config.network)
            )
            title = f"Apps — {self.config.branding.product_name}"
            self.hub = Hub(
                Catalog(path, self.strategy.tenant),
                title,
                self.open_sheet,
                self.shell.window,
                sign_in=self.sign_in,
            )
        self.hub.show()

    @property
    def zoom(self) -> float:
        """The zoom factor of every tab (kept per profile)."""
        return self.window_state.zoom if self.window_state is not None else 1.0

    def set_zoom(self, factor: float) -> None:
        from viewer.desktop.window_state import WindowState

        if self.window_state is None:
            self.window_state = WindowState()
        self.window_state.zoom = round(factor, 3)
        for sheet in self.sheets:
            sheet.view.setZoomFactor(self.window_state.zoom)
        emit(_log, "view.zoom", factor=self.window_state.zoom)
        self._remember_window()

    def doc_of(self, sheet: SheetController) -> Doc | None:
        """The app (Doc) of `sheet`'s engine session, once connected."""
        return self._docs.get(sheet)

    async def sign_out(self) -> None:
        """End the Qlik session where the mode can, forget the stored grant, clear the web
        profile's cookies, and show every tab's sign-in notice."""
        from viewer.ui.tabs import TabbedShell

        dead = self.auth.current
        try:
            await self.auth.sign_out()  # logs auth.signed_out {mode, qlik_session_ended}
        except (AuthError, OSError) as error:
            emit(_log, "auth.sign_out_failed", level=logging.WARNING, error=str(error))
        if dead is not None:
            self.web.forget_grant(dead)  # its headers leave the interceptor, its cookies the disk
        self.web.profile.cookieStore().deleteAllCookies()
        for sheet in list(self.sheets):
            sheet.feed(vs.AuthRequired("auth.required"))
        if isinstance(self.shell, TabbedShell):
            self.shell.set_subtitle("")

    def sheet_for_tab(self, tab: str) -> SheetController | None:
        return next((sheet for sheet in self.sheets if sheet.tab == tab), None)

    def current_sheet(self) -> SheetController | None:
        """The sheet on screen: the current tab's, or the kiosk's only one."""
        from viewer.ui.tabs import TabbedShell

        if isinstance(self.shell, TabbedShell):
            current = self.shell.current_tab
            return self.sheet_for_tab(current) if current is not None else None
        return self.sheets[0] if self.sheets else None

    def _close_tab_soon(self, tab: str) -> None:
        sheet = self.sheet_for_tab(tab)
        if sheet is not None and not self._closing:
            task = asyncio.get_running_loop().create_task(self.close_sheet(sheet))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _reload_tab(self, tab: str) -> None:
        sheet = self.sheet_for_tab(tab)
        if sheet is not None:
            sheet.reload()

    def _feed_tab(self, tab: str, event: vs.Event) -> None:
        sheet = self.sheet_for_tab(tab)
        if sheet is not None:
            sheet.feed(event)

    def _user_requested_sign_in(self, tab: str) -> None:
        """One sign-in for every tab that needs one (the single flight makes it one prompt)."""
        for sheet in list(self.sheets):
            if sheet.tab == tab or sheet.phase is vs.Phase.AUTH_REQUIRED:
                sheet.feed(vs.UserRequestedSignIn())

    def _remember_window(self) -> None:
        """Store the open tabs, the current one, the geometry and the zoom for the next start."""
        from viewer.desktop.window_state import WindowState
        from viewer.ui.tabs import TabbedShell

        shell = self.shell
        if self._window_state_path is None or not isinstance(shell, TabbedShell):
            return
        by_tab = {sheet.tab: sheet for sheet in self.sheets}
        tabs = shell.tab_ids()
        current = shell.current_tab
        previous = self.window_state or WindowState()
        self.window_state = WindowState(
            tabs=[_remembered_target(by_tab[tab]) for tab in tabs if tab in by_tab],
            current=tabs.index(current) if current in tabs else 0,
            geometry=bytes(shell.window.saveGeometry().toHex().data()).decode("ascii"),
            zoom=previous.zoom,
        )
        self.window_state.save(self._window_state_path)

    def _sheet_connected(self, sheet: SheetController, connected: Connected) -> None:
        """A sheet's connect finished: name its tab after the app and the sheet."""
        from viewer.ui.tabs import TabbedShell

        if not isinstance(self.shell, TabbedShell) or sheet.tab is None:
            return
        task = asyncio.get_running_loop().create_task(self._name_tab(sheet, connected))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _name_tab(self, sheet: SheetController, connected: Connected) -> None:
        from viewer.ui.tabs import TabbedShell

        try:
            async with asyncio.timeout(self.config.network.connect_step_timeout_s):
                layout = await connected.doc.get_app_layout()
                sheets = await connected.doc.get_sheet_list()
        except (EngineError, OSError, TimeoutError):
            return  # the tab keeps its short title; the sheet's own recovery handles the rest
        self._docs[sheet] = connected.doc
        self._show_last_reload(sheet, layout)
        connected.doc.changed.add(lambda doc: self._doc_changed(sheet, connected.doc))
        app_title = str(layout.get("qTitle") or sheet.target.app_id)
        sheet_title = next(
            (str(s["title"]) for s in sheets if s["id"] == connected.sheet_id and s["title"]),
            connected.sheet_id,
        )
        if isinstance(self.shell, TabbedShell) and sheet in self.sheets and sheet.tab:
            self.shell.set_tab_title(sheet.tab, f"{app_title} — {sheet_title}")
            user = connected.grant.user
            self.shell.set_subtitle(user or "")

    def _show_last_reload(self, sheet: SheetController, layout: dict[str, Any]) -> None:
        """ "Data as of …" on the tab's status bar; `app.data_reloaded` when it changes."""
        from viewer.ui.tabs import TabbedShell

        last = str(layout.get("qLastReloadTime") or "")
        previous = self._last_reload.get(sheet)
        self._last_reload[sheet] = last
        if previous is not None and previous != last:
            emit(_log, "app.data_reloaded", tab=sheet.tab, last_reload=last)
        if isinstance(self.shell, TabbedShell) and sheet.tab is not None:
            self.shell.show_data_as_of(sheet.tab, last)

    def _doc_changed(self, sheet: SheetController, doc: Doc) -> None:
        """The engine says the app changed (a reload, among others): read its layout again."""
        if sheet not in self.sheets or self._docs.get(sheet) is not doc:
            return

        async def reread() -> None:
            try:
                layout = await doc.get_app_layout()
            except (EngineClientError, OSError):
                return
            self._show_last_reload(sheet, layout)

        task = asyncio.get_running_loop().create_task(reread())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
            stack.callback(self._remember_window)
            for feature in self._features():
                await feature.start()
                stack.push_async_callback(feature.close)
            if self.options.quit_after is not None:
                handle = loop.call_later(self.options.quit_after, self.request_quit)
                stack.callback(handle.cancel)
            stack.push_async_callback(self._sign_out_if_asked)
            stack.push_async_callback(self._close_sheets)
            self._running = True
            for sheet in self.sheets:
                sheet.start()
            # Qt's reachability backend (a plugin and, on Linux, a D-Bus round trip) loads once
            # the first connects are under way: they wait on the network meanwhile.
            loop.call_soon(self.network.start)
            if not self.kiosk and not self.sheets:
                self.show_hub()  # no app named and none remembered: the user picks one
            stack.push_async_callback(self.sign_in.close)
            stack.push_async_callback(self.renew.close)
            stack.push_async_callback(self.auth.close)
            code = await self._quit
            self._closing = True
            emit(_log, "app.shutdown")
            if self.options.screenshot is not None:
                self.save_screenshot(self.options.screenshot)
        emit(_log, "app.stopped")
        return code

    async def _close_sheets(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
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
        if self.hub is not None:
            self.hub.close()
        if self.commands is not None:
            await self.commands.close()
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
        """Save what the window shows now (the sheet, or the notice in its place)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = self.shell.window.grab().save(str(path))
        emit(_log, "app.screenshot", path=str(path), saved=bool(saved))

    # ---- what the sheets ask of their window (SheetHost) -------------------------------------

    def render(self, sheet: SheetController, directive: vs.Directive) -> None:
        from viewer.ui.tabs import TabbedShell

        if self._closing:
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


def _short_title(target: SheetTarget) -> str:
    """A tab's title until its app has told its name."""
    return target.sheet_id or target.app_id[:8]


def _remembered_target(sheet: SheetController) -> SheetTarget:
    """What a tab shows now: its app and the sheet on screen (or the one it was opened with)."""
    return SheetTarget(sheet.target.app_id, sheet.sheet_id or sheet.target.sheet_id)


def _host_of(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or ""
