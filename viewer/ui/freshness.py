"""The "Data as of HH:MM" badge of a wall display: a small label in the top-right corner of the
kiosk window, above the sheet; a warning colour when the data is older than allowed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QWidget

MARGIN_PX = 12
_STYLE = (
    "QLabel {{ background: {background}; color: {text}; padding: 4px 10px;"
    " border-radius: 4px; font-size: 14px; }}"
)
STALE_COLOUR = "#c62828"
NORMAL = _STYLE.format(background="rgba(0, 0, 0, 150)", text="#ffffff")
STALE = _STYLE.format(background=STALE_COLOUR, text="#ffffff")


class FreshnessBadge(QLabel):
    """A label kept in the top-right corner of `window` (hidden until `show_freshness`)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("freshnessBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.stale = False
        self.setStyleSheet(NORMAL)
        self.hide()
        window.installEventFilter(self)

    def show_freshness(self, text: str, *, stale: bool) -> None:
        """Show `text`, in the warning colour when `stale`."""
        if stale != self.stale:
            self.stale = stale
            self.setStyleSheet(STALE if stale else NORMAL)
        self.setText(text)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.width() - MARGIN_PX, MARGIN_PX)
