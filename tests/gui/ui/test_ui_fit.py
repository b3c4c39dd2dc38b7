"""Notices that fit (issue 12, journey 10): the analyst window's dialog sizes itself to its
content and stands centred over the window, its logo whole and its button labels uncut (German
included); the analyst's window and the kiosk overlay wear the branding's background; the
desktop dialog counts down like the kiosk; the kiosk's letters are sized for a wall; a
screenshot of the window shows the dialog over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from ui_helpers import ONE_TAB, FakeClock, directive_after, make_view, one_tab_window

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.core.closes import Initiator, classify_close
from viewer.core.state import (
    AuthRequired,
    Directive,
    EngineClosed,
    EngineOpened,
    EngineSuspended,
    Mode,
    PageLoaded,
)
from viewer.ui.notice import WALL_MESSAGE
from viewer.ui.shells import KioskShell
from viewer.ui.tabs import TabbedShell

pytestmark = pytest.mark.gui
BACKGROUND = "#203a5c"  # no default, no view colour
BRANDED = BrandingConfig(product_name="Sales Wall", background_color=BACKGROUND)

DIRECTIVES = {
    "suspended": directive_after(
        EngineOpened(), PageLoaded(), EngineSuspended.from_close(Initiator.NETWORK, 1006, "")
    ),
    "closed": directive_after(
        EngineOpened(), PageLoaded(), EngineClosed(classify_close(1000, "", Initiator.REMOTE))
    ),
    "auth": directive_after(EngineOpened(), PageLoaded(), AuthRequired()),
}


@pytest.fixture
def desktop(qtbot: QtBot, clock: FakeClock) -> Iterator[TabbedShell]:
    shell = one_tab_window(make_view(), BRANDED, clock=clock)
    shell.window.resize(1200, 760)
    shell.show()
    qtbot.waitExposed(shell.window)
    yield shell
    shell.close()


def _assert_fits(shell: TabbedShell, directive: Directive, qtbot: QtBot) -> None:
    shell.render(ONE_TAB, directive)
    dialog = shell.dialog
    qtbot.waitExposed(dialog)
    assert dialog.width() >= dialog.sizeHint().width()
    assert dialog.height() >= dialog.sizeHint().height()
    pixmap = dialog.panel.logo.pixmap()
    assert dialog.panel.logo.width() >= pixmap.width()
    assert dialog.panel.logo.height() >= pixmap.height()
    for button in (b for b in dialog._buttons.values() if b.isVisible()):
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
    for label in (dialog.panel.message, dialog.panel.reason):
        assert label.width() <= dialog.width()
    centre = dialog.frameGeometry().center()
    expected = shell.window.frameGeometry().center()
    assert abs(centre.x() - expected.x()) <= 2
    assert abs(centre.y() - expected.y()) <= 2


@pytest.mark.parametrize("kind", sorted(DIRECTIVES))
def test_the_dialog_fits_its_content_and_is_centred(
    desktop: TabbedShell, qtbot: QtBot, kind: str
) -> None:
    _assert_fits(desktop, DIRECTIVES[kind], qtbot)


def test_the_dialog_fits_in_german(desktop: TabbedShell, qtbot: QtBot, german: object) -> None:
    fresh = one_tab_window(make_view(), BRANDED)  # labels are translated when built
    fresh.window.resize(1200, 760)
    fresh.show()
    try:
        qtbot.waitExposed(fresh.window)
        for directive in DIRECTIVES.values():
            _assert_fits(fresh, directive, qtbot)
    finally:
        fresh.close()


def _colour_at(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name()


def test_the_main_window_wears_the_branding_background(desktop: TabbedShell) -> None:
    desktop.render(ONE_TAB, DIRECTIVES["suspended"])
    desktop.dialog.hide()
    image = desktop.window.grab().toImage()
    sheet_place = desktop.pane(ONE_TAB).mapTo(desktop.window, QPoint(5, 5))
    assert _colour_at(image, sheet_place.x(), sheet_place.y()) == BACKGROUND
    status_bar = desktop.window.statusBar()
    corner = status_bar.mapTo(desktop.window, QPoint(3, status_bar.height() // 2))
    assert _colour_at(image, corner.x(), corner.y()) == BACKGROUND


def test_the_desktop_dialog_counts_down_to_the_next_attempt(
    desktop: TabbedShell, clock: FakeClock, qtbot: QtBot
) -> None:
    desktop.render(ONE_TAB, DIRECTIVES["suspended"])
    countdown = desktop.dialog.panel.countdown
    qtbot.waitUntil(countdown.isVisible, timeout=2000)
    assert countdown.text().startswith("Next attempt in")


def test_a_screenshot_of_the_window_shows_the_dialog_over_it(
    desktop: TabbedShell, qtbot: QtBot
) -> None:
    desktop.render(ONE_TAB, DIRECTIVES["closed"])
    qtbot.waitExposed(desktop.dialog)
    image = desktop.window.grab().toImage()
    button = desktop.dialog.quit_button
    spot = button.mapToGlobal(button.rect().center()) - desktop.window.mapToGlobal(QPoint(0, 0))
    assert _colour_at(image, spot.x(), spot.y()) == QColor(BRANDED.primary_color).name()


def test_the_kiosk_overlay_is_branded_and_sized_for_a_wall(
    qtbot: QtBot, kiosk_config: KioskConfig
) -> None:
    shell = KioskShell(make_view(), BRANDED, kiosk_config)
    shell.show()
    try:
        qtbot.waitExposed(shell.window)
        directive = directive_after(
            EngineOpened(), PageLoaded(), EngineSuspended.from_close(Initiator.NETWORK, 1006, ""),
            mode=Mode.KIOSK,
        )  # fmt: skip
        shell.render(directive)
        height = shell.overlay.height()
        qtbot.waitUntil(lambda: shell.overlay.panel.message.font().pixelSize() > 0, timeout=2000)
        message = shell.overlay.panel.message.font().pixelSize()
        assert message >= round(height * WALL_MESSAGE) - 1
        assert shell.overlay.panel.reason.font().pixelSize() >= height // 40
        assert shell.overlay.panel.logo.pixmap().height() >= height // 6 - 1
        image = shell.window.grab().toImage()
        assert _colour_at(image, 5, 5) == BACKGROUND
    finally:
        shell.close()
