"""Session economy: a persisted grant is re-used while the server accepts it, sign-in happens
only when asked, interactive modes ask the user instead, and sign-out ends what was created."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
import pytest

from viewer.auth.base import AuthStrategy, Tenant
from viewer.auth.errors import SessionExpired, SignInRequired
from viewer.auth.http import make_client
from viewer.auth.interactive import CloudInteractive, QseowInteractive
from viewer.auth.qseow import QpsApi, QpsUser
from viewer.auth.qseow_session import QseowSession
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore
from viewer.core.grant import GrantCookie

COOKIE = "X-Qlik-Session-viewer"


class Site:
    """A fake site with QPS session API and csrf endpoint; counts sign-ins."""

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.created = 0
        self.deleted = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/qps/viewer/session":
            self.created += 1
            self.sessions.add(json.loads(request.content)["SessionId"])
            return httpx.Response(201, json={})
        if path.startswith("/qps/viewer/session/"):
            self.deleted += 1
            self.sessions.discard(path.rsplit("/", 1)[1])
            return httpx.Response(200, json={})
        if path == "/viewer/qps/csrftoken":
            cookie = request.headers.get("Cookie", "")
            if any(f"{COOKIE}={sid}" in cookie for sid in self.sessions):
                return httpx.Response(200, headers={"qlik-csrf-token": "csrf"})
            return httpx.Response(302, headers={"location": "/login"})
        if path == "/api/v1/users/me" or path == "/api/v1/csrf-token":
            if "eas.sid=ok" in request.headers.get("Cookie", ""):
                if path.endswith("me"):
                    return httpx.Response(200, json={"name": "Alice Smith", "subject": "a1"})
                return httpx.Response(204, headers={"qlik-csrf-token": "c"})
            return httpx.Response(401, json={"errors": [{"code": "HTTP-401", "title": "no"}]})
        return httpx.Response(404)


def _factory(site: Site) -> Callable[[AuthStrategy], httpx.AsyncClient]:
    return lambda strategy: make_client(transport=httpx.MockTransport(site))


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    async def bounded() -> Any:
        async with asyncio.timeout(5):
            return await coro

    return asyncio.run(bounded())


def _session(site: Site, qseow: Tenant, store: GrantStore) -> AuthSession:
    strategy = QseowSession(qseow, QpsApi("https://q:4243", "viewer"), QpsUser("D", "u"),
                            cookie_name=COOKIE)  # fmt: skip
    return AuthSession(strategy, store, client_factory=_factory(site))


def test_restarts_reuse_the_stored_grant(tmp_path: Path, qseow: Tenant) -> None:
    site = Site()
    store = GrantStore(tmp_path / "profile" / "grant.json")
    first = run(_session(site, qseow, store).grant())
    for _ in range(5):
        assert run(_session(site, qseow, store).grant()).cookies == first.cookies
    assert site.created == 1
    assert (store.path.stat().st_mode & 0o777) == 0o600
    assert json.loads(store.path.read_text())["csrf_token"] == "csrf"  # it goes with the cookie


def test_unchecked_hands_out_the_known_grant_without_asking_the_server(
    tmp_path: Path, qseow: Tenant
) -> None:
    site = Site()
    store = GrantStore(tmp_path / "grant.json")
    assert _session(site, qseow, store).unchecked() is None  # nothing known yet
    first = run(_session(site, qseow, store).grant())
    site.sessions.clear()  # stale now: only a request could tell
    restarted = _session(site, qseow, store)
    known = restarted.unchecked()
    assert known is not None
    assert (known.cookies, known.csrf_token) == (first.cookies, "csrf")
    assert restarted.current == known
    assert site.created == 1  # ...and then grant() checks it and signs in again
    assert run(restarted.grant()).proxy_session_id == first.proxy_session_id
    assert site.created == 2


def test_a_stored_grant_without_its_csrf_token_is_not_handed_out_unchecked(
    tmp_path: Path, qseow: Tenant
) -> None:
    """A grant stored before the csrf token was kept with it: the engine socket needs the
    token, so the grant goes through the check, which fetches one."""
    site = Site()
    store = GrantStore(tmp_path / "grant.json")
    run(_session(site, qseow, store).grant())
    data = json.loads(store.path.read_text())
    del data["csrf_token"]
    store.path.write_text(json.dumps(data))
    assert _session(site, qseow, store).unchecked() is None
    assert run(_session(site, qseow, store).grant()).csrf_token == "csrf"


def test_a_stale_grant_is_renewed_with_the_same_session_id(tmp_path: Path, qseow: Tenant) -> None:
    site = Site()
    store = GrantStore(tmp_path / "grant.json")
    first = run(_session(site, qseow, store).grant())
    site.sessions.clear()  # the proxy forgot the session
    again = run(_session(site, qseow, store).grant())
    assert again.proxy_session_id == first.proxy_session_id
    assert site.created == 2


def test_renew_and_sign_out(tmp_path: Path, qseow: Tenant) -> None:
    site = Site()
    session = _session(site, qseow, GrantStore(tmp_path / "grant.json"))
    run(session.grant())
    run(session.renew("an app's engine session ended"))  # the proxy session is still good
    assert site.created == 1
    site.sessions.clear()  # the site ends it
    run(session.renew("401 from the engine"))
    assert site.created == 2
    assert run(session.sign_out()) is True  # the proxy session was ended
    assert site.sessions == set()
    assert session.current is None
    assert not (tmp_path / "grant.json").exists()


def test_grant_for_another_identity_is_not_reused(tmp_path: Path, qseow: Tenant) -> None:
    site = Site()
    store = GrantStore(tmp_path / "grant.json")
    run(_session(site, qseow, store).grant())
    other = Tenant(qseow.flavor, qseow.base_url, "wall-2", qseow.prefix)
    run(_session(site, other, store).grant())
    assert site.created == 2


def test_interactive_without_cookies_asks_to_sign_in(tmp_path: Path, cloud: Tenant) -> None:
    site = Site()
    session = AuthSession(CloudInteractive(cloud), GrantStore(tmp_path / "g.json"),
                          client_factory=_factory(site))  # fmt: skip
    with pytest.raises(SignInRequired) as asked:
        run(session.grant())
    assert asked.value.login_url == (
        "https://acme.example.qlikcloud.com/login?returnto=https%3A%2F%2Facme.example."
        "qlikcloud.com%2F&qlik-web-integration-id=wi-123"
    )
    with pytest.raises(SessionExpired):
        run(session.adopt_cookies([GrantCookie("eas.sid", "wrong")]))
    grant = run(session.adopt_cookies([GrantCookie("eas.sid", "ok")]))
    assert grant.csrf_token == "c"
    assert grant.user == "Alice Smith"  # users/me names who signed in (the window title says it)
    assert run(session.grant()).cookies == grant.cookies
    with pytest.raises(SignInRequired, match="Sign in again"):
        run(session.renew("mustAuthenticate"))


def test_interactive_names_the_user_from_what_the_site_answers(cloud: Tenant) -> None:
    cloud_user = CloudInteractive(cloud).user_of
    assert cloud_user({"name": " Bob ", "email": "b@x", "subject": "s"}) == "Bob"
    assert cloud_user({"name": "", "email": "b@x"}) == "b@x"
    assert cloud_user({"subject": 7}) is None
    qseow_user = QseowInteractive(cloud).user_of
    assert qseow_user({"userId": "bob", "userDirectory": "CORP"}) == "CORP\\bob"
    assert qseow_user({"userId": "bob"}) == "bob"
    assert qseow_user({}) is None


def test_corrupt_store_is_ignored(tmp_path: Path, qseow: Tenant) -> None:
    store = GrantStore(tmp_path / "grant.json")
    store.path.write_text("{not json")
    assert store.load(base_url=qseow.base_url, identity=qseow.identity) is None
