"""Property-based fuzzing of engine frames over a real websocket (issue 13): a hostile engine
process replays whatever frames hypothesis makes up — JSON-RPC answers to ids that exist or not,
errors, deltas, handle lists, junk text, binary, then a close with any code or a dropped
connection — to the viewer's real socket and RpcChannel. Whatever comes, nothing raises out of
the channel, every pending call ends in time with an answer or a named error, and the close is
reported exactly once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_engine import HostileEngine, hostile_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.grant import SessionGrant
from viewer.engine.channel import ChannelClosed, RpcChannel
from viewer.engine.connection import SessionConfig, open_socket
from viewer.engine.errors import EngineClientError, EngineError

pytestmark = pytest.mark.integration

REQUEST_TIMEOUT = 0.5
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
_IDS = st.one_of(st.integers(-2, 6), st.none(), st.text(max_size=3))
_HANDLES = st.lists(st.one_of(st.integers(-3, 9), st.text(max_size=2)), max_size=3)
_RPC = st.fixed_dictionaries(
    {"jsonrpc": st.just("2.0"), "id": _IDS},
    optional={
        "result": _JSON,
        "error": st.fixed_dictionaries(
            {}, optional={"code": _JSON, "message": _JSON, "parameter": _JSON}
        ),
        "method": st.sampled_from(
            ["OnConnected", "OnSessionTimedOut", "OnEngineWebsocketFailedHeartbeat", "x"]
        ),
        "params": _JSON,
        "delta": st.booleans(),
        "change": _HANDLES,
        "close": _HANDLES,
    },
)
FRAME = st.one_of(
    _RPC.map(lambda frame: ["text", json.dumps(frame)]),
    st.text(max_size=40).map(lambda text: ["text", text]),
    st.binary(max_size=40).map(lambda data: ["binary", data.hex()]),
    st.just(["text", "[" * 2000 + "]" * 2000]),
)
END = st.one_of(
    st.just("drop"), st.sampled_from([1000, 1001, 1002, 1003, 1008, 1011, 4000, 4204, 4999])
)


@pytest.fixture(scope="module")
def engine() -> Iterator[HostileEngine]:
    with hostile_engine("replay") as running:
        yield running


class Owner:
    def __init__(self) -> None:
        self.closed: list[ChannelClosed] = []
        self.ended = asyncio.Event()

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        pass

    def on_handles(self, changed: tuple[int, ...], closed: tuple[int, ...]) -> None:
        pass

    def on_channel_closed(self, channel: RpcChannel, closed: ChannelClosed) -> None:
        self.closed.append(closed)
        self.ended.set()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frames=st.lists(FRAME, max_size=8), end=END)
def test_any_frames_end_every_call_and_the_channel_once(
    engine: HostileEngine, frames: list[list[str]], end: object
) -> None:
    async def main() -> tuple[list[BaseException | dict[str, Any]], Owner, RpcChannel]:
        grant = SessionGrant(base_url="http://127.0.0.1", identity="wall-1")
        socket = await open_socket(f"{engine.url}/app/a1", grant, SessionConfig(open_timeout=5))
        await socket.send(json.dumps({"frames": frames, "end": end}))
        owner = Owner()
        channel = RpcChannel(socket, owner, request_timeout=REQUEST_TIMEOUT)
        calls = [channel.request(h, "GetLayout", [], delta=h % 2 == 0) for h in (1, 2, 3)]
        async with asyncio.timeout(REQUEST_TIMEOUT * 4 + 5):
            results = await asyncio.gather(*calls, return_exceptions=True)
            await owner.ended.wait()
        return results, owner, channel

    results, owner, channel = asyncio.run(main())
    for result in results:
        assert isinstance(result, dict | EngineClientError | EngineError), repr(result)
    assert len(owner.closed) == 1
    assert channel.closed == owner.closed[0]
