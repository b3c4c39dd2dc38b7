"""Helpers of the UI widget tests: a stand-in for the web view painted in a colour no branding
uses, a pixel check for it, a hand-moved clock, directives from the real state machine, and the
analyst's window with one tab."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QWidget

from viewer.config.models import BrandingConfig
from viewer.core.backoff import ReconnectPolicy
from viewer.core.state import Directive, Event, Mode, ViewerState
from viewer.ui.tabs import TabbedShell

ONE_TAB = "t1"

VIEW_COLOUR = QColor(255, 0, 255)  # magenta: neither the default branding nor Qt's style


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_view() -> QWidget:
    """A widget standing in for the QWebEngineView: filled with VIEW_COLOUR."""
    view = QWidget()
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Window, VIEW_COLOUR)
    view.setPalette(palette)
    view.setAutoFillBackground(True)
    return view


def has_view_pixels(image: QImage) -> bool:
    """True when any pixel of `image` has the view's colour."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    wanted = VIEW_COLOUR.rgb() & 0xFFFFFFFF
    pixels = memoryview(rgb.constBits()).cast("I")
    return wanted in pixels


def directive_after(*events: Event, mode: Mode = Mode.DESKTOP, start: float = 1000.0) -> Directive:
    """The directive the real state machine gives after `events`, one second apart."""
    policy = ReconnectPolicy(min_delay=3.0, max_delay=30.0, retryable_min_delay=5.0, jitter=0.0)
    state = ViewerState.start(mode, policy=policy)
    directive = state.directive
    for offset, event in enumerate(events):
        state, directive = state.handle(event, start + offset)
    return directive


def one_tab_window(
    view: QWidget, branding: BrandingConfig, *, clock: Callable[[], float] = time.monotonic
) -> TabbedShell:
    """The analyst's window (`TabbedShell`) with one tab, `ONE_TAB`, showing `view`."""
    shell = TabbedShell(branding, clock=clock)
    shell.add_tab(ONE_TAB, view, "Sheet")
    return shell
