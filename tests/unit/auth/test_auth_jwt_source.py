"""JWTs: the claims Qlik requires, signing, and fetching from a token endpoint."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from viewer.auth.errors import AuthConfigError, CredentialsRejected, ServiceUnavailable
from viewer.auth.jwt_source import CLOUD_AUDIENCE, FetchedJwt, SignedJwt, cloud_claims

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
REQUIRED = {"iss", "aud", "sub", "subType", "name", "email", "email_verified", "jti", "iat",
            "nbf", "exp"}  # fmt: skip


def _claims(now: datetime, lifetime: timedelta) -> dict[str, object]:
    return cloud_claims(
        issuer="https://idp.example", subject="alice", name="Alice", email="a@example.com",
        groups=["sales"], now=now, lifetime=lifetime,
    )  # fmt: skip


def test_cloud_claims_have_every_required_claim_within_an_hour() -> None:
    claims = _claims(NOW, timedelta(minutes=5))
    assert claims.keys() >= REQUIRED
    assert claims["aud"] == CLOUD_AUDIENCE
    assert claims["subType"] == "user"
    assert claims["groups"] == ["sales"]
    nbf, exp, iat = claims["nbf"], claims["exp"], claims["iat"]
    assert isinstance(nbf, int)
    assert isinstance(exp, int)
    assert isinstance(iat, int)
    assert nbf <= iat < exp
    assert exp - nbf <= 3600


def test_each_token_has_a_new_jti() -> None:
    assert _claims(NOW, timedelta(minutes=5))["jti"] != _claims(NOW, timedelta(minutes=5))["jti"]


def test_signed_jwt_verifies_with_the_public_key(rsa_key: Any) -> None:
    source = SignedJwt(
        private_key_pem=rsa_key.private_pem, kid="k1", algorithm="RS256",
        lifetime=timedelta(minutes=5), claims=_claims,
    )  # fmt: skip
    token = source.sign()
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "k1", "typ": "JWT"}
    claims = jwt.decode(token, rsa_key.public_pem, algorithms=["RS256"], audience=CLOUD_AUDIENCE)
    assert claims["sub"] == "alice"


def test_hs_algorithms_are_refused(rsa_key: Any) -> None:
    with pytest.raises(AuthConfigError, match="HS256 is not allowed"):
        SignedJwt(
            private_key_pem=rsa_key.private_pem, kid="k1", algorithm="HS256",
            lifetime=timedelta(minutes=5), claims=_claims,
        )  # fmt: skip


def test_unusable_key_names_the_setting_not_the_key() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"
    source = SignedJwt(
        private_key_pem=pem, kid="k1", algorithm="RS256", lifetime=timedelta(minutes=5),
        claims=_claims,
    )  # fmt: skip
    with pytest.raises(AuthConfigError) as caught:
        source.sign()
    assert "auth.private_key" in str(caught.value)
    assert "bm90IGEga2V5" not in str(caught.value)


def _reply(response: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: response


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, json={"token": "aaa.bbb.ccc"}),
        httpx.Response(200, json={"access_token": "aaa.bbb.ccc"}),
        httpx.Response(200, text="aaa.bbb.ccc"),
    ],
)
def test_fetched_jwt_accepts_json_or_text(drive: Any, response: httpx.Response) -> None:
    assert drive(FetchedJwt("https://tokens.example/jwt").token(), _reply(response)) == (
        "aaa.bbb.ccc"
    )


def test_fetched_jwt_sends_the_credential(drive: Any) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"jwt": "aaa.bbb.ccc"})

    drive(FetchedJwt("https://tokens.example/jwt", credential="org-secret").token(), handler)
    assert seen[0].headers["Authorization"] == "Bearer org-secret"


def test_token_endpoint_5xx_says_try_later(drive: Any) -> None:
    flow = FetchedJwt("https://tokens.example/jwt?user=a").token()
    with pytest.raises(ServiceUnavailable) as caught:
        drive(flow, _reply(httpx.Response(503)))
    assert str(caught.value) == (
        "The organisation's token endpoint https://tokens.example/jwt failed (HTTP 503). "
        "Try again later or ask its administrator."
    )


def test_token_endpoint_refusal_names_the_credential_setting(drive: Any) -> None:
    with pytest.raises(CredentialsRejected, match=r"auth\.token_url_auth"):
        drive(FetchedJwt("https://tokens.example/jwt").token(), _reply(httpx.Response(401)))
