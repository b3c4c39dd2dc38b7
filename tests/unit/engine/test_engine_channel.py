"""The RPC channel over a fake socket: pending futures, delta, change/close lists, bad frames
(with a hypothesis fuzz of arbitrary frames: no crash, every pending call ends in time)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from engine_fakes import SIGNAL, FakeSocket
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.closes import KEEPALIVE_REASON, Initiator
from viewer.engine.channel import ChannelClosed, RpcChannel
from viewer.engine.errors import (
    ConnectionLostError,
    EngineClientError,
    EngineError,
    ProtocolViolationError,
    RequestTimeoutError,
)


class Recorder:
    def __init__(self) -> None:
        self.notifications: list[tuple[str, dict[str, Any]]] = []
        self.handles: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        self.closed: list[ChannelClosed] = []

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        self.notifications.append((method, params))
        SIGNAL.poke()

    def on_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None:
        self.handles.append((changed, closed))
        SIGNAL.poke()

    def on_channel_closed(self, channel: RpcChannel, closed: ChannelClosed) -> None:
        self.closed.append(closed)
        SIGNAL.poke()


def run(test: Callable[[], Awaitable[None]], limit: float = 10) -> None:
    async def bounded() -> None:
        async with asyncio.timeout(limit):
            await test()

    asyncio.run(bounded())


def test_answers_resolve_their_own_request_and_report_change_and_close() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=2)
        first = asyncio.ensure_future(channel.request(-1, "A", [], delta=False))
        second = asyncio.ensure_future(channel.request(-1, "B", [], delta=False))
        await SIGNAL.until(lambda: len(socket.sent) == 2)
        assert [frame["id"] for frame in socket.sent] == [1, 2]
        socket.push({"id": 2, "result": {"b": 1}, "change": [3], "close": [4]})
        socket.push({"id": 1, "error": {"code": 5, "parameter": "p", "message": "denied"}})
        assert await second == {"b": 1}
        with pytest.raises(EngineError, match="denied"):
            await first
        assert recorder.handles == [((3,), (4,))]
        socket.push({"jsonrpc": "2.0", "change": [5]})
        await SIGNAL.until(lambda: len(recorder.handles) == 2)
        assert recorder.handles[-1] == ((5,), ())

    run(main)


def test_delta_answers_are_patched_per_handle_and_method() -> None:
    script = [
        [{"op": "add", "path": "/", "value": {"n": 1, "m": [1]}}],
        [{"op": "add", "path": "/m/-", "value": 2}],
        [],
    ]

    def reply(frame: dict[str, Any]) -> list[Any]:
        patches = script.pop(0)
        return [{"id": frame["id"], "delta": True, "result": {"qLayout": patches}}]

    async def main() -> None:
        socket, recorder = FakeSocket(reply), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=2)
        layouts = [
            (await channel.request(2, "GetLayout", [], delta=True))["qLayout"] for _ in range(3)
        ]
        assert layouts == [{"n": 1, "m": [1]}, {"n": 1, "m": [1, 2]}, {"n": 1, "m": [1, 2]}]
        assert all(frame["delta"] is True for frame in socket.sent)

    run(main)


def test_a_patch_that_does_not_fit_fails_only_its_call_and_is_counted() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=2)
        call = asyncio.ensure_future(channel.request(2, "GetLayout", [], delta=True))
        await SIGNAL.until(lambda: len(socket.sent) == 1)
        socket.push(
            {"id": 1, "delta": True, "result": {"qLayout": [{"op": "remove", "path": "/x"}]}}
        )
        with pytest.raises(ProtocolViolationError):
            await call
        assert channel.invalid_frames == 1
        assert channel.closed is None

    run(main)


def test_bad_frames_are_counted_and_fail_the_request_they_name() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=2)
        call = asyncio.ensure_future(channel.request(-1, "A", [], delta=False))
        await SIGNAL.until(lambda: len(socket.sent) == 1)
        junk: list[str | bytes] = [
            "{",
            b"\x00\xff",
            "[]",
            '{"id": 99, "result": {}}',
            '{"id": 1, "result": 3}',
        ]
        for frame in junk:
            socket.push(frame)
        with pytest.raises(ProtocolViolationError):
            await call
        socket.push({"method": "OnConnected"})  # frames are handled in order
        await SIGNAL.until(lambda: bool(recorder.notifications))
        assert recorder.notifications == [("OnConnected", {})]
        assert channel.invalid_frames == 5

    run(main)


def test_requests_time_out_and_late_answers_are_ignored() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=0.05)
        with pytest.raises(RequestTimeoutError):
            await channel.request(-1, "Slow", [], delta=False)
        socket.push({"id": 1, "result": {}})
        socket.push({"method": "OnMarker"})  # frames are handled in order
        await SIGNAL.until(lambda: bool(recorder.notifications))
        assert channel.invalid_frames == 1
        assert channel._pending == {}

    run(main)


def test_close_fails_every_pending_call_and_reports_how_it_ended() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=5)
        calls = [asyncio.ensure_future(channel.request(-1, "A", [], delta=False)) for _ in range(3)]
        await SIGNAL.until(lambda: len(socket.sent) == 3)
        socket.server_close(4205, "busy")
        for call in calls:
            with pytest.raises(ConnectionLostError):
                await call
        assert recorder.closed == [ChannelClosed(4205, "busy", Initiator.REMOTE)]
        with pytest.raises(ConnectionLostError):
            await channel.request(-1, "A", [], delta=False)

    run(main)


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (("frame too big", 1009), ChannelClosed(1009, "frame too big", Initiator.LOCAL)),
        (("", 1011), ChannelClosed(1006, "", Initiator.NETWORK)),
    ],
)
def test_failures_without_a_close_frame_back(
    sent: tuple[str, int], expected: ChannelClosed
) -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        RpcChannel(socket, recorder, request_timeout=5)
        socket.drop(*sent)
        await SIGNAL.until(lambda: bool(recorder.closed))
        assert recorder.closed == [expected]

    run(main)


def test_a_missing_pong_reports_the_socket_lost_at_once_and_drops_it() -> None:
    """A silent network: no closing handshake is attempted, the owner hears of it once, pending
    calls fail, and the TCP connection is dropped."""

    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        socket.answers_pings = False
        channel = RpcChannel(
            socket, recorder, request_timeout=5, ping_interval=0.02, ping_timeout=0.05
        )
        pending = asyncio.ensure_future(channel.request(-1, "A", [], delta=False))
        await SIGNAL.until(lambda: bool(recorder.closed))
        lost = ChannelClosed(1006, KEEPALIVE_REASON, Initiator.NETWORK)
        assert recorder.closed == [lost]
        assert socket.aborted
        assert socket.protocol.close_sent is None  # no close frame over a dead network
        with pytest.raises(ConnectionLostError):
            await pending
        assert await channel.close() == lost  # the reader has ended: still reported once
        assert recorder.closed == [lost]

    run(main)


def test_answered_pings_keep_the_channel_open() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(
            socket, recorder, request_timeout=5, ping_interval=0.01, ping_timeout=0.05
        )
        await SIGNAL.until(lambda: socket.pings >= 5)
        assert recorder.closed == []
        assert not socket.aborted
        assert await channel.close(1000) == ChannelClosed(1000, "", Initiator.LOCAL)

    run(main)


def test_our_own_close_is_local() -> None:
    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=5)
        assert await channel.close(4000) == ChannelClosed(4000, "", Initiator.LOCAL)

    run(main)


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)
PATCH = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove", "move", "copy", "test", "bogus"])},
    optional={
        "path": st.sampled_from(["/", "", "/a", "/a/0", "/qLayout/x", "/-"]) | st.text(max_size=6),
        "value": JSON_VALUES,
        "from": st.sampled_from(["/a", "/b", "x"]),
    },
)
FRAME_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.just("2.0"),
        "id": st.sampled_from([1, 2, 3, 4, -1, 0, "1", None, True, 1.5]),
        "result": JSON_VALUES | st.dictionaries(st.text(max_size=8), st.lists(PATCH, max_size=3)),
        "error": JSON_VALUES
        | st.fixed_dictionaries(
            {"code": JSON_VALUES | st.integers()}, optional={"message": JSON_VALUES}
        ),
        "delta": st.booleans() | JSON_VALUES,
        "change": JSON_VALUES | st.lists(st.integers(-2, 5), max_size=3),
        "close": JSON_VALUES | st.lists(st.integers(-2, 5), max_size=3),
        "method": JSON_VALUES | st.sampled_from(["OnConnected", "OnSessionTimedOut", ""]),
        "params": JSON_VALUES,
    },
)
FRAMES = st.one_of(
    FRAME_FIELDS.map(json.dumps),
    st.text(max_size=50),
    st.binary(max_size=50),
    JSON_VALUES.map(json.dumps),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=st.lists(FRAMES, max_size=12))
def test_arbitrary_frames_never_crash_and_every_pending_call_ends_in_time(
    frames: list[Any],
) -> None:
    timeout = 0.03

    async def main() -> None:
        socket, recorder = FakeSocket(), Recorder()
        channel = RpcChannel(socket, recorder, request_timeout=timeout)
        calls = [
            asyncio.ensure_future(channel.request(handle, "GetLayout", [], delta=handle % 2 == 0))
            for handle in (1, 2, 3, 4)
        ]
        await SIGNAL.until(lambda: len(socket.sent) == 4)
        for frame in frames:
            channel.feed(frame)  # must never raise
        async with asyncio.timeout(timeout + 1):
            results = await asyncio.gather(*calls, return_exceptions=True)
        for result in results:
            assert isinstance(result, dict | EngineClientError), result
        socket.drop()
        await SIGNAL.until(lambda: bool(recorder.closed))
        assert channel.closed is not None

    run(main)
