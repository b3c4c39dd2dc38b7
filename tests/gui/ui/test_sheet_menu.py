"""The sheet view is not a browser (issue 12, journey 6): the analyst's context menu on a tab's
view offers only Reload sheet, Copy and Print…, and Reload asks for that tab to be reloaded; a
kiosk has no context menu at all, and F5 and Ctrl+R ask for its sheet to be reloaded. (On the
analyst's window F5 and Ctrl+R are the menu bar's Reload: tests/gui/desktop/test_desktop_menus.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from ui_helpers import ONE_TAB, one_tab_window

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.ui.shells import KioskShell
from viewer.ui.tabs import TabbedShell

pytestmark = pytest.mark.gui


@pytest.fixture
def desktop(qtbot: QtBot, branding: BrandingConfig) -> Iterator[TabbedShell]:
    shell = one_tab_window(QWebEngineView(), branding)
    shell.show()
    qtbot.waitExposed(shell.window)
    yield shell
    shell.close()


def test_a_right_click_opens_our_menu_not_chromiums(qtbot: QtBot, desktop: TabbedShell) -> None:
    view = desktop.pane(ONE_TAB).view
    assert view.contextMenuPolicy() is Qt.ContextMenuPolicy.CustomContextMenu
    with qtbot.waitSignal(view.customContextMenuRequested, timeout=2000):
        view.customContextMenuRequested.emit(QPoint(10, 10))
    menus = [w for w in view.findChildren(QMenu) if w.isVisible()]
    assert menus
    actions = [a for a in menus[-1].actions() if not a.isSeparator()]
    assert "Back" not in [a.text() for a in actions]
    assert [a.text() for a in actions] == ["Reload sheet", "Copy", "Print…"]
    with qtbot.waitSignal(desktop.reload_requested, timeout=2000) as reload:
        next(a for a in actions if a.text() == "Reload sheet").trigger()
    assert reload.args == [ONE_TAB]
    for menu in menus:
        menu.close()


@pytest.mark.parametrize("key", ["F5", "Ctrl+R"])
def test_a_kiosk_has_no_context_menu_and_f5_and_ctrl_r_reload(
    qtbot: QtBot, branding: BrandingConfig, kiosk_config: KioskConfig, key: str
) -> None:
    shell = KioskShell(QWebEngineView(), branding, kiosk_config)
    shell.show()
    try:
        qtbot.waitExposed(shell.window)
        assert shell.window.view.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu
        shell.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is shell.window, timeout=5000)
        modifier = (
            Qt.KeyboardModifier.ControlModifier if key == "Ctrl+R" else Qt.KeyboardModifier(0)
        )
        code = Qt.Key.Key_R if key == "Ctrl+R" else Qt.Key.Key_F5
        with qtbot.waitSignal(shell.reload_requested, timeout=2000):
            qtbot.keyClick(shell.window, code, modifier)
    finally:
        shell.close()
