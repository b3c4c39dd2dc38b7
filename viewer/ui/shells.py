"""The kiosk shell (fullscreen, frameless, no context menu, a branded overlay, an idle cursor,
an exit shortcut), and what the analyst's window (`viewer.ui.tabs.TabbedShell`) shares with
it: the branded backdrop in a sheet's place and what its dialog shows for a directive.

Shells only render `Directive`s and report the user's wishes as signals; the decisions are the
state machine's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.core.state import Directive, Phase
from viewer.ui.branding import NOTICE_OBJECT_NAME, logo_pixmap, notice_style, window_style
from viewer.ui.cursor import IdleCursorHider
from viewer.ui.i18n import missing_translation_notice
from viewer.ui.overlay import KioskOverlay
from viewer.ui.sheet_menu import SheetActions
from viewer.ui.window import ViewerWindow


class Backdrop(QWidget):
    """What the desktop window shows instead of the sheet: the branding's colour and logo."""

    def __init__(self, branding: BrandingConfig) -> None:
        super().__init__()
        self.setObjectName(NOTICE_OBJECT_NAME)
        self.setStyleSheet(notice_style(branding))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the branding's colour
        logo = QLabel()
        logo.setPixmap(logo_pixmap(branding, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(logo)


def dialog_directive(directive: Directive) -> Directive:
    """What the desktop's dialog shows for `directive`: nothing while a sign-in window opens (or
    is open) by itself, which is then the one prompt; else the directive's notice."""
    if directive.phase is Phase.AUTH_REQUIRED and not directive.waits_for_user:
        return replace(directive, phase=Phase.LIVE)
    return directive


class KioskShell(QObject):
    """A fullscreen, frameless window with the sheet or the branded overlay, nothing else (no
    context menu); F5 / Ctrl+R ask for a reload (`reload_requested`)."""

    exit_requested = Signal()
    reload_requested = Signal()

    def __init__(
        self,
        view: QWidget,
        branding: BrandingConfig,
        kiosk: KioskConfig,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.overlay = KioskOverlay(branding, clock=clock)
        self.overlay.show_warning(missing_translation_notice())
        self.window = ViewerWindow(view, self.overlay, branding.product_name)
        self.window.setStyleSheet(window_style(branding))
        self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        for widget in (self.window, view, self.overlay):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.sheet_actions = SheetActions(view, self.window, context_menu=False)
        self.sheet_actions.reload_requested.connect(self.reload_requested)
        self.exit_shortcut = QShortcut(QKeySequence(kiosk.exit_shortcut), self.window)
        self.exit_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.exit_shortcut.activated.connect(self.exit_requested)
        self.cursor = IdleCursorHider(kiosk.hide_cursor_after_s, self)

    def show(self) -> None:
        """Cover the whole screen. Wall displays often run X without a window manager, where
        "fullscreen" alone changes nothing: the geometry is set explicitly as well, and again
        whenever the screen changes (a display plugged in or its resolution changed)."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.window.setGeometry(screen.geometry())
            screen.geometryChanged.connect(self.window.setGeometry)
        self.window.showFullScreen()
        self.cursor.start(self.window)

    def close(self) -> None:
        """Give the cursor back and close the window."""
        self.cursor.stop()
        self.window.close_for_good()

    def render(self, directive: Directive) -> None:
        """Apply a directive: the view first (hidden at once when not LIVE), then the overlay."""
        self.window.set_view_visible(directive.view_visible)
        self.overlay.show_directive(directive)

    def show_latency(self, latency_ms: float | None) -> None:
        """The kiosk shows no status bar: nothing to update."""

    def show_progress(self, step: str | None) -> None:
        """Which step of connecting is under way (the overlay says it while CONNECTING)."""
        self.overlay.panel.show_progress(step)
