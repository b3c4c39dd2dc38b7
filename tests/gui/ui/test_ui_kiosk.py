"""The kiosk shell: fullscreen and frameless, no context menu, the overlay's countdown ticks
down to the planned attempt, the cursor hides when idle, the exit shortcut fires."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import FakeClock, directive_after, make_view

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.core.closes import Initiator
from viewer.core.state import EngineOpened, EngineSuspended, Mode, PageLoaded
from viewer.ui.shells import KioskShell


@pytest.fixture
def kiosk(
    qtbot: QtBot, branding: BrandingConfig, kiosk_config: KioskConfig, clock: FakeClock
) -> Iterator[KioskShell]:
    shell = KioskShell(make_view(), branding, kiosk_config, clock=clock)
    qtbot.addWidget(shell.window)
    shell.show()
    qtbot.waitExposed(shell.window)
    yield shell
    shell.close()


def test_window_is_fullscreen_frameless_without_context_menu(kiosk: KioskShell) -> None:
    window = kiosk.window
    assert window.isFullScreen()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    for widget in (window, window.view, kiosk.overlay):
        assert widget.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu


def test_overlay_counts_down_to_the_planned_attempt(
    kiosk: KioskShell, qtbot: QtBot, clock: FakeClock
) -> None:
    blip = EngineSuspended.from_close(Initiator.NETWORK)
    directive = directive_after(
        EngineOpened(), PageLoaded(), blip, mode=Mode.KIOSK, start=clock.now
    )
    assert directive.recovery is not None
    assert directive.recovery.due_at is not None
    clock.now = directive.recovery.due_at - 3  # the deadline is 3 s away
    kiosk.render(directive)
    countdown = kiosk.overlay.panel.countdown
    assert countdown.isVisible()
    assert countdown.text() == "Next attempt in 3 s"
    assert kiosk.overlay.panel.message.text() == "Connection lost. Reconnecting…"
    clock.now += 1.5
    qtbot.waitUntil(lambda: countdown.text() == "Next attempt in 2 s", timeout=2000)
    clock.now += 1.5
    qtbot.waitUntil(lambda: countdown.text() == "Trying again now…", timeout=2000)


def test_overlay_countdown_follows_the_real_clock(
    qtbot: QtBot, branding: BrandingConfig, kiosk_config: KioskConfig
) -> None:
    shell = KioskShell(make_view(), branding, kiosk_config)
    qtbot.addWidget(shell.window)
    shell.show()
    blip = EngineSuspended.from_close(Initiator.NETWORK)
    directive = directive_after(
        EngineOpened(), PageLoaded(), blip, mode=Mode.KIOSK, start=time.monotonic() - 2.0
    )
    shell.render(directive)
    countdown = shell.overlay.panel.countdown
    first = countdown.text()
    qtbot.waitUntil(lambda: countdown.text() != first, timeout=3000)
    shell.close()


def test_exit_shortcut_fires(kiosk: KioskShell, qtbot: QtBot) -> None:
    kiosk.window.activateWindow()
    qtbot.waitActive(kiosk.window)
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(kiosk.exit_requested, timeout=2000):
        QTest.keyClick(kiosk.window, Qt.Key.Key_X, modifiers)


def test_cursor_hides_when_idle_and_returns_on_movement(kiosk: KioskShell, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: kiosk.cursor.hidden, timeout=3000)
    cursor = QApplication.overrideCursor()
    assert cursor is not None
    assert cursor.shape() is Qt.CursorShape.BlankCursor
    QTest.mouseMove(kiosk.window, QPoint(30, 40))
    QTest.mouseMove(kiosk.window, QPoint(60, 80))
    assert not kiosk.cursor.hidden
    assert QApplication.overrideCursor() is None
    qtbot.waitUntil(lambda: kiosk.cursor.hidden, timeout=3000)  # idle again: hidden again
