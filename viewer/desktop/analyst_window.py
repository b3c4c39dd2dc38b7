"""The analyst's window: a `TabbedShell` with one tab per sheet, opened (`open_sheet`) and
closed (`close_sheet`) while it runs, the hub of apps and sheets, the menu commands, what it
learns of each tab's app (`TabDocs`) and what it brings back on the next start (`WindowMemory`).

The sheets themselves — their pages, engine sessions and recovery — are the `Application`'s:
the window asks it for a new one (`Application.new_sheet`) and, on closing a tab, takes it out
of `Application.sheets` and closes it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from viewer.core import state as vs
from viewer.core.tasks import BackgroundTasks
from viewer.desktop.tab_docs import TabDocs
from viewer.desktop.window_memory import WindowMemory
from viewer.desktop.window_state import window_state_path
from viewer.log import emit, get_logger
from viewer.sheet.connect import ConnectPath, session_config
from viewer.sheet.target import SheetTarget

if TYPE_CHECKING:
    from viewer.application import Application
    from viewer.desktop.commands import WindowCommands
    from viewer.desktop.hub import Hub
    from viewer.engine.objects import Doc
    from viewer.sheet.controller import SheetController

_log = get_logger("app")


class AnalystWindow:
    """The tabbed window of `app`; `remember`: keep the tabs and geometry for the next start."""

    def __init__(self, app: Application, *, remember: bool) -> None:
        from viewer.desktop.commands import WindowCommands
        from viewer.ui.tabs import TabbedShell

        self.app = app
        profile = app.profile
        path = window_state_path(profile.locations.state_dir, profile.name) if remember else None
        self.memory = WindowMemory(path)
        self.shell = shell = TabbedShell(app.config.branding)
        shell.window.resize(1280, 800)
        self.memory.restore_geometry(shell.window)
        self.docs = TabDocs(
            shell, lambda sheet: sheet in app.sheets, app.config.network.connect_step_timeout_s
        )
        self.hub: Hub | None = None
        self._tab_numbers = itertools.count(1)
        self._tasks = BackgroundTasks()
        shell.reconnect_requested.connect(self._user_requested_reconnect)
        shell.sign_in_requested.connect(self._user_requested_sign_in)
        shell.close_requested.connect(self._close_tab_soon)
        shell.reload_requested.connect(self._reload_tab)
        shell.window.close_requested.connect(app.request_quit)
        self.commands: WindowCommands = WindowCommands(self)

    def open_start_tabs(self, configured: SheetTarget | None, asked: Sequence[SheetTarget]) -> None:
        """The first tabs (see `WindowMemory.start_targets`), the last run's current one current."""
        for target in self.memory.start_targets(configured, asked):
            self.open_sheet(target)
        self.memory.restore_current(self.shell)

    # ---- tabs ---------------------------------------------------------------------------------

    def open_sheet(self, target: SheetTarget) -> SheetController:
        """A new tab showing `target`, made current; it starts connecting at once when the
        window runs (else when it starts). Tabs of one app share its engine session: they
        connect with the same identity."""
        tab = f"t{next(self._tab_numbers)}"
        sheet = self.app.new_sheet(target, tab, on_connected=self.docs.sheet_connected)
        self.shell.add_tab(tab, sheet.view, _short_title(target))
        sheet.view.setZoomFactor(self.memory.zoom)
        emit(_log, "tab.opened", tab=tab, app_id=target.app_id, sheet_id=target.sheet_id)
        if self.app.running:
            sheet.start()
            self.remember()
        return sheet

    async def close_sheet(self, sheet: SheetController) -> None:
        """Close one tab: its recovery stops, its engine socket closes (1000), its page and view
        are deleted (long before their profile, which goes at shutdown)."""
        if sheet not in self.app.sheets:
            return
        self.app.sheets.remove(sheet)
        if sheet.tab is not None:
            self.shell.remove_tab(sheet.tab)
        self.docs.forget(sheet)
        await sheet.close()
        sheet.delete_page()
        emit(_log, "tab.closed", tab=sheet.tab)
        self.remember()

    def sheet_for_tab(self, tab: str) -> SheetController | None:
        return next((sheet for sheet in self.app.sheets if sheet.tab == tab), None)

    def current_sheet(self) -> SheetController | None:
        """The sheet of the current tab."""
        current = self.shell.current_tab
        return self.sheet_for_tab(current) if current is not None else None

    def doc_of(self, sheet: SheetController) -> Doc | None:
        """The app (Doc) of `sheet`'s engine session, once connected."""
        return self.docs.doc_of(sheet)

    # ---- the window ---------------------------------------------------------------------------

    def show_hub(self) -> None:
        """The hub of apps and sheets (Ctrl+O; at start when there is no sheet to show)."""
        from viewer.desktop.catalog import Catalog
        from viewer.desktop.hub import Hub

        if self.hub is None:
            app = self.app
            path = ConnectPath(
                app.auth, app.config, app.identity, session_config(app.config.network)
            )
            self.hub = Hub(
                Catalog(path, app.strategy.tenant),
                app.config.branding.product_name,
                self.open_sheet,
                self.shell.window,
                sign_in=app.sign_in,
            )
        self.hub.show()

    @property
    def zoom(self) -> float:
        """The zoom factor of every tab (kept per profile)."""
        return self.memory.zoom

    def set_zoom(self, factor: float) -> None:
        self.memory.set_zoom(factor)
        for sheet in self.app.sheets:
            sheet.view.setZoomFactor(self.memory.zoom)
        emit(_log, "view.zoom", factor=self.memory.zoom)
        self.remember()

    async def sign_out(self) -> None:
        """The application's sign-out (every tab shows its sign-in notice); the window title
        names no user any more."""
        await self.app.sign_out()
        self.shell.set_subtitle("")

    def remember(self) -> None:
        """Store the open tabs, the current one, the geometry and the zoom for the next start."""
        self.memory.remember(self.shell, self.app.sheets)

    async def cancel_tasks(self) -> None:
        """Shutdown, before the sheets close: the tab closes and the reads of apps under way end."""
        await self._tasks.cancel()
        await self.docs.close()

    async def close(self) -> None:
        """Shutdown, before the pages are deleted: the hub and the commands' windows and work."""
        if self.hub is not None:
            self.hub.close()
        await self.commands.close()

    # ---- what the shell asks ------------------------------------------------------------------

    def _close_tab_soon(self, tab: str) -> None:
        sheet = self.sheet_for_tab(tab)
        if sheet is not None and not self.app.closing:
            self._tasks.start(self.close_sheet(sheet))

    def _reload_tab(self, tab: str) -> None:
        sheet = self.sheet_for_tab(tab)
        if sheet is not None:
            sheet.reload()

    def _user_requested_reconnect(self, tab: str) -> None:
        """Reconnect this tab and every other tab that rests waiting for the same press (a
        server that ended the sessions of several apps at once needs one press, not one a tab;
        a tab waiting for a sign-in is left to Sign in again)."""
        for sheet in list(self.app.sheets):
            waits = sheet.awaits_user and sheet.phase is not vs.Phase.AUTH_REQUIRED
            if sheet.tab == tab or waits:
                sheet.feed(vs.UserRequestedReconnect())

    def _user_requested_sign_in(self, tab: str) -> None:
        """One sign-in for every tab that needs one (the single flight makes it one prompt)."""
        for sheet in list(self.app.sheets):
            if sheet.tab == tab or sheet.phase is vs.Phase.AUTH_REQUIRED:
                sheet.feed(vs.UserRequestedSignIn())


def _short_title(target: SheetTarget) -> str:
    """A tab's title until its app has told its name."""
    return target.sheet_id or target.app_id[:8]
