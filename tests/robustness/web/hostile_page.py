"""A hostile page server on 127.0.0.1 for the robustness tier: pages by path (a page posing as
the tenant, or a stranger's), redirects to another origin, an engine websocket under `/app/`
that opens and then closes with a chosen code, and a record of every request (path, headers)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class HostilePages:
    """`pages[path]` is HTML; `redirects[path]` a Location; `/app/...` is a websocket that is
    closed with `socket_close_code` after `socket_open_s` seconds."""

    pages: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    socket_close_code: int = 4000
    socket_open_s: float = 0.2
    set_cookies: dict[str, str] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(Seen(request.path, dict(request.headers)))
        if request.path.startswith("/app/") and request.headers.get("Upgrade"):
            return await self._socket(request)
        if request.path in self.redirects:
            raise web.HTTPFound(self.redirects[request.path])
        body = self.pages.get(request.path)
        if body is None:
            return web.Response(status=404, text="not here")
        response = web.Response(text=body, content_type="text/html")
        for name, value in self.set_cookies.items():
            response.set_cookie(name, value, path="/", httponly=True)
        return response

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), self.socket_open_s)
        await socket.close(code=self.socket_close_code)
        return socket

    async def start(self) -> HostilePages:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]
