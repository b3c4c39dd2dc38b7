"""Issue 13, item 9: the sign-in window (where users type passwords) has a policy — it shows and
frames only the tenant and the configured identity provider, shows which origin it shows,
opens no pop-ups and denies permission prompts instead of leaving them pending. A hostile login
page on 127.0.0.1 tries all of these in the real window."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hostile_page import HostilePages
from pytestqt.qtbot import QtBot
from qt_session import AsyncRunner
from web_session import WebSession

from viewer.auth.base import Tenant
from viewer.auth.interactive import CloudInteractive
from viewer.auth.session import AuthSession
from viewer.config.models import BrandingConfig
from viewer.ui.signin import SignInWindow
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings
from viewer.web.signin import InteractiveSignIn

pytestmark = pytest.mark.gui


@pytest.fixture
def origins(run_async: AsyncRunner[Any]) -> Iterator[tuple[HostilePages, ...]]:
    """The tenant, its identity provider and a stranger."""
    servers = tuple(run_async(HostilePages().start(), 10.0) for _ in range(3))
    yield servers
    for server in servers:
        run_async(server.stop(), 10.0)


class SignIn:
    def __init__(self, qtbot: QtBot, tenant: HostilePages, idp: HostilePages) -> None:
        strategy = CloudInteractive(
            Tenant("cloud", tenant.url, "wall-1"), sign_in_origins=[idp.url]
        )
        self.web = WebSession(
            ProfileSettings(name="signin", storage_dir=None),
            NavigationPolicy.for_tenant(tenant.url, desktop=False), tenant.url,
        )  # fmt: skip
        self.window = SignInWindow(self.web.profile, BrandingConfig())
        self.flow = InteractiveSignIn(AuthSession(strategy), self.window.page, self.web.cookies)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.qtbot = qtbot
        self.page = self.window.page

    def start(self, url: str) -> None:
        with self.qtbot.waitSignal(self.page.loadFinished, timeout=30_000):
            self.flow.start(url)

    def close(self) -> None:
        self.flow.stop()
        self.window.close()
        self.flow.deleteLater()
        self.web.close()


@pytest.fixture
def sign_in(qtbot: QtBot, origins: tuple[HostilePages, ...]) -> Iterator[SignIn]:
    tenant, idp, _ = origins
    flow = SignIn(qtbot, tenant, idp)
    yield flow
    flow.close()


def _login_page(body: str) -> str:
    return f"<html><head><title>login</title></head><body>{body}</body></html>"


def test_the_identity_provider_is_shown_with_its_origin(
    sign_in: SignIn, origins: tuple[HostilePages, ...]
) -> None:
    tenant, idp, _ = origins
    tenant.redirects["/login"] = f"{idp.url}/authorize"
    idp.pages["/authorize"] = _login_page("<input name=password>")
    sign_in.start(f"{tenant.url}/login")
    assert sign_in.page.url().toString() == f"{idp.url}/authorize"
    assert sign_in.window.origin_bar.text().startswith(idp.url)
    assert "not encrypted" in sign_in.window.origin_bar.text()


ESCAPES = {
    "redirect to a stranger": ("redirect", "/login"),
    "script navigation": ("script", "location.href = '{stranger}/phish';"),
    "form posting the password to a stranger": (
        "script",
        "const f = document.createElement('form'); f.method = 'post';"
        " f.action = '{stranger}/steal'; document.body.appendChild(f); f.submit();",
    ),
    "iframe of a stranger": (
        "script",
        "const i = document.createElement('iframe'); i.src = '{stranger}/frame';"
        " document.body.appendChild(i);",
    ),
    "window.open": ("script", "window.open('{stranger}/popup');"),
    "meta refresh": (
        "script",
        "const m = document.createElement('meta');"
        " m.httpEquiv = 'refresh'; m.content = '0;url={stranger}/meta';"
        " document.head.appendChild(m);",
    ),
}


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_the_window_shows_no_other_origin(
    sign_in: SignIn, origins: tuple[HostilePages, ...], escape: str
) -> None:
    tenant, _, stranger = origins
    how, what = ESCAPES[escape]
    stranger.pages.update({p: _login_page("fake") for p in
                           ("/phish", "/steal", "/frame", "/popup", "/meta", "/login")})  # fmt: skip
    refused: list[object] = []
    sign_in.page.refused.connect(refused.append)
    if how == "redirect":
        tenant.redirects["/login"] = f"{stranger.url}/login"
        sign_in.start(f"{tenant.url}/login")
    else:
        tenant.pages["/login"] = _login_page("<input name=password>")
        sign_in.start(f"{tenant.url}/login")
        sign_in.page.runJavaScript(what.replace("{stranger}", stranger.url))
    sign_in.qtbot.waitUntil(lambda: bool(refused), timeout=10_000)  # the attempt was decided
    # a sentinel: a tenant page the test loads after the attempt was turned away
    tenant.pages["/after"] = _login_page("after")
    with sign_in.qtbot.waitSignal(sign_in.page.loadFinished, timeout=30_000):
        sign_in.page.load(f"{tenant.url}/after")
    assert stranger.requests == [], f"{escape}: {stranger.paths()}"
    assert sign_in.window.origin_bar.text().startswith(tenant.url)


@pytest.mark.parametrize(
    "prompt",
    [
        "navigator.geolocation.getCurrentPosition(() => done('granted'), () => done('denied'));",
        "Notification.requestPermission().then((answer) => done(answer));",
        "navigator.mediaDevices.getUserMedia({audio: true}).then(() => done('granted'),"
        " () => done('denied'));",
    ],
    ids=["geolocation", "notifications", "microphone"],
)
def test_permission_prompts_are_answered_with_a_denial(
    sign_in: SignIn, origins: tuple[HostilePages, ...], prompt: str
) -> None:
    tenant, _, _ = origins
    tenant.pages["/login"] = _login_page(
        "<script>const done = (answer) => { document.title = 'answer:' + answer; };</script>"
    )
    sign_in.start(f"{tenant.url}/login")
    sign_in.page.runJavaScript(prompt)
    sign_in.qtbot.waitUntil(lambda: sign_in.page.title().startswith("answer:"), timeout=10_000)
    assert sign_in.page.title() in ("answer:denied", "answer:default")
