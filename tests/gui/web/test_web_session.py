"""The web layer in a real QtWebEngine profile: grant cookies reach the server on the first
load, the tenant's own cookies are harvested, grant headers go to the tenant origin only,
off-origin navigation is blocked (desktop: handed to the system browser), permissions are
denied and a crashed renderer is reported (the state machine reloads)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest
from page_server import PageServer
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEnginePage, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from web_session import WebSession

from viewer.core.grant import GrantCookie, SessionGrant
from viewer.web import page as page_module
from viewer.web.policy import WARM_UP_URL, NavigationPolicy, RendererTermination
from viewer.web.profile import ProfileSettings
from viewer.web.socket_watch import GC_SCRIPT

pytestmark = pytest.mark.gui
Runner = Callable[[Coroutine[Any, Any, Any], float], Any]
LOAD_MS = 30_000


@pytest.fixture
def servers(run_async: Runner) -> Iterator[tuple[PageServer, PageServer]]:
    """Two servers = two origins: the tenant and a stranger."""
    tenant = run_async(PageServer().start(), 10.0)
    stranger = run_async(PageServer().start(), 10.0)
    yield tenant, stranger
    run_async(tenant.stop(), 10.0)
    run_async(stranger.stop(), 10.0)


def _session(tenant: PageServer, *, desktop: bool = True, opened: list[QUrl] | None = None) -> (
    WebSession
):  # fmt: skip
    policy = NavigationPolicy.for_tenant(tenant.url, desktop=desktop)
    opener = opened.append if opened is not None else None
    return WebSession(
        ProfileSettings(name="test", storage_dir=None), policy, tenant.url, open_externally=opener
    )


def _load(qtbot: QtBot, web: WebSession, url: str) -> None:
    with qtbot.waitSignal(web.page.loadFinished, timeout=LOAD_MS) as loaded:
        web.load(url)
    assert loaded.args == [True]


def test_grant_cookies_reach_the_first_request_and_site_cookies_are_harvested(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    tenant.set_cookies["eas.sid"] = "from-site"
    web = _session(tenant)
    grant = SessionGrant(
        base_url=tenant.url,
        identity="wall-1",
        cookies=(GrantCookie("X-Qlik-Session-sim", "s3cr3t-session", secure=False),),
    )
    applied: list[bool] = []
    web.cookies.applied.connect(lambda: applied.append(True))
    try:
        web.apply_grant(grant)  # and load at once: the store applies it before any request
        _load(qtbot, web, f"{tenant.url}/single/")
        qtbot.waitUntil(lambda: applied == [True], timeout=10_000)
        first = tenant.requests[0]
        assert first.path == "/single/"
        assert "X-Qlik-Session-sim=s3cr3t-session" in first.headers["Cookie"]
        qtbot.waitUntil(
            lambda: any(c.name == "eas.sid" for c in web.cookies.tenant_cookies()), timeout=10_000
        )
        harvested = {c.name: c for c in web.cookies.tenant_cookies()}
        assert harvested["eas.sid"].value == "from-site"
        assert harvested["eas.sid"].http_only
    finally:
        web.close()


def test_grant_headers_go_to_the_tenant_origin_only(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    tenant, stranger = servers
    tenant.pages["/single/"] = f'<html><body><img src="{stranger.url}/pixel.png"></body></html>'
    web = _session(tenant)
    grant = SessionGrant(base_url=tenant.url, identity="wall-1", headers={"hdr-usr": "SIM\\bob"})
    try:
        web.apply_grant(grant)
        _load(qtbot, web, f"{tenant.url}/single/")
        qtbot.waitUntil(lambda: "/pixel.png" in stranger.paths(), timeout=10_000)
        assert tenant.requests[0].headers.get("hdr-usr") == "SIM\\bob"
        assert "hdr-usr" not in stranger.requests[0].headers
    finally:
        web.close()


def test_scripted_navigation_off_origin_is_blocked(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    tenant, stranger = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    web = _session(tenant, desktop=False)
    try:
        _load(qtbot, web, f"{tenant.url}/single/")
        with qtbot.waitSignal(web.page.navigation_blocked, timeout=10_000) as blocked:
            web.page.runJavaScript(f"location.href = '{stranger.url}/elsewhere';")
        assert blocked.args[0].toString() == f"{stranger.url}/elsewhere"
        assert stranger.requests == []
        assert web.page.url().toString() == f"{tenant.url}/single/"
    finally:
        web.close()


def test_desktop_link_to_another_origin_opens_in_the_system_browser(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    """A user's real click (a mouse click on the view; a script's click opens nothing, see
    tests/robustness/web/test_hostile_page.py) on a link, and on a target=_blank link."""
    tenant, stranger = servers
    half = "position:fixed;left:0;width:100%;height:50%;display:block"
    tenant.pages["/single/"] = (
        f'<html><body style="margin:0"><a style="{half};top:0" href="{stranger.url}/docs">docs</a>'
        f'<a style="{half};top:50%" target="_blank" href="{stranger.url}/popup">pop</a>'
        "<script>requestAnimationFrame(() => requestAnimationFrame(() => {"
        " document.title = 'painted'; }));</script></body></html>"
    )
    opened: list[QUrl] = []
    web = _session(tenant, opened=opened)
    view = QWebEngineView()
    try:
        view.setPage(web.page)
        view.resize(400, 400)
        view.show()
        qtbot.waitExposed(view)
        _load(qtbot, web, f"{tenant.url}/single/")
        qtbot.waitUntil(lambda: web.page.title() == "painted")
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(200, 100))
        qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
        qtbot.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton, pos=QPoint(200, 300))
        qtbot.waitUntil(lambda: len(opened) == 2, timeout=10_000)
        assert [u.toString() for u in opened] == [f"{stranger.url}/docs", f"{stranger.url}/popup"]
        assert stranger.requests == []
    finally:
        view.setPage(None)  # type: ignore[arg-type]
        web.close()
        view.deleteLater()


def test_permission_requests_are_denied(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    tenant, _ = servers
    tenant.pages["/single/"] = (
        "<html><body><script>Notification.requestPermission()"
        ".then((answer) => { document.title = 'notifications:' + answer; });</script></body></html>"
    )
    web = _session(tenant)
    try:
        _load(qtbot, web, f"{tenant.url}/single/")
        page = web.page
        qtbot.waitUntil(lambda: page.title().startswith("notifications:"), timeout=10_000)
        assert page.title() == "notifications:denied"
    finally:
        web.close()


def test_renderer_crash_is_reported_not_reloaded_by_the_page(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    """The page reports an abnormal renderer end and leaves the reload to the state machine
    (one recovery mechanism, with its backoff): it never reloads by itself."""
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    web = _session(tenant)
    try:
        _load(qtbot, web, f"{tenant.url}/single/")
        page = web.page
        with qtbot.waitSignal(page.renderer_terminated, timeout=10_000) as ended:
            page.renderProcessTerminated.emit(
                QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus, 11
            )
        assert ended.args == [RendererTermination.CRASHED]
        with qtbot.assertNotEmitted(page.loadStarted, wait=2000):
            pass
        assert tenant.paths().count("/single/") == 1
    finally:
        web.close()


def test_the_page_collects_its_garbage_from_inside_without_python_calls(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    """The periodic gc() runs as a script injected into every load (in the viewer's own world),
    not through a Python call per collection (QWebEnginePage.runJavaScript dropped a reference
    to None on every call in PySide6 6.12.0, until the process aborted with `none_dealloc`)."""
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    web = _session(tenant)
    try:
        scripts = web.page.scripts().find("viewer-periodic-gc")
        assert len(scripts) == 1
        (gc_script,) = scripts
        assert gc_script.sourceCode() == GC_SCRIPT
        assert gc_script.worldId() == QWebEngineScript.ScriptWorldId.ApplicationWorld
        assert gc_script.injectionPoint() == QWebEngineScript.InjectionPoint.DocumentCreation
        before = sys.getrefcount(None)
        for _ in range(3):
            _load(qtbot, web, f"{tenant.url}/single/")
        assert sys.getrefcount(None) > before - 500  # loads do not drain None's count
    finally:
        web.close()


def test_the_warm_up_starts_the_renderer_the_sheet_then_reuses(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    """`warm_up` loads about:blank, so the renderer process is running before the sheet's first
    load, which then uses it (the start-up benchmark's page load gains what the process takes to
    start)."""
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    web = _session(tenant)
    try:
        page = web.page
        blocked: list[QUrl] = []
        page.navigation_blocked.connect(blocked.append)
        with qtbot.waitSignal(page.loadFinished, timeout=LOAD_MS) as warmed:
            page.warm_up()
        assert warmed.args == [True]
        assert blocked == []
        renderer = page.renderProcessPid()
        assert renderer > 0
        _load(qtbot, web, f"{tenant.url}/single/")
        assert page.renderProcessPid() == renderer
    finally:
        web.close()


def test_a_load_asked_for_during_the_warm_up_starts_once_the_warm_up_has_ended(
    qtbot: QtBot, servers: tuple[PageServer, PageServer]
) -> None:
    """QtWebEngine can drop a navigation asked for while the warm-up's is still starting the
    renderer (the sheet then never loads): the page holds the URL until the warm-up ends."""
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    sheet = f"{tenant.url}/single/"
    web = _session(tenant)
    try:
        page = web.page
        seen: list[tuple[str, str]] = []
        page.loadingChanged.connect(lambda i: seen.append((i.url().toString(), i.status().name)))
        page.warm_up()
        with qtbot.waitSignal(
            page.loadingChanged,
            timeout=LOAD_MS,
            check_params_cb=lambda i: (
                i.url().toString() == sheet
                and i.status() == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus
            ),
        ):
            web.load(sheet)
        assert seen[0] == ("about:blank", "LoadStartedStatus")
        assert seen[1] == ("about:blank", "LoadSucceededStatus")
        assert seen[2:] == [(sheet, "LoadStartedStatus"), (sheet, "LoadSucceededStatus")]
    finally:
        web.close()


def test_a_warm_up_that_never_ends_holds_a_load_back_only_for_its_limit(
    qtbot: QtBot, servers: tuple[PageServer, PageServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    monkeypatch.setattr(page_module, "WARM_UP_LIMIT_MS", 300)
    real_load = QWebEnginePage.load

    def load_except_the_warm_up(page: QWebEnginePage, url: QUrl) -> None:
        if url.toString() != WARM_UP_URL:  # the warm-up's load never even starts
            real_load(page, url)

    monkeypatch.setattr(page_module.ViewerPage, "load", load_except_the_warm_up)
    web = _session(tenant)
    try:
        page = web.page
        page.warm_up()
        started = time.monotonic()
        _load(qtbot, web, f"{tenant.url}/single/")
        assert time.monotonic() - started >= 0.3
        assert page.url().toString() == f"{tenant.url}/single/"
    finally:
        web.close()
