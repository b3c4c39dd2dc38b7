"""`cloud-interactive` and `qseow-interactive`: the user signs in inside the web view (any
identity provider); the cookies the site sets are harvested from the view's cookie store and
become the grant once the site confirms them. These modes never renew silently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from viewer.auth.base import AuthStrategy, Flow, Tenant, grant_request, is_unauthenticated
from viewer.auth.cookies import merge_cookies
from viewer.auth.errors import ServiceUnavailable, SessionExpired, SignInRequired, server_reason
from viewer.auth.qseow import end_proxy_session
from viewer.config.tls import TlsSettings
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.log import register_secret

if TYPE_CHECKING:
    import httpx


class Interactive(AuthStrategy):
    """Sign-in happens in the web view; this strategy only checks and adopts its cookies."""

    mode = "interactive"
    renews_silently = False

    def __init__(
        self, tenant: Tenant, *, tls: TlsSettings | None = None,
        sign_in_origins: Iterable[str] = (),
    ) -> None:  # fmt: skip
        super().__init__(tenant, tls=tls)
        self.sign_in_origins = tuple(sign_in_origins)
        """Origins besides the tenant the sign-in window may show (the identity provider)."""

    def login_url(self, return_to: str) -> str:
        """Where the web view starts signing in, to come back to `return_to` afterwards."""
        return return_to

    def home_url(self) -> str:
        """Where to return after signing in when nothing more specific is wanted."""
        return self.tenant.url("")

    def whoami_url(self) -> str:
        """A URL that answers 200 only to a signed-in session."""
        return self.tenant.url("qps/user")

    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        if previous is not None and previous.cookies:
            return (yield from self.adopt(previous.cookies))
        raise SignInRequired(
            "Sign in to Qlik in the viewer window to continue.",
            login_url=self.login_url(self.home_url()),
        )

    def adopt(self, cookies: Iterable[GrantCookie]) -> Flow[SessionGrant]:
        """The grant made of `cookies` harvested from the view, if the site accepts them."""
        grant = self.empty_grant(cookies=merge_cookies((), cookies))
        for cookie in grant.cookies:
            register_secret(cookie.value)
        response = yield grant_request("GET", self.whoami_url(), grant)
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"{self.tenant.origin} failed to confirm the sign-in (HTTP "
                f"{response.status_code}: {server_reason(response)}). Try again later.",
                status=response.status_code,
            )
        if is_unauthenticated(response) or response.status_code >= 400:
            raise SessionExpired("Not signed in to Qlik yet; sign in in the viewer window.")
        return replace(grant, user=self.user_of(_json_object(response)))

    def user_of(self, whoami: dict[str, object]) -> str | None:
        """Who signed in, from the answer of `whoami_url` (None when it does not say)."""
        return None


class CloudInteractive(Interactive):
    """Qlik Cloud: `/login?qlik-web-integration-id=…&returnto=…`; signed in ⇔ users/me is 200."""

    mode = "cloud-interactive"

    def login_url(self, return_to: str) -> str:
        query = {"returnto": return_to}
        if self.tenant.web_integration_id:
            query["qlik-web-integration-id"] = self.tenant.web_integration_id
        return f"{self.tenant.base_url.rstrip('/')}/login?{urlencode(query)}"

    def whoami_url(self) -> str:
        return f"{self.tenant.base_url.rstrip('/')}/api/v1/users/me"

    def user_of(self, whoami: dict[str, object]) -> str | None:
        """users/me: the display name, else the e-mail, else the subject."""
        return _first_text(whoami, "name", "email", "subject")


class QseowInteractive(Interactive):
    """Client-managed: the proxy's own login (forms, SAML, OIDC, Windows) on the hub page."""

    mode = "qseow-interactive"

    def login_url(self, return_to: str) -> str:
        """The proxy sends any page of the virtual proxy to its login and back: use
        `return_to` when it is behind this proxy, else the hub."""
        return return_to if return_to.startswith(self.tenant.url("")) else self.home_url()

    def home_url(self) -> str:
        return self.tenant.url("hub/")

    def user_of(self, whoami: dict[str, object]) -> str | None:
        """qps/user: `DIRECTORY\\userId`."""
        user_id = _first_text(whoami, "userId")
        directory = _first_text(whoami, "userDirectory")
        return f"{directory}\\{user_id}" if user_id and directory else user_id

    def sign_out(self, grant: SessionGrant) -> Flow[None]:
        yield from end_proxy_session(self.tenant, grant)


def _json_object(response: httpx.Response) -> dict[str, object]:
    """The response's JSON object ({} when it is none: the user is then simply not named)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _first_text(body: dict[str, object], *keys: str) -> str | None:
    """The first of `keys` whose value is a non-empty string."""
    for key in keys:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
