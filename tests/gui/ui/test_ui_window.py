"""The window shell hides the view — really hidden, no pixels of it on screen — whenever the
directive says so, and shows it again only for LIVE."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import directive_after, has_view_pixels, make_view

from viewer.config.models import BrandingConfig, KioskConfig
from viewer.core.closes import Initiator
from viewer.core.state import (
    EngineOpened,
    EngineSuspended,
    NetworkOffline,
    PageLoaded,
    Phase,
)
from viewer.log import get_logger
from viewer.ui.shells import DesktopShell, KioskShell

LIVE = directive_after(EngineOpened(), PageLoaded())
SUSPENDED = directive_after(
    EngineOpened(), PageLoaded(), EngineSuspended.from_close(Initiator.NETWORK)
)
OFFLINE = directive_after(EngineOpened(), PageLoaded(), NetworkOffline())


@pytest.fixture(params=["desktop", "kiosk"])
def shell(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    branding: BrandingConfig,
    kiosk_config: KioskConfig,
) -> Iterator[DesktopShell | KioskShell]:
    view = make_view()
    built: DesktopShell | KioskShell
    if request.param == "desktop":
        built = DesktopShell(view, branding)
    else:
        built = KioskShell(view, branding, kiosk_config)
    qtbot.addWidget(built.window)
    built.window.resize(640, 400)
    built.show()
    qtbot.waitExposed(built.window)
    yield built
    if isinstance(built, KioskShell):
        built.close()
    else:
        built.dialog.close()


def test_live_shows_the_view(shell: DesktopShell | KioskShell) -> None:
    assert LIVE.phase is Phase.LIVE
    shell.render(LIVE)
    assert shell.window.view.isVisible()
    assert has_view_pixels(shell.window.grab().toImage())


@pytest.mark.parametrize("directive", [SUSPENDED, OFFLINE], ids=["suspended", "offline"])
def test_leaving_live_hides_the_view_at_once(
    shell: DesktopShell | KioskShell, directive: object
) -> None:
    shell.render(LIVE)
    assert shell.window.view.isVisible()
    shell.render(directive)  # type: ignore[arg-type]
    # synchronously: no event processing between the render and these checks
    assert not shell.window.view.isVisible()
    assert not has_view_pixels(shell.window.grab().toImage())


def test_view_starts_hidden(shell: DesktopShell | KioskShell) -> None:
    shell.render(directive_after())
    assert not shell.window.view.isVisible()
    assert not has_view_pixels(shell.window.grab().toImage())


class _Events(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, object]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((getattr(record, "event", ""), dict(getattr(record, "fields", {}))))


def test_hiding_and_notices_are_logged(shell: DesktopShell | KioskShell) -> None:
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
        ("view.visible", {"visible": True}),
        ("view.visible", {"visible": False}),
        ("dialog.shown", {"kind": "SUSPENDED"}),
    ]
