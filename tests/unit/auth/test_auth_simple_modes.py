"""anonymous, api-key and QRS through the grant."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from viewer.auth.anonymous import Anonymous, ApiKey
from viewer.auth.base import Tenant
from viewer.auth.errors import AuthError, CredentialsRejected, SessionExpired
from viewer.auth.qrs import app_last_reload
from viewer.core.grant import GrantCookie, SessionGrant


def test_anonymous_keeps_the_visitor_cookie_and_csrf(drive: Any, qseow: Tenant) -> None:
    def site(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/viewer/qps/csrftoken"
        return httpx.Response(
            200, headers={"qlik-csrf-token": "c1", "set-cookie": "X-Qlik-Session-viewer=anon"}
        )

    grant = drive(Anonymous(qseow).authenticate(), site)
    assert grant.cookie_header() == "X-Qlik-Session-viewer=anon"
    assert grant.csrf_token == "c1"


def test_api_key_is_checked_against_users_me(drive: Any, cloud: Tenant) -> None:
    def site(request: httpx.Request) -> httpx.Response:
        if request.headers.get("Authorization") != "Bearer good-key":
            return httpx.Response(401, json={"errors": [{"code": "HTTP-401", "title": "nope"}]})
        return httpx.Response(200, json={"subject": "alice"})

    assert drive(ApiKey(cloud, "good-key").sign_in(None), site).headers == {
        "Authorization": "Bearer good-key"
    }
    with pytest.raises(CredentialsRejected) as caught:
        drive(ApiKey(cloud, "bad-key").sign_in(None), site)
    assert str(caught.value) == (
        "The tenant rejected the API key (nope (HTTP-401)). Create a new API key in the "
        "tenant's profile settings and update auth.api_key."
    )


GRANT = SessionGrant(
    base_url="https://qlik.example.com",
    identity="wall-1",
    cookies=(GrantCookie("X-Qlik-Session-viewer", "s1"),),
)


def test_qrs_uses_cookie_and_xrfkey(drive: Any, qseow: Tenant) -> None:
    def site(request: httpx.Request) -> httpx.Response:
        assert request.url.raw_path.startswith(b"/viewer/qrs/app/a%201?")
        assert request.url.params["xrfkey"] == request.headers["X-Qlik-Xrfkey"]
        assert request.headers["Cookie"] == "X-Qlik-Session-viewer=s1"
        return httpx.Response(200, json={"lastReloadTime": "2026-01-01T00:00:00.000Z"})

    assert drive(app_last_reload(qseow, GRANT, "a 1"), site) == "2026-01-01T00:00:00.000Z"


def test_qrs_errors(drive: Any, qseow: Tenant) -> None:
    with pytest.raises(SessionExpired):
        drive(app_last_reload(qseow, GRANT, "a"), lambda r: httpx.Response(302))
    with pytest.raises(AuthError, match=r"refused `app/a` \(HTTP 404"):
        drive(app_last_reload(qseow, GRANT, "a"), lambda r: httpx.Response(404, text="nope"))
