"""Client-managed modes against the simulated site: ticket, session API, header and interactive
grants; the same cookie serves QRS right after sign-in; bad input gets its exact message."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from authsim import (
    IDENTITY,
    assert_no_secret,
    drive,
    header_profile,
    in_sim,
    qseow_profile,
    sim_fault,
    sim_state,
)

from viewer.auth.base import AuthStrategy, grant_request, run_flow
from viewer.auth.errors import AuthError, ClientCertificateRefused, CredentialsRejected
from viewer.auth.factory import strategy_for, tenant_of
from viewer.auth.http import make_client, ssl_context
from viewer.auth.interactive import QseowInteractive
from viewer.auth.qrs import app_last_reload
from viewer.auth.qseow import QpsApi, QpsUser, open_proxy_session
from viewer.auth.qseow_ticket import TicketSource
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore
from viewer.config.tls import TlsSettings
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration


def _cookie_name(sim: RunningSim) -> str:
    return str(sim.ready["credentials"]["virtual_proxy"]["session_cookie"])


async def _qrs_reload_time(sim: RunningSim, strategy: AuthStrategy, grant: SessionGrant) -> str:
    app_id = sim.ready["apps"][0]["id"]
    async with make_client() as http:
        value = await run_flow(http, app_last_reload(strategy.tenant, grant, app_id))
    assert value is not None
    return value


@pytest.mark.parametrize("mode", ["qseow-ticket", "qseow-session"])
def test_ticket_and_session_grants_serve_qrs(mode: str, log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(qseow_profile(sim, mode=mode), IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        assert [c.name for c in grant.cookies] == [_cookie_name(sim)]
        assert grant.csrf_token
        await _qrs_reload_time(sim, strategy, grant)
        state = await sim_state(sim)
        assert state["users"]["SIM\\alice"]["proxy_sessions"] == 1
        await drive(strategy, strategy.sign_out(grant))
        assert (await sim_state(sim))["proxy_sessions"] == []
        assert_no_secret(log_output, *(c.value for c in grant.cookies), grant.csrf_token)

    in_sim(main, flavor="qseow")


def test_header_grant(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        header = sim.ready["credentials"]["header_auth"]
        config = header_profile(sim)
        strategy = strategy_for(config, IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        assert dict(grant.headers) == {header["header"]: "SIM\\bob"}
        assert [c.name for c in grant.cookies] == [header["session_cookie"]]
        await _qrs_reload_time(sim, strategy, grant)
        # the header's value signs in as that user: it is a secret like the cookie
        secrets = (*(c.value for c in grant.cookies), grant.csrf_token, "SIM\\bob")
        assert_no_secret(log_output, *secrets)

    in_sim(main, flavor="qseow")


def test_interactive_login_in_the_view_then_adopted(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        config = qseow_profile(sim, mode="qseow-ticket")
        strategy = QseowInteractive(tenant_of(config, IDENTITY))
        user = sim.ready["credentials"]["users"][0]
        async with httpx.AsyncClient(follow_redirects=True) as browser:
            form = await browser.get(strategy.login_url(""))
            assert "password" in form.text
            await browser.post(
                str(form.url), data={"username": user["username"], "password": user["password"]}
            )
            cookies = [GrantCookie(c.name, c.value or "") for c in browser.cookies.jar]
        grant = await AuthSession(strategy).adopt_cookies(cookies)
        assert grant.csrf_token
        assert_no_secret(log_output, *(c.value for c in cookies), user["password"])

    in_sim(main, flavor="qseow")


def test_restarts_keep_one_proxy_session(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> None:
        config = qseow_profile(sim, mode="qseow-session")
        store = GrantStore(tmp_path / "grant.json")
        for _ in range(20):
            await AuthSession(strategy_for(config, IDENTITY), store).grant()
        state = await sim_state(sim)
        assert len(state["proxy_sessions"]) == 1
        ticket = qseow_profile(sim, mode="qseow-ticket")
        ticket_store = GrantStore(tmp_path / "ticket.json")
        for _ in range(20):
            await AuthSession(strategy_for(ticket, IDENTITY), ticket_store).grant()
        state = await sim_state(sim)
        assert len(state["proxy_sessions"]) == 2
        assert state["counters"]["tickets_issued"] == 1

    in_sim(main, flavor="qseow")


def test_revoked_session_is_renewed_silently_with_the_same_id(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> None:
        config = qseow_profile(sim, mode="qseow-session")
        session = AuthSession(strategy_for(config, IDENTITY), GrantStore(tmp_path / "g.json"))
        first = await session.grant()
        await sim_fault(sim, kind="revoke")
        renewed = await AuthSession(
            strategy_for(config, IDENTITY), GrantStore(tmp_path / "g.json")
        ).grant()
        assert renewed.proxy_session_id == first.proxy_session_id
        assert len((await sim_state(sim))["proxy_sessions"]) == 1

    in_sim(main, flavor="qseow")


def test_reused_ticket(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        config = qseow_profile(sim, mode="qseow-ticket")
        strategy = strategy_for(config, IDENTITY)
        creds = sim.ready["credentials"]
        source = TicketSource(
            qps=QpsApi(creds["qps_url"], config.tenant.prefix), user=QpsUser("SIM", "alice")
        )
        ticket = await drive(strategy, source.ticket())
        redeem = {"query": {"qlikTicket": ticket}, "credential": "ticket"}
        await drive(strategy, open_proxy_session(strategy.tenant, strategy.empty_grant(), **redeem))
        with pytest.raises(CredentialsRejected) as caught:
            await drive(
                strategy, open_proxy_session(strategy.tenant, strategy.empty_grant(), **redeem)
            )
        assert str(caught.value) == (
            "The virtual proxy /sim did not accept the ticket (HTTP 302: redirected to the login "
            "page). Check the authentication settings of the virtual proxy in the QMC."
        )
        return ticket

    ticket = in_sim(main, flavor="qseow")
    assert_no_secret(log_output, ticket)


def test_missing_client_certificate(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(qseow_profile(sim, mode="qseow-ticket"), IDENTITY)
        no_cert = TlsSettings(ca_bundle=strategy.tls.ca_bundle)
        with pytest.raises(ClientCertificateRefused) as caught:
            await drive(strategy, strategy.authenticate(), tls=no_cert)
        where = sim.ready["credentials"]["qps_url"].removeprefix("https://")
        assert str(caught.value) == (
            f"{where} (the Qlik proxy service API) closed the TLS connection: it accepts only a "
            "client certificate issued by the site, and none was accepted. Set auth.client_cert "
            "and auth.client_key to the certificate exported from the QMC (Certificates, "
            "platform-independent PEM format)."
        )

    in_sim(main, flavor="qseow")
    assert_no_secret(log_output)


class _MismatchedXrfkey(httpx.AsyncBaseTransport):
    """A transport that changes the xrfkey header so that it no longer matches the query."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if "X-Qlik-Xrfkey" in request.headers:
            request.headers["X-Qlik-Xrfkey"] = "0123456789abcdef"
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def test_wrong_xrfkey(log_output: io.StringIO) -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(qseow_profile(sim, mode="qseow-ticket"), IDENTITY)
        inner = httpx.AsyncHTTPTransport(verify=ssl_context(strategy.tls))
        async with httpx.AsyncClient(transport=_MismatchedXrfkey(inner)) as http:
            with pytest.raises(CredentialsRejected) as caught:
                await run_flow(http, strategy.authenticate())
        assert str(caught.value) == (
            "The Qlik proxy service refused to issue a ticket for SIM\\alice: the xrfkey check "
            "failed (XSRF prevention check failed. Possible XSRF discovered.). The xrfkey "
            "parameter and the X-Qlik-Xrfkey header must carry the same 16 characters."
        )

    in_sim(main, flavor="qseow")
    assert_no_secret(log_output)


def test_revoked_cookie_fails_qrs_with_session_expired() -> None:
    async def main(sim: RunningSim) -> None:
        strategy = strategy_for(qseow_profile(sim, mode="qseow-ticket"), IDENTITY)
        grant = await drive(strategy, strategy.authenticate())
        await sim_fault(sim, kind="revoke")
        with pytest.raises(AuthError, match="The Qlik session has ended"):
            await _qrs_reload_time(sim, strategy, grant)
        async with make_client() as http:
            csrf = await http.send(grant_request("GET", strategy.csrf_url(), grant))
        assert csrf.is_redirect

    in_sim(main, flavor="qseow")
