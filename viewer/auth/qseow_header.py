"""`qseow-header` and `qseow-jwt`: a virtual proxy that trusts a request header (a user header,
or `Authorization: Bearer <jwt>`). The header goes on every request of the view, the engine
socket and REST; the proxy session cookie it earns is kept too so all share one session."""

from __future__ import annotations

from collections.abc import Mapping

from viewer.auth.base import AuthStrategy, Flow, Tenant
from viewer.auth.jwt_source import JwtSource
from viewer.auth.qseow import open_proxy_session
from viewer.config.tls import TlsSettings
from viewer.core.grant import SessionGrant
from viewer.log import register_secret


class QseowHeader(AuthStrategy):
    """Header authentication: the user named in a header the virtual proxy trusts."""

    mode = "qseow-header"
    user_is_credential = True  # whoever sends this header is this user: never logged

    def __init__(
        self, tenant: Tenant, *, header_name: str, header_value: str,
        tls: TlsSettings | None = None,
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self._header = {header_name: header_value}
        self._header_name = header_name

    @property
    def static_headers(self) -> Mapping[str, str]:
        return self._header

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        return (
            yield from open_proxy_session(
                self.tenant,
                self.empty_grant(headers=self._header, user=next(iter(self._header.values()))),
                credential=f"header `{self._header_name}`",
                next_step="Check that the virtual proxy uses header authentication with this "
                "header name.",
            )
        )


class QseowJwt(AuthStrategy):
    """JWT virtual proxy: a fresh JWT as a Bearer header; renews silently with a new JWT."""

    mode = "qseow-jwt"

    def __init__(
        self, tenant: Tenant, source: JwtSource, *, user: str | None = None,
        tls: TlsSettings | None = None,
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self._source = source
        self._user = user

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        token = yield from self._source.token()
        register_secret(token)
        return (
            yield from open_proxy_session(
                self.tenant,
                self.empty_grant(headers={"Authorization": f"Bearer {token}"}, user=self._user),
                credential="JWT",
                next_step="Check the JWT settings of the virtual proxy (certificate, claim "
                "names for user id and directory).",
            )
        )
