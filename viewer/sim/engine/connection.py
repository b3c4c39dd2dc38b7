"""One engine websocket: requests read in order, frames written in order through a queue.

The queue decouples the socket from whoever produces frames (its own requests, another socket's
selection, a fault), so a slow or partitioned socket never stalls the others. A partition stops
both directions without closing anything (pings go unanswered too); `heal` resumes both.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from aiohttp import WSMsgType, web

from viewer.log import get_logger
from viewer.sim.engine.data import Json
from viewer.sim.engine.delta import DeltaCache
from viewer.sim.engine.protocol import encode, proxy_message

_log = get_logger("sim")

CLOSE_AFTER_NOTIFICATION = 1000
"""Code of the close that follows a fatal proxy notification (the proxy ends the socket normally)."""


@dataclass
class Settings:
    """Knobs shared by every socket of a hub (changed at run time by faults)."""

    latency: float = 0.0
    inactivity_timeout: float | None = None


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str


class Connection:
    """An engine websocket attached to one engine session."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        *,
        user: str,
        identity: str | None,
        settings: Settings,
        counters: Counter[str],
        proxy_session: str | None = None,
        on_idle: Callable[[Connection], None] | None = None,
    ) -> None:
        self.ws = ws
        self.user = user
        self.identity = identity
        self.proxy_session = proxy_session
        """The proxy (cookie) session the socket came through, if any."""
        self._on_idle = on_idle
        self.delta = DeltaCache()
        self._settings = settings
        self._counters = counters
        self._outbox: asyncio.Queue[str | _Close] = asyncio.Queue()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._closing = False
        self._handshaking = False
        self._idle_timer: asyncio.TimerHandle | None = None
        self.finished = asyncio.Event()
        """Set when `run` has returned: the socket is gone."""

    # -- producing frames -------------------------------------------------------------------

    def send(self, frame: Mapping[str, Json]) -> None:
        """Queue a frame; it is written after every frame queued before it."""
        if not self._closing:
            self._outbox.put_nowait(encode(frame))

    def close_after_pending(self, code: int, reason: str) -> None:
        """Queue a close: frames already queued are written first, later ones are dropped."""
        if not self._closing:
            self._outbox.put_nowait(_Close(code, reason))
            self._closing = True

    def time_out(self) -> None:
        """The proxy's timeout path: a fatal notification, then the close."""
        if not self._closing:
            self.send(proxy_message("OnSessionTimedOut", "Session timed out due to inactivity"))
            self._counters["notifications"] += 1
            self.close_after_pending(CLOSE_AFTER_NOTIFICATION, "Session timed out")

    def abort(self) -> None:
        """Drop the TCP connection at once: no close frame, the client sees 1006."""
        self._closing = True
        self._flowing.set()
        # aiohttp has no public abort for a server websocket; its request's transport is the socket.
        request = self.ws._req
        if request is not None and request.transport is not None:
            request.transport.abort()

    def _idle(self) -> None:
        """The inactivity timeout fired: time out, and let the hub end the proxy session."""
        if self._closing:
            return
        self.time_out()
        if self._on_idle is not None:
            self._on_idle(self)

    # -- faults on the flow -----------------------------------------------------------------

    @property
    def partitioned(self) -> bool:
        return not self._flowing.is_set()

    def partition(self) -> None:
        self._flowing.clear()

    def heal(self) -> None:
        self._flowing.set()

    def arm_idle_timer(self) -> None:
        """(Re)start the inactivity timer from now, per the current settings."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        timeout = self._settings.inactivity_timeout
        if timeout is not None and not self._closing:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(timeout, self._idle)

    # -- running ----------------------------------------------------------------------------

    async def run(self, on_frame: Callable[[Connection, str | bytes], None]) -> None:
        """Read frames until the socket ends, handing each text/binary frame to `on_frame`."""
        writer = asyncio.create_task(self._write_loop())
        self.arm_idle_timer()
        try:
            await self._read_loop(on_frame)
        finally:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            if self._handshaking and not writer.done():
                # a close handshake we started is in flight: let it finish (aiohttp bounds it)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer, timeout=15)
            writer.cancel()
            (outcome,) = await asyncio.gather(writer, return_exceptions=True)
            if isinstance(outcome, Exception):
                _log.warning("engine socket writer failed: %r", outcome)
            self.finished.set()

    async def _read_loop(self, on_frame: Callable[[Connection, str | bytes], None]) -> None:
        while True:
            await self._flowing.wait()
            message = await self.ws.receive()
            if message.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                await self._flowing.wait()  # partitioned while this frame was in flight: hold it
                if self._closing:
                    continue
                self.arm_idle_timer()
                on_frame(self, message.data)
            elif message.type is WSMsgType.PING:
                if not self.partitioned:
                    with contextlib.suppress(ConnectionError):
                        await self.ws.pong(message.data)
            elif message.type is not WSMsgType.PONG:
                return  # CLOSE, CLOSING, CLOSED or ERROR (e.g. 1009 for an oversized frame)

    async def _write_loop(self) -> None:
        while True:
            item = await self._outbox.get()
            await self._flowing.wait()
            if self._settings.latency > 0:
                await asyncio.sleep(self._settings.latency)
            if self.ws.closed:
                return
            try:
                if isinstance(item, _Close):
                    self._handshaking = True
                    await self.ws.close(code=item.code, message=item.reason.encode())
                    return
                await self.ws.send_str(item)
            except ConnectionError:
                return
            self._counters["frames_out"] += 1
