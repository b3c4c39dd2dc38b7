"""Web profiles: persistent on disk when configured (cookies forced persistent so a restart
re-uses the session), off the record otherwise; downloads cancelled unless allowed."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from page_server import PageServer
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEngineProfile
from pytestqt.qtbot import QtBot
from web_session import WebSession

from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings, create_profile

pytestmark = pytest.mark.gui
Runner = Callable[[Coroutine[Any, Any, Any], float], Any]
State = QWebEngineDownloadRequest.DownloadState


def test_persistent_profile_lives_on_disk_with_forced_persistent_cookies(
    qtbot: QtBot, tmp_path: Path
) -> None:
    profile = create_profile(ProfileSettings("persist-test", tmp_path / "web"))
    try:
        assert not profile.isOffTheRecord()
        assert Path(profile.persistentStoragePath()) == tmp_path / "web" / "storage"
        assert profile.persistentCookiesPolicy() == (
            QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies
        )
    finally:
        profile.deleteLater()


def test_kiosk_profile_can_be_off_the_record(qtbot: QtBot) -> None:
    profile = create_profile(ProfileSettings("otr", None))
    try:
        assert profile.isOffTheRecord()
    finally:
        profile.deleteLater()


@pytest.fixture
def server(run_async: Runner) -> Iterator[PageServer]:
    tenant = run_async(PageServer().start(), 10.0)
    tenant.pages["/single/"] = (
        '<html><body><a id="d" href="/report.csv" download>csv</a></body></html>'
    )
    tenant.pages["/report.csv"] = "a,b\n1,2\n"
    yield tenant
    run_async(tenant.stop(), 10.0)


@pytest.mark.parametrize(("allowed", "expected"), [(False, State.DownloadCancelled),
                                                   (True, State.DownloadCompleted)])  # fmt: skip
def test_downloads_follow_the_configuration(
    qtbot: QtBot, server: PageServer, tmp_path: Path, allowed: bool, expected: State
) -> None:
    settings = ProfileSettings(f"dl-{allowed}", tmp_path / "web", downloads_allowed=allowed)
    web = WebSession(settings, NavigationPolicy.for_tenant(server.url), server.url)
    seen: list[QWebEngineDownloadRequest] = []
    web.profile.downloadRequested.connect(seen.append)
    try:
        page = web.page
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            web.load(f"{server.url}/single/")
        page.runJavaScript("document.getElementById('d').click();")
        qtbot.waitUntil(lambda: bool(seen) and seen[0].state() == expected, timeout=15_000)
    finally:
        web.close()
