"""No browser history in the sheet view (issue 12, journey 6): a Back or Forward — from
Chromium's menu, a mouse button or a script — is refused by the page, so the view never leaves
the sheet for the page before it (the renderer warm-up's about:blank included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from page_server import PageServer
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage
from pytestqt.qtbot import QtBot
from web_session import WebSession

from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings

pytestmark = pytest.mark.gui


@pytest.fixture
def server(run_async: Callable[..., Any]) -> Iterator[PageServer]:
    pages = {"/first": "<p>first</p>", "/sheet": "<p>sheet</p>"}
    running = run_async(PageServer(pages=pages).start())
    yield running
    run_async(running.stop())


def test_back_and_forward_are_refused(qtbot: QtBot, server: PageServer) -> None:
    web = WebSession(
        ProfileSettings(name="t", storage_dir=None), NavigationPolicy.for_tenant(server.url),
        server.url,
    )  # fmt: skip
    page = web.page
    try:
        for path in ("/first", "/sheet"):
            with qtbot.waitSignal(page.loadFinished, timeout=20000):
                page.load(QUrl(server.url + path))
        with qtbot.waitSignal(page.navigation_blocked, timeout=5000):
            page.triggerAction(QWebEnginePage.WebAction.Back)
        with qtbot.waitSignal(page.navigation_blocked, timeout=5000):
            page.runJavaScript("history.back()")
        assert page.url().path() == "/sheet"
        assert server.paths().count("/first") == 1
    finally:
        web.close()
