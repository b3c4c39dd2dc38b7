"""`delta: true` on a real socket, and change/close lists shared by the sockets of one session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sim_engine_harness import SALES, EngineServer, QixClient

from viewer.sim.engine.delta import apply_patches

pytestmark = pytest.mark.integration
RunEngine = Callable[..., None]

SELECT_NORTH = ["/qHyperCubeDef", 0, [0], False]


class DeltaClient:
    """Keeps what a delta client holds per (handle, method, key), like enigma.js does."""

    def __init__(self, client: QixClient) -> None:
        self.client = client
        self.held: dict[tuple[int, str, str], Any] = {}
        self.last_patches: dict[str, Any] = {}

    async def call(self, method: str, handle: int = -1, params: Any = None) -> dict[str, Any]:
        answer = await self.client.call(method, handle, params, delta=True)
        assert answer["delta"] is True
        self.last_patches = answer["result"]
        values = {}
        for key, patches in answer["result"].items():
            held = self.held.get((handle, method, key))
            values[key] = self.held[(handle, method, key)] = apply_patches(held, patches)
        return values


def test_patches_rebuild_exactly_what_a_plain_client_gets(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        delta = DeltaClient(await server.connect(identity="delta"))
        plain = await server.connect(identity="plain")
        await delta.client.notification("OnConnected")
        await plain.notification("OnConnected")
        steps: list[tuple[str, str, Any]] = [
            ("OpenDoc", "global", [SALES]),
            ("GetAppLayout", "doc", []),
            ("GetObject", "doc", ["bar-region"]),
            ("GetLayout", "bar", []),
            ("SelectHyperCubeValues", "bar", SELECT_NORTH),
            ("GetLayout", "bar", []),
            ("GetLayout", "bar", []),
            ("IsDesktopMode", "global", []),
        ]
        handles = {"global": -1}
        for method, target, params in steps:
            handle = handles[target]
            rebuilt = await delta.call(method, handle, params)
            plain_answer = await plain.call(method, handle, params)
            assert "delta" not in plain_answer
            assert rebuilt == plain_answer["result"], method
            if method == "OpenDoc":
                handles["doc"] = rebuilt["qReturn"]["qHandle"]
            if method == "GetObject":
                handles["bar"] = rebuilt["qReturn"]["qHandle"]
        # the last GetLayout repeated an unchanged layout: the engine sends []
        assert (await delta.call("GetLayout", handles["bar"]))["qLayout"]["qHyperCube"]
        assert delta.last_patches == {"qLayout": []}

    run_engine(scenario)


def test_a_changed_layout_comes_as_a_patch_not_a_whole_value(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        delta = DeltaClient(await server.connect())
        doc = await delta.client.open_sales()
        bar = (await delta.call("GetObject", doc, ["bar-region"]))["qReturn"]["qHandle"]
        await delta.call("GetLayout", bar)
        assert delta.last_patches["qLayout"][0] == {
            "op": "add",
            "path": "/",
            "value": delta.held[(bar, "GetLayout", "qLayout")],
        }
        await delta.call("SelectHyperCubeValues", bar, SELECT_NORTH)
        await delta.call("GetLayout", bar)
        patches = delta.last_patches["qLayout"]
        assert patches
        assert all(patch["path"].startswith("/qHyperCube/") for patch in patches)

    run_engine(scenario)


def test_selection_on_one_socket_changes_every_socket_of_the_session(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        sheet_socket = await server.connect(identity="wall")
        watcher = await server.connect(identity="wall")
        other_session = await server.connect(identity="elsewhere")
        doc = await sheet_socket.open_sales()
        assert (await watcher.notification("OnConnected"))["params"]["qSessionState"] == (
            "SESSION_ATTACHED"
        )
        await other_session.open_sales()
        bar = (await sheet_socket.call("GetObject", doc, ["bar-region"]))["result"]
        handle = bar["qReturn"]["qHandle"]
        assert (await watcher.call("GetObject", doc, ["bar-region"]))["result"] == bar
        other_bar = await other_session.call("GetObject", doc, ["bar-region"])

        selected = await sheet_socket.call("SelectHyperCubeValues", handle, SELECT_NORTH)
        assert selected["result"] == {"qSuccess": True}
        assert selected["change"] == [handle]
        opened_elsewhere = await watcher.wait_for(lambda frame: "change" in frame)
        assert opened_elsewhere == {"jsonrpc": "2.0", "change": [doc]}  # the OpenDoc of the other
        pushed = await watcher.wait_for(lambda frame: "change" in frame)
        assert pushed == {"jsonrpc": "2.0", "change": [handle]}
        layout = (await watcher.call("GetLayout", handle))["result"]["qLayout"]
        assert layout["qHyperCube"]["qSize"]["qcy"] == 1

        # the other session saw nothing and still has every region
        other_handle = other_bar["result"]["qReturn"]["qHandle"]
        other_layout = (await other_session.call("GetLayout", other_handle))["result"]["qLayout"]
        assert other_layout["qHyperCube"]["qSize"]["qcy"] == 4
        assert not [frame for frame in other_session.unsolicited if "change" in frame]

    run_engine(scenario)


def test_destroyed_session_object_is_closed_on_every_socket(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        first = await server.connect(identity="pair")
        second = await server.connect(identity="pair")
        doc = await first.open_sales()
        prop = {
            "qInfo": {"qId": "currsel", "qType": "CurrentSelections"},
            "qSelectionObjectDef": {},
        }
        created = await first.call("CreateSessionObject", doc, [prop])
        handle = created["result"]["qReturn"]["qHandle"]
        destroyed = await first.call("DestroySessionObject", doc, ["currsel"])
        assert destroyed["result"] == {"qSuccess": True}
        assert destroyed["close"] == [handle]
        assert await second.wait_for(lambda frame: "close" in frame) == {
            "jsonrpc": "2.0",
            "close": [handle],
        }

    run_engine(scenario)
