"""Every fault of the hub on real sockets, each narrowed to the user or identity it names."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from sim_engine_harness import FRAME_TIMEOUT, INVENTORY, SALES, EngineServer, QixClient

pytestmark = pytest.mark.integration
RunEngine = Callable[..., None]

ABNORMAL_CLOSURE = 1006


async def pair(server: EngineServer) -> tuple[QixClient, QixClient]:
    """alice (identity a) and bob (identity b), both with the Sales app open."""
    alice = await server.connect(user="alice", identity="a")
    bob = await server.connect(user="bob", identity="b")
    await alice.open_sales()
    await bob.open_sales()
    return alice, bob


async def still_works(client: QixClient) -> None:
    assert (await client.call("EngineVersion"))["result"]["qVersion"]


def test_drop_aborts_without_close_frame(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.drop(user="alice") == 1
        assert (await alice.wait_closed()).code == ABNORMAL_CLOSURE
        await still_works(bob)
        # the engine session itself survives a dropped socket
        again = await server.connect(user="alice", identity="a")
        assert (await again.notification("OnConnected"))["params"]["qSessionState"] == (
            "SESSION_ATTACHED"
        )

    run_engine(scenario)


def test_close_sends_the_code_and_reason(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.close(4205, '{"code":"QEP-5"}', identity="a") == 1
        closed = await alice.wait_closed()
        assert (closed.code, closed.reason) == (4205, '{"code":"QEP-5"}')
        await still_works(bob)

    run_engine(scenario)


def test_partition_holds_both_directions_until_heal(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.partition(identity="a") == 1
        settings: dict[str, Any] = server.hub.snapshot()["settings"]  # type: ignore[assignment]
        assert settings["partitioned_sockets"] == 1
        request_id = await alice.request("EngineVersion")
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # silence is the behaviour under test
                await alice.answer(request_id)
        assert alice.closed is None
        await still_works(bob)
        assert await server.hub.heal() == 1
        assert (await alice.answer(request_id))["result"]["qVersion"]
        assert await server.hub.heal() == 0

    run_engine(scenario)


def test_a_socket_opened_during_a_partition_is_silent_until_heal(run_engine: RunEngine) -> None:
    """A partition is a network state, not a mark on sockets: a client that reconnects into it
    hears nothing either (not even OnConnected) until heal."""

    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.partition(identity="a") == 1
        assert alice.closed is None
        again = await server.connect(user="alice", identity="a")
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # silence is the behaviour under test
                await again.notification("OnConnected")
        await still_works(bob)
        assert await server.hub.heal() == 2
        connected = await again.notification("OnConnected")
        assert connected["params"]["qSessionState"] == "SESSION_ATTACHED"
        fresh = await server.connect(user="alice", identity="a")
        assert (await fresh.notification("OnConnected"))["params"]["qSessionState"]

    run_engine(scenario)


def test_a_partition_narrowed_to_an_app_silences_only_that_apps_new_sockets(
    run_engine: RunEngine,
) -> None:
    """Narrowed to an app, a partition lets the same user and identity reach another app."""

    async def scenario(server: EngineServer) -> None:
        alice = await server.connect(user="alice", identity="a")
        await alice.open_sales()
        assert await server.hub.partition(app=SALES) == 1
        again = await server.connect(user="alice", identity="a")
        other = await server.connect(INVENTORY, user="alice", identity="a")
        assert (await other.notification("OnConnected"))["params"]["qSessionState"]
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.3):  # silence is the behaviour under test
                await again.notification("OnConnected")
        assert await server.hub.heal() == 2
        assert (await again.notification("OnConnected"))["params"]["qSessionState"]

    run_engine(scenario)


def test_restart_loses_every_session(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.restart() == 2
        for client in (alice, bob):
            assert (await client.wait_closed()).code == ABNORMAL_CLOSURE
        assert server.hub.snapshot()["sessions"] == []
        again = await server.connect(user="alice", identity="a")
        assert (await again.notification("OnConnected"))["params"]["qSessionState"] == (
            "SESSION_CREATED"
        )
        assert (await again.call("GetActiveDoc"))["error"]["code"] == 1007

    run_engine(scenario)


def test_expire_sends_fatal_session_timed_out_then_closes(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        assert await server.hub.expire(user="alice") == 1
        timed_out = await alice.notification("OnSessionTimedOut")
        assert timed_out["params"]["severity"] == "fatal"
        assert (await alice.wait_closed()).code == 1000
        await still_works(bob)

    run_engine(scenario)


def test_notify_any_notification_with_or_without_close(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        params = {"severity": "warning", "message": "maintenance soon"}
        assert await server.hub.notify("OnMaintenance", params) == 2
        for client in (alice, bob):
            assert (await client.notification("OnMaintenance"))["params"] == params
        await still_works(alice)
        fatal = {"severity": "fatal", "message": "closed by admin"}
        assert await server.hub.notify("OnSessionClosed", fatal, user="bob", close_after=True) == 1
        assert (await bob.notification("OnSessionClosed"))["params"] == fatal
        assert (await bob.wait_closed()).code == 1000
        await still_works(alice)

    run_engine(scenario)


def test_slow_delays_every_answer(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, _ = await pair(server)
        loop = asyncio.get_running_loop()
        server.hub.set_latency(0.25)
        started = loop.time()
        await still_works(alice)
        assert loop.time() - started >= 0.25
        server.hub.set_latency(0)
        started = loop.time()
        await still_works(alice)
        assert loop.time() - started < 0.25

    run_engine(scenario)


def test_inactivity_timeout_times_out_idle_sockets(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        alice, bob = await pair(server)
        server.hub.set_inactivity_timeout(0.3)
        for client in (alice, bob):
            timed_out = await client.notification("OnSessionTimedOut")
            assert timed_out["params"]["severity"] == "fatal"
            assert (await client.wait_closed()).code == 1000
        server.hub.set_inactivity_timeout(None)
        late = await server.connect(identity="late")
        await late.notification("OnConnected")
        await still_works(late)

    run_engine(scenario)


def test_pings_are_answered_except_during_a_partition(run_engine: RunEngine) -> None:
    async def scenario(server: EngineServer) -> None:
        ws = await server.http.ws_connect(server.url(identity="pinger"), autoping=False)
        try:
            assert (await ws.receive_json())["method"] == "OnConnected"
            await ws.ping(b"one")
            pong = await ws.receive(timeout=FRAME_TIMEOUT)
            assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"one")
            await server.hub.partition(identity="pinger")
            await ws.ping(b"two")
            with pytest.raises(TimeoutError):
                await ws.receive(timeout=0.3)  # silence is the behaviour under test
            await server.hub.heal()
            await ws.ping(b"three")
            pong = await ws.receive(timeout=FRAME_TIMEOUT)
            assert (pong.type, pong.data) == (aiohttp.WSMsgType.PONG, b"three")
        finally:
            await ws.close()

    run_engine(scenario)


def test_reload_changes_the_reload_time_and_tells_clients_with_the_app_open(
    run_engine: RunEngine,
) -> None:
    async def scenario(server: EngineServer) -> None:
        alice = await server.connect(user="alice", identity="a")
        bob = await server.connect(user="bob", identity="b")
        doc = await alice.open_sales()
        assert await bob.open_sales() == doc  # each session's first object after the Global
        before = (await alice.call("GetAppLayout", handle=doc))["result"]["qLayout"]
        assert await server.hub.reload() == list(server.hub.apps)
        told = await bob.wait_for(lambda frame: doc in frame.get("change", []))
        assert "id" not in told
        await alice.wait_for(lambda frame: doc in frame.get("change", []))
        after = (await alice.call("GetAppLayout", handle=doc))["result"]["qLayout"]
        assert after["qLastReloadTime"] > before["qLastReloadTime"]

    run_engine(scenario)
