"""Session lifecycle against a scripted fake engine: open, calls, suspend/resume, every close
ending in a state. The real-socket behaviour is tested in tests/integration/engine."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from engine_fakes import GRANT, SIGNAL, FakeEngine, FakeSocket

from viewer.core.closes import CloseClassification, CloseKind
from viewer.core.grant import SessionGrant
from viewer.engine.connection import SessionConfig
from viewer.engine.errors import (
    ConnectionLostError,
    EngineClientError,
    EngineConnectError,
    EngineError,
    NotAttachedError,
    SessionClosedError,
    SessionSuspendedError,
)
from viewer.engine.events import AuthRequired, Closed, Notification, Opened, Resumed, Suspended
from viewer.engine.objects import ApiObject
from viewer.engine.session import Session, SessionState
from viewer.log import scrub_text

FAST = SessionConfig(connected_timeout=0.2, request_timeout=2.0)


def run(test: Callable[[], Awaitable[None]]) -> None:
    async def bounded() -> None:
        async with asyncio.timeout(10):
            await test()

    asyncio.run(bounded())


def session_for(engine: FakeEngine, config: SessionConfig = FAST) -> tuple[Session, list[Any]]:
    session = Session("wss://tenant.example/app/app1", GRANT, config, opener=engine.open)
    events: list[Any] = []
    session.events.add(events.append)
    session.events.add(SIGNAL.poke)
    return session, events


def test_open_reports_the_session_state_and_calls_work_in_both_delta_modes() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        global_api = await session.open()
        doc = await global_api.open_doc("app1")
        obj = await doc.get_object("obj1")
        assert obj is not None
        assert (await obj.get_layout())["qInfo"] == {"qId": "obj1"}
        assert (await obj.call("GetLayout", delta=False))["qLayout"]["n"] == 2
        assert [f.get("delta") for f in engine.socket.sent[-2:]] == [True, None]
        assert events[0] == Notification("OnConnected", {"qSessionState": "SESSION_CREATED"})
        assert events[1] == Opened("SESSION_CREATED")
        await session.close()

    run(main)


def test_engine_errors_carry_code_parameter_and_message() -> None:
    async def main() -> None:
        session, _ = session_for(FakeEngine())
        global_api = await session.open()
        with pytest.raises(EngineError) as caught:
            await global_api.call("NoSuchMethod")
        assert (caught.value.code, caught.value.parameter) == (-32601, "NoSuchMethod")
        assert caught.value.message == "Method not found"
        await session.close()

    run(main)


def test_aborted_requests_are_retried_a_bounded_number_of_times() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, _ = session_for(engine, SessionConfig(connected_timeout=0.2, aborted_retries=2))
        global_api = await session.open()
        engine.abort_next = 2
        await global_api.open_doc("app1")
        engine.abort_next = 3
        with pytest.raises(EngineError) as caught:
            await global_api.open_doc("app1")
        assert caught.value.code == 15
        assert len(engine.socket.sent) == 1 + 2 + 1 + 2
        await session.close()

    run(main)


def test_network_close_suspends_fails_pending_calls_and_new_calls_fail_fast() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        global_api = await session.open()
        engine.socket._reply = lambda frame: []  # the engine stops answering
        pending = asyncio.ensure_future(global_api.call("EngineVersion"))
        await SIGNAL.until(lambda: len(engine.socket.sent) == 1)
        engine.socket.drop()
        with pytest.raises(ConnectionLostError):
            await pending
        assert session.state is SessionState.SUSPENDED
        suspended = events[-1]
        assert isinstance(suspended, Suspended)
        assert (suspended.initiator, suspended.code) == ("network", 1006)
        with pytest.raises(SessionSuspendedError):
            await global_api.call("EngineVersion")

    run(main)


def test_a_silent_network_suspends_the_session_within_the_keepalive_bound() -> None:
    async def main() -> None:
        engine = FakeEngine()
        config = dataclasses.replace(FAST, ping_interval=0.05, ping_timeout=0.1)
        session, events = session_for(engine, config)
        await session.open()
        engine.socket.answers_pings = False
        silenced = asyncio.get_running_loop().time()
        await SIGNAL.until(lambda: session.state is SessionState.SUSPENDED)
        took = asyncio.get_running_loop().time() - silenced
        assert events[-1].classification.reason_key == "network.silent"
        assert took <= config.ping_interval + config.ping_timeout + 0.5

    run(main)


@pytest.mark.parametrize(
    ("code", "reason", "kind", "key"),
    [
        (1000, "", CloseKind.FATAL, "server.closed_session"),
        (
            4203,
            json.dumps({"code": "QEP-5", "traceId": "t"}),
            CloseKind.FATAL,
            "cloud.permission_denied",
        ),
    ],
)
def test_final_server_closes_end_in_closed_and_close_every_object(
    code: int, reason: str, kind: CloseKind, key: str
) -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        doc = await (await session.open()).open_doc("app1")
        closed: list[ApiObject] = []
        doc.closed.add(closed.append)
        engine.socket.server_close(code, reason)
        await SIGNAL.until(lambda: session.state is SessionState.CLOSED)
        assert isinstance(events[-1], Closed)
        assert (events[-1].classification.kind, events[-1].classification.reason_key) == (kind, key)
        assert closed == [doc]
        with pytest.raises(SessionClosedError):
            await doc.get_app_layout()

    run(main)


def test_retryable_server_close_suspends() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        await session.open()
        engine.socket.server_close(4205, "{}")
        await SIGNAL.until(lambda: session.state is SessionState.SUSPENDED)
        assert events[-1].classification.kind is CloseKind.RETRYABLE

    run(main)


def test_fatal_proxy_notification_closes_with_auth_required() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        await session.open()
        engine.socket.push(
            {"method": "OnSessionTimedOut", "params": {"severity": "fatal", "message": "timeout"}}
        )
        await SIGNAL.until(lambda: session.state is SessionState.CLOSED)
        kinds = [type(event) for event in events[-2:]]
        assert kinds == [AuthRequired, Closed]
        assert events[-1].classification.reason_key == "proxy.session_timed_out"
        assert engine.socket.protocol.close_sent is not None  # we closed the socket ourselves

    run(main)


def test_error_session_state_at_open_raises_and_emits_closed() -> None:
    async def main() -> None:
        engine = FakeEngine(session_state="SESSION_ERROR_LIMIT_EXCEEDED")
        session, events = session_for(engine)
        with pytest.raises(SessionClosedError) as caught:
            await session.open()
        assert caught.value.classification.reason_key == "session.limit_exceeded"
        assert isinstance(events[-1], Closed)
        assert session.state is SessionState.CLOSED

    run(main)


def test_manual_suspend_then_attached_resume_refetches_objects_with_new_handles() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        doc = await (await session.open()).open_doc("app1")
        obj1, obj2 = await doc.get_object("obj1"), await doc.get_object("obj2")
        assert obj1 is not None
        assert obj2 is not None
        changed: list[ApiObject] = []
        lost: list[ApiObject] = []
        obj1.changed.add(changed.append)
        obj2.closed.add(lost.append)
        await session.suspend()
        assert events[-1] == Suspended("manual", 4000, "")
        assert engine.socket.protocol.close_sent is not None
        assert engine.socket.protocol.close_sent.code == 4000
        engine.attached = True
        engine.known_objects = {"obj1"}
        old_handle = obj1.handle
        assert await session.resume(only_if_attached=True) is True
        assert events[-1] == Resumed(attached=True)
        assert changed == [obj1]
        assert lost == [obj2]
        assert obj1.handle != old_handle
        assert (await obj1.get_layout())["qInfo"] == {"qId": "obj1"}
        methods = [frame["method"] for frame in engine.socket.sent]
        assert methods[:1] == ["GetActiveDoc"]
        await session.close()

    run(main)


def test_resume_replays_open_doc_when_the_engine_lost_the_app() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        await (await session.open()).open_doc("app1")
        await session.suspend()
        engine.doc_open = False  # a new engine session: no active doc
        assert await session.resume() is False
        sent = [(frame["method"], frame["params"]) for frame in engine.socket.sent]
        assert sent[:2] == [("GetActiveDoc", []), ("OpenDoc", ["app1", "", "", "", False])]
        assert events[-1] == Resumed(attached=False)
        await session.close()

    run(main)


def test_resume_only_if_attached_fails_on_a_new_session_and_stays_suspended() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, _ = session_for(engine)
        await session.open()
        await session.suspend()
        with pytest.raises(NotAttachedError):
            await session.resume(only_if_attached=True)
        assert session.state is SessionState.SUSPENDED
        assert engine.socket.is_closed

    run(main)


def test_resume_without_on_connected_counts_as_created() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, _ = session_for(engine)
        await session.open()
        await session.suspend()
        engine.session_state = "NONE"
        assert await session.resume() is False

    run(main)


def test_close_while_suspended_emits_closed_deliberate() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        await session.open()
        await session.suspend()
        await session.close()
        assert isinstance(events[-1], Closed)
        assert events[-1].classification.kind is CloseKind.DELIBERATE
        await session.close()  # idempotent
        assert sum(isinstance(event, Closed) for event in events) == 1

    run(main)


def test_a_failing_listener_does_not_stop_the_session() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)

        def broken(event: object) -> None:
            raise RuntimeError("listener bug")

        session.events.add(broken)
        global_api = await session.open()
        await global_api.open_doc("app1")
        await session.close()
        assert isinstance(events[-1], Closed)

    run(main)


def test_events_as_an_async_iterator() -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, _ = session_for(engine)
        seen: list[object] = []

        async def consume() -> None:
            async for event in session.events.stream():
                seen.append(event)
                if isinstance(event, Closed):
                    return

        consumer = asyncio.ensure_future(consume())
        await asyncio.sleep(0)
        await session.open()
        await session.close()
        await consumer
        assert [type(event) for event in seen] == [Notification, Opened, Closed]

    run(main)


def test_default_keepalive_notices_a_silent_network_within_eight_seconds() -> None:
    defaults = SessionConfig()
    assert defaults.ping_interval + defaults.ping_timeout <= 8
    assert defaults.max_size >= 16 * 1024 * 1024


def test_for_app_builds_the_engine_url_from_the_grant() -> None:
    grant = SessionGrant(
        base_url="https://sense.example/kiosk", identity="wall-1", csrf_token="csrf-secret-1"
    )
    session = Session.for_app(grant, "app1", flavor="qseow", ttl_seconds=30)
    assert session.url == (
        "wss://sense.example/kiosk/app/app1/identity/wall-1/ttl/30?qlik-csrf-token=csrf-secret-1"
    )
    assert "csrf-secret-1" not in scrub_text(f"opening {session.url}")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, dict[str, Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if isinstance(event, str) and event.startswith("engine."):
            self.events.append((event, dict(getattr(record, "fields", {}))))


def test_structured_log_events_follow_the_contract() -> None:
    collect = Collect()
    engine_logger = logging.getLogger("viewer.engine")
    engine_logger.addHandler(collect)
    old_level = engine_logger.level
    engine_logger.setLevel(logging.INFO)

    async def main() -> None:
        engine = FakeEngine()
        session, _ = session_for(engine)
        await session.open()
        engine.socket.drop()
        await SIGNAL.until(lambda: session.state is SessionState.SUSPENDED)
        engine.attached = True
        await session.resume()
        await session.close()

    try:
        run(main)
    finally:
        engine_logger.removeHandler(collect)
        engine_logger.setLevel(old_level)
    assert collect.events == [
        ("engine.opened", {"session_state": "SESSION_CREATED"}),
        ("engine.suspended", {"code": 1006, "initiator": "network"}),
        ("engine.resumed", {"attached": True}),
        ("engine.closed", {"code": 1000, "reason": "closed.by_client"}),
    ]


@pytest.mark.parametrize(
    ("kind", "state_after"),
    [
        (CloseKind.NETWORK, SessionState.SUSPENDED),
        (CloseKind.RETRYABLE, SessionState.SUSPENDED),
        (CloseKind.AUTH_REQUIRED, SessionState.CLOSED),
        (CloseKind.FATAL, SessionState.CLOSED),
    ],
)
def test_a_resume_that_cannot_connect_stays_suspended_only_when_retrying_can_help(
    kind: CloseKind, state_after: SessionState
) -> None:
    async def main() -> None:
        engine = FakeEngine()
        session, events = session_for(engine)
        await session.open()
        await session.suspend()
        refusal = CloseClassification(kind, "test.refused")

        async def refuse(*_: object) -> FakeSocket:
            raise EngineConnectError(refusal, "refused")

        session._opener = refuse
        with pytest.raises(EngineClientError):
            await session.resume()
        assert session.state is state_after
        if state_after is SessionState.CLOSED:
            assert events[-1] == Closed(refusal)

    run(main)
