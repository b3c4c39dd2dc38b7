"""The kiosk's full-window branded overlay: the state's message, the reason and a countdown to
the next automatic attempt, shown in place of the sheet, in letters sized for a wall (relative
to the screen's height); at its foot, a warning about the installation (a missing translation)
when there is one."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig
from viewer.core.state import Directive
from viewer.log import emit, get_logger
from viewer.ui.branding import NOTICE_OBJECT_NAME, notice_style
from viewer.ui.notice import NoticePanel

_log = get_logger("ui")


class KioskOverlay(QWidget):
    """Fills the window with the branding's background and the notice of the current state."""

    def __init__(
        self, branding: BrandingConfig, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.setObjectName(NOTICE_OBJECT_NAME)
        self.setStyleSheet(notice_style(branding))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the branding's colour
        self.panel = NoticePanel(branding, logo_height=128, clock=clock)
        self._scaled_for: int | None = None
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.panel)
        layout.addStretch(1)
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        layout.addWidget(self.warning)
        self._shown_kind: str | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Texts sized for a wall: relative to the overlay's height (the screen's, fullscreen)."""
        super().resizeEvent(event)
        height = event.size().height()
        if height > 0 and height != self._scaled_for:
            self._scaled_for = height
            self.panel.scale_for_wall(height)

    def show_warning(self, text: str | None) -> None:
        """Show `text` at the overlay's foot (None hides it)."""
        self.warning.setText(text or "")
        self.warning.setVisible(text is not None)

    def show_directive(self, directive: Directive) -> None:
        """Fill the overlay for `directive` (the window decides whether it is on screen)."""
        self.panel.show_directive(directive)
        kind = directive.notice.value if directive.notice is not None else None
        if kind is not None and kind != self._shown_kind:
            emit(_log, "dialog.shown", kind=kind)
        self._shown_kind = kind
