"""Issue 13, item 10 in a real web profile: after sign-out the dead session cookie (the grant's
and the one the site set) leaves the profile, and switches in QTWEBENGINE_CHROMIUM_FLAGS that
weaken security are taken out before Chromium starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_page import HostilePages
from pytestqt.qtbot import QtBot
from qt_session import AsyncRunner
from web_session import WebSession

from viewer.core.grant import GrantCookie, SessionGrant
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings, create_profile

pytestmark = pytest.mark.gui


@pytest.fixture
def tenant(run_async: AsyncRunner[Any]) -> Iterator[HostilePages]:
    server = run_async(HostilePages().start(), 10.0)
    yield server
    run_async(server.stop(), 10.0)


def _load(qtbot: QtBot, web: WebSession, url: str) -> None:
    with qtbot.waitSignal(web.page.loadFinished, timeout=30_000):
        web.load(url)


def test_sign_out_removes_the_dead_session_cookie(
    qtbot: QtBot, tenant: HostilePages, tmp_path: Any
) -> None:
    tenant.pages["/single/"] = "<html><body>sheet</body></html>"
    tenant.set_cookies["site-session"] = "site-set-value-123456"
    web = WebSession(
        ProfileSettings(name="signout", storage_dir=tmp_path / "web"),
        NavigationPolicy.for_tenant(tenant.url), tenant.url,
    )  # fmt: skip
    grant = SessionGrant(
        base_url=tenant.url, identity="wall-1",
        cookies=(GrantCookie("X-Qlik-Session", "dead-session-778899", secure=False),),
    )  # fmt: skip
    try:
        web.apply_grant(grant)
        _load(qtbot, web, f"{tenant.url}/single/")
        assert "dead-session-778899" in tenant.requests[-1].headers.get("Cookie", "")
        qtbot.waitUntil(lambda: len(web.cookies.tenant_cookies()) == 2, timeout=10_000)
        harvested = web.cookies.tenant_cookies()
        web.forget_grant(SessionGrant(base_url=tenant.url, identity="wall-1", cookies=harvested))
        qtbot.waitUntil(lambda: web.cookies.tenant_cookies() == (), timeout=10_000)
        tenant.set_cookies.clear()
        _load(qtbot, web, f"{tenant.url}/single/?after=1")
        sent = tenant.requests[-1].headers.get("Cookie", "")
        assert "dead-session-778899" not in sent
        assert "site-set-value-123456" not in sent
    finally:
        web.close()


@pytest.mark.parametrize(
    ("flags", "refused"),
    [
        ("--ignore-certificate-errors", "--ignore-certificate-errors"),
        ("--disable-web-security --js-flags=--expose-gc", "--disable-web-security"),
        ("--remote-debugging-port=9222", "--remote-debugging-port"),
        ("--allow-running-insecure-content", "--allow-running-insecure-content"),
    ],
)
def test_weakening_chromium_switches_are_refused(
    flags: str, refused: str, log_output: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewer.web.flags import FLAGS_VARIABLE, guard_environment

    environ = {FLAGS_VARIABLE: flags}
    found = guard_environment(environ, root=False)
    assert [r.switch for r in found] == [refused]
    assert refused not in environ[FLAGS_VARIABLE]
    if "--js-flags" in flags:
        assert environ[FLAGS_VARIABLE] == "--js-flags=--expose-gc"
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert any(
        line["event"] == "web.chromium_flag_refused" and line["level"] == "error"
        and line["switch"] == refused for line in lines
    )  # fmt: skip


@pytest.mark.parametrize("root", [True, False])
def test_no_sandbox_is_for_root_only(root: bool) -> None:
    from viewer.web.flags import FLAGS_VARIABLE, SANDBOX_VARIABLE, guard_environment

    environ = {FLAGS_VARIABLE: "--no-sandbox", SANDBOX_VARIABLE: "1"}
    found = guard_environment(environ, root=root)
    assert {r.switch for r in found} == {"--no-sandbox", SANDBOX_VARIABLE}
    assert ("--no-sandbox" in environ[FLAGS_VARIABLE]) is root
    assert (SANDBOX_VARIABLE in environ) is root


def test_the_first_profile_guards_the_environment() -> None:
    from viewer.web.flags import guard_once

    create_profile(ProfileSettings(name="flags", storage_dir=None)).deleteLater()
    assert guard_once.cache_info().currsize == 1
