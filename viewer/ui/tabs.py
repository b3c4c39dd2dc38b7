"""The analyst's window: one tab per sheet, each a `SheetPane` (its view, or the cover in its
place while that sheet is not LIVE), a status bar for the current tab and the branded dialog
for the current tab's notice.

Like the other shells it only renders `Directive`s (per tab) and reports the user's wishes as
signals carrying the tab's id; the decisions are each sheet's state machine's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from viewer.config.models import BrandingConfig
from viewer.core.state import Directive, Phase
from viewer.log import emit, get_logger
from viewer.ui.branding import window_style
from viewer.ui.dialog import StateDialog
from viewer.ui.i18n import missing_translation_notice
from viewer.ui.pane import SheetPane
from viewer.ui.sheet_menu import SheetActions
from viewer.ui.shells import Backdrop, dialog_directive
from viewer.ui.status import PHASE_COLOURS, StatusIndicator
from viewer.ui.window import ClosableWindow

_log = get_logger("ui")


def phase_icon(phase: Phase, size: int = 12) -> QIcon:
    """A filled dot in the phase's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(PHASE_COLOURS[phase]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


@dataclass
class _Tab:
    pane: SheetPane
    title: str
    directive: Directive | None = None
    latency_ms: float | None = None
    data_as_of: str = ""
    step: str | None = None
    actions: SheetActions | None = None


class TabbedShell(QObject):
    """A window of sheet tabs. Signals carry the tab id: `reconnect_requested(tab)`,
    `sign_in_requested(tab)`, `close_requested(tab)` (the tab's close button, or the notice's
    Close tab), `current_changed(tab)` ("" when no tab is left). Quitting is the menu's."""

    reconnect_requested = Signal(str)
    sign_in_requested = Signal(str)
    close_requested = Signal(str)
    reload_requested = Signal(str)
    current_changed = Signal(str)

    def __init__(
        self,
        branding: BrandingConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.branding = branding
        self.window = ClosableWindow(branding.product_name)
        self.window.setStyleSheet(window_style(branding))
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setObjectName("sheet-tabs")
        self.window.setCentralWidget(self.tabs)
        self.status = StatusIndicator()
        self.data_as_of = QLabel()
        self.data_as_of.setObjectName("data-as-of")
        self.window.statusBar().addPermanentWidget(self.data_as_of)
        self.window.statusBar().addPermanentWidget(self.status)
        self.status.hide()  # it speaks of the current tab: none yet
        warning = missing_translation_notice()
        if warning is not None:
            self.window.statusBar().showMessage(warning)
        # the notice speaks for the tab on screen: its way out closes that tab, not every tab
        self.dialog = StateDialog(
            branding, clock=clock, parent=self.window, quit_label=self.tr("Close tab")
        )
        self.dialog.reconnect_requested.connect(lambda: self._ask(self.reconnect_requested))
        self.dialog.sign_in_requested.connect(lambda: self._ask(self.sign_in_requested))
        self.dialog.quit_requested.connect(lambda: self._ask(self.close_requested))
        self._tabs: dict[str, _Tab] = {}
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.tabs.tabCloseRequested.connect(self._on_tab_close_requested)
        self._subtitle = ""

    # ---- tabs ---------------------------------------------------------------------------------

    def add_tab(self, tab: str, view: QWidget, title: str) -> SheetPane:
        """A new tab for `view` (its cover shown until a directive says LIVE), made current."""
        pane = SheetPane(view, Backdrop(self.branding), tab=tab)
        pane.setObjectName(f"tab-{tab}")
        # the view's own menu (Reload sheet, Copy, Print…); F5 is the menu bar's
        actions = SheetActions(view, self.window, keys=False)
        actions.reload_requested.connect(lambda: self.reload_requested.emit(tab))
        self._tabs[tab] = _Tab(pane, title, actions=actions)
        index = self.tabs.addTab(pane, phase_icon(Phase.CONNECTING), title)
        self.tabs.setTabToolTip(index, title)
        self.tabs.setCurrentIndex(index)
        self.status.show()
        return pane

    def remove_tab(self, tab: str) -> None:
        """Take the tab away; its view leaves the window (it is the sheet's to delete)."""
        entry = self._tabs.pop(tab, None)
        if entry is None:
            return
        entry.pane.set_view_visible(False)
        self.tabs.removeTab(self.tabs.indexOf(entry.pane))
        entry.pane.removeWidget(entry.pane.view)
        entry.pane.view.setParent(None)
        entry.pane.deleteLater()
        if not self._tabs:
            self.dialog.hide()
            self.status.hide()
            self.data_as_of.clear()

    def tab_ids(self) -> list[str]:
        """The open tabs, left to right."""
        order = {self.tabs.indexOf(entry.pane): tab for tab, entry in self._tabs.items()}
        return [order[index] for index in sorted(order)]

    def pane(self, tab: str) -> SheetPane:
        return self._tabs[tab].pane

    @property
    def current_tab(self) -> str | None:
        widget = self.tabs.currentWidget()
        return next((tab for tab, entry in self._tabs.items() if entry.pane is widget), None)

    def set_current(self, tab: str) -> None:
        entry = self._tabs.get(tab)
        if entry is not None:
            self.tabs.setCurrentWidget(entry.pane)

    def step_current(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) tab, round the ends."""
        count = self.tabs.count()
        if count:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % count)

    def set_tab_title(self, tab: str, title: str) -> None:
        entry = self._tabs.get(tab)
        if entry is None:
            return
        entry.title = title
        index = self.tabs.indexOf(entry.pane)
        self.tabs.setTabText(index, title)
        self.tabs.setTabToolTip(index, title)
        if tab == self.current_tab:
            self._show_title()

    def set_subtitle(self, subtitle: str) -> None:
        """What the window title says after the sheet (the user, for example)."""
        self._subtitle = subtitle
        self._show_title()

    # ---- rendering ---------------------------------------------------------------------------

    def show(self) -> None:
        self.window.show()

    def close(self) -> None:
        """Close the dialog and the window."""
        self.dialog.close()
        self.window.close_for_good()

    def render(self, tab: str, directive: Directive) -> None:
        """Apply a directive to its tab: that tab's view first (hidden at once when not LIVE),
        its state dot, then — for the current tab — the status bar and the dialog."""
        entry = self._tabs.get(tab)
        if entry is None:
            return
        entry.pane.set_view_visible(directive.view_visible)
        entry.directive = directive
        index = self.tabs.indexOf(entry.pane)
        self.tabs.setTabIcon(index, phase_icon(directive.phase))
        if tab == self.current_tab:
            self._show_current(entry)

    def show_progress(self, tab: str, step: str | None) -> None:
        """Which step of connecting tab `tab` is in (the dialog says it for the current tab)."""
        entry = self._tabs.get(tab)
        if entry is None:
            return
        entry.step = step
        if tab == self.current_tab:
            self.dialog.panel.show_progress(step)

    def show_latency(self, tab: str, latency_ms: float | None) -> None:
        entry = self._tabs.get(tab)
        if entry is None:
            return
        entry.latency_ms = latency_ms
        if tab == self.current_tab:
            self.status.show_latency(latency_ms)

    def show_data_as_of(self, tab: str, last_reload: str) -> None:
        """The tab's app's last reload (ISO 8601; "" unknown) as "Data as of …"."""
        entry = self._tabs.get(tab)
        if entry is None:
            return
        entry.data_as_of = last_reload
        if tab == self.current_tab:
            self._show_data_as_of(entry)

    def _show_data_as_of(self, entry: _Tab) -> None:
        when = entry.data_as_of[:16].replace("T", " ")
        self.data_as_of.setText(self.tr("Data as of {when}").format(when=when) if when else "")

    def _show_current(self, entry: _Tab) -> None:
        self._show_data_as_of(entry)
        if entry.directive is not None:
            self.status.show_phase(entry.directive.phase)
            self.dialog.panel.show_progress(entry.step)
            self.dialog.show_directive(dialog_directive(entry.directive))
        self.status.show_latency(entry.latency_ms)

    def _show_title(self) -> None:
        current = self.current_tab
        parts = [self._tabs[current].title] if current is not None else []
        parts += [self._subtitle] if self._subtitle else []
        parts.append(self.branding.product_name)
        self.window.setWindowTitle(" — ".join(parts))

    def _on_current_changed(self, _index: int) -> None:
        current = self.current_tab
        emit(_log, "tab.current", tab=current or "")
        if current is not None:
            self._show_current(self._tabs[current])
        self._show_title()
        self.current_changed.emit(current or "")

    def _on_tab_close_requested(self, index: int) -> None:
        widget = self.tabs.widget(index)
        tab = next((t for t, entry in self._tabs.items() if entry.pane is widget), None)
        if tab is not None:
            self.close_requested.emit(tab)

    def _ask(self, signal: SignalInstance) -> None:
        current = self.current_tab
        if current is not None:
            signal.emit(current)
