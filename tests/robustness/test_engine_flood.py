"""Issue 13, item 2: a notification flood from the engine must not starve the keepalive's pong
nor the health endpoint. A hostile engine on 127.0.0.1 floods the viewer's real engine socket
(open_socket + RpcChannel, keepalive on) while the real health server runs in the same loop;
and a flood of junk frames is counted in full but logged rate-limited."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from typing import Any

import pytest
from hostile_engine import FLOOD_S, hostile_engine

from viewer.core.grant import SessionGrant
from viewer.engine.channel import ChannelClosed, RpcChannel
from viewer.engine.connection import SessionConfig, open_socket
from viewer.monitor.health import HealthServer, ViewerMetrics

pytestmark = pytest.mark.integration


class BusyOwner:
    """A channel owner that does some work per notification, as the app's session does."""

    def __init__(self) -> None:
        self.notifications = 0
        self.closed: list[ChannelClosed] = []
        self.ended = asyncio.Event()

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        self.notifications += 1
        for _ in range(4):
            json.loads(json.dumps({"method": method, "params": params}))

    def on_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None:
        pass

    def on_channel_closed(self, channel: RpcChannel, closed: ChannelClosed) -> None:
        self.closed.append(closed)
        self.ended.set()


async def _health_round_trip(port: int) -> float:
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    await reader.read()
    writer.close()
    return time.monotonic() - started


def test_flood_starves_neither_pong_nor_health() -> None:
    async def scenario(
        url: str,
    ) -> tuple[BusyOwner, list[float], list[float], ChannelClosed | None]:
        metrics = ViewerMetrics(["CONNECTING", "LIVE"])
        health = HealthServer(metrics)
        port = await health.start()
        try:
            idle = [await _health_round_trip(port) for _ in range(5)]
            owner = BusyOwner()
            grant = SessionGrant(base_url=url.replace("ws", "http", 1), identity="wall-1")
            socket = await open_socket(f"{url}/app/a1", grant, SessionConfig(compression=False))
            channel = RpcChannel(
                socket, owner, request_timeout=5, ping_interval=0.25, ping_timeout=0.5
            )
            busy: list[float] = []
            ends = time.monotonic() + FLOOD_S
            while time.monotonic() < ends:
                busy.append(await _health_round_trip(port))
                await asyncio.sleep(0.05)
            closed = channel.closed
            await channel.close()
            return owner, idle, busy, closed
        finally:
            await health.stop()

    with hostile_engine("flood") as engine:
        owner, idle, busy, closed = asyncio.run(scenario(engine.url))
    assert owner.notifications > 1000, "the engine did not flood"
    assert closed is None, f"a false keepalive timeout during the flood: {closed}"
    assert statistics.median(busy) < 0.15, (
        f"/healthz took {statistics.median(busy) * 1000:.0f} ms (median) during the flood, "
        f"{statistics.median(idle) * 1000:.1f} ms idle"
    )
    assert max(busy) < 1.0


def test_a_flood_of_junk_frames_is_counted_but_logged_rate_limited(log_output: Any) -> None:
    from viewer.engine.channel import INVALID_LINES

    junk = [["text", f"not json {n}"] for n in range(500)]

    async def scenario(url: str) -> RpcChannel:
        grant = SessionGrant(base_url=url.replace("ws", "http", 1), identity="wall-1")
        socket = await open_socket(f"{url}/app/a1", grant, SessionConfig(compression=False))
        await socket.send(json.dumps({"frames": junk, "end": 1000}))
        owner = BusyOwner()
        channel = RpcChannel(socket, owner, request_timeout=5)
        async with asyncio.timeout(20):
            await owner.ended.wait()  # the engine closes after the junk
        return channel

    with hostile_engine("replay") as engine:
        channel = asyncio.run(scenario(engine.url))
    assert channel.invalid_frames == len(junk)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    logged = [line for line in lines if line["event"] == "engine.invalid_frame"]
    assert 1 <= len(logged) <= INVALID_LINES
