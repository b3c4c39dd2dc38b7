"""The web view and a private CA (issue 12, journey 2), with real TLS on loopback and the real
QtWebEngine: a certificate from a CA that only the configured bundle names is accepted after our
own verification; with a bundle holding another CA it stays refused (no ignore-all). The sign-in
window's page trusts the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage
from pytestqt.qtbot import QtBot
from web_session import WebSession

from viewer.config.models import BrandingConfig
from viewer.sim.certs import SimCertificates, generate_certificates
from viewer.ui.signin import SignInWindow
from viewer.web import trust
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings

pytestmark = pytest.mark.gui
BODY = "served over a private CA"


@pytest.fixture
def private_ca() -> Iterator[SimCertificates]:
    certificates = generate_certificates()
    yield certificates
    certificates.remove()


@pytest.fixture
def tls_url(private_ca: SimCertificates, run_async: Callable[..., Any]) -> Iterator[str]:
    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=f"<html><body>{BODY}</body></html>", content_type="text/html")

    async def start() -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_get("/", page)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=private_ca.server_context())
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return runner, f"https://127.0.0.1:{port}/"

    runner, url = run_async(start())
    yield url
    run_async(runner.cleanup())
    trust.configure(None)


def _load(qtbot: QtBot, page: QWebEnginePage, url: str) -> tuple[bool, str]:
    with qtbot.waitSignal(page.loadFinished, timeout=20000) as loaded:
        page.load(QUrl(url))
    texts: list[str] = []
    page.toPlainText(texts.append)
    qtbot.waitUntil(lambda: bool(texts), timeout=5000)
    return bool(loaded.args[0]), texts[0]


@pytest.fixture
def web_session(tls_url: str) -> Iterator[WebSession]:
    session = WebSession(
        ProfileSettings(name="t", storage_dir=None), NavigationPolicy.for_tenant(tls_url), tls_url
    )
    yield session
    session.close()


def test_the_view_accepts_a_certificate_of_the_configured_ca(
    qtbot: QtBot, private_ca: SimCertificates, tls_url: str, web_session: WebSession
) -> None:
    trust.configure(private_ca.ca_cert)
    page = web_session.page
    ok, text = _load(qtbot, page, tls_url)
    assert ok
    assert BODY in text


def test_the_view_refuses_a_certificate_the_bundle_does_not_vouch_for(
    qtbot: QtBot, tls_url: str, web_session: WebSession
) -> None:
    stranger = generate_certificates()
    try:
        trust.configure(stranger.ca_cert)
        page = web_session.page
        ok, text = _load(qtbot, page, tls_url)
    finally:
        stranger.remove()
    assert not ok
    assert BODY not in text


def test_the_sign_in_window_trusts_the_same_ca(
    qtbot: QtBot, private_ca: SimCertificates, tls_url: str, web_session: WebSession
) -> None:
    trust.configure(private_ca.ca_cert)
    window = SignInWindow(web_session.profile, BrandingConfig())
    qtbot.addWidget(window)
    window.page.policy = NavigationPolicy.for_tenant(tls_url)  # as the sign-in sets it
    ok, text = _load(qtbot, window.page, tls_url)
    assert ok
    assert BODY in text
    window.close()
