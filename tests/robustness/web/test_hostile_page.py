"""Issue 13, items 6, 7, 8 and 10 (console): a hostile page posing as the tenant, in a real
QtWebEngine view, against the viewer's real page, policy, interceptor and socket watch.

- 8: the page-socket liveness report comes only from the viewer's own channel: console lines,
  frames, synthetic events and a stolen port forge nothing, while real sockets are reported.
- 6: only a real user click opens the system browser — script navigations, `window.open`,
  scripted clicks and loops open nothing — rate-limited, and only http(s).
- 7: grant headers never follow a redirect off the tenant.
- 10: a console flood reaches the log rate-limited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_page import HostilePages
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from qt_session import AsyncRunner
from web_session import WebSession

from viewer.core.grant import SessionGrant
from viewer.web.page import CONSOLE_LINES
from viewer.web.policy import EXTERNAL_OPENS, NavigationPolicy
from viewer.web.profile import ProfileSettings
from viewer.web.socket_watch import SocketReport

pytestmark = pytest.mark.gui
LOAD_MS = 30_000


@pytest.fixture
def servers(run_async: AsyncRunner[Any]) -> Iterator[tuple[HostilePages, HostilePages]]:
    """Two origins: the (hostile) tenant and a stranger."""
    tenant = run_async(HostilePages().start(), 10.0)
    stranger = run_async(HostilePages().start(), 10.0)
    yield tenant, stranger
    run_async(tenant.stop(), 10.0)
    run_async(stranger.stop(), 10.0)


class Shown:
    """A WebSession whose page is in a real (offscreen) view, and what it reported."""

    def __init__(
        self, qtbot: QtBot, tenant: HostilePages, *, desktop: bool = True, visible: bool = True
    ) -> None:
        self.opened: list[QUrl] = []
        self.reports: list[SocketReport] = []
        policy = NavigationPolicy.for_tenant(tenant.url, desktop=desktop)
        self.web = WebSession(
            ProfileSettings(name="hostile", storage_dir=None), policy, tenant.url,
            open_externally=self.opened.append,
        )  # fmt: skip
        self.page = self.web.page
        self.page.engine_socket_changed.connect(self.reports.append)
        self.view = QWebEngineView()
        self.view.setPage(self.page)
        self.view.resize(800, 600)
        self.qtbot = qtbot
        if visible:
            self.show()

    def show(self) -> None:
        self.view.show()
        self.qtbot.waitExposed(self.view)

    def load(self, url: str) -> None:
        with self.qtbot.waitSignal(self.page.loadFinished, timeout=LOAD_MS) as loaded:
            self.web.load(url)
        assert loaded.args == [True]

    def js(self, script: str) -> None:
        self.page.runJavaScript(script)

    def wait_painted(self) -> None:
        """Until the page has drawn twice (input before that may hit nothing)."""
        self.js("requestAnimationFrame(() => requestAnimationFrame(() => {"
                " document.title = 'painted'; }));")  # fmt: skip
        self.qtbot.waitUntil(lambda: self.page.title() == "painted", timeout=10_000)

    def click(self, x: int = 400, y: int = 300) -> None:
        target = self.view.focusProxy()
        self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(x, y))

    def close(self) -> None:
        self.view.setPage(None)  # type: ignore[arg-type]
        self.web.close()
        self.view.deleteLater()


@pytest.fixture
def shown(qtbot: QtBot, servers: tuple[HostilePages, HostilePages]) -> Iterator[Shown]:
    tenant, _ = servers
    view = Shown(qtbot, tenant)
    yield view
    view.close()


# --- 8: the socket watch --------------------------------------------------------------------

FORGERIES = {
    "console line with the old marker": """console.debug('[viewer:engine-socket]' +
        JSON.stringify({kind: 'close', path: '/app/forged', code: 1006}));""",
    "data: iframe console": """const f = document.createElement('iframe');
        f.src = "data:text/html,<script>console.debug('[viewer:engine-socket]' +
        JSON.stringify({kind:'close',path:'/app/forged',code:1006}))</script>";
        document.body.appendChild(f);""",
    "synthetic close event": """const s = new WebSocket('ws://' + location.host + '/app/forged');
        s.dispatchEvent(new CloseEvent('close', {code: 1006}));""",
    "patched addEventListener": """const real = EventTarget.prototype.addEventListener;
        EventTarget.prototype.addEventListener = function (type, fn, opts) {
          if (type === 'close') { setTimeout(() => fn({isTrusted: true, code: 1006}), 0); }
          return real.call(this, type, fn, opts); };
        new WebSocket('ws://' + location.host + '/app/forged');""",
    "patched postMessage": """const realPost = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function () {
          return realPost.call(this, {kind: 'close', path: '/app/forged', code: 1006}); };
        new WebSocket('ws://' + location.host + '/app/forged2');""",
    "port theft by a late listener": """window.addEventListener('message', (e) => {
          if (e.ports && e.ports[0]) {
            e.ports[0].postMessage({kind: 'close', path: '/app/forged', code: 1006}); } }, true);
        window.postMessage('viewer:engine-socket-port', '*');""",
    "own MessageChannel posing as the port": """const c = new MessageChannel();
        window.postMessage('viewer:engine-socket-port', '*', [c.port2]);
        c.port1.postMessage({kind: 'close', path: '/app/forged', code: 1006});""",
    "qt.webChannelTransport from the page": """if (window.qt && qt.webChannelTransport) {
          qt.webChannelTransport.send(JSON.stringify({type: 6, object: 'viewerSocketWatch',
            method: 'report', args: ['close', '/app/forged', 1006], id: 1})); }""",
}


def test_real_engine_sockets_are_reported(
    shown: Shown, servers: tuple[HostilePages, HostilePages]
) -> None:
    tenant, _ = servers
    tenant.pages["/single/"] = (
        "<html><body><script>new WebSocket('ws://' + location.host + '/app/a1');"
        "</script>sheet</body></html>"
    )
    tenant.socket_close_code = 4001
    shown.load(f"{tenant.url}/single/")
    shown.qtbot.waitUntil(lambda: len(shown.reports) >= 2, timeout=10_000)
    assert shown.reports[0] == SocketReport("open", "/app/a1")
    assert shown.reports[1] == SocketReport("close", "/app/a1", 4001)


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_socket_reports_cannot_be_forged(
    shown: Shown, servers: tuple[HostilePages, HostilePages], forgery: str
) -> None:
    tenant, _ = servers
    tenant.socket_open_s = 30.0  # real sockets stay open: any close seen is forged
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    shown.load(f"{tenant.url}/single/")
    shown.js(FORGERIES[forgery])
    shown.js("setTimeout(() => new WebSocket('ws://' + location.host + '/app/sentinel'), 300);")
    shown.qtbot.waitUntil(
        lambda: SocketReport("open", "/app/sentinel") in shown.reports, timeout=10_000
    )
    forged = [r for r in shown.reports if r.kind == "close" or "forged" in r.path]
    assert [r for r in forged if r.kind == "close"] == [], f"{forgery}: {forged}"


# --- 6: the system browser ------------------------------------------------------------------

SCRIPTED_OPENS = {
    "location.href": "location.href = '{url}/a';",
    "window.open": "window.open('{url}/b');",
    "scripted link click": "const a = document.createElement('a'); a.href = '{url}/c';"
    " document.body.appendChild(a); a.click();",
    "scripted target=_blank click": "const a = document.createElement('a');"
    " a.href = '{url}/d'; a.target = '_blank'; document.body.appendChild(a); a.click();",
    "form submit": "const f = document.createElement('form'); f.action = '{url}/e';"
    " document.body.appendChild(f); f.submit();",
    "loop of window.open (50 ms)": "let n = 0; const t = setInterval(() => {"
    " window.open('{url}/f' + n); if (++n >= 10) { clearInterval(t); } }, 50);",
    "synthetic MouseEvent click": "const a = document.createElement('a'); a.href = '{url}/g';"
    " document.body.appendChild(a); a.dispatchEvent(new MouseEvent('click', {bubbles: true}));",
}


def test_scripts_never_open_the_system_browser(
    shown: Shown, servers: tuple[HostilePages, HostilePages]
) -> None:
    tenant, stranger = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    shown.load(f"{tenant.url}/single/")
    blocked: list[QUrl] = []
    shown.page.navigation_blocked.connect(blocked.append)
    for script in SCRIPTED_OPENS.values():
        shown.js(script.replace("{url}", stranger.url))
    shown.js("setTimeout(() => { document.title = 'done'; }, 1500);")  # after the loop's end
    shown.qtbot.waitUntil(lambda: shown.page.title() == "done", timeout=15_000)
    assert len(blocked) >= len(SCRIPTED_OPENS)  # the attempts reached the viewer's policy
    assert shown.opened == []
    assert stranger.requests == []


def test_a_real_click_opens_once_and_is_rate_limited(
    shown: Shown, servers: tuple[HostilePages, HostilePages]
) -> None:
    tenant, stranger = servers
    cover = "position:fixed;top:0;left:0;width:100%;height:100%;display:block"
    tenant.pages["/single/"] = (
        f'<html><body style="margin:0"><a id="out" style="{cover}" href="{stranger.url}/docs">'
        "docs</a></body></html>"
    )
    shown.load(f"{tenant.url}/single/")
    shown.wait_painted()
    shown.click()
    shown.qtbot.waitUntil(lambda: len(shown.opened) == 1, timeout=10_000)
    assert shown.opened[0].toString() == f"{stranger.url}/docs"
    blocked: list[QUrl] = []
    shown.page.navigation_blocked.connect(blocked.append)
    for _ in range(EXTERNAL_OPENS + 2):
        shown.click()
        shown.qtbot.wait(50)
    shown.qtbot.waitUntil(
        lambda: len(shown.opened) + len(blocked) >= EXTERNAL_OPENS + 3, timeout=10_000
    )
    assert len(shown.opened) == EXTERNAL_OPENS


def test_a_real_click_counts_on_a_view_shown_only_after_its_load(
    qtbot: QtBot, servers: tuple[HostilePages, HostilePages]
) -> None:
    """The viewer's view stays hidden until the sheet is LIVE; the input watch, which waits for
    a hidden view to be shown, then sees the user's click."""
    tenant, stranger = servers
    cover = "position:fixed;top:0;left:0;width:100%;height:100%;display:block"
    tenant.pages["/single/"] = (
        f'<html><body style="margin:0"><a style="{cover}" href="{stranger.url}/docs">docs</a>'
        "</body></html>"
    )
    hidden = Shown(qtbot, tenant, visible=False)
    try:
        hidden.load(f"{tenant.url}/single/")
        hidden.show()
        hidden.wait_painted()
        hidden.click()
        qtbot.waitUntil(lambda: len(hidden.opened) == 1, timeout=10_000)
    finally:
        hidden.close()


@pytest.mark.parametrize("href", ["file:///etc/passwd", "mailto:x@example.com", "javascript:1"])
def test_a_real_click_on_other_schemes_opens_nothing(
    shown: Shown, servers: tuple[HostilePages, HostilePages], href: str
) -> None:
    tenant, _ = servers
    cover = "position:fixed;top:0;left:0;width:100%;height:100%;display:block"
    tenant.pages["/single/"] = (
        f'<html><body style="margin:0"><a style="{cover}" href="{href}">x</a>'
        "<script>document.addEventListener('click', () => setTimeout(() =>"
        " document.title = 'clicked', 300));</script></body></html>"
    )
    shown.load(f"{tenant.url}/single/")
    shown.wait_painted()
    shown.click()
    shown.qtbot.waitUntil(lambda: shown.page.title() == "clicked", timeout=10_000)
    assert shown.opened == []


# --- 7: grant headers and redirects ---------------------------------------------------------


def test_grant_headers_do_not_follow_a_redirect_off_the_tenant(
    shown: Shown, servers: tuple[HostilePages, HostilePages]
) -> None:
    tenant, stranger = servers
    stranger.pages["/landed"] = "<html><body>elsewhere</body></html>"
    tenant.redirects["/single/"] = f"{stranger.url}/landed"
    tenant.redirects["/img"] = f"{stranger.url}/pixel"
    tenant.pages["/page"] = '<html><body><img src="/img"></body></html>'
    grant = SessionGrant(base_url=tenant.url, identity="wall-1", headers={"hdr-usr": "SIM\\bob"})
    shown.web.apply_grant(grant)
    shown.page.load(QUrl(f"{tenant.url}/single/"))
    shown.page.load(QUrl(f"{tenant.url}/page"))
    shown.qtbot.waitUntil(
        lambda: "/pixel" in stranger.paths() or "/img" in tenant.paths(), timeout=10_000
    )
    shown.qtbot.waitUntil(lambda: "/img" in tenant.paths(), timeout=10_000)
    shown.qtbot.wait(300)
    assert tenant.requests[0].headers.get("hdr-usr") == "SIM\\bob"
    leaked = [r.path for r in stranger.requests if "hdr-usr" in {k.lower() for k in r.headers}]
    assert leaked == []


# --- 10: console flood ----------------------------------------------------------------------


def test_console_flood_is_rate_limited_in_the_log(
    shown: Shown, servers: tuple[HostilePages, HostilePages], log_output: Any
) -> None:
    tenant, _ = servers
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    shown.load(f"{tenant.url}/single/")
    shown.js(
        "for (let i = 0; i < 5000; i++) { console.log('flood ' + i); } document.title = 'done';"
    )
    shown.qtbot.waitUntil(lambda: shown.page.title() == "done", timeout=10_000)
    shown.qtbot.wait(500)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    console = [line for line in lines if line["event"] == "web.console"]
    assert 1 <= len(console) <= CONSOLE_LINES
