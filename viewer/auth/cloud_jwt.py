"""`cloud-jwt`: a JWT (signed here or fetched) is exchanged at Qlik Cloud's `/login/jwt-session`
for session cookies that the web view and the engine socket then share."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from viewer.auth.base import AuthStrategy, Flow, Tenant, grant_request, with_cookies_from
from viewer.auth.errors import CredentialsRejected, ServiceUnavailable, server_reason
from viewer.auth.jwt_source import JwtSource
from viewer.config.tls import TlsSettings
from viewer.core.grant import SessionGrant

if TYPE_CHECKING:
    import httpx

_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)missing.*claim"), "{reason}"),
    (re.compile(r"(?i)\bkid\b|key id"), "kid `{kid}` is not configured on the JWT identity provider"),
    (re.compile(r"(?i)\baud(ience)?\b"), "the audience (`aud`) must be `qlik.api/login/jwt-session`"),
    (re.compile(r"(?i)\biss(uer)?\b"), "the issuer (`iss`) does not match the JWT identity provider"),
    (re.compile(r"(?i)lifetime|exceeds"), "the JWT is valid for more than one hour (`exp` - `nbf`)"),
    (re.compile(r"(?i)expired|\bexp\b"), "the JWT has expired; check the clock of this computer"),
    (re.compile(r"(?i)not (yet )?(valid|active)|\bnbf\b|future"),
     "the JWT is not valid yet (`nbf` in the future); check the clock of this computer"),
    (re.compile(r"(?i)signature"),
     "the signature does not match the certificate configured on the JWT identity provider"),
    (re.compile(r"(?i)algorithm"), "the JWT must be signed with RS256"),
    (re.compile(r"(?i)jti|replay|already used"), "the JWT id (`jti`) was already used"),
)  # fmt: skip
_ACTION = {
    "kid": "Set auth.kid to the key id of the JWT identity provider.",
    "default": "Check the JWT identity provider on the tenant and the auth section of the profile.",
}


def jwt_rejection_message(response: httpx.Response, kid: str | None) -> str:
    """ "The tenant rejected the JWT: <cause>. <next step>" from a `/login/jwt-session` reply."""
    reason = server_reason(response)
    for pattern, hint in _HINTS:
        if pattern.search(reason):
            cause = hint.format(kid=kid or "", reason=reason)
            step = _ACTION["kid"] if "{kid}" in hint else _ACTION["default"]
            return f"The tenant rejected the JWT: {cause}. {step}"
    return f"The tenant rejected the JWT: {reason}. {_ACTION['default']}"


class CloudJwt(AuthStrategy):
    """Qlik Cloud JWT sign-in; renews silently with a new JWT (a JWT is never re-used)."""

    mode = "cloud-jwt"

    def __init__(
        self, tenant: Tenant, source: JwtSource, *, kid: str | None = None,
        tls: TlsSettings | None = None,
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self._source = source
        self._kid = kid

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        token = yield from self._source.token()
        response = yield grant_request(
            "POST",
            f"{self.tenant.base_url.rstrip('/')}/login/jwt-session",
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"The tenant failed to sign in with the JWT (HTTP {response.status_code}: "
                f"{server_reason(response)}). Try again later.",
                status=response.status_code,
            )
        if response.status_code not in (200, 201, 204):
            raise CredentialsRejected(
                jwt_rejection_message(response, self._kid), status=response.status_code
            )
        grant = with_cookies_from(self.empty_grant(), response)
        if not grant.cookies:
            raise ServiceUnavailable(
                "The tenant accepted the JWT but set no session cookie. Check that "
                "tenant.base_url is the tenant address (not a proxy that strips cookies)."
            )
        return grant
