"""`qseow-session`: the viewer creates a proxy session through the QPS session API with a
session id it chose and keeps per profile, sets the proxy's session cookie to that id, and
deletes the session on sign-out."""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlsplit

from viewer.auth.base import AuthStrategy, Flow, Tenant
from viewer.auth.qseow import QpsApi, QpsUser, qps_failure
from viewer.config.tls import TlsSettings
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.log import register_secret


def new_session_id() -> str:
    """A fresh, unguessable proxy session id."""
    return secrets.token_hex(16)


class QseowSession(AuthStrategy):
    """Session-API sign-in; renews silently by creating the session again with the same id."""

    mode = "qseow-session"

    def __init__(
        self, tenant: Tenant, qps: QpsApi, user: QpsUser, *, cookie_name: str,
        tls: TlsSettings | None = None,
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self._qps = qps
        self._user = user
        self._cookie_name = cookie_name

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        session_id = (previous and previous.proxy_session_id) or new_session_id()
        register_secret(session_id)
        response = yield self._qps.request(
            "POST", "session", {**self._user.body(), "SessionId": session_id}
        )
        if response.status_code not in (200, 201):
            raise qps_failure(response, f"create a session for {self._user.display}")
        cookie = GrantCookie(
            name=self._cookie_name,
            value=session_id,
            secure=urlsplit(self.tenant.base_url).scheme == "https",
        )
        return self.empty_grant(
            cookies=(cookie,), user=self._user.display, proxy_session_id=session_id
        )

    def sign_out(self, grant: SessionGrant) -> Flow[None]:
        if grant.proxy_session_id is None:
            return
        response = yield self._qps.request(
            "DELETE", f"session/{quote(grant.proxy_session_id, safe='')}"
        )
        if response.status_code not in (200, 204, 404):
            raise qps_failure(response, "delete the viewer's proxy session")
