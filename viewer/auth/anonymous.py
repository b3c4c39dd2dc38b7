"""`anonymous` and `api-key`: no sign-in at all, or a Qlik Cloud API key as a bearer token on
every request (REST and the engine socket; the browser view still needs cookies)."""

from __future__ import annotations

from collections.abc import Mapping

from viewer.auth.base import AuthStrategy, Flow, Tenant, grant_request, with_cookies_from
from viewer.auth.errors import CredentialsRejected, server_reason
from viewer.config.tls import TlsSettings
from viewer.core.grant import SessionGrant
from viewer.log import register_secret


class Anonymous(AuthStrategy):
    """No credentials; cookies the site hands an anonymous visitor (with the csrf token) are
    kept."""

    mode = "anonymous"

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        return self.empty_grant()
        yield  # pragma: no cover - makes this a generator


class ApiKey(AuthStrategy):
    """A Qlik Cloud API key sent as `Authorization: Bearer`."""

    mode = "api-key"

    def __init__(self, tenant: Tenant, api_key: str, *, tls: TlsSettings | None = None) -> None:
        super().__init__(tenant, tls=tls)
        register_secret(api_key)
        self._headers = {"Authorization": f"Bearer {api_key}"}

    @property
    def static_headers(self) -> Mapping[str, str]:
        return self._headers

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        grant = self.empty_grant(headers=self._headers)
        response = yield grant_request(
            "GET", f"{self.tenant.base_url.rstrip('/')}/api/v1/users/me", grant
        )
        if response.status_code != 200:
            raise CredentialsRejected(
                f"The tenant rejected the API key ({server_reason(response)}). Create a new "
                "API key in the tenant's profile settings and update auth.api_key.",
                status=response.status_code,
            )
        return with_cookies_from(grant, response)
