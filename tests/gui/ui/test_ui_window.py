"""Both windows — the analyst's (a tab's view) and the kiosk's — hide the view, really hidden,
no pixels of it on screen, whenever the directive says so, and show it again only for LIVE."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import ONE_TAB, directive_after, has_view_pixels, make_view, one_tab_window

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.core.closes import Initiator
from viewer.core.state import (
    Directive,
    EngineOpened,
    EngineSuspended,
    NetworkOffline,
    PageLoaded,
    Phase,
)
from viewer.log import get_logger
from viewer.ui.shells import KioskShell

LIVE = directive_after(EngineOpened(), PageLoaded())
SUSPENDED = directive_after(
    EngineOpened(), PageLoaded(), EngineSuspended.from_close(Initiator.NETWORK)
)
OFFLINE = directive_after(EngineOpened(), PageLoaded(), NetworkOffline())


@dataclass
class Shell:
    """A shown window with one view, and how a directive reaches that view's place."""

    window: QWidget
    view: QWidget
    render: Callable[[Directive], None]
    tab: dict[str, object]  # what the window's log lines say of the view's tab


@pytest.fixture(params=["desktop", "kiosk"])
def shell(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    branding: BrandingConfig,
    kiosk_config: KioskConfig,
) -> Iterator[Shell]:
    view = make_view()
    if request.param == "desktop":
        tabbed = one_tab_window(view, branding)
        shown = Shell(tabbed.window, view, lambda d: tabbed.render(ONE_TAB, d), {"tab": ONE_TAB})
        close = tabbed.dialog.close
    else:
        kiosk = KioskShell(view, branding, kiosk_config)
        shown = Shell(kiosk.window, view, kiosk.render, {})
        close = kiosk.close
    qtbot.addWidget(shown.window)
    shown.window.resize(640, 400)
    shown.window.show()
    qtbot.waitExposed(shown.window)
    yield shown
    close()


def test_live_shows_the_view(shell: Shell) -> None:
    assert LIVE.phase is Phase.LIVE
    shell.render(LIVE)
    assert shell.view.isVisible()
    assert has_view_pixels(shell.window.grab().toImage())


@pytest.mark.parametrize("directive", [SUSPENDED, OFFLINE], ids=["suspended", "offline"])
def test_leaving_live_hides_the_view_at_once(shell: Shell, directive: object) -> None:
    shell.render(LIVE)
    assert shell.view.isVisible()
    shell.render(directive)  # type: ignore[arg-type]
    # synchronously: no event processing between the render and these checks
    assert not shell.view.isVisible()
    assert not has_view_pixels(shell.window.grab().toImage())


def test_view_starts_hidden(shell: Shell) -> None:
    shell.render(directive_after())
    assert not shell.view.isVisible()
    assert not has_view_pixels(shell.window.grab().toImage())


class _Events(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, object]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((getattr(record, "event", ""), dict(getattr(record, "fields", {}))))


def test_hiding_and_notices_are_logged(shell: Shell) -> None:
    events = _Events()
    logger = get_logger("ui")
    logger.addHandler(events)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        shell.render(LIVE)
        shell.render(SUSPENDED)
        shell.render(SUSPENDED)  # the same notice again is not a new one
    finally:
        logger.removeHandler(events)
        logger.setLevel(level)
    assert events.seen == [
        ("view.visible", {"visible": True, **shell.tab}),
        ("view.visible", {"visible": False, **shell.tab}),
        ("dialog.shown", {"kind": "SUSPENDED"}),
    ]
