"""A misbehaving engine on 127.0.0.1 for the robustness tier, run as its own process (so that
neither its speed nor the viewer's depends on sharing one interpreter). It prints its port on
stdout, does what the named behaviour says on each websocket (answering pings as any websocket
server does), can answer the handshake itself with a redirect, and stops with its context (or
by itself after `LIFETIME_S`).

Run directly: `python hostile_engine.py BEHAVIOUR [REDIRECT_BASE]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

LIFETIME_S = 120.0
FLOOD_S = 3.0
NOTIFICATION = json.dumps(
    {"jsonrpc": "2.0", "method": "OnEngineWebsocketFailedHeartbeat", "params": {"x": "y" * 200}}
)


async def _flood(connection: object) -> None:
    """Notifications as fast as the socket takes them for FLOOD_S seconds, then quiet."""
    send: Callable[[str], Awaitable[None]] = connection.send  # type: ignore[attr-defined]
    ends = time.monotonic() + FLOOD_S
    while time.monotonic() < ends:
        for _ in range(200):
            await send(NOTIFICATION)
    await asyncio.sleep(LIFETIME_S)


async def _quiet(_connection: object) -> None:
    await asyncio.sleep(LIFETIME_S)


async def _replay(connection: object) -> None:
    """The client's first message is a script: {"frames": [[kind, data], ...], "end": ...}.
    Each frame is sent as it says (`text`, `binary` from hex), after each request the client
    sends; then the socket ends as `end` says: a close code, or "drop" (no close frame)."""
    recv: Callable[[], Awaitable[str | bytes]] = connection.recv  # type: ignore[attr-defined]
    send: Callable[[str | bytes], Awaitable[None]] = connection.send  # type: ignore[attr-defined]
    script = json.loads(await recv())
    for kind, data in script["frames"]:
        await send(bytes.fromhex(data) if kind == "binary" else data)
    end = script["end"]
    if end == "drop":
        connection.transport.abort()  # type: ignore[attr-defined]
    else:
        await connection.close(int(end), "scripted")  # type: ignore[attr-defined]


BEHAVIOURS: dict[str, Callable[[object], Awaitable[None]]] = {
    "flood": _flood, "quiet": _quiet, "replay": _replay,
}  # fmt: skip


async def _serve(behaviour: str, redirect_to: str | None) -> None:
    from websockets.asyncio.server import serve
    from websockets.datastructures import Headers
    from websockets.http11 import Response

    def process_request(_conn: object, request: object) -> Response | None:
        if redirect_to is None:
            return None
        location = redirect_to + request.path  # type: ignore[attr-defined]
        return Response(302, "Found", Headers([("Location", location), ("Content-Length", "0")]))

    async def handler(connection: object) -> None:
        with contextlib.suppress(Exception):
            await BEHAVIOURS[behaviour](connection)

    async with serve(
        handler, "127.0.0.1", 0, process_request=process_request, compression=None
    ) as server:
        print(next(iter(server.sockets)).getsockname()[1], flush=True)
        await asyncio.sleep(LIFETIME_S)


@dataclass
class HostileEngine:
    url: str


@contextlib.contextmanager
def hostile_engine(behaviour: str, redirect_to: str | None = None) -> Iterator[HostileEngine]:
    """Run the engine process until the block ends."""
    args = [sys.executable, str(Path(__file__)), behaviour, *([redirect_to] if redirect_to else [])]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = process.stdout.readline().strip()
        if not port.isdigit():
            raise RuntimeError("the hostile engine did not start")
        yield HostileEngine(f"ws://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
