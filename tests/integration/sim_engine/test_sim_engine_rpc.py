"""Raw JSON-RPC frames on a real socket: notification order, ids, handles and error shapes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sim_engine_harness import SALES, EngineServer

pytestmark = pytest.mark.integration
RunEngine = Callable[..., None]


def test_on_connected_comes_first_and_ids_and_handles_are_echoed(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        client = await server.connect()
        first = await client.wait_for(lambda frame: True)
        assert first == {
            "jsonrpc": "2.0",
            "method": "OnConnected",
            "params": {"qSessionState": "SESSION_CREATED"},
        }
        opened = await client.call("OpenDoc", -1, [SALES])
        assert opened["id"] == 1
        assert opened["result"]["qReturn"]["qHandle"] == 1
        assert opened["change"] == [1]
        layout = await client.call("GetAppLayout", 1)
        assert layout["id"] == 2
        assert layout["result"]["qLayout"]["qTitle"] == "Sales"
        assert "change" not in layout
        found = await client.call("GetObject", 1, {"qId": "bar-region"})
        assert found["result"]["qReturn"]["qHandle"] == 2
        assert client.unsolicited == []

    run_engine(scenario)


def test_authentication_information_follows_the_first_frame(run_engine: RunEngine) -> None:
    info = {
        "userId": "alice",
        "userDirectory": "SIM",
        "logoutUri": "/logout",
        "mustAuthenticate": False,
    }

    async def scenario(server: EngineServer) -> None:
        client = await server.connect(auth_info=info)
        assert (await client.wait_for(lambda frame: True))["method"] == "OnConnected"
        await client.request("EngineVersion")
        auth = await client.wait_for(lambda frame: True)
        assert auth == {"jsonrpc": "2.0", "method": "OnAuthenticationInformation", "params": info}
        assert (await client.wait_for(lambda frame: True))["id"] == 1
        await client.call("EngineVersion")
        assert client.unsolicited == []  # sent once only

    run_engine(scenario)


def test_malformed_json_is_answered_and_the_socket_stays_open(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        client = await server.connect()
        await client.notification("OnConnected")
        await client.send('{"jsonrpc": "2.0", "id": 1, ')
        error = await client.wait_for(lambda frame: "error" in frame)
        assert error["id"] is None
        assert error["error"]["code"] == -32700
        assert error["error"]["message"] == "Parse error"
        version = await client.call("EngineVersion")
        assert version["result"]["qVersion"]["qComponentVersion"]

    run_engine(scenario)


def test_error_shapes_for_unknown_method_handle_and_bad_params(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        client = await server.connect()
        doc = await client.open_sales()
        unknown = await client.call("DoesNotExist", doc)
        assert unknown["error"] == {
            "code": -32601,
            "parameter": "DoesNotExist",
            "message": "Method not found",
        }
        no_handle = await client.call("GetLayout", 77)
        assert no_handle["error"] == {
            "code": -32602,
            "parameter": "Invalid handle",
            "message": "Invalid Params",
        }
        bad = await client.call("GetObject", doc, [42])
        assert bad["error"]["code"] == -32602
        assert "qId" in bad["error"]["parameter"]
        again = await client.call("OpenDoc", -1, [SALES])
        assert again["error"]["code"] == 1002
        assert (await client.call("GetActiveDoc"))["result"]["qReturn"]["qHandle"] == doc

    run_engine(scenario)


def test_get_active_doc_without_doc_is_1007(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        client = await server.connect("engineData")
        await client.notification("OnConnected")
        assert (await client.call("GetActiveDoc"))["error"]["code"] == 1007
        docs = (await client.call("GetDocList"))["result"]["qDocList"]
        assert SALES in [doc["qDocId"] for doc in docs]

    run_engine(scenario)


def test_oversized_frame_closes_with_1009_and_spares_other_sockets(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        victim = await server.connect(identity="big")
        bystander = await server.connect(identity="small")
        await victim.notification("OnConnected")
        await bystander.notification("OnConnected")
        await victim.send('{"pad":"' + "x" * 4096 + '"}')
        closed = await victim.wait_closed()
        assert closed.code == 1009
        assert (await bystander.call("EngineVersion"))["result"]
        assert server.hub.counters["errors"] == 0

    run_engine(scenario, max_frame_bytes=1024)
