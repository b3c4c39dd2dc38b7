"""Qlik Cloud modes against the simulated tenant: a grant for every mode, and each bad input
answered with its exact user-facing message and no secret in the log."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from authsim import (
    IDENTITY,
    assert_no_secret,
    cloud_profile,
    drive,
    in_sim,
    read_text,
    sim_fault,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from viewer.auth.anonymous import ApiKey
from viewer.auth.cloud_jwt import CloudJwt
from viewer.auth.errors import AuthError, CredentialsRejected, SignInRequired
from viewer.auth.factory import strategy_for, tenant_of
from viewer.auth.interactive import CloudInteractive
from viewer.auth.jwt_source import SignedJwt, cloud_claims
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore
from viewer.core.grant import GrantCookie
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration
JWT_STEP = "Check the JWT identity provider on the tenant and the auth section of the profile."


def _other_key(tmp_path: Path) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "other.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def test_cloud_jwt_grant_opens_users_me(tmp_path: Path, log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(cloud_profile(sim, tmp_path), IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        assert {c.name for c in grant.cookies} >= {"eas.sid", "eas.sid.sig", "_csrfToken"}
        assert grant.csrf_token
        async with httpx.AsyncClient() as http:
            me = await http.get(
                f"{sim.url}/api/v1/users/me", headers={"Cookie": grant.cookie_header() or ""}
            )
        assert me.json()["subject"] == "alice"
        key_text = await read_text(sim.ready["credentials"]["jwt"]["private_key_path"])
        assert_no_secret(
            log_output, *(c.value for c in grant.cookies), grant.csrf_token, key_text.split()[3]
        )

    in_sim(main)


def test_api_key_grant(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        api_key = sim.ready["credentials"]["api_key"]
        strategy = ApiKey(tenant_of(cloud_profile(sim, Path()), IDENTITY), api_key)
        grant = await drive(strategy, strategy.authenticate())
        assert grant.headers["Authorization"] == f"Bearer {api_key}"
        assert_no_secret(log_output, api_key)

    in_sim(main)


async def _browser_login(sim: RunningSim, login_url: str) -> httpx.Cookies:
    """What the web view does on the sim's login form: open it, post user and password."""
    user = sim.ready["credentials"]["users"][0]
    async with httpx.AsyncClient(follow_redirects=False) as browser:
        page = await browser.get(login_url)
        assert page.status_code == 200
        reply = await browser.post(
            login_url, data={"username": user["username"], "password": user["password"]}
        )
        assert reply.status_code == 302
        return browser.cookies


def test_cloud_interactive_adopts_the_view_cookies(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        config = cloud_profile(sim, Path()).model_copy(
            update={"auth": {"mode": "cloud-interactive"}}
        )
        strategy = CloudInteractive(tenant_of(config, IDENTITY))
        session = AuthSession(strategy)
        with pytest.raises(SignInRequired) as asked:
            await session.grant()
        assert asked.value.login_url is not None
        assert asked.value.login_url.startswith(f"{sim.url}/login?returnto=")
        jar = await _browser_login(sim, asked.value.login_url)
        cookies = [GrantCookie(c.name, c.value or "") for c in jar.jar]
        grant = await session.adopt_cookies(cookies)
        assert grant.csrf_token
        assert_no_secret(log_output, *(c.value for c in cookies), grant.csrf_token)

    in_sim(main)


def _signed(sim: RunningSim, *, shift: timedelta = timedelta(), **claims: Any) -> SignedJwt:
    jwt = sim.ready["credentials"]["jwt"]

    def make(now: datetime, lifetime: timedelta) -> dict[str, object]:
        base = cloud_claims(
            issuer=jwt["issuer"], subject="alice", name="Alice", email="alice@example.com",
            groups=[], now=now, lifetime=lifetime,
        )  # fmt: skip
        return {**base, **claims}

    return SignedJwt(
        private_key_pem=Path(jwt["private_key_path"]).read_text(),
        kid=jwt["kid"],
        algorithm="RS256",
        lifetime=timedelta(minutes=5),
        claims=make,
        clock=lambda: datetime.now(UTC) + shift,
    )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "expired",
            "The tenant rejected the JWT: the JWT has expired; check the clock of this "
            f"computer. {JWT_STEP}",
        ),
        (
            "future",
            "The tenant rejected the JWT: the JWT is not valid yet (`nbf` in the future); check "
            f"the clock of this computer. {JWT_STEP}",
        ),
        (
            "audience",
            "The tenant rejected the JWT: the audience (`aud`) must be "
            f"`qlik.api/login/jwt-session`. {JWT_STEP}",
        ),
    ],
)
def test_bad_jwt_times_and_audience(case: str, message: str, log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> str:
        source = {
            "expired": lambda: _signed(sim, shift=timedelta(hours=-2)),
            "future": lambda: _signed(sim, shift=timedelta(hours=2)),
            "audience": lambda: _signed(sim, aud="qlik.api"),
        }[case]()
        strategy = CloudJwt(tenant_of(cloud_profile(sim, Path()), IDENTITY), source, kid="x")
        with pytest.raises(CredentialsRejected) as caught:
            await drive(strategy, strategy.authenticate())
        return str(caught.value)

    assert in_sim(main) == message
    assert_no_secret(log_output)


def test_wrong_kid(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(cloud_profile(sim, Path(), kid="k1"), IDENTITY)
        with pytest.raises(CredentialsRejected) as caught:
            await drive(strategy, strategy.authenticate())
        assert str(caught.value) == (
            "The tenant rejected the JWT: kid `k1` is not configured on the JWT identity "
            "provider. Set auth.kid to the key id of the JWT identity provider."
        )

    in_sim(main)
    assert_no_secret(log_output)


def test_wrong_key(tmp_path: Path, log_output: io.StringIO) -> None:
    other = _other_key(tmp_path)

    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(cloud_profile(sim, tmp_path, private_key=f"file:{other}"), IDENTITY)
        with pytest.raises(CredentialsRejected) as caught:
            await drive(strategy, strategy.authenticate())
        assert str(caught.value) == (
            "The tenant rejected the JWT: the signature does not match the certificate "
            f"configured on the JWT identity provider. {JWT_STEP}"
        )

    in_sim(main)
    assert_no_secret(log_output, other.read_text().split()[3])


def test_token_url_5xx(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        await sim_fault(sim, kind="http_error", path="/org/token", status=503, count=1)
        config = cloud_profile(
            sim, Path(), private_key=None, token_url=f"{sim.url}/org/token",
            token_url_auth="env:VIEWER_TEST_TOKEN_URL_AUTH",
        )  # fmt: skip
        strategy = strategy_for(config, IDENTITY)
        with pytest.raises(AuthError) as caught:
            await drive(strategy, strategy.authenticate())
        assert str(caught.value) == (
            f"The organisation's token endpoint {sim.url}/org/token failed (HTTP 503). Try "
            "again later or ask its administrator."
        )

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VIEWER_TEST_TOKEN_URL_AUTH", "org-credential-5511")
        in_sim(main)
    assert_no_secret(log_output, "org-credential-5511")


def test_restart_reuses_the_persisted_grant_and_revoke_renews(
    tmp_path: Path, log_output: io.StringIO
) -> None:
    async def main(sim: RunningSim) -> None:
        config = cloud_profile(sim, tmp_path)
        store = GrantStore(tmp_path / "grant.json")
        first = await AuthSession(strategy_for(config, IDENTITY), store).grant()
        assert (store.path.stat().st_mode & 0o777) == 0o600
        for _ in range(3):  # restarts: a new AuthSession reads the same store
            again = await AuthSession(strategy_for(config, IDENTITY), store).grant()
            assert again.cookies == first.cookies
        assert sim.tenant.counters.logins == 1
        await sim_fault(sim, kind="revoke")
        renewed = await AuthSession(strategy_for(config, IDENTITY), store).grant()
        assert renewed.cookies != first.cookies
        assert sim.tenant.counters.logins == 2
        assert_no_secret(log_output, *(c.value for c in first.cookies + renewed.cookies))

    in_sim(main)


def test_revoked_cookie_in_interactive_mode_asks_to_sign_in(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> None:
        config = cloud_profile(sim, tmp_path)
        strategy = CloudInteractive(tenant_of(config, IDENTITY))
        session = AuthSession(strategy, GrantStore(tmp_path / "grant.json"))
        with pytest.raises(SignInRequired) as asked:
            await session.grant()
        jar = await _browser_login(sim, asked.value.login_url or "")
        await session.adopt_cookies([GrantCookie(c.name, c.value or "") for c in jar.jar])
        await sim_fault(sim, kind="revoke")
        with pytest.raises(SignInRequired) as again:
            await session.renew("engine said mustAuthenticate")
        assert str(again.value) == "The Qlik session has ended. Sign in again to continue."

    in_sim(main)


def test_untrusted_tls_certificate(tmp_path: Path, log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(cloud_profile(sim, tmp_path), IDENTITY)
        with pytest.raises(AuthError) as caught:
            await drive(strategy, strategy.authenticate())
        where = sim.url.removeprefix("https://")
        assert str(caught.value) == (
            f"The TLS certificate of {where} is not trusted (unable to get local issuer "
            "certificate). Add the certificate of the CA that issued it to the operating "
            "system's trust store or set network.ca_bundle in the profile."
        )
        trusting = cloud_profile(
            sim, tmp_path, network={"ca_bundle": sim.ready["credentials"]["ca_path"]}
        )
        trusted = strategy_for(trusting, IDENTITY)
        grant = await drive(trusted, trusted.authenticate())
        assert grant.csrf_token

    in_sim(main, tls=True)
    assert_no_secret(log_output)
