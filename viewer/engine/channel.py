"""One websocket speaking QIX JSON-RPC: request ids, pending futures, delta results, and the
`change`/`close` handle lists, notifications and the close handed to whoever owns the channel.

Every pending call ends: with its answer, with an error, with `ConnectionLostError` when the
socket closes, or with `RequestTimeoutError`. Frames that make no sense are counted and logged,
never raised.

The channel keeps itself alive: a ping every `ping_interval` seconds, and a pong missing for
`ping_timeout` seconds reports the socket lost at once (code 1006, `KEEPALIVE_REASON`) and drops
the connection. No closing handshake is attempted over a network that carries nothing, so a
silent network is noticed within ping_interval + ping_timeout. A pong that is late while
messages keep arriving is not a silent network (a flood of notifications can hold the pong back
in the byte stream): the channel waits on for as long as traffic flows.

A busy reader never starves the rest of the process: it hands the event loop back after
`READ_SLICE_S` of uninterrupted work, so pongs are parsed, health requests answered and timers
run while a flood of notifications is being read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Protocol

from websockets.exceptions import ConnectionClosed
from websockets.frames import Close

from viewer.core import rpc
from viewer.core.closes import ABNORMAL_CLOSURE, KEEPALIVE_REASON, Initiator
from viewer.core.ratelimit import RateLimit
from viewer.engine.errors import (
    ConnectionLostError,
    EngineError,
    ProtocolViolationError,
    RequestTimeoutError,
)
from viewer.log import emit, get_logger

logger = get_logger("engine")

READ_SLICE_S = 0.001
"""The longest the reader handles queued messages before it lets other tasks run."""
INVALID_LINES, INVALID_WINDOW_S = 10, 10.0


class CloseRecord(Protocol):
    """The close frames a websocket exchanged (websockets' protocol object keeps them)."""

    @property
    def close_rcvd(self) -> Close | None: ...

    @property
    def close_sent(self) -> Close | None: ...

    @property
    def close_rcvd_then_sent(self) -> bool | None: ...


class Abortable(Protocol):
    """A transport that can be dropped at once (asyncio's transports can)."""

    def abort(self) -> None: ...


class EngineSocket(Protocol):
    """What the channel needs from a websocket (websockets' `ClientConnection` fits)."""

    @property
    def protocol(self) -> CloseRecord: ...

    @property
    def transport(self) -> Abortable: ...

    async def ping(self) -> Awaitable[float]: ...

    @property
    def latency(self) -> float: ...

    def __aiter__(self) -> AsyncIterator[str | bytes]: ...

    async def send(self, message: str) -> None: ...

    async def close(self, code: int = 1000, reason: str = "") -> None: ...


@dataclass(frozen=True)
class ChannelClosed:
    """How the socket ended: the close code (1006 without a close frame), reason, initiator."""

    code: int
    reason: str
    initiator: Initiator


@dataclass
class _Pending:
    future: asyncio.Future[rpc.JsonObject]
    handle: int
    method: str


class ChannelCallbacks(Protocol):
    """What the channel reports to its owner (the Session)."""

    def on_notification(self, method: str, params: rpc.JsonObject) -> None: ...

    def on_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None: ...

    def on_channel_closed(self, channel: RpcChannel, closed: ChannelClosed) -> None: ...


class RpcChannel:
    """JSON-RPC over one open socket. Create it with the socket; it starts reading at once."""

    def __init__(
        self,
        socket: EngineSocket,
        callbacks: ChannelCallbacks,
        *,
        request_timeout: float,
        ping_interval: float | None = None,
        ping_timeout: float = 4.0,
    ) -> None:
        self._socket = socket
        self._callbacks = callbacks
        self._request_timeout = request_timeout
        self._next_id = 1
        self._pending: dict[int, _Pending] = {}
        self._delta = rpc.DeltaCache()
        self._closed: ChannelClosed | None = None
        self.invalid_frames = 0
        self.received = 0  # messages read so far (the keepalive's proof of traffic)
        self._invalid_log = RateLimit(INVALID_LINES, INVALID_WINDOW_S)
        loop = asyncio.get_running_loop()
        self._reader = loop.create_task(self._read())
        self._keepalive = (
            loop.create_task(self._keep_alive(ping_interval, ping_timeout))
            if ping_interval is not None
            else None
        )

    @property
    def closed(self) -> ChannelClosed | None:
        """How the socket ended, or None while it is open."""
        return self._closed

    @property
    def latency(self) -> float | None:
        """Round-trip time of the last keepalive ping in seconds; None before the first pong."""
        return self._socket.latency or None

    async def request(
        self, handle: int, method: str, params: rpc.Params, *, delta: bool
    ) -> rpc.JsonObject:
        """Send one request and return its (delta-resolved) result; raises `EngineError` et al."""
        if self._closed is not None:
            raise ConnectionLostError(self._closed.code, self._closed.reason)
        request_id = self._next_id
        self._next_id += 1
        future: asyncio.Future[rpc.JsonObject] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = _Pending(future, handle, method)
        try:
            async with asyncio.timeout(self._request_timeout):
                await self._socket.send(
                    rpc.encode_request(request_id, handle, method, params, delta=delta)
                )
                return await future
        except ConnectionClosed as error:
            raise ConnectionLostError(
                error.rcvd.code if error.rcvd else ABNORMAL_CLOSURE, "closed while sending"
            ) from error
        except TimeoutError as error:
            raise RequestTimeoutError(
                f"{method}: no answer within {self._request_timeout:g} s"
            ) from error
        finally:
            self._pending.pop(request_id, None)

    async def close(self, code: int = 1000, reason: str = "") -> ChannelClosed:
        """Close the socket on purpose and wait until it is closed and every call has ended."""
        await self._socket.close(code, reason)
        await asyncio.shield(self._reader)
        assert self._closed is not None  # set by the reader before it ends
        return self._closed

    def feed(self, message: str | bytes) -> None:
        """Handle one received message (public so that tests can drive the channel directly)."""
        event = rpc.parse_frame(message)
        if isinstance(event, rpc.Notification):
            self._callbacks.on_notification(event.method, event.params)
            return
        if isinstance(event, rpc.HandleChanges):
            self._report_handles(event.change, event.close)
            return
        if isinstance(event, rpc.InvalidFrame):
            self._count_invalid(event.problem)
            self._fail(event.id, ProtocolViolationError(f"unusable answer: {event.problem}"))
            return
        pending = self._pending.get(event.id)
        if pending is None or pending.future.done():
            self._count_invalid(f"answer to unknown or finished request id {event.id}")
        elif isinstance(event, rpc.ErrorResponse):
            error = EngineError(event.code, event.parameter, event.message, pending.method)
            pending.future.set_exception(error)
        else:
            self._resolve(pending, event)
        self._report_handles(event.change, event.close)

    def _report_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None:
        for handle in closed:
            self._delta.forget(handle)
        if changed or closed:
            self._callbacks.on_handles(changed, closed)

    def _resolve(self, pending: _Pending, response: rpc.Response) -> None:
        if not response.delta:
            pending.future.set_result(response.result)
            return
        try:
            result = self._delta.apply(pending.handle, pending.method, response.result)
        except rpc.PatchError as error:
            self._count_invalid(str(error))
            pending.future.set_exception(ProtocolViolationError(f"{pending.method}: {error}"))
        else:
            pending.future.set_result(result)

    def _fail(self, request_id: int | None, error: Exception) -> None:
        pending = self._pending.get(request_id) if request_id is not None else None
        if pending is not None and not pending.future.done():
            pending.future.set_exception(error)

    def _count_invalid(self, problem: str) -> None:
        """Count every unusable frame; log at most INVALID_LINES of them per INVALID_WINDOW_S
        (the count in each line is the total so far): junk from a broken engine cannot rotate
        the log away."""
        self.invalid_frames += 1
        if self._invalid_log.allow(time.monotonic()):
            emit(logger, "engine.invalid_frame", problem=problem[:200], count=self.invalid_frames)

    async def _read(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            slice_ends = loop.time() + READ_SLICE_S
            async for message in self._socket:
                self.received += 1
                self.feed(message)
                if loop.time() >= slice_ends:
                    # websockets hands over queued messages without yielding: yield here
                    await asyncio.sleep(0)
                    slice_ends = loop.time() + READ_SLICE_S
        except ConnectionClosed:
            pass  # the close facts are read from the socket below
        finally:
            if self._keepalive is not None:
                self._keepalive.cancel()
            self._report_closed(self._close_facts())

    async def _keep_alive(self, interval: float, pong_within: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                if not await self._pong_or_traffic(pong_within):
                    break
            except ConnectionClosed:
                return  # the reader reports how the socket ended
        emit(logger, "engine.keepalive_timeout", seconds=pong_within)
        self._report_closed(ChannelClosed(ABNORMAL_CLOSURE, KEEPALIVE_REASON, Initiator.NETWORK))
        self._socket.transport.abort()

    async def _pong_or_traffic(self, pong_within: float) -> bool:
        """Ping; True once the pong comes, False when `pong_within` passes with neither the
        pong nor any message received (a silent network)."""
        pong = await self._socket.ping()
        while True:
            seen = self.received
            try:
                async with asyncio.timeout(pong_within):
                    await asyncio.shield(pong)
                return True
            except TimeoutError:
                if self.received == seen:
                    return False

    def _report_closed(self, closed: ChannelClosed) -> None:
        """End every pending call and tell the owner, once (the keepalive may have already)."""
        if self._closed is not None:
            return
        self._closed = closed
        lost = ConnectionLostError(closed.code, closed.reason)
        for pending in list(self._pending.values()):
            if not pending.future.done():
                pending.future.set_exception(lost)
        self._callbacks.on_channel_closed(self, closed)

    def _close_facts(self) -> ChannelClosed:
        record = self._socket.protocol
        received, sent = record.close_rcvd, record.close_sent
        if received is not None:
            remote_first = sent is None or record.close_rcvd_then_sent is True
            initiator = Initiator.REMOTE if remote_first else Initiator.LOCAL
            return ChannelClosed(received.code, received.reason, initiator)
        if sent is not None:
            # We closed (on purpose, or websockets failed the connection: frame too big, …).
            return ChannelClosed(sent.code, sent.reason, Initiator.LOCAL)
        return ChannelClosed(ABNORMAL_CLOSURE, "", Initiator.NETWORK)  # a reset: no close frame
