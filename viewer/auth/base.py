"""The shape every auth strategy shares: an httpx-style flow (a generator that yields requests and
receives responses) producing a `SessionGrant`, the driver that runs such a flow over a client,
and the steps common to all modes (csrf token, "is this session still signed in?")."""

from __future__ import annotations

import logging
import ssl
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias, TypeVar
from urllib.parse import urlsplit

from viewer.auth.bounded import ACCEPT_ENCODING, read_bounded, reply_json
from viewer.auth.cookies import merge_cookies, response_cookies
from viewer.auth.errors import (
    AuthError,
    ClientCertificateRefused,
    ServiceUnavailable,
    SessionExpired,
    TlsUntrusted,
)
from viewer.config.tls import TlsSettings
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.core.netfaults import connection_refused, plain_http_reply, plain_http_sentence
from viewer.core.urls import cookie_belongs_to
from viewer.log import emit, get_logger, register_secret

if TYPE_CHECKING:  # httpx is imported with the first request: a start that makes none skips it
    import httpx

T = TypeVar("T")
Flow: TypeAlias = "Generator[httpx.Request, httpx.Response, T]"
"""A step-by-step HTTP exchange: yields requests, is sent their responses, returns a result."""

Flavor = Literal["cloud", "qseow"]
CSRF_HEADER = "qlik-csrf-token"
CLIENT_CERT_EXTENSION = "viewer.client_cert"
"""Request extension marking a call to a service that demands a client certificate (QPS)."""

_log = get_logger("auth")


@dataclass(frozen=True)
class Tenant:
    """Where the Qlik site is and which engine identity this profile uses."""

    flavor: Flavor
    base_url: str
    identity: str
    prefix: str = ""
    web_integration_id: str | None = None

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        """An absolute URL behind the virtual proxy: `base/<prefix>/<path>`."""
        prefix = f"/{self.prefix}" if self.prefix else ""
        return f"{self.base_url.rstrip('/')}{prefix}/{path.lstrip('/')}"


def grant_request(
    method: str,
    url: str,
    grant: SessionGrant | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    json_body: object | None = None,
) -> httpx.Request:
    """A request carrying the grant's cookies and headers (if any) plus `headers`."""
    import httpx

    merged: dict[str, str] = {}
    if grant is not None:
        merged.update(grant.headers)
        cookie = grant.cookie_header()
        if cookie:
            merged["Cookie"] = cookie
    merged.update(headers or {})
    return httpx.Request(method, url, headers=merged, json=json_body)


def with_cookies_from(grant: SessionGrant, response: httpx.Response) -> SessionGrant:
    """`grant` with the cookies `response` sets (or deletes) applied; a cookie for another
    domain than the one that set it is dropped (as a browser does), never kept in the grant."""
    host = response.request.url.host
    ours = [c for c in response_cookies(response) if cookie_belongs_to(c.domain or "", host)]
    return replace(grant, cookies=merge_cookies(grant.cookies, ours))


def is_unauthenticated(response: httpx.Response) -> bool:
    """The server says this request carries no valid session (401, or a redirect to a login)."""
    return response.status_code == 401 or response.is_redirect


def _ssl_error(error: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def transport_error(error: httpx.TransportError, request: httpx.Request) -> AuthError:
    """A user-facing error for a request that got no HTTP answer (TLS, DNS, refused, timeout)."""
    import httpx

    host = request.url.host
    port = f":{request.url.port}" if request.url.port else ""
    where = f"{host}{port}"
    tls = _ssl_error(error)
    if isinstance(tls, ssl.SSLCertVerificationError):
        return TlsUntrusted(
            f"The TLS certificate of {where} is not trusted ({tls.verify_message}). Add the "
            "certificate of the CA that issued it to the operating system's trust store or set "
            "network.ca_bundle in the profile."
        )
    if connection_refused(error):
        return ServiceUnavailable(
            f"Cannot connect to {where}: nothing accepts connections there. Check the server "
            "address and port, that the service is running and that a firewall lets the "
            "connection through."
        )
    if plain_http_reply(error):
        return ServiceUnavailable(plain_http_sentence(where))
    wants_client_cert = bool(request.extensions.get(CLIENT_CERT_EXTENSION))
    if wants_client_cert and isinstance(error, httpx.ReadError | httpx.ConnectError):
        return ClientCertificateRefused(
            f"{where} (the Qlik proxy service API) closed the TLS connection: it accepts only a "
            "client certificate issued by the site, and none was accepted. Set auth.client_cert "
            "and auth.client_key to the certificate exported from the QMC (Certificates, "
            "platform-independent PEM format)."
        )
    if isinstance(error, httpx.TimeoutException):
        return ServiceUnavailable(f"{where} did not answer in time. Check the network and retry.")
    detail = f" ({tls.reason})" if tls is not None and tls.reason else ""
    return ServiceUnavailable(
        f"Cannot connect to {where}{detail}. Check the server address, that the service is "
        "running and that a firewall lets the connection through."
    )


async def run_flow(client: httpx.AsyncClient, flow: Flow[T]) -> T:
    """Drive `flow` over `client` until it returns; transport failures become `AuthError`s.
    Every reply is read with a bound on its decompressed size (viewer.auth.bounded)."""
    import httpx

    try:
        request = next(flow)
        while True:
            try:
                request.headers.setdefault("Accept-Encoding", ACCEPT_ENCODING)
                response = await read_bounded(await client.send(request, stream=True), request)
            except httpx.TransportError as error:
                failure = transport_error(error, request)
                emit(_log, "auth.http_failed", level=logging.WARNING, host=request.url.host,
                     path=request.url.path, error=type(failure).__name__)  # fmt: skip
                raise failure from None
            emit(_log, "auth.http", level=logging.DEBUG, method=request.method,
                 host=request.url.host, path=request.url.path, status=response.status_code)  # fmt: skip
            request = flow.send(response)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()


class AuthStrategy(ABC):
    """One Qlik sign-in flow. `sign_in` produces a grant without its csrf token; `authenticate`
    adds the token; `refresh_csrf` doubles as the cheap "is the session still valid?" probe."""

    mode: ClassVar[str]
    renews_silently: ClassVar[bool] = True
    user_is_credential: ClassVar[bool] = False
    """True where the user name itself signs in (a trusted header): it is then never logged."""

    def __init__(self, tenant: Tenant, *, tls: TlsSettings | None = None) -> None:
        self.tenant = tenant
        self.tls = tls or TlsSettings()

    @property
    def static_headers(self) -> Mapping[str, str]:
        """Headers from configuration that every grant of this strategy carries (restored when a
        persisted grant is loaded, since headers are never written to disk)."""
        return {}

    def loggable_user(self, grant: SessionGrant) -> str | None:
        """The grant's user for a log line (None where the user name is the credential)."""
        return None if self.user_is_credential else grant.user

    def empty_grant(self, **changes: object) -> SessionGrant:
        """A grant for this tenant and identity with nothing in it yet."""
        grant = SessionGrant(base_url=self.tenant.base_url, identity=self.tenant.identity)
        return replace(grant, **changes)  # type: ignore[arg-type]

    @abstractmethod
    def sign_in(self, previous: SessionGrant | None) -> Flow[SessionGrant]:
        """Obtain a fresh session. `previous` is the last grant of this profile, if any."""

    def sign_out(self, grant: SessionGrant) -> Flow[None]:
        """End what `sign_in` created on the server (default: nothing to end)."""
        return
        yield  # pragma: no cover - makes this a generator

    def authenticate(self, previous: SessionGrant | None = None) -> Flow[SessionGrant]:
        """Sign in and fetch the csrf token for the engine socket."""
        grant = yield from self.sign_in(previous)
        emit(_log, "auth.signed_in", mode=self.mode, user=self.loggable_user(grant))
        return (yield from self.refresh_csrf(grant))

    def csrf_url(self) -> str:
        if self.tenant.flavor == "cloud":
            return f"{self.tenant.base_url.rstrip('/')}/api/v1/csrf-token"
        return self.tenant.url("qps/csrftoken")

    def refresh_csrf(self, grant: SessionGrant) -> Flow[SessionGrant]:
        """The grant with a current csrf token; `SessionExpired` if the server refuses it."""
        response = yield grant_request("GET", self.csrf_url(), grant)
        if is_unauthenticated(response) or response.status_code == 403:
            raise SessionExpired(
                "The Qlik session of this profile has ended or was revoked; signing in again."
            )
        updated = with_cookies_from(grant, response)
        token = response.headers.get(CSRF_HEADER)
        if token is None and response.status_code == 200:
            token = _token_from_body(response)
        if response.status_code >= 500:
            raise ServiceUnavailable(
                f"{self.tenant.origin} answered {response.status_code} when asked for the "
                "csrf token. Try again later; if it persists, check the Qlik proxy service.",
                status=response.status_code,
            )
        register_secret(token)
        return replace(updated, csrf_token=token)


def _token_from_body(response: httpx.Response) -> str | None:
    try:
        body = reply_json(response)
    except ValueError:
        return None
    if isinstance(body, dict):
        for key in ("token", "csrfToken", CSRF_HEADER):
            value = body.get(key)
            if isinstance(value, str):
                return value
    return None


def cookie_named(grant: SessionGrant, name: str) -> GrantCookie | None:
    """The grant's cookie called `name`, if it has one."""
    return next((c for c in grant.cookies if c.name == name), None)
