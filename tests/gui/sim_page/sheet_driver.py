"""Test helpers for the sim's /single/ page: a driver for the page in a real QWebEngineView
(sign in, load, read `simPage` facts, count pixels) and a raw second engine socket that joins
the page's engine session."""

from __future__ import annotations

import asyncio
import json
import re
from array import array
from typing import Any
from urllib.parse import urlencode

import aiohttp
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot
from websockets.asyncio.client import ClientConnection, connect

LOAD_TIMEOUT_MS = 30_000
STATE_TIMEOUT_MS = 20_000
_RGB = re.compile(r"rgba?\((\d+),\s*(\d+),\s*(\d+)")


class PageDriver:
    """The /single/ page of one sim, shown in `view`."""

    def __init__(
        self, qtbot: QtBot, view: QWebEngineView, base_url: str, login: tuple[str, str]
    ) -> None:
        self.qtbot = qtbot
        self.view = view
        self.base_url = base_url
        self.login = login

    def single_url(self, **params: str | list[str]) -> str:
        """`base_url` includes the virtual-proxy prefix, if any."""
        return f"{self.base_url}/single/?{urlencode(params, doseq=True)}"

    def open(self, **params: str | list[str]) -> dict[str, Any]:
        """Open /single/ with `params`, signing in on the login form the tenant redirects to if
        needed; wait until the page is ready or failed and return its `simPage` facts."""
        self.load(self.single_url(**params))
        if self.js("Boolean(document.forms[0]?.username)"):
            user, password = self.login
            fields = json.dumps({"username": user, "password": password})
            with self.qtbot.waitSignal(self.view.loadFinished, timeout=LOAD_TIMEOUT_MS):
                self.js(
                    f"(() => {{ const form = document.forms[0]; const v = {fields};"
                    " form.username.value = v.username; form.password.value = v.password;"
                    " form.submit(); return true; })()"
                )
        self.wait_until("['ready', 'error'].includes(document.body?.dataset.state)")
        return self.facts()

    def load(self, url: str) -> None:
        with self.qtbot.waitSignal(self.view.loadFinished, timeout=LOAD_TIMEOUT_MS):
            self.view.load(QUrl(url))

    def js(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        results: list[Any] = []
        self.view.page().runJavaScript(f"JSON.stringify({expression})", 0, results.append)
        self.qtbot.waitUntil(lambda: bool(results), timeout=STATE_TIMEOUT_MS)
        return json.loads(results[0]) if results[0] else None  # undefined comes back as ""

    def wait_until(self, expression: str, timeout_ms: int = STATE_TIMEOUT_MS) -> None:
        """Wait until a JavaScript expression is true in the page (errors count as false)."""
        probe = f"(() => {{ try {{ return Boolean({expression}); }} catch {{ return false; }} }})()"
        answer: dict[str, Any] = {"pending": False, "value": False}

        def received(value: Any) -> None:
            answer.update(pending=False, value=value)

        def satisfied() -> bool:
            if not answer["pending"]:
                answer["pending"] = True
                self.view.page().runJavaScript(probe, 0, received)
            return answer["value"] is True

        self.qtbot.waitUntil(satisfied, timeout=timeout_ms)

    def wait_state(self, state: str) -> None:
        self.wait_until(f"document.body && document.body.dataset.state === {json.dumps(state)}")

    def facts(self) -> dict[str, Any]:
        facts: dict[str, Any] = self.js("window.simPage")
        return facts

    def css_color(self, selector: str, prop: str) -> tuple[int, int, int]:
        """The computed colour of `prop` on the first element matching `selector`."""
        value = self.js(
            f"getComputedStyle(document.querySelector({json.dumps(selector)}))[{json.dumps(prop)}]"
        )
        match = _RGB.match(str(value))
        assert match is not None, f"{selector} has no colour in {prop}: {value!r}"
        red, green, blue = (int(part) for part in match.groups())
        return red, green, blue

    def count_pixels(self, rgb: tuple[int, int, int]) -> int:
        """How many pixels of the view's current picture have exactly this colour."""
        image = self.view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        pixels = array("I")
        pixels.frombytes(bytes(image.constBits()))
        red, green, blue = rgb
        return pixels.count(0xFF000000 | red << 16 | green << 8 | blue)

    def wait_pixels(self, rgb: tuple[int, int, int], at_least: int) -> None:
        """Wait until the picture shows at least `at_least` pixels of colour `rgb`."""
        self.qtbot.waitUntil(lambda: self.count_pixels(rgb) >= at_least, timeout=STATE_TIMEOUT_MS)

    def click(self, selector: str) -> None:
        """Click the first element matching `selector` (SVG elements included)."""
        clicked = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return false;"
            " e.dispatchEvent(new MouseEvent('click', {bubbles: true})); return true; })()"
        )
        assert clicked, f"nothing to click at {selector}"


class EngineProbe:
    """A raw engine socket (delta off) that joins an engine session, and what it receives."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.frames: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._next_id = 1
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(cls, url: str, headers: dict[str, str]) -> EngineProbe:
        return cls(await connect(url, additional_headers=headers, max_size=16 * 2**20))

    async def _read(self) -> None:
        async for text in self.socket:
            frame = json.loads(text)
            self.frames.append(frame)
            reply = self._replies.pop(frame.get("id", -1), None)
            if reply is not None:
                reply.set_result(frame)
            if frame.get("change"):
                self.changed.set()

    def notifications(self, method: str) -> list[dict[str, Any]]:
        return [f["params"] for f in self.frames if f.get("method") == method and "id" not in f]

    async def call(self, handle: int, method: str, *params: Any) -> dict[str, Any]:
        """Send a request and return its result; raise AssertionError with an engine error."""
        request_id, self._next_id = self._next_id, self._next_id + 1
        reply = asyncio.get_running_loop().create_future()
        self._replies[request_id] = reply
        frame = {"jsonrpc": "2.0", "id": request_id, "handle": handle, "method": method}
        await self.socket.send(json.dumps({**frame, "params": list(params)}))
        answer = await asyncio.wait_for(reply, 10.0)
        assert "error" not in answer, f"{method}: {answer['error']}"
        result: dict[str, Any] = answer["result"]
        return result

    async def wait_change(self) -> None:
        """Until a frame with a `change` list arrives (callers bound it with run_async)."""
        await self.changed.wait()

    async def close(self) -> None:
        await self.socket.close()
        await self._reader


async def post_fault(base_url: str, **fault: Any) -> dict[str, Any]:
    """POST /_sim/fault and return the sim's JSON answer (raises on an HTTP error)."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{base_url}/_sim/fault", json=fault) as response,
    ):
        response.raise_for_status()
        answer: dict[str, Any] = await response.json()
        return answer
