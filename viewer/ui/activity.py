"""Notices a person at the screen: touch, mouse and key input in the kiosk window.

Like the idle cursor, it watches the window's own QWindow, where every input event of that
window arrives before Qt hands it to a child widget (the web view included) — never the whole
application (an application-wide Python event filter hung a fullscreen web view, see
viewer.ui.cursor). It only reports; what input means is the features' business."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.KeyPress,
    }
)


class InputWatcher(QObject):
    """Calls `on_input()` for every touch, mouse or key event of the watched window."""

    def __init__(self, on_input: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_input = on_input
        self._watched: QWindow | None = None

    def start(self, window: QWidget) -> bool:
        """Watch the (shown) top-level `window`; False when it has no native window yet."""
        handle = window.windowHandle()
        if handle is None:
            return False
        handle.installEventFilter(self)
        self._watched = handle
        return True

    def stop(self) -> None:
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self._on_input()
        return False
