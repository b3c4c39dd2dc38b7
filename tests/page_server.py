"""A small local web server for the tiers that load pages in QtWebEngine (gui, robustness):
serves given pages on 127.0.0.1, redirects where told, and records every request it gets (path
and headers). The robustness tier's hostile server builds on it (robustness/web/hostile_page.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from aiohttp import web


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]


@dataclass
class PageServer:
    """`pages[path]` is HTML, `redirects[path]` a Location (302); `set_cookies` are sent with
    every page. Start with `start()`, stop with `stop()`."""

    pages: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    set_cookies: dict[str, str] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(Recorded(request.path, dict(request.headers)))
        return await self._reply(request)

    async def _reply(self, request: web.Request) -> web.StreamResponse:
        if request.path in self.redirects:
            raise web.HTTPFound(self.redirects[request.path])
        body = self.pages.get(request.path)
        if body is None:
            return web.Response(status=404, text="not here")
        response = web.Response(text=body, content_type="text/html")
        for name, value in self.set_cookies.items():
            response.set_cookie(name, value, path="/", httponly=True)
        return response

    async def start(self) -> Self:
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
        if self._runner is not None:
            await self._runner.cleanup()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]
