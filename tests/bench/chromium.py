"""Bare headless Chromium (Debian's) as the benchmarks' peer: start it, give it the session
cookies, load a `/single/` page and wait until the sheet reports itself rendered — driven over
the DevTools protocol, so its timing and memory are measured the way the viewer's are."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import websockets

from viewer.commands.simproc import stop_process

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
READY_SCRIPT = "document.body ? document.body.dataset.state || '' : ''"
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


@dataclass(frozen=True)
class BrowserCookie:
    name: str
    value: str
    url: str


class DevTools:
    """A minimal DevTools-protocol client over one websocket (requests with ids, answers)."""

    def __init__(self, socket: websockets.ClientConnection) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        request_id = next(self._ids)
        await self._socket.send(
            json.dumps({"id": request_id, "method": method, "params": params or {}})
        )
        while True:
            message = json.loads(await self._socket.recv())
            if message.get("id") == request_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))


@dataclass
class Chromium:
    """A running headless Chromium with one page target."""

    process: subprocess.Popen[str]
    devtools: DevTools
    started_at: float

    @property
    def pid(self) -> int:
        return self.process.pid

    async def load_and_wait_ready(
        self, url: str, cookies: Sequence[BrowserCookie], ready_within: float
    ) -> float:
        """Navigate to `url` with `cookies` set; return seconds from process start to ready."""
        await self.devtools.call("Network.enable")
        for cookie in cookies:
            await self.devtools.call(
                "Network.setCookie",
                {"name": cookie.name, "value": cookie.value, "url": cookie.url, "path": "/"},
            )
        await self.devtools.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            answer = await self.devtools.call(
                "Runtime.evaluate", {"expression": READY_SCRIPT, "returnByValue": True}
            )
            if answer.get("result", {}).get("value") == "ready":
                return time.monotonic() - self.started_at
            await asyncio.sleep(0.01)  # polling a remote page: there is no event to wait on
        raise TimeoutError(f"Chromium did not render {url} within {ready_within}s")


def _flags(user_data_dir: str) -> list[str]:
    flags = [
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--remote-debugging-port=0",
        f"--user-data-dir={user_data_dir}",
        "--window-size=1280,800",
        "about:blank",
    ]
    if os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")
    return flags


@contextlib.asynccontextmanager
async def chromium(start_within: float = 30.0) -> AsyncIterator[Chromium]:
    """Start headless Chromium with a fresh profile; stop it and remove the profile after."""
    user_data_dir = tempfile.mkdtemp(prefix="viewer-bench-chromium-")
    started_at = time.monotonic()
    process = subprocess.Popen(
        [CHROMIUM, *_flags(user_data_dir)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        browser_ws = await asyncio.wait_for(
            asyncio.to_thread(_devtools_address, process), start_within
        )
        port = int(browser_ws.split(":")[2].split("/")[0])
        async with httpx.AsyncClient() as client:
            targets = (await client.get(f"http://127.0.0.1:{port}/json/list")).json()
        page = next(t for t in targets if t.get("type") == "page")
        async with websockets.connect(page["webSocketDebuggerUrl"], max_size=None) as socket:
            yield Chromium(process, DevTools(socket), started_at)
    finally:
        stop_process(process)
        shutil.rmtree(Path(user_data_dir), ignore_errors=True)


def _devtools_address(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    for line in process.stderr:
        match = _LISTENING.search(line)
        if match:
            # keep draining stderr so Chromium never blocks on a full pipe
            threading.Thread(target=_drain, args=(process.stderr,), daemon=True).start()
            return match.group(1)
    raise RuntimeError(f"Chromium exited ({process.poll()}) before opening DevTools")


def _drain(stream: IO[str]) -> None:
    for _ in stream:
        pass
