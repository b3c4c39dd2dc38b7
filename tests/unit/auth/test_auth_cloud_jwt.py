"""cloud-jwt: JWT → /login/jwt-session → cookies + csrf token, and the rejection messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from viewer.auth.base import Flow, Tenant
from viewer.auth.cloud_jwt import CloudJwt, jwt_rejection_message
from viewer.auth.errors import CredentialsRejected, ServiceUnavailable
from viewer.auth.jwt_source import JwtSource

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"


class FixedJwt(JwtSource):
    def token(self) -> Flow[str]:
        return JWT
        yield  # pragma: no cover


def _qlik_error(status: int, code: str, detail: str) -> httpx.Response:
    body = {"errors": [{"code": code, "title": "Unauthorized", "detail": detail, "status": "401"}]}
    return httpx.Response(status, json=body)


def _tenant_handler(login: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login/jwt-session":
            assert request.method == "POST"
            assert request.headers["Authorization"] == f"Bearer {JWT}"
            return login
        if request.url.path == "/api/v1/csrf-token":
            assert "eas.sid=sid1" in request.headers["Cookie"]
            return httpx.Response(204, headers={"qlik-csrf-token": "csrf-1"})
        return httpx.Response(404)

    return handler


def test_jwt_session_cookies_and_csrf_make_the_grant(drive: Any, cloud: Tenant) -> None:
    login = httpx.Response(
        200,
        headers=[
            ("set-cookie", "eas.sid=sid1; Path=/; Secure; HttpOnly"),
            ("set-cookie", "eas.sid.sig=sig1; Path=/; Secure; HttpOnly"),
            ("set-cookie", "_csrfToken=c1; Path=/; Secure"),
        ],
    )
    grant = drive(CloudJwt(cloud, FixedJwt(), kid="k1").authenticate(), _tenant_handler(login))
    assert [c.name for c in grant.cookies] == ["eas.sid", "eas.sid.sig", "_csrfToken"]
    assert grant.csrf_token == "csrf-1"
    assert grant.identity == "wall-1"
    assert grant.base_url == cloud.base_url


@pytest.mark.parametrize(
    ("detail", "message"),
    [
        (
            "JWT_LOGIN_VALIDATIONS Invalid kid",
            "The tenant rejected the JWT: kid `k1` is not configured on the JWT identity "
            "provider. Set auth.kid to the key id of the JWT identity provider.",
        ),
        (
            "JWT_LOGIN_VALIDATIONS Missing required claim: nbf",
            "The tenant rejected the JWT: JWT_LOGIN_VALIDATIONS Missing required claim: nbf "
            "(INTERNAL-TOKEN-1). Check the JWT identity provider on the tenant and the auth "
            "section of the profile.",
        ),
        (
            "jwt expired",
            "The tenant rejected the JWT: the JWT has expired; check the clock of this "
            "computer. Check the JWT identity provider on the tenant and the auth section of "
            "the profile.",
        ),
    ],
)
def test_rejection_names_cause_and_next_step(detail: str, message: str) -> None:
    assert jwt_rejection_message(_qlik_error(401, "INTERNAL-TOKEN-1", detail), "k1") == message


def test_rejected_jwt_raises_credentials_rejected(drive: Any, cloud: Tenant) -> None:
    login = _qlik_error(401, "INTERNAL-TOKEN-1", "JWT_LOGIN_VALIDATIONS Invalid kid")
    with pytest.raises(CredentialsRejected, match="kid `k1` is not configured"):
        drive(CloudJwt(cloud, FixedJwt(), kid="k1").authenticate(), _tenant_handler(login))


def test_tenant_5xx_is_service_unavailable(drive: Any, cloud: Tenant) -> None:
    with pytest.raises(ServiceUnavailable, match="HTTP 502"):
        drive(CloudJwt(cloud, FixedJwt()).authenticate(), _tenant_handler(httpx.Response(502)))
