"""Opening the engine websocket: TLS through the OS trust store, the grant's cookies and headers,
a browser-like Origin, keepalive pings and a deliberate frame size limit. A redirect is followed
only within the engine URL's origin: the grant never goes to another server, and the engine
session is never opened on one (a redirect elsewhere is the server saying "sign in")."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin
from websockets.uri import parse_uri

from viewer.auth.cookies import parse_set_cookie
from viewer.config.tls import TlsSettings, shared_context
from viewer.core.closes import (
    CloseClassification,
    CloseKind,
    Initiator,
    classify_handshake_status,
)
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.core.urls import origin_of
from viewer.engine.errors import EngineConnectError

MIB = 1024 * 1024
MAX_QUEUE = 128
"""Received messages waiting for the reader before the socket stops reading (TCP pushes back
on the engine): a flood is held by the network, not in memory. The keepalive counts received
messages as proof of a live network, so a pong held back by the flood is not a timeout."""


@dataclass(frozen=True)
class SessionConfig:
    """How the engine session talks to the server.

    A silent network is noticed within ping_interval + ping_timeout (the channel's own
    keepalive, which does not wait for a closing handshake): at most 8 s with the defaults.
    `close_timeout` bounds the handshake of a deliberate close. `max_size` is far above
    websockets' 1 MiB default: layouts exceed it.
    `ca_bundle` adds a PEM file of trusted CAs to the operating system's trust store.
    OnConnected is awaited `connected_timeout` s; a probe request goes out after `probe_after` s
    without it (a client-managed proxy says nothing before the client's first frame).
    """

    ping_interval: float = 4.0
    ping_timeout: float = 4.0
    open_timeout: float = 10.0
    close_timeout: float = 2.0
    max_size: int = 64 * MIB
    request_timeout: float = 60.0
    connected_timeout: float = 5.0
    probe_after: float = 0.5
    aborted_retries: int = 3
    delta: bool = True
    compression: bool = True
    ca_bundle: Path | None = None
    user_agent: str = "viewer (Qlik engine session)"


class _SameOriginConnect(connect):
    """websockets' `connect`, but a redirect to another origin (scheme, host or port) is not
    followed: it ends the attempt as the redirect status itself (`InvalidStatus`)."""

    def process_redirect(self, exc: Exception) -> Exception | str:
        if isinstance(exc, websockets.InvalidStatus) and "Location" in exc.response.headers:
            try:
                target = parse_uri(urljoin(self.uri, exc.response.headers["Location"]))
            except websockets.InvalidURI:
                return exc  # e.g. an https:// login page: not a websocket to follow
            here = self.ws_uri
            if (target.secure, target.host, target.port) != (here.secure, here.host, here.port):
                return exc
        return super().process_redirect(exc)


def request_headers(grant: SessionGrant, user_agent: str) -> list[tuple[str, str]]:
    """The handshake headers: the grant's extra headers, its cookies, and a User-Agent."""
    headers = [(name, value) for name, value in grant.headers.items()]
    cookie = grant.cookie_header()
    if cookie is not None:
        headers.append(("Cookie", cookie))
    headers.append(("User-Agent", user_agent))
    return headers


async def open_socket(url: str, grant: SessionGrant, config: SessionConfig) -> ClientConnection:
    """Open the engine websocket or raise `EngineConnectError` saying whether a retry can help."""
    secure = url.startswith("wss:")
    try:
        context = shared_context(TlsSettings(ca_bundle=config.ca_bundle)) if secure else None
    except ValueError as error:
        unusable = CloseClassification(CloseKind.FATAL, "tls.ca_bundle_unreadable")
        raise EngineConnectError(unusable, str(error)) from error
    try:
        return await _SameOriginConnect(
            url,
            origin=Origin(origin_of(grant.base_url)),
            additional_headers=request_headers(grant, config.user_agent),
            user_agent_header=None,
            ssl=context,
            compression="deflate" if config.compression else None,
            proxy=None,
            open_timeout=config.open_timeout,
            close_timeout=config.close_timeout,
            ping_interval=None,  # the channel pings (viewer.engine.channel)
            max_size=config.max_size,
            max_queue=MAX_QUEUE,
        )
    except websockets.InvalidStatus as error:
        status = error.response.status_code
        raise EngineConnectError(
            classify_handshake_status(status), f"the engine refused the websocket: HTTP {status}"
        ) from error
    except websockets.InvalidURI as error:
        malformed = CloseClassification(CloseKind.FATAL, "config.engine_url_invalid")
        raise EngineConnectError(malformed, f"the engine URL is not valid: {error}") from error
    except ssl.SSLCertVerificationError as error:
        untrusted = CloseClassification(
            CloseKind.FATAL, "tls.untrusted_certificate", initiator=Initiator.LOCAL
        )
        raise EngineConnectError(
            untrusted,
            f"the server's certificate is not trusted ({error.verify_message}); "
            "add its CA to the system trust store or set a CA bundle",
        ) from error
    except ssl.SSLError as error:
        if not _speaks_plain_http(error):
            raise _unreachable(error) from error
        plain = CloseClassification(CloseKind.FATAL, "tls.plain_http", initiator=Initiator.LOCAL)
        raise EngineConnectError(
            plain,
            "the server speaks plain HTTP on this port: use an http:// tenant URL, or the "
            "server's HTTPS port",
        ) from error
    except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
        raise _unreachable(error) from error


def handshake_cookies(socket: object) -> tuple[GrantCookie, ...]:
    """The cookies the server set on the websocket upgrade. A proxy that authenticates every
    request by a header or a JWT starts a new proxy session there when the cookie it was sent
    has gone stale; whoever opens the next socket must send the new one, or each socket starts
    yet another session."""
    response = getattr(socket, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return ()
    parsed = (parse_set_cookie(value) for value in headers.get_all("Set-Cookie"))
    return tuple(cookie for cookie in parsed if cookie is not None)


# What OpenSSL reports when the other side answers a TLS hello with something that is not TLS
# (a plain-HTTP server's "400 Bad Request").
_NOT_TLS_REASONS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"})


def _speaks_plain_http(error: ssl.SSLError) -> bool:
    return (error.reason or "") in _NOT_TLS_REASONS or "wrong version number" in str(error)


def _unreachable(error: BaseException) -> EngineConnectError:
    lost = CloseClassification(
        CloseKind.NETWORK, "network.unreachable", initiator=Initiator.NETWORK
    )
    return EngineConnectError(
        lost, f"cannot open the engine websocket: {type(error).__name__}: {error}"
    )
