"""The main windows: `ClosableWindow` (closing it by hand asks for the ordered shutdown instead
of closing at once) and `ViewerWindow`, which hosts one sheet's pane (its view and the cover in
a stack, so the view is hidden — not merely covered — the moment a directive says so)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Signal
from PySide6.QtGui import QCloseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QMainWindow, QWidget

from viewer.ui.branding import WINDOW_OBJECT_NAME
from viewer.ui.pane import SheetPane


class ClosableWindow(QMainWindow):
    """Closing it by hand (window manager, Alt+F4) only emits `close_requested`: the application
    runs its ordered shutdown and then calls `close_for_good()`."""

    close_requested = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName(WINDOW_OBJECT_NAME)
        self.setWindowTitle(title)
        self._closing = False

    def screenshot(self) -> QPixmap:
        """What is on screen over this window: the window, and each visible dialog of it (a
        separate top-level window) painted where it stands over the window."""
        image = super().grab()
        painter = QPainter(image)
        origin = self.mapToGlobal(QPoint(0, 0))
        ratio = image.devicePixelRatio() or 1.0
        for child in self.findChildren(QWidget):
            if child.isWindow() and child.isVisible() and child is not self:
                shot = child.grab()
                place = child.mapToGlobal(QPoint(0, 0)) - origin
                painter.drawPixmap(QRect(place, shot.size() / ratio), shot)
        painter.end()
        return image

    def grab(self, rectangle: QRect | None = None) -> QPixmap:
        """`grab()` of the whole window is `screenshot()` (the dialogs over it included), so a
        `--screenshot` shows what the user saw; a part of the window is grabbed as Qt does."""
        if rectangle is None:
            return self.screenshot()
        return super().grab(rectangle)

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
