"""`qseow-ticket`: a single-use ticket from the QPS ticket API (client certificate + xrfkey) or
from an organisation's ticket broker is redeemed with `?qlikTicket=` on a static resource; the
proxy's session cookie it sets then serves `/single/`, the engine socket and QRS alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.auth.base import AuthStrategy, Flow, Tenant, grant_request
from viewer.auth.bounded import reply_json
from viewer.auth.errors import CredentialsRejected, ServiceUnavailable, server_reason
from viewer.auth.qseow import (
    QpsApi,
    QpsUser,
    end_proxy_session,
    open_proxy_session,
    qps_failure,
    require_session_cookie,
)
from viewer.config.tls import TlsSettings
from viewer.core.grant import SessionGrant
from viewer.log import register_secret

if TYPE_CHECKING:
    import httpx

_REDEEM_STEP = (
    "A ticket is valid once and for about a minute: check the clocks and that the ticket is "
    "requested for the same virtual proxy prefix."
)


def _ticket_from(response: httpx.Response) -> str | None:
    try:
        body = reply_json(response)
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("Ticket", "ticket"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return None


class TicketSource:
    """Where tickets come from: the QPS ticket API, or an organisation's broker URL."""

    def __init__(
        self, *, qps: QpsApi | None = None, user: QpsUser | None = None,
        broker_url: str | None = None, broker_credential: str | None = None,
    ) -> None:  # fmt: skip
        if broker_url is None and (qps is None or user is None):
            raise ValueError("a ticket source needs either a broker URL or the QPS and a user")
        register_secret(broker_credential)
        self._qps = qps
        self._user = user
        self._broker_url = broker_url
        self._broker_credential = broker_credential

    def ticket(self) -> Flow[str]:
        """A new ticket (never re-used)."""
        ticket: str | None
        if self._broker_url is not None:
            ticket = yield from self._from_broker(self._broker_url)
        else:
            assert self._qps is not None
            assert self._user is not None
            response = yield self._qps.request(
                "POST", "ticket", {**self._user.body(), "TargetId": ""}
            )
            if response.status_code not in (200, 201):
                raise qps_failure(response, f"issue a ticket for {self._user.display}")
            ticket = _ticket_from(response)
            if ticket is None:
                raise ServiceUnavailable(
                    "The Qlik proxy service answered the ticket request without a ticket. "
                    "Check the QPS address (auth.qps_url)."
                )
        register_secret(ticket)
        return ticket

    def _from_broker(self, url: str) -> Flow[str]:
        headers = {"Accept": "application/json"}
        if self._broker_credential:
            headers["Authorization"] = f"Bearer {self._broker_credential}"
        request = grant_request("GET", url, headers=headers)
        response = yield request
        where = f"The organisation's ticket broker {request.url.copy_with(query=None)}"
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"{where} failed (HTTP {response.status_code}). Try again later or ask its "
                "administrator.",
                status=response.status_code,
            )
        if response.status_code != 200:
            raise CredentialsRejected(
                f"{where} refused the viewer (HTTP {response.status_code}: "
                f"{server_reason(response)}). Check auth.ticket_url_auth.",
                status=response.status_code,
            )
        ticket = _ticket_from(response) or (response.text.strip() or None)
        if ticket is None or " " in ticket or len(ticket) > 200:
            raise ServiceUnavailable(f"{where} did not return a ticket. Check auth.ticket_url.")
        return ticket


class QseowTicket(AuthStrategy):
    """Ticket sign-in; renews silently with a new ticket."""

    mode = "qseow-ticket"

    def __init__(
        self, tenant: Tenant, source: TicketSource, *, cookie_name: str,
        tls: TlsSettings | None = None, user: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self._source = source
        self._cookie_name = cookie_name
        self._user = user

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        ticket = yield from self._source.ticket()
        grant = yield from open_proxy_session(
            self.tenant,
            self.empty_grant(user=self._user),
            query={"qlikTicket": ticket},
            credential="ticket",
            next_step=_REDEEM_STEP,
        )
        require_session_cookie(grant, self._cookie_name, "ticket")
        return grant

    def sign_out(self, grant: SessionGrant) -> Flow[None]:
        yield from end_proxy_session(self.tenant, grant)
