"""A tiny aiohttp server with the engine hub mounted on `/app/<id>`, and a raw JSON-RPC client.

The server listens on 127.0.0.1 on a free port and stops with the scenario. The client speaks raw
frames: `call` sends a request with the next id and returns its answer, keeping every other frame
(notifications, change-only frames) for `wait_for`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from viewer.log import get_logger
from viewer.sim.engine import EngineHub, sample_apps

Frame = dict[str, Any]
FRAME_TIMEOUT = 5.0

APPS = sample_apps()
SALES = APPS[0].info.id
INVENTORY = APPS[1].info.id


@dataclass(frozen=True)
class Closed:
    """How the socket ended, as the client saw it."""

    code: int | None
    reason: str


@dataclass
class QixClient:
    """One raw engine websocket seen from the client side."""

    ws: aiohttp.ClientWebSocketResponse
    unsolicited: list[Frame] = field(default_factory=list)
    closed: Closed | None = None
    _next_id: int = 0
    _frames: asyncio.Queue[Frame | Closed] = field(default_factory=asyncio.Queue)
    _reader: asyncio.Task[None] | None = None

    def start(self) -> QixClient:
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        reason = ""
        while True:
            message = await self.ws.receive()
            if message.type is aiohttp.WSMsgType.TEXT:
                self._frames.put_nowait(json.loads(message.data))
            elif message.type is aiohttp.WSMsgType.CLOSE:
                reason = message.extra or ""
            elif message.type is not aiohttp.WSMsgType.BINARY:
                break
        self._frames.put_nowait(Closed(self.ws.close_code, reason))

    async def send(self, frame: Frame | str) -> None:
        await self.ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))

    async def request(
        self, method: str, handle: int = -1, params: Any = None, *, delta: bool = False
    ) -> int:
        """Send a request with the next id (from 1) and return that id."""
        self._next_id += 1
        frame: Frame = {"jsonrpc": "2.0", "id": self._next_id, "handle": handle, "method": method}
        frame["params"] = [] if params is None else params
        if delta:
            frame["delta"] = True
        await self.send(frame)
        return self._next_id

    async def call(
        self, method: str, handle: int = -1, params: Any = None, *, delta: bool = False
    ) -> Frame:
        """Send a request and return the frame answering it."""
        request_id = await self.request(method, handle, params, delta=delta)
        return await self.answer(request_id)

    async def answer(self, request_id: int) -> Frame:
        return await self._next(lambda frame: frame.get("id") == request_id)

    async def wait_for(self, predicate: Callable[[Frame], bool]) -> Frame:
        """The first frame (already received or coming) that matches, removed from the backlog."""
        for frame in self.unsolicited:
            if predicate(frame):
                self.unsolicited.remove(frame)
                return frame
        return await self._next(predicate)

    async def notification(self, method: str) -> Frame:
        return await self.wait_for(lambda frame: frame.get("method") == method)

    async def wait_closed(self) -> Closed:
        """Wait for the end of the socket (frames on the way are kept)."""
        if self.closed is None:
            with contextlib.suppress(ConnectionError):
                await self._next(lambda frame: False)
        assert self.closed is not None
        return self.closed

    async def _next(self, predicate: Callable[[Frame], bool]) -> Frame:
        async with asyncio.timeout(FRAME_TIMEOUT):
            while True:
                if self.closed is not None:
                    raise ConnectionError(f"socket closed: {self.closed}")
                item = await self._frames.get()
                if isinstance(item, Closed):
                    self.closed = item
                    continue
                if predicate(item):
                    return item
                self.unsolicited.append(item)

    async def open_sales(self, *, delta: bool = False) -> int:
        """OnConnected, then OpenDoc on the Sales app; returns the doc handle."""
        await self.notification("OnConnected")
        answer = await self.call("OpenDoc", -1, [SALES], delta=delta)
        result = answer["result"]["qReturn"]
        if delta:
            result = result[0]["value"]
        handle: int = result["qHandle"]
        return handle

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            await self._reader


@dataclass
class EngineServer:
    """The hub on a loopback server, and a way to open client sockets to it."""

    hub: EngineHub
    base_url: str
    http: aiohttp.ClientSession
    clients: list[QixClient] = field(default_factory=list)

    def url(self, app: str = SALES, *, user: str = "alice", identity: str | None = None) -> str:
        url = f"{self.base_url}/app/{app}?user={user}"
        return url if identity is None else f"{url}&identity={identity}"

    async def connect(
        self,
        app: str = SALES,
        *,
        user: str = "alice",
        identity: str | None = None,
        auth_info: dict[str, Any] | None = None,
    ) -> QixClient:
        url = self.url(app, user=user, identity=identity)
        if auth_info is not None:
            url += "&auth=" + json.dumps(auth_info)
        ws = await self.http.ws_connect(url, max_msg_size=0, autoping=True)
        client = QixClient(ws).start()
        self.clients.append(client)
        return client


async def _serve_socket(hub: EngineHub, request: web.Request) -> web.WebSocketResponse:
    ws = hub.websocket_response()
    await ws.prepare(request)
    app = request.match_info["app"]
    auth = request.query.get("auth")
    await hub.serve(
        ws,
        user=request.query.get("user", "alice"),
        identity=request.query.get("identity"),
        app_id=None if app == "engineData" else app,
        auth_info=json.loads(auth) if auth else None,
    )
    return ws


@asynccontextmanager
async def engine_server(**hub_options: Any) -> AsyncIterator[EngineServer]:
    """Run the hub behind `/app/<id>?user=&identity=` on 127.0.0.1 for the duration of the block."""
    hub = EngineHub(APPS, **hub_options)
    app = web.Application()

    async def handler(request: web.Request) -> web.WebSocketResponse:
        return await _serve_socket(hub, request)

    app.router.add_get("/app/{app}", handler)
    runner = web.AppRunner(app, shutdown_timeout=2.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    server = EngineServer(hub, f"http://{host}:{port}", http)
    try:
        yield server
    finally:
        await hub.close(1001, "test over")
        for client in server.clients:
            await client.close()
        await http.close()
        await runner.cleanup()


def run_scenario(
    scenario: Callable[[EngineServer], Awaitable[None]],
    *,
    timeout: float = 30.0,
    **hub_options: Any,
) -> None:
    """Run `scenario` against a fresh server; fails when it takes longer than `timeout`."""

    async def main() -> None:
        async with asyncio.timeout(timeout), engine_server(**hub_options) as server:
            await scenario(server)

    asyncio.run(main())


class SimEvents(logging.Handler):
    """Counts the sim's structured log events and lets a test await one (no polling, no sleeps)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: Counter[str] = Counter()
        self._waiters: list[tuple[str, int, asyncio.Future[None]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if isinstance(event, str):
            self.seen[event] += 1
            for name, count, future in self._waiters:
                if name == event and self.seen[name] >= count and not future.done():
                    future.set_result(None)

    async def wait(self, event: str, count: int = 1) -> None:
        """Wait until `event` has been logged `count` times in all (bounded by FRAME_TIMEOUT)."""
        if self.seen[event] >= count:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((event, count, future))
        async with asyncio.timeout(FRAME_TIMEOUT):
            await future


@contextmanager
def sim_events() -> Iterator[SimEvents]:
    """Capture the sim's events for the duration of the block."""
    logger = get_logger("sim")
    handler = SimEvents()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
