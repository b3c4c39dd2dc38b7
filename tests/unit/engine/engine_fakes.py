"""Fakes for unit tests of the engine client: a socket whose server side is a plain function,
and a tiny scripted engine (OpenDoc, GetLayout, GetObject, …) behind it. No network."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.frames import Close

from viewer.core.grant import SessionGrant
from viewer.engine.connection import SessionConfig

Reply = Callable[[dict[str, Any]], list[dict[str, Any] | str | bytes]]

GRANT = SessionGrant(base_url="https://tenant.example", identity="test")


class Signal:
    """Wakes up waiters whose condition became true, when poked after each change (no polling)."""

    def __init__(self) -> None:
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    def poke(self, *_: object) -> None:
        for predicate, future in list(self._waiting):
            if not future.done() and predicate():
                future.set_result(None)
                self._waiting.remove((predicate, future))

    async def until(self, predicate: Callable[[], bool]) -> None:
        if predicate():
            return
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((predicate, future))
        await future


# Every fake pokes this after any change; tests wait on it with `SIGNAL.until(...)`.
SIGNAL = Signal()


@dataclass
class FakeCloseRecord:
    close_rcvd: Close | None = None
    close_sent: Close | None = None
    close_rcvd_then_sent: bool | None = None


class FakeSocket:
    """A websocket whose peer is `reply`: each sent frame is answered with `reply(frame)`."""

    def __init__(self, reply: Reply | None = None) -> None:
        self.protocol = FakeCloseRecord()
        self.sent: list[dict[str, Any]] = []
        self._reply = reply or (lambda frame: [])
        self._inbox: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.is_closed = False
        self.latency = 0.0
        self.answers_pings = True  # False: a silent network (pings go out, no pong comes back)
        self.pings = 0
        self.aborted = False

    @property
    def transport(self) -> FakeTransport:
        return FakeTransport(self)

    async def ping(self) -> Awaitable[float]:
        if self.is_closed:
            raise ConnectionClosed(self.protocol.close_rcvd, self.protocol.close_sent)
        self.pings += 1
        pong: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.answers_pings:
            pong.set_result(0.001)
        SIGNAL.poke()
        return pong

    def push(self, message: dict[str, Any] | str | bytes) -> None:
        """The server sends a message."""
        self._inbox.put_nowait(json.dumps(message) if isinstance(message, dict) else message)
        SIGNAL.poke()

    async def send(self, message: str) -> None:
        frame = json.loads(message)
        self.sent.append(frame)
        SIGNAL.poke()
        for answer in self._reply(frame):
            self.push(answer)

    async def __aiter__(self) -> AsyncIterator[str | bytes]:
        while (message := await self._inbox.get()) is not None:
            yield message

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.is_closed:
            return
        self.protocol.close_sent = Close(code, reason)
        self.protocol.close_rcvd = Close(code, reason)
        self.protocol.close_rcvd_then_sent = False
        self._end()

    def server_close(self, code: int, reason: str = "") -> None:
        """The server sends a close frame first."""
        self.protocol.close_rcvd = Close(code, reason)
        self.protocol.close_sent = Close(code, reason)
        self.protocol.close_rcvd_then_sent = True
        self._end()

    def drop(self, sent_reason: str = "", sent_code: int = 1011) -> None:
        """The connection dies without a close frame back (optionally after one websockets sent
        when failing the connection: keepalive timeout, frame too big)."""
        if sent_reason:
            self.protocol.close_sent = Close(sent_code, sent_reason)
        self._end()

    def _end(self) -> None:
        self.is_closed = True
        self._inbox.put_nowait(None)


@dataclass
class FakeTransport:
    """The socket's TCP connection: `abort` drops it without a close frame."""

    socket: FakeSocket

    def abort(self) -> None:
        self.socket.aborted = True
        if not self.socket.is_closed:
            self.socket.drop()


@dataclass
class FakeEngine:
    """A scripted engine behind fake sockets: one app "app1" with objects "obj1" and "obj2".

    `attached` decides what OnConnected says on the next connection; `known_objects` which ids
    GetObject still finds; `abort_next` makes the next N requests fail with code 15.
    """

    attached: bool = False
    session_state: str | None = None
    known_objects: set[str] = field(default_factory=lambda: {"obj1", "obj2"})
    doc_open: bool = False
    abort_next: int = 0
    sockets: list[FakeSocket] = field(default_factory=list)
    layout_counter: int = 0
    _next_handle: int = 1
    _handles: dict[int, str] = field(default_factory=dict)

    async def open(self, url: str, grant: SessionGrant, config: SessionConfig) -> FakeSocket:
        socket = FakeSocket(self.answer)
        self.sockets.append(socket)
        self._handles.clear()  # handles keep counting up: they change even when attached
        state = self.session_state or ("SESSION_ATTACHED" if self.attached else "SESSION_CREATED")
        if state != "NONE":
            socket.push(
                {"jsonrpc": "2.0", "method": "OnConnected", "params": {"qSessionState": state}}
            )
        return socket

    @property
    def socket(self) -> FakeSocket:
        return self.sockets[-1]

    def _object(self, q_type: str, object_id: str) -> dict[str, Any]:
        handle = self._next_handle
        self._next_handle += 1
        self._handles[handle] = object_id
        return {"qType": q_type, "qHandle": handle, "qGenericId": object_id, "qGenericType": ""}

    def answer(self, frame: dict[str, Any]) -> list[dict[str, Any] | str | bytes]:
        request_id, method = frame["id"], frame["method"]
        if self.abort_next:
            self.abort_next -= 1
            return [
                {"id": request_id, "error": {"code": 15, "parameter": "", "message": "Aborted"}}
            ]
        result: dict[str, Any]
        if method == "OpenDoc":
            self.doc_open = True
            result = {"qReturn": self._object("Doc", frame["params"][0])}
        elif method == "GetActiveDoc":
            if not self.doc_open:
                return [
                    {
                        "id": request_id,
                        "error": {"code": 1007, "parameter": "", "message": "App invalid"},
                    }
                ]
            result = {"qReturn": self._object("Doc", "app1")}
        elif method == "GetObject":
            object_id = frame["params"][0]
            found = object_id in self.known_objects
            result = {
                "qReturn": self._object("GenericObject", object_id)
                if found
                else {"qType": None, "qHandle": None}
            }
        elif method == "GetLayout":
            self.layout_counter += 1
            layout = {
                "qInfo": {"qId": self._handles.get(frame["handle"])},
                "n": self.layout_counter,
            }
            if frame.get("delta"):
                return [
                    {
                        "id": request_id,
                        "delta": True,
                        "result": {"qLayout": [{"op": "add", "path": "/", "value": layout}]},
                    }
                ]
            result = {"qLayout": layout}
        else:
            return [
                {
                    "id": request_id,
                    "error": {"code": -32601, "parameter": method, "message": "Method not found"},
                }
            ]
        return [{"jsonrpc": "2.0", "id": request_id, "result": result}]
