"""The engine session against the simulated tenant over real loopback sockets: calls in both
delta modes, suspend/resume, network faults, restarts, and every way a session can end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from engine_sim_helpers import (
    api_key_grant,
    app_id,
    cloud_login_grant,
    fault,
    make_session,
    qseow_header_grant,
    qseow_ticket_grant,
    resolve_once,
    run,
    sim_state,
    within,
)

from viewer.core.closes import CloseKind
from viewer.engine.connection import SessionConfig
from viewer.engine.errors import (
    ConnectionLostError,
    EngineConnectError,
    NotAttachedError,
    SessionClosedError,
)
from viewer.engine.events import AuthRequired, Closed, Opened, Resumed, Suspended
from viewer.engine.objects import ApiObject, Doc, GenericObject
from viewer.engine.session import Session, SessionState

pytestmark = pytest.mark.integration


async def open_doc(session: Session, sim: object) -> Doc:
    return await (await session.open()).open_doc(app_id(sim))


async def open_chart(session: Session, sim: object, object_id: str = "bar-region") -> GenericObject:
    chart = await (await open_doc(session, sim)).get_object(object_id)
    assert chart is not None
    return chart


@pytest.mark.parametrize("delta", [True, False])
def test_cloud_open_doc_and_layouts_in_both_delta_modes(cloud_sim: object, delta: bool) -> None:
    async def main() -> None:
        config = SessionConfig(delta=delta)
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-delta"), config)
        chart = await open_chart(session, cloud_sim)
        first = await chart.get_layout()
        again = await chart.get_layout()
        other_mode = (await chart.call("GetLayout", delta=not delta))["qLayout"]
        assert first["qInfo"]["qId"] == "bar-region"
        assert first["qHyperCube"]["qSize"]["qcy"] > 0
        assert first == again == other_mode
        assert session.latency is None or 0 < session.latency < 1
        assert log.of(Opened) == [Opened("SESSION_CREATED")]
        await session.close()

    run(main)


def test_app_facts_the_viewer_needs(cloud_sim: Any) -> None:
    async def main() -> None:
        session, _ = make_session(cloud_sim, api_key_grant(cloud_sim, "w-facts"))
        global_api = await session.open()
        assert await global_api.engine_version()
        assert app_id(cloud_sim) in [entry["qDocId"] for entry in await global_api.get_doc_list()]
        doc = await global_api.open_doc(app_id(cloud_sim))
        assert (await doc.get_app_layout())["qTitle"] == "Sales"
        announced = next(a for a in cloud_sim.ready["apps"] if a["name"] == "Sales")["sheets"]
        sheets = await doc.get_sheet_list()
        assert [(s["id"], s["title"]) for s in sheets] == [(s["id"], s["title"]) for s in announced]
        assert await doc.get_theme_id() == "sense"
        assert await doc.get_object("no-such-object") is None
        await session.close()

    run(main)


def test_qseow_open_doc_and_layout_with_the_proxy_session_cookie(qseow_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(qseow_sim, qseow_header_grant(qseow_sim, "w-qseow"))
        chart = await open_chart(session, qseow_sim)
        assert (await chart.get_layout())["qInfo"]["qId"] == "bar-region"
        methods = [event.method for event in log.events if hasattr(event, "method")]
        assert methods[0] == "OnConnected"
        await session.close()
        assert log.of(Closed)[0].classification.kind is CloseKind.DELIBERATE

    run(main)


def test_manual_suspend_and_attached_resume_keep_selections(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-manual"))
        chart = await open_chart(session, cloud_sim)
        assert await chart.select_hypercube_values("/qHyperCubeDef", 0, [0])
        selected = await chart.get_layout()
        await session.suspend()
        assert log.events[-1] == Suspended("manual", 4000, "")
        assert await session.resume(only_if_attached=True) is True
        assert log.events[-1:] == [Resumed(attached=True)]
        assert await chart.get_layout() == selected
        await session.close()

    run(main)


def test_drop_suspends_and_resume_reattaches_the_same_engine_session(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-drop"))
        chart = await open_chart(session, cloud_sim)
        changed: asyncio.Future[ApiObject] = asyncio.get_running_loop().create_future()
        chart.changed.add(resolve_once(changed))
        suspended = log.expect(Suspended)
        await fault(cloud_sim, "drop", identity="w-drop")
        event = await within(suspended)
        assert (event.initiator, event.code) == ("network", 1006)
        assert event.classification is not None
        assert event.classification.kind is CloseKind.NETWORK
        assert await session.resume(only_if_attached=True) is True
        assert await within(changed) is chart
        assert (await chart.get_layout())["qInfo"]["qId"] == "bar-region"
        sessions = [
            s for s in (await sim_state(cloud_sim))["sessions"] if s["identity"] == "w-drop"
        ]
        assert len(sessions) == 1
        assert sessions[0]["sockets"] == 1
        await session.close()

    run(main)


def test_partition_is_noticed_within_the_keepalive_bound(cloud_sim: object) -> None:
    async def main() -> None:
        config = SessionConfig(ping_interval=1.0, ping_timeout=1.0, close_timeout=1.0)
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-part"), config)
        await open_chart(session, cloud_sim)
        suspended = log.expect(Suspended)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await fault(cloud_sim, "partition", identity="w-part")
        bound = config.ping_interval + config.ping_timeout + 0.5  # no closing handshake waited
        event = await within(suspended, bound + 2)
        assert loop.time() - started <= bound
        assert event.classification is not None
        assert event.classification.reason_key == "network.silent"
        await fault(cloud_sim, "heal")
        assert await session.resume(only_if_attached=True) is True
        await session.close()

    run(main)


def test_restart_creates_a_new_session_and_reports_lost_objects(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-restart"))
        doc = await open_doc(session, cloud_sim)
        chart = await doc.get_object("bar-region")
        assert chart is not None
        scratch = await doc.create_session_object({"qInfo": {"qType": "scratch"}})
        lost: asyncio.Future[ApiObject] = asyncio.get_running_loop().create_future()
        scratch.closed.add(resolve_once(lost))
        suspended = log.expect(Suspended)
        await fault(cloud_sim, "restart")
        await within(suspended)
        with pytest.raises(NotAttachedError):
            await session.resume(only_if_attached=True)
        assert session.state is SessionState.SUSPENDED
        assert await session.resume() is False
        assert log.events[-1] == Resumed(attached=False)
        assert await within(lost) is scratch
        assert scratch.is_closed
        assert not chart.is_closed
        assert (await chart.get_layout())["qInfo"]["qId"] == "bar-region"
        await session.close()

    run(main)


def test_server_close_1000_ends_in_closed(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-1000"))
        await open_chart(session, cloud_sim)
        closed = log.expect(Closed)
        await fault(cloud_sim, "close", code=1000, reason="bye", identity="w-1000")
        event = await within(closed)
        assert event.classification.reason_key == "server.closed_session"
        assert session.state is SessionState.CLOSED

    run(main)


def test_cloud_4205_close_suspends_as_retryable(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-busy"))
        await open_chart(session, cloud_sim)
        suspended = log.expect(Suspended)
        reason = json.dumps({"code": "QEP-4205", "traceId": "t1"})
        await fault(cloud_sim, "close", code=4205, reason=reason, identity="w-busy")
        event = await within(suspended)
        assert event.classification is not None
        assert event.classification.kind is CloseKind.RETRYABLE
        assert event.classification.detail == {"qlik_code": "QEP-4205", "trace_id": "t1"}
        await session.close()

    run(main)


def test_unknown_app_on_cloud_is_closed_with_4204(cloud_sim: object) -> None:
    async def main() -> None:
        grant = api_key_grant(cloud_sim, "w-404")
        session, log = make_session(cloud_sim, grant, app="no-such-app")
        with pytest.raises(SessionClosedError) as caught:
            await session.open()
        assert caught.value.classification.reason_key == "cloud.app_not_found"
        assert log.of(Closed)[0].classification.kind is CloseKind.FATAL

    run(main)


@pytest.mark.parametrize("flavor", ["cloud", "qseow"])
def test_expire_ends_in_auth_required(flavor: str, cloud_sim: object, qseow_sim: object) -> None:
    sim = cloud_sim if flavor == "cloud" else qseow_sim
    grant = (api_key_grant if flavor == "cloud" else qseow_header_grant)(sim, "w-expire")

    async def main() -> None:
        session, log = make_session(sim, grant)
        await open_chart(session, sim)
        closed = log.expect(Closed)
        await fault(sim, "expire", identity="w-expire")
        event = await within(closed)
        assert event.classification.kind is CloseKind.AUTH_REQUIRED
        assert event.classification.reason_key == "proxy.session_timed_out"
        assert [type(e) for e in log.events[-2:]] == [AuthRequired, Closed]

    run(main)


def test_cloud_revoke_then_resume_is_auth_required(cloud_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(cloud_sim, cloud_login_grant(cloud_sim, "w-revoke"))
        await open_chart(session, cloud_sim)
        suspended = log.expect(Suspended)
        await fault(cloud_sim, "revoke")
        await within(suspended)
        with pytest.raises(SessionClosedError) as caught:
            await session.resume()
        assert caught.value.classification.kind is CloseKind.AUTH_REQUIRED
        assert caught.value.classification.detail == {"http_status": "401"}
        assert [type(e) for e in log.events[-2:]] == [AuthRequired, Closed]

    run(main)


def test_qseow_revoke_then_resume_gets_must_authenticate(qseow_sim: object) -> None:
    async def main() -> None:
        session, log = make_session(qseow_sim, qseow_ticket_grant(qseow_sim, "w-revoke-q"))
        await open_chart(session, qseow_sim)
        suspended = log.expect(Suspended)
        await fault(qseow_sim, "revoke")
        await within(suspended)
        with pytest.raises(SessionClosedError) as caught:
            await session.resume()
        assert caught.value.classification.reason_key == "auth.must_authenticate"
        assert caught.value.classification.detail is not None
        assert "login_uri" in caught.value.classification.detail
        assert session.state is SessionState.CLOSED

    run(main)


def test_qseow_session_limit_closes_with_max_parallel_sessions(qseow_sim: object) -> None:
    async def main() -> None:
        first, _ = make_session(qseow_sim, qseow_header_grant(qseow_sim, "w-limit-1"))
        await first.open()
        second_grant = qseow_header_grant(qseow_sim, "w-limit-2")  # a second proxy session
        await fault(qseow_sim, "limit", max=1)
        second, log = make_session(qseow_sim, second_grant)
        with pytest.raises(SessionClosedError) as caught:
            await second.open()
        assert caught.value.classification.reason_key == "proxy.max_parallel_sessions"
        assert log.of(Closed)[0].classification.kind is CloseKind.FATAL
        await first.close()

    run(main)


def test_a_selection_on_the_sheets_socket_reaches_our_objects_as_changed(
    cloud_sim: object,
) -> None:
    async def main() -> None:
        grant = api_key_grant(cloud_sim, "w-shared")
        watcher, _ = make_session(cloud_sim, grant)
        sheet, _ = make_session(cloud_sim, grant)
        ours = await open_chart(watcher, cloud_sim)
        before = await ours.get_layout()
        changed: asyncio.Future[ApiObject] = asyncio.get_running_loop().create_future()
        ours.changed.add(resolve_once(changed))
        theirs = await open_chart(sheet, cloud_sim)
        assert await theirs.select_hypercube_values("/qHyperCubeDef", 0, [0])
        assert await within(changed) is ours
        after = await ours.get_layout()
        assert after != before
        sessions = [
            s for s in (await sim_state(cloud_sim))["sessions"] if s["identity"] == "w-shared"
        ]
        assert len(sessions) == 1
        await sheet.close()
        await watcher.close()

    run(main)


def test_frames_above_max_size_end_the_session_without_hanging(cloud_sim: object) -> None:
    async def main() -> None:
        config = SessionConfig(max_size=2048)
        session, log = make_session(cloud_sim, api_key_grant(cloud_sim, "w-big"), config)
        chart = await open_chart(session, cloud_sim, "table-product")
        closed = log.expect(Closed)
        with pytest.raises(ConnectionLostError):
            await chart.get_layout()
        event = await within(closed)
        assert event.classification.reason_key == "frame.too_big"

    run(main)


def test_tls_with_the_sims_ca_as_bundle_and_refused_without_it(
    make_sim: Callable[..., Any],
) -> None:
    sim = make_sim("cloud", tls=True)
    ca_bundle = Path(sim.running.certs.ca_cert)
    assert sim.url.startswith("https://")

    async def main() -> None:
        trusting = SessionConfig(ca_bundle=ca_bundle)
        session, _ = make_session(sim, api_key_grant(sim, "w-tls"), trusting)
        chart = await open_chart(session, sim)
        assert (await chart.get_layout())["qInfo"]["qId"] == "bar-region"
        await session.close()
        doubting, log = make_session(sim, api_key_grant(sim, "w-tls-2"), SessionConfig())
        with pytest.raises(EngineConnectError) as caught:
            await doubting.open()
        assert caught.value.classification.reason_key == "tls.untrusted_certificate"
        assert log.of(Closed)[0].classification.kind is CloseKind.FATAL

    run(main)


def test_calls_while_suspended_fail_fast(cloud_sim: object) -> None:
    async def main() -> None:
        session, _ = make_session(cloud_sim, api_key_grant(cloud_sim, "w-fast"))
        chart = await open_chart(session, cloud_sim)
        await session.suspend()
        started = asyncio.get_running_loop().time()
        with pytest.raises(Exception, match="suspended"):
            await chart.get_layout()
        assert asyncio.get_running_loop().time() - started < 0.5
        await session.close()

    run(main)
