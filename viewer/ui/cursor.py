"""Hides the mouse cursor after a while without mouse activity, for wall displays.

It watches the kiosk window's own QWindow, where every mouse event of that window arrives
before Qt hands it to a child widget — never the whole application: an application-wide
Python event filter sees every event of QtWebEngine's widgets and hung a fullscreen window
the moment the web view was shown."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCursor, QWindow
from PySide6.QtWidgets import QApplication, QWidget

_ACTIVITY = frozenset(
    {
        QEvent.Type.MouseMove,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletMove,
    }
)


class IdleCursorHider(QObject):
    """Blanks the cursor application-wide after `idle_s` seconds without mouse activity and
    brings it back on the next movement. `idle_s == 0` disables it."""

    def __init__(self, idle_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hidden = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(round(idle_s * 1000))
        self._timer.timeout.connect(self._on_timer_timeout)
        self._enabled = idle_s > 0
        self._watched: QWindow | None = None

    @property
    def hidden(self) -> bool:
        return self._hidden

    def start(self, window: QWidget) -> None:
        """Start watching the (shown) top-level `window` (no-op when disabled)."""
        handle = window.windowHandle()
        if self._enabled and handle is not None:
            handle.installEventFilter(self)
            self._watched = handle
            self._timer.start()

    def stop(self) -> None:
        """Stop watching and give the cursor back."""
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = None
        self._timer.stop()
        self._show_cursor()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._show_cursor()
            self._timer.start()
        return False

    def _on_timer_timeout(self) -> None:
        if not self._hidden:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._hidden = True

    def _show_cursor(self) -> None:
        if self._hidden:
            QApplication.restoreOverrideCursor()
            self._hidden = False
