"""A hostile page server on 127.0.0.1 for the robustness tier: the tests' page server (pages by
path — a page posing as the tenant, or a stranger's —, redirects to another origin, a record of
every request) with an engine websocket under `/app/` that opens and then closes with a chosen
code."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from aiohttp import web
from page_server import PageServer


@dataclass
class HostilePages(PageServer):
    """A `PageServer` whose `/app/...` is a websocket that is closed with `socket_close_code`
    after `socket_open_s` seconds."""

    socket_close_code: int = 4000
    socket_open_s: float = 0.2
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def _reply(self, request: web.Request) -> web.StreamResponse:
        if request.path.startswith("/app/") and request.headers.get("Upgrade"):
            return await self._socket(request)
        return await super()._reply(request)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), self.socket_open_s)
        await socket.close(code=self.socket_close_code)
        return socket

    async def stop(self) -> None:
        self._stopping.set()
        await super().stop()
