"""The sim serves 200 concurrent engine sockets on loopback without errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

pytestmark = pytest.mark.integration

SOCKETS = 200


async def _one(session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> str:
    async with session.ws_connect(url, headers=headers) as ws:
        connected = json.loads((await ws.receive()).data)
        assert connected["method"] == "OnConnected"
        await ws.send_str(
            json.dumps(
                {"jsonrpc": "2.0", "id": 1, "handle": -1, "method": "EngineVersion", "params": []}
            )
        )
        answer = json.loads((await ws.receive()).data)
        assert answer["id"] == 1
        assert "result" in answer
        version: str = answer["result"]["qVersion"]["qComponentVersion"]
        return version


def test_two_hundred_concurrent_engine_sockets(cloud_sim: Any) -> None:
    app_id = cloud_sim.ready["apps"][0]["id"]
    headers = {"Authorization": f"Bearer {cloud_sim.credentials['api_key']}"}

    async def main() -> list[str]:
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session, asyncio.timeout(60):
            return await asyncio.gather(
                *(
                    _one(session, cloud_sim.ws_url(f"/app/{app_id}/identity/load-{n}"), headers)
                    for n in range(SOCKETS)
                )
            )

    versions = asyncio.run(main())
    assert len(versions) == SOCKETS
    state = cloud_sim.client.state()
    assert state["counters"]["engine_sockets_opened"] == SOCKETS
    assert state["counters"]["engine_errors"] == 0
    assert len(state["sessions"]) == SOCKETS
