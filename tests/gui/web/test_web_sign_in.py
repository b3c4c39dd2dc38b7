"""Interactive sign-in end to end in a real web view against the simulated tenant (both flavours):
the view shows the login form, the user signs in, the cookies the tenant set are taken from the
profile's cookie store, users/me confirms them, and the result is a grant with a csrf token."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from web_session import WebSession

from viewer.auth.base import Tenant
from viewer.auth.interactive import CloudInteractive, Interactive, QseowInteractive
from viewer.auth.session import AuthSession
from viewer.core.grant import SessionGrant
from viewer.sim.server import RunningSim, start_sim
from viewer.web.policy import NavigationPolicy
from viewer.web.profile import ProfileSettings
from viewer.web.signin import InteractiveSignIn, SignInPage

pytestmark = pytest.mark.gui
Runner = Callable[[Coroutine[Any, Any, Any], float], Any]


@pytest.fixture(params=["cloud", "qseow"])
def sim(request: pytest.FixtureRequest, run_async: Runner) -> Iterator[RunningSim]:
    manager: AbstractAsyncContextManager[RunningSim] = start_sim(request.param)
    running = run_async(manager.__aenter__(), 30.0)
    yield running
    run_async(manager.__aexit__(None, None, None), 30.0)


def _strategy(sim: RunningSim) -> Interactive:
    if sim.ready["flavor"] == "cloud":
        return CloudInteractive(Tenant(flavor="cloud", base_url=sim.url, identity="wall-1"))
    prefix = sim.ready["credentials"]["virtual_proxy"]["prefix"]
    tenant = Tenant(flavor="qseow", base_url=sim.url, identity="wall-1", prefix=prefix)
    return QseowInteractive(tenant)


def test_sign_in_in_the_view_yields_a_grant(qtbot: QtBot, sim: RunningSim) -> None:
    strategy = _strategy(sim)
    auth = AuthSession(strategy)
    web = WebSession(
        ProfileSettings(name="t", storage_dir=None),
        NavigationPolicy.for_tenant(sim.url, desktop=False),
        sim.url,
    )
    page = SignInPage(web.profile)
    sign_in = InteractiveSignIn(auth, page, web.cookies)
    user = sim.ready["credentials"]["users"][0]
    fill = (
        f"document.querySelector('input[name=username]').value = {json.dumps(user['username'])};"
        f"document.querySelector('input[name=password]').value = {json.dumps(user['password'])};"
        "document.querySelector('form').submit();"
    )
    try:
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            app_id = sim.ready["apps"][0]["id"]
            sign_in.start(strategy.login_url(strategy.tenant.url(f"single/?appid={app_id}")))
        qtbot.waitUntil(lambda: "Sign in" in page.title(), timeout=10_000)
        with qtbot.waitSignal(sign_in.signed_in, timeout=30_000) as signed:
            page.runJavaScript(fill)
        grant: SessionGrant = signed.args[0]
        assert grant.cookies
        assert grant.csrf_token
        assert auth.current == grant
    finally:
        page.deleteLater()
        web.close()
