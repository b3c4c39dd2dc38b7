"""The gui tier's smoke proof: a real QWebEngineView renders a local page (not a blank widget)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiohttp import web
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot

PAGE = """<!doctype html><html><body style="margin:0;background:#ffffff">
<div id="block" style="position:absolute;left:20px;top:20px;width:120px;height:80px;
background:rgb(200,30,40)"></div></body></html>"""


async def _serve_page() -> tuple[web.AppRunner, str]:
    async def index(_: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", index)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/"


def test_view_renders_a_local_page(
    qtbot: QtBot, run_async: Callable[[Coroutine[Any, Any, Any], float], Any]
) -> None:
    runner, url = run_async(_serve_page(), 10.0)
    view = QWebEngineView()
    qtbot.addWidget(view)
    try:
        view.resize(320, 200)
        view.show()
        with qtbot.waitSignal(view.loadFinished, timeout=30_000) as loaded:
            view.load(QUrl(url))
        assert loaded.args == [True]

        def block_painted() -> bool:
            image = view.grab().toImage()
            return image.pixelColor(60, 50) == QColor(200, 30, 40)

        qtbot.waitUntil(block_painted, timeout=15_000)
        image = view.grab().toImage()
        assert image.pixelColor(300, 180) == QColor(255, 255, 255)
    finally:
        view.close()
        run_async(runner.cleanup(), 10.0)
