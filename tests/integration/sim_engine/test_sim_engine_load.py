"""200 concurrent engine sockets on loopback, each opening the app and a layout, without errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sim_engine_harness import EngineServer, QixClient

pytestmark = pytest.mark.integration
RunEngine = Callable[..., None]
SOCKETS = 200


def test_200_concurrent_sockets(run_engine: RunEngine) -> None:
    async def one(server: EngineServer, number: int) -> QixClient:
        client = await server.connect(user=f"user{number % 10}", identity=f"id{number}")
        doc = await client.open_sales(delta=True)
        found = await client.call("GetObject", doc, ["table-product"], delta=True)
        handle = found["result"]["qReturn"][0]["value"]["qHandle"]
        layout = await client.call("GetLayout", handle, delta=True)
        assert layout["result"]["qLayout"][0]["value"]["qHyperCube"]["qSize"]["qcy"] == 5
        return client

    async def scenario(server: EngineServer) -> None:
        clients = await asyncio.gather(*(one(server, n) for n in range(SOCKETS)))
        assert all(client.closed is None for client in clients)
        snapshot: dict[str, Any] = server.hub.snapshot()
        assert len(snapshot["sessions"]) == SOCKETS
        assert snapshot["counters"]["errors"] == 0
        assert snapshot["counters"]["frames_in"] == 3 * SOCKETS

    run_engine(scenario, timeout=60.0)
