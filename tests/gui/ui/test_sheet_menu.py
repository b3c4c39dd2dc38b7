"""The sheet view is not a browser (issue 12, journey 6): the desktop's context menu offers only
Reload sheet, Copy and Print…; a kiosk has no context menu at all; F5 and Ctrl+R ask for the
sheet to be reloaded on both."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.ui.shells import DesktopShell, KioskShell

pytestmark = pytest.mark.gui


@pytest.fixture
def desktop(qtbot: QtBot, branding: BrandingConfig) -> Iterator[DesktopShell]:
    shell = DesktopShell(QWebEngineView(), branding)
    shell.show()
    qtbot.waitExposed(shell.window)
    yield shell
    shell.close()


def test_the_desktop_menu_has_reload_copy_print_and_nothing_else(
    qtbot: QtBot, desktop: DesktopShell
) -> None:
    view = desktop.window.view
    assert view.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    menu = desktop.sheet_actions.menu()
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["Reload sheet", "Copy", "Print…"]
    with qtbot.waitSignal(desktop.reload_requested, timeout=2000):
        next(a for a in menu.actions() if a.text() == "Reload sheet").trigger()


def test_a_right_click_opens_our_menu_not_chromiums(qtbot: QtBot, desktop: DesktopShell) -> None:
    view = desktop.window.view
    with qtbot.waitSignal(view.customContextMenuRequested, timeout=2000):
        view.customContextMenuRequested.emit(QPoint(10, 10))
    menus = [w for w in view.findChildren(type(desktop.sheet_actions.menu())) if w.isVisible()]
    assert menus
    texts = [a.text() for a in menus[-1].actions() if not a.isSeparator()]
    assert "Back" not in texts
    assert texts == ["Reload sheet", "Copy", "Print…"]
    for menu in menus:
        menu.close()


@pytest.mark.parametrize("key", ["F5", "Ctrl+R"])
def test_f5_and_ctrl_r_reload_the_sheet_on_the_desktop(
    qtbot: QtBot, desktop: DesktopShell, key: str
) -> None:
    desktop.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desktop.window, timeout=5000)
    modifier = Qt.KeyboardModifier.ControlModifier if key == "Ctrl+R" else Qt.KeyboardModifier(0)
    code = Qt.Key.Key_R if key == "Ctrl+R" else Qt.Key.Key_F5
    with qtbot.waitSignal(desktop.reload_requested, timeout=2000):
        qtbot.keyClick(desktop.window, code, modifier)


def test_a_kiosk_has_no_context_menu_and_f5_reloads(
    qtbot: QtBot, branding: BrandingConfig, kiosk_config: KioskConfig
) -> None:
    shell = KioskShell(QWebEngineView(), branding, kiosk_config)
    shell.show()
    try:
        qtbot.waitExposed(shell.window)
        assert shell.window.view.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu
        shell.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is shell.window, timeout=5000)
        with qtbot.waitSignal(shell.reload_requested, timeout=2000):
            qtbot.keyClick(shell.window, Qt.Key.Key_F5)
    finally:
        shell.close()
