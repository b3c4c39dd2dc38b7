"""The branded content every notice shares — logo, product name, the state's message, the
reason and the countdown — filled from a `Directive`; the dialog and the overlay embed it."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig
from viewer.core.state import Directive, Phase
from viewer.ui.branding import logo_pixmap
from viewer.ui.countdown import CountdownLabel
from viewer.ui.i18n import state_message
from viewer.ui.reasons import reason_text, step_text

# text heights on a wall, as fractions of the screen's height
WALL_MESSAGE = 1 / 20
WALL_PRODUCT = 1 / 26
WALL_REASON = 1 / 30
WALL_COUNTDOWN = 1 / 30


class NoticePanel(QWidget):
    """Logo, product name, message, reason and countdown, stacked and centred."""

    def __init__(
        self,
        branding: BrandingConfig,
        *,
        logo_height: int,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._branding = branding
        self.logo = QLabel()
        self._set_logo(logo_height)
        self.product = QLabel(branding.product_name)
        self.product.setObjectName("product")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.countdown = CountdownLabel(clock)
        self._step: str | None = None
        layout = QVBoxLayout(self)
        for label in (self.logo, self.product, self.message, self.reason, self.countdown):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(label is not self.logo)
            layout.addWidget(label)
        font = self.product.font()
        font.setBold(True)
        self.product.setFont(font)

    def show_progress(self, step: str | None) -> None:
        """Say which step of connecting is under way (None: none), in place of a reason."""
        self._step = step_text(step)
        if self._step is not None:
            self.reason.setText(self._step)
            self.reason.setVisible(True)

    def _set_logo(self, height: int) -> None:
        """The logo at `height` pixels; the label never gets smaller than the picture."""
        pixmap = logo_pixmap(self._branding, height)
        self.logo.setPixmap(pixmap)
        self.logo.setMinimumSize(pixmap.size())

    def scale_for_wall(self, screen_height: int) -> None:
        """Size logo and texts for a wall display `screen_height` pixels high, read from a few
        metres: the message about a twentieth of the screen's height (54 px on 1080 lines,
        about 2.5 cm on a 55" panel, which reads from 3 m), the rest in proportion."""
        self._set_logo(max(64, screen_height // 6))
        sizes = {
            self.product: WALL_PRODUCT,
            self.message: WALL_MESSAGE,
            self.reason: WALL_REASON,
            self.countdown: WALL_COUNTDOWN,
        }
        for label, fraction in sizes.items():
            font = label.font()
            font.setPixelSize(max(12, round(screen_height * fraction)))
            label.setFont(font)

    def show_directive(self, directive: Directive) -> None:
        """Fill in the texts for `directive` (a directive without a notice clears them)."""
        key = directive.message_key
        self.message.setText(state_message(self._branding.messages, key) if key else "")
        if directive.phase is not Phase.CONNECTING:
            self._step = None
        reason = reason_text(directive.reason_key) or self._step
        self.reason.setText(reason or "")
        self.reason.setVisible(reason is not None)
        recovery = directive.recovery
        self.countdown.set_deadline(recovery.due_at if recovery is not None else None)
