"""What the analyst window's menus and shortcuts do: open the hub, reload or close the current
tab, step through tabs, zoom (kept per profile), full screen, export the current sheet to PDF or
PNG, clear the app's selections in the engine, sign out, switch profile, diagnostics (the
`viewer check` steps), open the log folder, about.

Each command acts on the current tab; where it needs a file it asks for one (`ask_path`), which
tests replace with a fixed path."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.auth.errors import AuthError
from viewer.core import state as vs
from viewer.core.tasks import BackgroundTasks
from viewer.desktop.window_state import ZOOM_MAX, ZOOM_MIN
from viewer.engine.errors import EngineClientError
from viewer.log import emit, get_logger
from viewer.ui.menus import Command, install_menus, keys

if TYPE_CHECKING:
    from viewer.desktop.analyst_window import AnalystWindow
    from viewer.ui.diagnostics import DiagnosticsWindow
    from viewer.ui.profile_picker import ProfilePicker

_log = get_logger("app")
ZOOM_STEP = 1.1
StandardKey = QKeySequence.StandardKey
PathAsker = Callable[[str, str], Path | None]


def _ask_with_dialog(title: str, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(None, title, "", file_filter)
    return Path(chosen) if chosen else None


class WindowCommands(QObject):
    """The commands of the analyst's `window`, in its menus and shortcuts; a QObject for its
    texts' translation context."""

    def __init__(self, window: AnalystWindow) -> None:
        super().__init__()
        self.analyst_window = window
        self.app = app = window.app
        self.shell = shell = window.shell
        self.ask_path: PathAsker = _ask_with_dialog
        self._tasks = BackgroundTasks()
        self.diagnostics_window: DiagnosticsWindow | None = None
        self.profile_picker: ProfilePicker | None = None
        self.actions = install_menus(
            shell.window,
            [
                (self.tr("&File"), [
                    Command("open-app", self.tr("&Open app…"), window.show_hub,
                            keys(StandardKey.Open)),
                    Command("close-tab", self.tr("&Close tab"), self.close_tab,
                            keys(StandardKey.Close)),
                    None,
                    Command("export-pdf", self.tr("Export to &PDF…"), self.export_pdf,
                            keys(StandardKey.Print)),
                    Command("export-png", self.tr("Export P&NG…"), self.export_png),
                    None,
                    Command("sign-out", self.tr("Sign ou&t"), self.sign_out),
                    Command("switch-profile", self.tr("S&witch profile…"), self.switch_profile),
                    Command("quit", self.tr("&Quit"), app.request_quit, keys(StandardKey.Quit)),
                ]),
                (self.tr("&View"), [
                    Command("reload", self.tr("&Reload sheet"), self.reload,
                            keys(StandardKey.Refresh, "Ctrl+R")),
                    Command("next-tab", self.tr("&Next tab"), lambda: shell.step_current(1),
                            keys(StandardKey.NextChild, "Ctrl+PgDown")),
                    Command("previous-tab", self.tr("Pre&vious tab"),
                            lambda: shell.step_current(-1),
                            keys("Ctrl+Shift+Tab", StandardKey.PreviousChild, "Ctrl+PgUp")),
                    None,
                    Command("zoom-in", self.tr("Zoom &in"), lambda: self.zoom(ZOOM_STEP),
                            keys(StandardKey.ZoomIn)),
                    Command("zoom-out", self.tr("Zoom &out"), lambda: self.zoom(1 / ZOOM_STEP),
                            keys(StandardKey.ZoomOut)),
                    Command("zoom-reset", self.tr("&Actual size"), lambda: self.zoom(None),
                            keys("Ctrl+0")),
                    Command("full-screen", self.tr("&Full screen"), self.toggle_full_screen,
                            keys(StandardKey.FullScreen, "F11")),
                ]),
                (self.tr("&Sheet"), [
                    Command("clear-selections", self.tr("&Clear selections"),
                            self.clear_selections, keys("Ctrl+Shift+Del")),
                ]),
                (self.tr("&Help"), [
                    Command("diagnostics", self.tr("&Diagnostics"), self.diagnostics),
                    Command("open-log-folder", self.tr("Open &log folder"), self.open_log_folder),
                    None,
                    Command("about", self.tr("&About"), self.about),
                ]),
            ],
        )  # fmt: skip

    # ---- tabs ----------------------------------------------------------------------------------

    def reload(self) -> None:
        sheet = self.analyst_window.current_sheet()
        if sheet is not None:
            emit(_log, "ui.reload_requested", tab=sheet.tab)
            sheet.reload()

    def close_tab(self) -> None:
        current = self.shell.current_tab
        if current is not None:
            self.shell.close_requested.emit(current)

    # ---- view ----------------------------------------------------------------------------------

    def zoom(self, factor: float | None) -> None:
        """Multiply every tab's zoom by `factor` (None: back to 100 %); kept for the profile."""
        current = self.analyst_window.zoom
        wanted = 1.0 if factor is None else current * factor
        self.analyst_window.set_zoom(min(max(wanted, ZOOM_MIN), ZOOM_MAX))

    def toggle_full_screen(self) -> None:
        window = self.shell.window
        if window.isFullScreen():
            window.showNormal()
        else:
            window.showFullScreen()

    # ---- export --------------------------------------------------------------------------------

    def export_pdf(self, path: Path | None = None) -> None:
        """The current sheet as a PDF (QtWebEngine prints it); `export.pdf` {path, ok} follows."""
        sheet = self.analyst_window.current_sheet()
        if sheet is None or sheet.phase is not vs.Phase.LIVE:
            return
        target = path or self.ask_path(self.tr("Export to PDF"), "PDF (*.pdf)")
        if target is None:
            return

        def finished(file_path: str, ok: bool) -> None:
            sheet.page.pdfPrintingFinished.disconnect(finished)
            emit(_log, "export.pdf", path=file_path, ok=ok)

        sheet.page.pdfPrintingFinished.connect(finished)
        sheet.page.printToPdf(str(target))

    def export_png(self, path: Path | None = None) -> bool:
        """The current sheet as it is on screen, as a PNG."""
        sheet = self.analyst_window.current_sheet()
        if sheet is None or sheet.phase is not vs.Phase.LIVE:
            return False
        target = path or self.ask_path(self.tr("Export PNG"), "PNG (*.png)")
        if target is None:
            return False
        saved = bool(sheet.view.grab().save(str(target), "PNG"))
        emit(_log, "export.png", path=str(target), ok=saved)
        return saved

    # ---- engine and session --------------------------------------------------------------------

    def clear_selections(self) -> None:
        """ClearAll in the current tab's app (every tab of that app shows it: one session)."""
        sheet = self.analyst_window.current_sheet()
        doc = self.analyst_window.doc_of(sheet) if sheet is not None else None
        if doc is None:
            return

        async def clear() -> None:
            try:
                await doc.clear_all()
            except (EngineClientError, OSError) as error:
                emit(_log, "sheet.clear_failed", level=logging.WARNING, error=str(error))
            else:
                emit(_log, "sheet.selections_cleared", tab=sheet.tab if sheet else None)

        self._tasks.start(clear())

    def sign_out(self) -> None:
        self._tasks.start(self.analyst_window.sign_out())

    def switch_profile(self) -> None:
        """The user's profiles in a small window; choosing one restarts on it."""
        from viewer.config.loading import user_profiles
        from viewer.ui.profile_picker import ProfilePicker

        names = user_profiles(self.app.profile.locations)
        self.profile_picker = ProfilePicker(names, self.app.profile.name, self.shell.window)
        self.profile_picker.chosen.connect(self.app.switch_profile)
        self.profile_picker.show()
        emit(_log, "profile.picker_shown", profiles=len(names))

    def diagnostics(self) -> None:
        """The `viewer check` steps for this profile, in a window (`diagnostics.done`)."""
        from viewer.commands.check_steps import run_checks
        from viewer.ui.diagnostics import DiagnosticsWindow

        if self.diagnostics_window is None:
            title = self.tr("Diagnostics — {product}").format(
                product=self.app.config.branding.product_name
            )
            self.diagnostics_window = DiagnosticsWindow(title, self.shell.window)
        window = self.diagnostics_window
        window.show_running()
        window.show()
        window.raise_()

        async def check() -> None:
            results = await run_checks(self.app.profile)
            window.show_results(results)
            emit(_log, "diagnostics.done", failed=[r.step for r in results if r.outcome == "fail"])

        self._tasks.start(check())

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from viewer.log import default_log_dir

        folder = default_log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about(self) -> None:
        from viewer import __version__

        branding = self.app.config.branding
        QMessageBox.about(
            self.shell.window,
            branding.product_name,
            f"{branding.product_name} {__version__}\n"
            + self.tr("Qlik Sense sheets, watched and healed."),
        )

    async def close(self) -> None:
        with contextlib.suppress(AuthError, asyncio.CancelledError):
            await self._tasks.cancel()
