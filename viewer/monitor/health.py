"""Opt-in health and metrics endpoint (contract 4 in DESIGN.md) for fleets of wall displays.

`GET /healthz` answers the viewer's state as JSON — 200 while every sheet is LIVE (or off on
purpose), 503 otherwise — and `GET /metrics` the same facts plus counters in Prometheus text
format; `GET /screenshot` (a PNG of the window) exists only behind a bearer token.

The port must never become a lever against the viewer it reports on, so the server is small and
bounded: at most `max_connections` connections at once (a new one pushes out the oldest that has
not finished its request), a request's head must arrive within `header_timeout_s` and fit
`max_head_bytes`, one request per connection, accept errors (no file descriptors left) back off
instead of spinning, and malformed requests are logged at debug level without a traceback. The
`Host` header must name the bound address (DNS rebinding), and a non-loopback address needs a
token. It runs on the application's asyncio loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import inspect
import ipaddress
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import h11
import prometheus_client

from viewer.log import emit, get_logger, register_secret
from viewer.monitor.errors import HealthServerError
from viewer.monitor.metrics import HealthState, ViewerMetrics

if TYPE_CHECKING:
    from viewer.config.models import MonitorConfig

__all__ = [
    "HealthServer",
    "HealthServerError",
    "HealthState",
    "ServerLimits",
    "ViewerMetrics",
    "is_loopback",
    "server_for",
]

_log = get_logger("monitor")

ScreenshotSource = Callable[[], "bytes | Awaitable[bytes]"]
"""Returns the window as PNG bytes (or an awaitable of them); the app provides it."""

_WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind
_ACCEPT_BACKOFF_MIN_S: Final = 0.05
_ACCEPT_BACKOFF_MAX_S: Final = 2.0
_ACCEPT_REPORT_EVERY_S: Final = 10.0
_SCREENSHOT_TIMEOUT_S: Final = 10.0
_LINGER_S: Final = 0.5
_LINGER_READS: Final = 16


@dataclass(frozen=True)
class ServerLimits:
    """How much of the viewer the health port may take, at most."""

    max_connections: int = 16
    header_timeout_s: float = 5.0
    write_timeout_s: float = 10.0
    max_head_bytes: int = 8192
    backlog: int = 32


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback IP addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_for(
    monitor: MonitorConfig,
    metrics: ViewerMetrics,
    *,
    port: int | None = None,
    screenshot: ScreenshotSource | None = None,
) -> HealthServer | None:
    """The endpoint a profile's `monitor` section asks for, or None when it has no port.
    `port` (the command line's `--health-port`) wins over `monitor.port`; `screenshot` is
    served only when `monitor.screenshot` allows it. Raises HealthServerError with a message a
    user can act on (a token that cannot be read, a non-loopback address without one)."""
    from viewer.config.secret_refs import SecretResolutionError, resolve_secret

    chosen = port if port is not None else monitor.port
    if chosen is None:
        return None
    try:
        token = resolve_secret(monitor.token, "monitor.token") if monitor.token else None
    except SecretResolutionError as error:
        raise HealthServerError(f"the health endpoint cannot start: {error}") from None
    limits = ServerLimits(
        max_connections=monitor.max_connections, header_timeout_s=monitor.header_timeout_s
    )
    return HealthServer(
        metrics,
        host=monitor.address,
        port=chosen,
        token=token,
        screenshot=screenshot if monitor.screenshot else None,
        allowed_hosts=monitor.allowed_hosts,
        limits=limits,
    )


def _host_name(header: str) -> str:
    """The name part of a `Host` header value: without the port, brackets and trailing dot."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.rstrip(".")


class HealthServer:
    """Answers /healthz, /metrics (and /screenshot behind the token) from a ViewerMetrics."""

    def __init__(
        self,
        metrics: ViewerMetrics,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        screenshot: ScreenshotSource | None = None,
        allowed_hosts: Iterable[str] = (),
        limits: ServerLimits | None = None,
    ) -> None:
        if not is_loopback(host) and not token:
            raise HealthServerError(
                f"the health endpoint would listen on {host}, which is not a loopback address, "
                "without a token: set monitor.token (a secret reference such as env:NAME) or "
                "listen on 127.0.0.1"
            )
        if token:
            register_secret(token)
        self._metrics = metrics
        self._host = host
        self._port = port
        self._token = token.encode() if token else None
        self._screenshot = screenshot
        self._limits = limits or ServerLimits()
        self._allowed_hosts = self._hosts_allowed(host, allowed_hosts)
        self._listener: socket.socket | None = None
        self._accepting: asyncio.Task[None] | None = None
        self._connections: dict[asyncio.Task[None], bool] = {}  # task -> still reading its head
        self._accept_errors = 0
        self._accept_errors_reported_at = 0.0
        self.port: int | None = None

    @staticmethod
    def _hosts_allowed(host: str, extra: Iterable[str]) -> frozenset[str] | None:
        """The `Host` names a request may carry, or None for any (a wildcard bind: the token
        protects it)."""
        if host in _WILDCARDS:
            return None
        names = {_host_name(host), *(_host_name(name) for name in extra)}
        if is_loopback(host):
            names.add("localhost")
        return frozenset(names)

    # ---- life cycle ---------------------------------------------------------------------------

    async def start(self) -> int:
        """Listen and serve; returns the port (useful with port 0)."""
        try:
            listener = socket.create_server(
                (self._host, self._port),
                family=socket.AF_INET6 if ":" in self._host else socket.AF_INET,
                backlog=self._limits.backlog,
            )
        except OSError as error:
            raise HealthServerError(
                f"the health endpoint cannot listen on {self._host}:{self._port}: "
                f"{error.strerror or error}"
            ) from None
        listener.setblocking(False)
        self._listener = listener
        self.port = int(listener.getsockname()[1])
        self._accepting = asyncio.get_running_loop().create_task(self._accept_loop())
        emit(_log, "health.listening", host=self._host, port=self.port,
             token=self._token is not None)  # fmt: skip
        return self.port

    async def stop(self) -> None:
        """Stop listening and end every open connection."""
        tasks = [t for t in (self._accepting, *self._connections) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._accepting = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    @property
    def open_connections(self) -> int:
        """Connections being served right now."""
        return len(self._connections)

    # ---- accepting ----------------------------------------------------------------------------

    async def _accept_loop(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._listener is not None
        backoff = 0.0
        while True:
            try:
                connection, _ = await loop.sock_accept(self._listener)
            except OSError as error:
                # Out of file descriptors (or buffers): wait before the next try instead of
                # spinning on a listener that stays readable, and say so now and then.
                backoff = min(max(backoff * 2, _ACCEPT_BACKOFF_MIN_S), _ACCEPT_BACKOFF_MAX_S)
                self._report_accept_error(error, backoff)
                await asyncio.sleep(backoff)
                continue
            backoff = 0.0
            self._admit(connection)
            await asyncio.sleep(0)  # a connection pushed out closes before the next accept

    def _report_accept_error(self, error: OSError, backoff: float) -> None:
        self._accept_errors += 1
        now = time.monotonic()
        if now - self._accept_errors_reported_at >= _ACCEPT_REPORT_EVERY_S:
            self._accept_errors_reported_at = now
            emit(_log, "health.accept_failed", level=logging.WARNING,
                 error=error.strerror or type(error).__name__, errors=self._accept_errors,
                 backoff_s=backoff)  # fmt: skip

    def _admit(self, connection: socket.socket) -> None:
        """Serve a new connection, within the cap: the oldest connection still sending its
        request head makes room (a slow or idle client loses to a fresh one); when every slot
        is busy answering, the new connection is closed at once."""
        if len(self._connections) >= self._limits.max_connections:
            oldest_reading = next((t for t, reading in self._connections.items() if reading), None)
            if oldest_reading is None:
                connection.close()
                return
            self._connections.pop(oldest_reading)
            oldest_reading.cancel()
        connection.setblocking(False)
        task = asyncio.get_running_loop().create_task(self._serve(connection))
        self._connections[task] = True
        task.add_done_callback(lambda done: self._connections.pop(done, None))

    # ---- one request --------------------------------------------------------------------------

    async def _serve(self, connection: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        parser = h11.Connection(h11.SERVER, max_incomplete_event_size=self._limits.max_head_bytes)
        try:
            try:
                async with asyncio.timeout(self._limits.header_timeout_s):
                    request = await self._read_head(connection, parser)
            except TimeoutError:
                emit(_log, "health.header_timeout", level=logging.DEBUG)
                return
            except h11.RemoteProtocolError as error:
                emit(_log, "health.bad_request", level=logging.DEBUG, reason=str(error)[:80])
                status = error.error_status_hint
                reply = _plain(parser, status, f"{_reason(status)}\n")
            else:
                task = asyncio.current_task()
                if task in self._connections:
                    self._connections[task] = False  # answering: not to be pushed out
                reply = await self._answer(parser, request)
            async with asyncio.timeout(self._limits.write_timeout_s):
                await loop.sock_sendall(connection, reply)
            if parser.their_state is h11.ERROR:
                await _linger(connection)
        except (OSError, TimeoutError) as error:
            emit(_log, "health.connection_failed", level=logging.DEBUG,
                 error=type(error).__name__)  # fmt: skip
        except Exception as error:  # a bug here must not end up in the loop's handler
            emit(_log, "health.error", level=logging.WARNING, error=type(error).__name__)
        finally:
            connection.close()

    async def _read_head(self, connection: socket.socket, parser: h11.Connection) -> h11.Request:
        loop = asyncio.get_running_loop()
        while True:
            event = parser.next_event()
            if isinstance(event, h11.Request):
                if event.http_version not in (b"1.0", b"1.1"):
                    raise h11.RemoteProtocolError("unsupported HTTP version", 505)
                return event
            if event is h11.NEED_DATA:
                data = await loop.sock_recv(connection, 4096)
                if not data:
                    raise h11.RemoteProtocolError("connection closed before the request ended")
                parser.receive_data(data)
                continue
            raise h11.RemoteProtocolError(f"unexpected {type(event).__name__}")

    async def _answer(self, parser: h11.Connection, request: h11.Request) -> bytes:
        headers = {name.lower(): value for name, value in request.headers}
        path = request.target.split(b"?", 1)[0].decode("ascii", "replace")
        if not self._host_allowed(headers.get(b"host", b"")):
            emit(_log, "health.wrong_host", level=logging.DEBUG)
            return _plain(parser, 421, "this endpoint answers only to its own address\n")
        if request.method not in (b"GET", b"HEAD"):
            return _plain(parser, 405, "only GET\n", [("Allow", "GET, HEAD")])
        if self._token is not None and not self._authorized(headers.get(b"authorization", b"")):
            emit(_log, "health.unauthorized", level=logging.DEBUG, path=path)
            return _plain(parser, 401, "a bearer token is required\n",
                          [("WWW-Authenticate", 'Bearer realm="viewer"')])  # fmt: skip
        head_only = request.method == b"HEAD"
        match path:
            case "/healthz":
                healthy, body = self._metrics.health_report()
                return _reply(
                    parser, 200 if healthy else 503, "application/json", body, head_only=head_only
                )
            case "/metrics":
                content_type = prometheus_client.CONTENT_TYPE_LATEST
                return _reply(
                    parser, 200, content_type, self._metrics.exposition(), head_only=head_only
                )
            case "/screenshot" if self._screenshot is not None and self._token is not None:
                return await self._screenshot_reply(parser, head_only)
        return _plain(parser, 404, "not found\n")

    def _host_allowed(self, host: bytes) -> bool:
        if self._allowed_hosts is None:
            return True
        return _host_name(host.decode("ascii", "replace")) in self._allowed_hosts

    def _authorized(self, authorization: bytes) -> bool:
        assert self._token is not None
        scheme, _, given = authorization.partition(b" ")
        return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self._token)

    async def _screenshot_reply(self, parser: h11.Connection, head_only: bool) -> bytes:
        assert self._screenshot is not None
        try:
            async with asyncio.timeout(_SCREENSHOT_TIMEOUT_S):
                taken = self._screenshot()
                png = await taken if inspect.isawaitable(taken) else taken
        except Exception as error:  # the window may be gone; the endpoint must answer anyway
            emit(_log, "health.screenshot_failed", level=logging.WARNING,
                 error=type(error).__name__)  # fmt: skip
            return _plain(parser, 503, "no screenshot now\n")
        return _reply(parser, 200, "image/png", bytes(png), head_only=head_only)


async def _linger(connection: socket.socket) -> None:
    """Close gently after an error reply to a request not read to its end: closing with unread
    data resets the connection, and the client may lose the reply. Bounded in time and bytes."""
    loop = asyncio.get_running_loop()
    connection.shutdown(socket.SHUT_WR)
    with contextlib.suppress(TimeoutError, OSError):
        async with asyncio.timeout(_LINGER_S):
            for _ in range(_LINGER_READS):
                if not await loop.sock_recv(connection, 65536):
                    break


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _reply(
    parser: h11.Connection,
    status: int,
    content_type: str,
    body: bytes,
    *,
    head_only: bool = False,
    extra: list[tuple[str, str]] | None = None,
) -> bytes:
    """The whole response as bytes; every response closes its connection."""
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("Connection", "close"),
        *(extra or []),
    ]
    out = parser.send(h11.Response(status_code=status, headers=headers, reason=_reason(status)))
    if not head_only:
        out = (out or b"") + (parser.send(h11.Data(data=body)) or b"")
    return (out or b"") + (parser.send(h11.EndOfMessage()) or b"")


def _plain(
    parser: h11.Connection, status: int, text: str, extra: list[tuple[str, str]] | None = None
) -> bytes:
    return _reply(parser, status, "text/plain; charset=utf-8", text.encode(), extra=extra)
