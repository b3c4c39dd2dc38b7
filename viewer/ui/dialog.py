"""The desktop's branded, non-modal notice: what happened, and buttons for the user's choices
(Reconnect, Sign in again, Quit) emitted as signals. It never decides anything and is never
`exec()`-ed. It sizes itself to its content — wide enough for a sentence per line, the logo
whole, every button label whole — and stands centred over the window it belongs to."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLayout, QPushButton, QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig
from viewer.core.state import Directive, UserAction
from viewer.log import emit, get_logger
from viewer.ui.branding import NOTICE_OBJECT_NAME, notice_style
from viewer.ui.notice import NoticePanel

_log = get_logger("ui")

TEXT_WIDTH_EM = 48  # the width of the notice's text, in average letters: a sentence per line


class StateDialog(QDialog):
    """Shows the notice of a directive; the buttons offered are the directive's `offers`."""

    reconnect_requested = Signal()
    sign_in_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self,
        branding: BrandingConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
        quit_label: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.setObjectName(NOTICE_OBJECT_NAME)
        self.setStyleSheet(notice_style(branding))
        self.setWindowTitle(branding.product_name)
        self.panel = NoticePanel(branding, logo_height=64, clock=clock)
        self.reconnect_button = QPushButton(self.tr("Reconnect"))
        self.sign_in_button = QPushButton(self.tr("Sign in again"))
        self.quit_button = QPushButton(quit_label or self.tr("Quit"))  # a tab: "Close tab"
        self._buttons = {
            UserAction.RECONNECT: self.reconnect_button,
            UserAction.SIGN_IN: self.sign_in_button,
            UserAction.QUIT: self.quit_button,
        }
        self.reconnect_button.clicked.connect(self.reconnect_requested)
        self.sign_in_button.clicked.connect(self.sign_in_requested)
        self.quit_button.clicked.connect(self.quit_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in self._buttons.values():
            button.setAutoDefault(False)
            button.setMinimumWidth(button.sizeHint().width())  # a label is never cut
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.panel.setMinimumWidth(self.fontMetrics().averageCharWidth() * TEXT_WIDTH_EM)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.panel)
        layout.addLayout(buttons)
        self._shown_kind: str | None = None

    def show_directive(self, directive: Directive) -> None:
        """Show (non-modally) the notice for `directive`, or hide the dialog when it has none."""
        notice = directive.notice
        if notice is None:
            self._shown_kind = None
            self.hide()
            return
        self.panel.show_directive(directive)
        for action, button in self._buttons.items():
            button.setVisible(action in directive.offers)
        appearing = not self.isVisible()
        if appearing or self._shown_kind != notice.value:
            emit(_log, "dialog.shown", kind=notice.value)
            self._focus_the_fix(directive)
        self._shown_kind = notice.value
        self.adjustSize()
        if appearing:
            self.move(self._centred_position())
        self.show()
        self.raise_()

    def _focus_the_fix(self, directive: Directive) -> None:
        """Put the keyboard focus on the button that fixes the state (Reconnect or Sign in
        again), so Space presses it: never left on a button this notice hides, from where Qt
        would pass it on to Quit."""
        fix = next(
            (button for action, button in self._buttons.items() if action in directive.offers),
            None,
        )
        if fix is not None:
            fix.setFocus(Qt.FocusReason.OtherFocusReason)

    def _centred_position(self) -> QPoint:
        """Top-left corner that centres the dialog over its window (or its screen), kept on
        the screen."""
        parent = self.parentWidget()
        size = self.frameGeometry().size() if self.isVisible() else self.size()
        if parent is not None and parent.isVisible():
            area = parent.frameGeometry()
        else:
            screen = QGuiApplication.primaryScreen()
            area = screen.availableGeometry() if screen is not None else self.geometry()
        x = area.x() + (area.width() - size.width()) // 2
        y = area.y() + (area.height() - size.height()) // 2
        screen = QGuiApplication.screenAt(area.center()) or QGuiApplication.primaryScreen()
        if screen is not None:
            bounds = screen.availableGeometry()
            x = max(bounds.left(), min(x, bounds.right() - size.width()))
            y = max(bounds.top(), min(y, bounds.bottom() - size.height()))
        return QPoint(x, y)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window only hides it: the state still stands (the view stays hidden)."""
        self._shown_kind = None
        super().closeEvent(event)
