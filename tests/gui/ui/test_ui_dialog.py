"""The desktop dialog: non-modal, branded, the state's message, and buttons that only emit
signals — the buttons offered are the directive's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from ui_helpers import ONE_TAB, directive_after, make_view, one_tab_window

from viewer.config.models import BrandingConfig
from viewer.core.closes import Initiator, classify_close
from viewer.core.state import AuthRequired, EngineClosed, EngineOpened, PageLoaded, Phase
from viewer.ui.dialog import StateDialog
from viewer.ui.status import PHASE_COLOURS
from viewer.ui.tabs import TabbedShell

SERVER_ENDED = directive_after(
    EngineOpened(), PageLoaded(), EngineClosed(classify_close(1000, "", Initiator.REMOTE))
)
AUTH = directive_after(EngineOpened(), PageLoaded(), AuthRequired())


@pytest.fixture
def dialog(qtbot: QtBot, branding: BrandingConfig) -> Iterator[StateDialog]:
    built = StateDialog(branding)
    qtbot.addWidget(built)
    yield built
    built.close()


def test_dialog_is_non_modal_and_branded(dialog: StateDialog, qtbot: QtBot) -> None:
    dialog.show_directive(SERVER_ENDED)
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    assert dialog.windowTitle() == "Sales Wall"
    assert dialog.panel.product.text() == "Sales Wall"
    assert dialog.panel.message.text() == "The session has ended."
    assert dialog.panel.reason.text() == "The server ended the session."
    assert not dialog.panel.logo.pixmap().isNull()


@pytest.mark.parametrize(
    ("button", "signal"),
    [
        ("reconnect_button", "reconnect_requested"),
        ("quit_button", "quit_requested"),
    ],
)
def test_buttons_emit_signals(dialog: StateDialog, qtbot: QtBot, button: str, signal: str) -> None:
    dialog.show_directive(SERVER_ENDED)
    with qtbot.waitSignal(getattr(dialog, signal), timeout=2000):
        QTest.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "clicking only asks; the next directive decides"


def test_sign_in_offered_when_auth_is_due(dialog: StateDialog, qtbot: QtBot) -> None:
    dialog.show_directive(AUTH)
    assert dialog.sign_in_button.isVisible()
    assert not dialog.reconnect_button.isVisible()
    with qtbot.waitSignal(dialog.sign_in_requested, timeout=2000):
        QTest.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_live_hides_the_dialog(dialog: StateDialog) -> None:
    dialog.show_directive(SERVER_ENDED)
    assert dialog.isVisible()
    dialog.show_directive(directive_after(EngineOpened(), PageLoaded()))
    assert not dialog.isVisible()


def _window_showing_a_server_close(qtbot: QtBot, branding: BrandingConfig) -> TabbedShell:
    shell = one_tab_window(make_view(), branding)
    qtbot.addWidget(shell.window)
    shell.show()
    shell.render(ONE_TAB, SERVER_ENDED)
    return shell


def test_a_tabs_notice_offers_to_close_that_tab_not_to_quit_every_tab(
    qtbot: QtBot, branding: BrandingConfig
) -> None:
    shell = _window_showing_a_server_close(qtbot, branding)
    assert shell.dialog.quit_button.text() == "Close tab"
    with qtbot.waitSignal(shell.close_requested, timeout=2000) as closing:
        QTest.mouseClick(shell.dialog.quit_button, Qt.MouseButton.LeftButton)
    assert closing.args == [ONE_TAB]


def test_the_window_forwards_dialog_signals_for_the_current_tab_and_shows_status(
    qtbot: QtBot, branding: BrandingConfig
) -> None:
    shell = _window_showing_a_server_close(qtbot, branding)
    with qtbot.waitSignal(shell.reconnect_requested, timeout=2000) as reconnect:
        QTest.mouseClick(shell.dialog.reconnect_button, Qt.MouseButton.LeftButton)
    assert reconnect.args == [ONE_TAB]
    assert "Closed" in shell.status.plain_text
    assert PHASE_COLOURS[Phase.CLOSED] in shell.status.text()  # the dot in the state's colour
    shell.render(ONE_TAB, directive_after(EngineOpened(), PageLoaded()))
    shell.show_latency(ONE_TAB, 41.6)
    assert shell.status.plain_text == "● Live · 42 ms"
    assert PHASE_COLOURS[Phase.LIVE] in shell.status.text()
    shell.dialog.close()


@pytest.mark.parametrize("between_live", [False, True])
def test_the_keyboard_focus_is_on_the_right_action_never_on_quit(
    dialog: StateDialog, qtbot: QtBot, between_live: bool
) -> None:
    # Space on a newly shown dialog presses what fixes it: after a "Sign in again" notice, a
    # server close offers Reconnect (its focus must not fall through to Quit), and back.
    dialog.show_directive(AUTH)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.focusWidget() is dialog.sign_in_button
    if between_live:
        dialog.show_directive(directive_after(EngineOpened(), PageLoaded()))
    dialog.show_directive(SERVER_ENDED)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.focusWidget() is dialog.reconnect_button
    dialog.show_directive(AUTH)
    assert dialog.focusWidget() is dialog.sign_in_button
