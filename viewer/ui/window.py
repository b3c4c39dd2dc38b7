"""The main windows: `ClosableWindow` (closing it by hand asks for the ordered shutdown instead
of closing at once) and `ViewerWindow`, which hosts one sheet's pane (its view and the cover in
a stack, so the view is hidden — not merely covered — the moment a directive says so)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from viewer.ui.pane import SheetPane


class ClosableWindow(QMainWindow):
    """Closing it by hand (window manager, Alt+F4) only emits `close_requested`: the application
    runs its ordered shutdown and then calls `close_for_good()`."""

    close_requested = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setWindowTitle(title)
        self._closing = False

    def close_for_good(self) -> None:
        """Close the window (the shutdown path)."""
        self._closing = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            super().closeEvent(event)
            return
        event.ignore()
        self.close_requested.emit()


class ViewerWindow(ClosableWindow):
    """A window showing either `view` or `cover`, never both: switching hides the other at once."""

    def __init__(self, view: QWidget, cover: QWidget, title: str) -> None:
        super().__init__(title)
        self.view = view
        self.cover = cover
        self.pane = SheetPane(view, cover)
        self.setCentralWidget(self.pane)

    @property
    def view_visible(self) -> bool:
        """What the last directive asked for (True only while LIVE)."""
        return self.pane.view_visible

    def set_view_visible(self, visible: bool) -> None:
        """Show the view, or hide it synchronously and show the cover in its place."""
        self.pane.set_view_visible(visible)
