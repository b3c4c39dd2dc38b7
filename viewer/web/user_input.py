"""`UserInputWatch`: notices a user's own click or Enter on the widget that shows a page. Qt
delivers those as input events to the view's focus proxy; a script's synthetic click never
becomes one, which is what lets `ExternalOpenGate` tell a user's link from a page's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWebEngineCore import QWebEnginePage

_ACTIVATING_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space})


def activates(event: QEvent) -> bool:
    """A click (left or middle button released) or a key that follows a link."""
    if isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseButtonRelease:
        return event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton)
    if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
        return Qt.Key(event.key()) in _ACTIVATING_KEYS
    return False


class UserInputWatch(QObject):
    """Calls `on_input` at each activating input on the view showing `page`. Call `follow()`
    whenever the view may have changed (each load: a new renderer brings a new widget).

    Input can only come while the view is on screen, and the first look at its input widget
    costs tens of milliseconds (its Python wrapper is made then): `follow()` on a hidden view
    (the viewer's, until the sheet is LIVE) waits until the view is shown, and looks as it is
    shown. Not a turn of the loop later: a right-click that came in between was lost (the
    view's own menu never opened; tests/e2e/test_sheet_view_not_a_browser.py)."""

    def __init__(self, page: QWebEnginePage, on_input: Callable[[], object]) -> None:
        super().__init__(page)
        self._page = page
        self._on_input = on_input
        self._source: QObject | None = None
        self._view: QObject | None = None  # the hidden view whose Show event is awaited

    def follow(self) -> None:
        from PySide6.QtWebEngineWidgets import QWebEngineView

        view = QWebEngineView.forPage(self._page)
        if view is None:
            return
        if not view.isVisible():
            if self._view is not view:
                view.installEventFilter(self)
                self._view = view
            return
        source = view.focusProxy()
        if source is None or source is self._source:
            return
        source.installEventFilter(self)
        self._source = source

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._source and activates(event):
            self._on_input()
        elif watched is self._view and event.type() == QEvent.Type.Show:
            self.follow()
        return False
