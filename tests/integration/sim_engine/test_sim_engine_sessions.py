"""Engine sessions across sockets: attach after a reconnect, ttl expiry, privacy, the snapshot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sim_engine_harness import INVENTORY, SALES, EngineServer, sim_events

pytestmark = pytest.mark.integration
RunEngine = Callable[..., None]
SELECT_SOUTH = ["/qHyperCubeDef", 0, [1], False]


def test_reconnect_attaches_with_handles_and_selections_alive(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        with sim_events() as events:
            first = await server.connect(identity="kiosk-1")
            doc = await first.open_sales()
            bar = (await first.call("GetObject", doc, ["bar-region"]))["result"]["qReturn"]
            await first.call("SelectHyperCubeValues", bar["qHandle"], SELECT_SOUTH)
            await first.close()
            await events.wait("sim.engine.detached")
            snapshot: dict[str, Any] = server.hub.snapshot()
            assert snapshot["sessions"][0]["sockets"] == 0

            again = await server.connect(identity="kiosk-1")
            connected = await again.notification("OnConnected")
            assert connected["params"] == {"qSessionState": "SESSION_ATTACHED"}
            active = await again.call("GetActiveDoc")
            assert active["result"]["qReturn"]["qHandle"] == doc
            assert (await again.call("OpenDoc", -1, [SALES]))["error"]["code"] == 1002
            layout = (await again.call("GetLayout", bar["qHandle"]))["result"]["qLayout"]
            rows = layout["qHyperCube"]["qDataPages"][0]["qMatrix"]
            assert [row[0]["qText"] for row in rows] == ["South"]

    run_engine(scenario, session_ttl=30.0)


def test_session_is_discarded_after_ttl(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        with sim_events() as events:
            first = await server.connect(identity="kiosk-2")
            await first.open_sales()
            await first.close()
            await events.wait("sim.engine.discarded")
            assert server.hub.session_count("alice") == 0
            again = await server.connect(identity="kiosk-2")
            connected = await again.notification("OnConnected")
            assert connected["params"] == {"qSessionState": "SESSION_CREATED"}
            assert (await again.call("GetActiveDoc"))["error"]["code"] == 1007

    run_engine(scenario, session_ttl=0.2)


def test_sockets_without_identity_never_share_a_session(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        with sim_events() as events:
            one, two = await server.connect(), await server.connect()
            for client in (one, two):
                connected = await client.notification("OnConnected")
                assert connected["params"]["qSessionState"] == "SESSION_CREATED"
            assert server.hub.session_count("alice") == 2
            await one.close()
            await events.wait("sim.engine.discarded")  # nobody could ever attach to it
            assert server.hub.session_count("alice") == 1

    run_engine(scenario)


def test_sessions_are_keyed_by_user_identity_and_app(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        clients = [
            await server.connect(SALES, user="alice", identity="same"),
            await server.connect(SALES, user="bob", identity="same"),
            await server.connect(INVENTORY, user="alice", identity="same"),
            await server.connect(SALES, user="alice", identity="same"),
        ]
        states = [
            (await client.notification("OnConnected"))["params"]["qSessionState"]
            for client in clients
        ]
        assert states == ["SESSION_CREATED"] * 3 + ["SESSION_ATTACHED"]
        snapshot: dict[str, Any] = server.hub.snapshot()
        assert snapshot["per_user"] == {"alice": 2, "bob": 1}
        assert server.hub.session_count("alice") == 2
        sockets = {(s["user"], s["app"]): s["sockets"] for s in snapshot["sessions"]}
        assert sockets == {("alice", SALES): 2, ("bob", SALES): 1, ("alice", INVENTORY): 1}

    run_engine(scenario)


def test_snapshot_counts_frames_errors_and_sessions(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        client = await server.connect(identity="counted")
        await client.open_sales()
        await client.call("Nope")
        await server.connect(identity="counted")
        await server.clients[-1].notification("OnConnected")
        snapshot: dict[str, Any] = server.hub.snapshot()
        counters = snapshot["counters"]
        assert counters["frames_in"] == 2
        assert counters["frames_out"] == 4  # 2 OnConnected, 2 answers
        assert counters["errors"] == 1
        assert counters["sessions_created"] == 1
        assert counters["sessions_attached"] == 1
        (session,) = snapshot["sessions"]
        assert session["identity"] == "counted"
        assert session["sockets"] == 2
        assert session["created_at"].endswith("Z")

    run_engine(scenario)


def test_enigma_style_open_suspend_resume_attached_close(run_engine: RunEngine) -> None:
    """What enigma.js does with suspendOnClose: the same URL, GetActiveDoc, GetObject by id."""

    async def scenario(server: EngineServer) -> None:
        with sim_events() as events:
            client = await server.connect(identity="enigma")
            await client.notification("OnConnected")
            opened = await client.call("OpenDoc", -1, [SALES], delta=True)
            doc = opened["result"]["qReturn"][0]["value"]["qHandle"]
            found = await client.call("GetObject", doc, ["kpi-sales"], delta=True)
            kpi = found["result"]["qReturn"][0]["value"]["qHandle"]
            layout = await client.call("GetLayout", kpi, delta=True)
            assert layout["result"]["qLayout"][0]["path"] == "/"
            await client.ws.close(code=4000)  # enigma.js's manual suspend
            await events.wait("sim.engine.detached")

            resumed = await server.connect(identity="enigma")
            connected = await resumed.notification("OnConnected")
            assert connected["params"]["qSessionState"] == "SESSION_ATTACHED"
            active = await resumed.call("GetActiveDoc")
            assert active["result"]["qReturn"]["qHandle"] == doc
            again = await resumed.call("GetObject", doc, ["kpi-sales"])
            assert again["result"]["qReturn"]["qHandle"] == kpi
            # a new socket has sent nothing yet: the first delta answer is whole again
            layout = await resumed.call("GetLayout", kpi, delta=True)
            assert layout["result"]["qLayout"][0]["path"] == "/"
            await resumed.ws.close(code=1000)
            await events.wait("sim.engine.detached", count=2)
            assert server.hub.session_count("alice") == 1  # kept for the ttl

    run_engine(scenario)
