"""The engine session: enigma.js's lifecycle (open, suspend, resume, close) in asyncio, plus what
enigma.js lacks — every close ends in a state, silent networks are noticed by keepalive, and
fatal proxy messages, OnConnected error states and "must authenticate" end in `Closed`.

Lifecycle, in words:

- `open()` connects, waits up to `connected_timeout` for OnConnected, and returns the Global.
- A close the classification calls resumable (network trouble, "busy, try later") *suspends*
  the session: pending calls fail with `ConnectionLostError`, new calls fail fast with
  `SessionSuspendedError`, and `Suspended(initiator="network")` is emitted. Any other close
  (a server's 1000, a fatal notification, auth required) emits `Closed` and is final.
- `suspend()` closes the socket with 4000 on purpose; `Suspended(initiator="manual")`.
- `resume(only_if_attached=…)` is ONE attempt: reopen the same URL, wait up to
  `connected_timeout` for OnConnected (none counts as SESSION_CREATED), give up on
  SESSION_CREATED when only re-attaching is wanted, then get the app back (GetActiveDoc, else
  the OpenDoc this session sent last) and every object by id. Objects that cannot come back are
  reported `closed`; the others get new handles and are reported `changed`. Selections and
  session objects survive only when the engine re-attached; once an attempt has met a new
  engine session, later attempts report `attached=False` even if they attach to that (empty)
  session. When to call it is the caller's policy (`viewer.core.backoff`).
- `close()` closes with 1000 and emits `Closed` with a deliberate classification.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

from websockets.asyncio.client import ClientConnection

from viewer.auth.cookies import merge_cookies
from viewer.core import rpc
from viewer.core.closes import (
    MANUAL_SUSPEND,
    NORMAL_CLOSURE,
    SESSION_ATTACHED,
    CloseClassification,
    CloseKind,
    Initiator,
    classify_close,
    classify_notification,
)
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.core.urls import Flavor, engine_url
from viewer.engine.channel import ChannelClosed, EngineSocket, RpcChannel
from viewer.engine.connection import SessionConfig, handshake_cookies, open_socket
from viewer.engine.errors import (
    ConnectionLostError,
    EngineClientError,
    EngineConnectError,
    EngineError,
    EngineErrorCode,
    NotAttachedError,
    SessionClosedError,
    SessionSuspendedError,
)
from viewer.engine.events import (
    AuthRequired,
    Closed,
    Listeners,
    Notification,
    Opened,
    Resumed,
    SessionEvent,
    Suspended,
)
from viewer.engine.objects import OBJECT_CLASSES, ApiObject, Global
from viewer.engine.restore import restore_objects
from viewer.log import emit, get_logger, register_secret

logger = get_logger("engine")

SocketOpener = Callable[[str, SessionGrant, SessionConfig], Awaitable[EngineSocket]]

OBJECT_CLOSED = -2  # raised for calls on objects that are gone (enigma.js's OBJECT_NOT_FOUND)


class SessionState(StrEnum):
    """Where the session is in its lifecycle."""

    IDLE = "idle"
    OPENING = "opening"
    OPEN = "open"
    SUSPENDED = "suspended"
    RESUMING = "resuming"
    CLOSING = "closing"
    CLOSED = "closed"


class Session:
    """One engine session over `url`, authenticated with `grant`. Subscribe to `events`."""

    def __init__(
        self,
        url: str,
        grant: SessionGrant,
        config: SessionConfig | None = None,
        *,
        opener: SocketOpener | None = None,
    ) -> None:
        self.url = url
        self.config = config or SessionConfig()
        self.events: Listeners[SessionEvent] = Listeners(logger)
        self.state = SessionState.IDLE
        self.session_state: str | None = None
        self.classification: CloseClassification | None = None
        self._grant = grant
        for secret in (
            grant.csrf_token,
            *grant.headers.values(),
            *(c.value for c in grant.cookies),
        ):
            register_secret(secret)  # the URL and handshake carry them: never let them be logged
        self._opener: SocketOpener = opener or _open_websocket
        self._channel: RpcChannel | None = None
        self._connected: asyncio.Future[str] | None = None
        self._verdict: CloseClassification | None = None
        self._objects: dict[int, ApiObject] = {}
        self._open_doc_params: rpc.Params | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self._state_lost = False  # a resume attempt since the last success found a new session
        self.on_cookies: Callable[[tuple[GrantCookie, ...]], object] | None = None
        """Hears the cookies a handshake set (a new proxy session); this session's own later
        sockets send them already."""

    @classmethod
    def for_app(
        cls,
        grant: SessionGrant,
        app_id: str | None,
        *,
        flavor: Flavor,
        config: SessionConfig | None = None,
        web_integration_id: str | None = None,
        ttl_seconds: int | None = None,
        reload_uri: str | None = None,
    ) -> Session:
        """A session on the engine URL the grant implies: its base URL (with any prefix), its
        identity and csrf token; the same URL the sheet's page uses, hence the same session."""
        url = engine_url(
            grant.base_url,
            app_id,
            flavor=flavor,
            identity=grant.identity or None,
            ttl_seconds=ttl_seconds,
            csrf_token=grant.csrf_token,
            web_integration_id=web_integration_id,
            reload_uri=reload_uri,
        )
        return cls(url, grant, config)

    @property
    def latency(self) -> float | None:
        """The engine's round-trip time from keepalive pings, in seconds; None when not live."""
        if self.state is not SessionState.OPEN or self._channel is None:
            return None
        return self._channel.latency

    @property
    def invalid_frames(self) -> int:
        """Unusable frames received on the current connection."""
        return self._channel.invalid_frames if self._channel is not None else 0

    # ---- lifecycle -------------------------------------------------------------------------

    async def open(self) -> Global:
        """Connect and return the Global object; raises `EngineConnectError` or
        `SessionClosedError` (after emitting `Closed`) when the session cannot start."""
        if self.state is not SessionState.IDLE:
            raise SessionClosedError(self._closed_classification(), "open() works only once")
        self.state = SessionState.OPENING
        try:
            await self._connect()
        except EngineConnectError as error:
            self._finish(error.classification)
            raise
        if self.state is not SessionState.OPENING:  # close() was called meanwhile
            await self._abandon_channel()
            raise SessionClosedError(self._closed_classification(), "closed while opening")
        global_api = Global(self, rpc.GLOBAL_HANDLE, "Global", "Global", "Global")
        self._objects[rpc.GLOBAL_HANDLE] = global_api
        self.state = SessionState.OPEN
        emit(logger, "engine.opened", session_state=self.session_state)
        self.events.emit(Opened(self.session_state))
        return global_api

    async def suspend(self) -> None:
        """Close the socket with 4000 and keep everything needed to `resume()`."""
        if self.state is not SessionState.OPEN or self._channel is None:
            return
        channel, self._channel = self._channel, None
        self.state = SessionState.SUSPENDED
        await channel.close(MANUAL_SUSPEND, "")
        emit(logger, "engine.suspended", code=MANUAL_SUSPEND, initiator="manual")
        self.events.emit(Suspended("manual", MANUAL_SUSPEND, ""))

    async def resume(self, *, only_if_attached: bool = False) -> bool:
        """One attempt to bring a suspended session back; returns True when re-attached.

        Raises `NotAttachedError` (only_if_attached and a new engine session),
        `EngineConnectError`, `ConnectionLostError` or `RequestTimeoutError` and stays
        suspended; raises `SessionClosedError` after emitting `Closed` when the server says the
        session is over (fatal or auth required).
        """
        if self.state is SessionState.OPEN:
            return True
        if self.state is not SessionState.SUSPENDED:
            raise SessionClosedError(self._closed_classification(), f"cannot resume: {self.state}")
        self.state = SessionState.RESUMING
        try:
            await self._connect()
            # An earlier failed attempt may have created the session we now attach to: its
            # state is as empty as a new one's, so it does not count as attached.
            self._state_lost = self._state_lost or self.session_state != SESSION_ATTACHED
            attached = not self._state_lost
            if only_if_attached and not attached:
                raise NotAttachedError(
                    f"the engine session was not kept (OnConnected: {self.session_state})"
                )
            await self._restore()
        except EngineConnectError as error:
            if not error.classification.resumable:
                self._finish(error.classification)
                raise SessionClosedError(error.classification, str(error)) from error
            self.state = SessionState.SUSPENDED
            raise
        except BaseException as error:
            await self._abandon_channel()
            verdict = self._verdict
            if isinstance(error, Exception) and verdict is not None and not verdict.resumable:
                self._finish(verdict)
                raise SessionClosedError(verdict) from error
            if self.state is SessionState.RESUMING:
                self.state = SessionState.SUSPENDED
            raise
        self.state = SessionState.OPEN
        self._state_lost = False
        emit(logger, "engine.resumed", attached=attached)
        self.events.emit(Resumed(attached))
        return attached

    async def close(self) -> None:
        """Close with 1000 and emit `Closed` (deliberate). Safe to call in any state."""
        deliberate = CloseClassification(
            CloseKind.DELIBERATE, "closed.by_client", NORMAL_CLOSURE, "", Initiator.LOCAL
        )
        if self.state is SessionState.CLOSED:
            return
        channel = self._channel
        self.state = SessionState.CLOSING
        if channel is not None:
            await channel.close(NORMAL_CLOSURE, "")
        self._finish(self._verdict or deliberate)
        for task in list(self._background):
            await task

    # ---- calls -----------------------------------------------------------------------------

    async def send(
        self, obj: ApiObject, method: str, params: rpc.Params, *, delta: bool | None
    ) -> rpc.JsonObject:
        """Send a request for `obj`, retrying requests the engine aborted (code 15)."""
        use_delta = self.config.delta if delta is None else delta
        for attempt in range(self.config.aborted_retries + 1):
            channel = self._live_channel()
            if obj.is_closed:
                raise EngineError(OBJECT_CLOSED, obj.id, "the object is closed", method)
            try:
                result = await channel.request(obj.handle, method, params, delta=use_delta)
            except EngineError as error:
                if error.code != EngineErrorCode.ABORTED or attempt >= self.config.aborted_retries:
                    raise
                emit(logger, "engine.request_retried", method=method, attempt=attempt + 1)
                continue
            if method == "OpenDoc" and obj.handle == rpc.GLOBAL_HANDLE:
                self._open_doc_params = copy.deepcopy(params)
            return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    def object_from(self, q_return: object) -> ApiObject | None:
        """The object a `qReturn` describes (the same instance for a known handle), or None."""
        if not isinstance(q_return, dict):
            return None
        handle = q_return.get("qHandle")
        if not isinstance(handle, int) or isinstance(handle, bool):
            return None
        known = self._objects.get(handle)
        if known is not None and not known.is_closed:
            return known
        type_ = str(q_return.get("qType") or "")
        kind = OBJECT_CLASSES.get(type_, ApiObject)
        obj = kind(
            self,
            handle,
            type_,
            str(q_return.get("qGenericId") or ""),
            str(q_return.get("qGenericType") or ""),
        )
        self._objects[handle] = obj
        return obj

    def _live_channel(self) -> RpcChannel:
        if self.state is SessionState.OPEN and self._channel is not None:
            return self._channel
        if self.state in (SessionState.SUSPENDED, SessionState.RESUMING):
            raise SessionSuspendedError("the engine session is suspended")
        if self.state in (SessionState.CLOSED, SessionState.CLOSING):
            raise SessionClosedError(self._closed_classification())
        raise SessionSuspendedError(f"the engine session is not open yet ({self.state})")

    # ---- channel callbacks -----------------------------------------------------------------

    def on_notification(self, method: str, params: rpc.JsonObject) -> None:
        """Report every notification; remember OnConnected and anything that ends the session."""
        self.events.emit(Notification(method, params))
        if method == "OnConnected" and self._connected is not None:
            state = params.get("qSessionState")
            if not self._connected.done():
                self._connected.set_result(state if isinstance(state, str) else "")
        verdict = classify_notification(method, params)
        if verdict is None:
            return
        emit(logger, "engine.session_ending", method=method, reason=verdict.reason_key)
        self._verdict = self._verdict or verdict
        if self._channel is not None:
            self._start(self._channel.close(NORMAL_CLOSURE, ""))

    def on_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None:
        """Tell objects that the engine invalidated or closed them."""
        for handle in changed:
            obj = self._objects.get(handle)
            if obj is not None:
                obj.changed.emit(obj)
        for handle in closed:
            gone = self._objects.pop(handle, None)
            if gone is not None:
                gone.mark_closed()

    def on_channel_closed(self, channel: RpcChannel, closed: ChannelClosed) -> None:
        """Turn the end of the current socket into a state: suspended or closed."""
        if channel is not self._channel:
            return  # a socket we already let go of (suspend, failed resume)
        if self._connected is not None and not self._connected.done():
            self._connected.set_exception(ConnectionLostError(closed.code, closed.reason))
        if self.state in (SessionState.OPENING, SessionState.RESUMING):
            return  # open()/resume() decide
        if self.state is not SessionState.OPEN:
            return  # close() decides
        self._channel = None
        classification = self._classify(closed)
        if not classification.resumable:
            self._finish(classification)
            return
        self.state = SessionState.SUSPENDED
        self.classification = classification
        emit(logger, "engine.suspended", code=closed.code, initiator="network")
        self.events.emit(Suspended("network", closed.code, closed.reason, classification))

    # ---- internals -------------------------------------------------------------------------

    async def _connect(self) -> None:
        """Open a socket, wait for OnConnected, and end the session if the server refuses it."""
        self._verdict = None
        self.session_state = None
        self._connected = asyncio.get_running_loop().create_future()
        socket = await self._opener(self.url, self._grant, self.config)
        self._take_handshake_cookies(socket)
        self._channel = RpcChannel(
            socket,
            self,
            request_timeout=self.config.request_timeout,
            ping_interval=self.config.ping_interval,
            ping_timeout=self.config.ping_timeout,
        )
        try:
            self.session_state = await self._wait_connected(self._channel)
        except ConnectionLostError:
            closed = self._channel.closed
            assert closed is not None
            self._channel = None
            verdict = self._classify(closed)
            if self.state is SessionState.OPENING or not verdict.resumable:
                self._finish(verdict)
                raise SessionClosedError(verdict) from None
            raise
        if self._verdict is not None:
            verdict = self._verdict
            await self._abandon_channel()
            self._finish(verdict)
            raise SessionClosedError(verdict)

    def _take_handshake_cookies(self, socket: object) -> None:
        cookies = handshake_cookies(socket)
        if not cookies:
            return
        self._grant = dataclasses.replace(
            self._grant, cookies=merge_cookies(self._grant.cookies, cookies)
        )
        if self.on_cookies is not None:
            self.on_cookies(cookies)

    async def _wait_connected(self, channel: RpcChannel) -> str | None:
        """OnConnected's session state, or None when none came within `connected_timeout`.

        A client-managed proxy says nothing (not even that sign-in is needed) before the client's
        first frame, so a harmless probe request is sent when OnConnected is slow to come.
        """
        connected = self._connected
        assert connected is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.connected_timeout
        probe_at = min(deadline, loop.time() + self.config.probe_after)
        try:
            for until in (probe_at, deadline):
                try:
                    async with asyncio.timeout_at(until):
                        return await asyncio.shield(connected) or None
                except TimeoutError:
                    if until < deadline:
                        self._start(_probe(channel))
            return None
        finally:
            self._connected = None
            connected.cancel()  # no-op when done; else nobody is left to read it

    async def _restore(self) -> None:
        """Get the app and every object back on the new socket (see the module docstring)."""
        assert self._channel is not None
        restored = await restore_objects(
            self._channel, list(self._objects.values()), self._open_doc_params
        )
        survivors: dict[int, ApiObject] = {
            handle: obj for handle, obj in self._objects.items() if isinstance(obj, Global)
        }
        for obj, handle in restored.handles.items():
            obj.handle = handle
            survivors[handle] = obj
        self._objects = survivors
        for obj in restored.lost:
            obj.mark_closed()
        for obj in restored.handles:
            obj.changed.emit(obj)

    async def _abandon_channel(self) -> None:
        channel, self._channel = self._channel, None
        if channel is not None and channel.closed is None:
            await channel.close(NORMAL_CLOSURE, "")

    def _finish(self, classification: CloseClassification) -> None:
        """Enter CLOSED once: close every object, then report AuthRequired (if so) and Closed."""
        if self.state is SessionState.CLOSED:
            return
        self.state = SessionState.CLOSED
        self.classification = classification
        self._channel = None
        objects, self._objects = list(self._objects.values()), {}
        for obj in objects:
            obj.mark_closed()
        emit(logger, "engine.closed", code=classification.code, reason=classification.reason_key)
        if classification.kind is CloseKind.AUTH_REQUIRED:
            self.events.emit(AuthRequired(classification))
        self.events.emit(Closed(classification))

    def _classify(self, closed: ChannelClosed) -> CloseClassification:
        """The close, classified; a notification's earlier verdict wins but gets the close code."""
        if self._verdict is None:
            return classify_close(closed.code, closed.reason, closed.initiator)
        return dataclasses.replace(
            self._verdict, code=closed.code, reason=closed.reason, initiator=closed.initiator
        )

    def _closed_classification(self) -> CloseClassification:
        return self.classification or CloseClassification(CloseKind.FATAL, "session.not_open")

    def _start(self, work: Awaitable[Any]) -> None:
        async def run() -> None:
            await work

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)


async def _probe(channel: RpcChannel) -> None:
    """A harmless first frame; its answer (or failure) does not matter."""
    with contextlib.suppress(EngineClientError):
        await channel.request(rpc.GLOBAL_HANDLE, "IsDesktopMode", [], delta=False)


async def _open_websocket(url: str, grant: SessionGrant, config: SessionConfig) -> EngineSocket:
    socket: ClientConnection = await open_socket(url, grant, config)
    return socket
