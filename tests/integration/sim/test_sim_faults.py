"""`/_sim/state` and every `/_sim/fault` kind, observed on real engine sockets and HTTP."""

from __future__ import annotations

import ssl
import time
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.integration


def _bearer(sim: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.credentials['api_key']}"}


def _open(
    sim: Any, engine_socket: Any, identity: str, headers: dict[str, str] | None = None
) -> Any:
    app_id = sim.ready["apps"][0]["id"]
    socket = engine_socket(
        sim.ws_url(f"/app/{app_id}/identity/{identity}"), headers or _bearer(sim)
    )
    assert socket.recv_json()["method"] == "OnConnected"
    return socket


def _alive(socket: Any) -> bool:
    request_id = socket.send("EngineVersion")
    return "result" in socket.answer(request_id)


def test_state_lists_engine_sessions_users_and_counters(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "kiosk")
    assert _alive(socket)
    state = cloud_sim.client.state()
    (session,) = state["sessions"]
    assert session["user"] == "alice"
    assert session["identity"] == "kiosk"
    assert session["app"] == cloud_sim.ready["apps"][0]["id"]
    assert session["sockets"] == 1
    assert session["created_at"]
    assert state["users"] == {"alice": {"proxy_sessions": 0, "engine_sessions": 1}}
    assert state["counters"]["engine_frames_in"] >= 1
    assert state["counters"]["engine_sessions_created"] == 1
    assert {"logins", "tickets_issued", "tickets_redeemed", "sessions_created"} <= set(
        state["counters"]
    )


def test_drop_aborts_without_close_frame_and_narrows_by_identity(
    cloud_sim: Any, engine_socket: Any
) -> None:
    doomed = _open(cloud_sim, engine_socket, "a")
    spared = _open(cloud_sim, engine_socket, "b")
    reply = cloud_sim.client.fault("drop", identity="a")
    assert reply["affected"] == {"sockets": 1}
    assert doomed.closed().rcvd is None
    assert _alive(spared)


def test_close_sends_code_and_reason(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "a")
    cloud_sim.client.fault("close", code=4205, reason="busy", user="alice")
    ended = socket.closed()
    assert ended.rcvd is not None
    assert (ended.rcvd.code, ended.rcvd.reason) == (4205, "busy")


def test_partition_holds_traffic_until_heal(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "a")
    cloud_sim.client.fault("partition")
    request_id = socket.send("EngineVersion")
    with pytest.raises(TimeoutError):
        socket.recv_json(timeout=0.5)
    assert cloud_sim.client.state()["settings"]["partitioned_sockets"] == 1
    cloud_sim.client.fault("heal")
    assert "result" in socket.answer(request_id)


def test_restart_loses_engine_sessions(cloud_sim: Any, engine_socket: Any) -> None:
    first = _open(cloud_sim, engine_socket, "a")
    first.connection.close()
    app_id = cloud_sim.ready["apps"][0]["id"]
    url = cloud_sim.ws_url(f"/app/{app_id}/identity/a")
    again = engine_socket(url, _bearer(cloud_sim))
    assert again.recv_json()["params"]["qSessionState"] == "SESSION_ATTACHED"
    assert cloud_sim.client.fault("restart")["affected"] == {"engine_sessions": 1}
    assert again.closed().rcvd is None
    fresh = engine_socket(url, _bearer(cloud_sim))
    assert fresh.recv_json()["params"]["qSessionState"] == "SESSION_CREATED"


def test_notify_sends_any_notification_and_can_close(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "a")
    params = {"severity": "fatal", "message": "bye"}
    cloud_sim.client.fault("notify", method="OnSessionClosed", params=params, close_after=True)
    frame = socket.recv_json()
    assert (frame["method"], frame["params"]) == ("OnSessionClosed", params)
    assert socket.closed().rcvd is not None


def test_slow_delays_engine_answers(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "a")
    cloud_sim.client.fault("slow", seconds=0.3)
    started = time.monotonic()
    assert _alive(socket)
    assert time.monotonic() - started >= 0.25
    cloud_sim.client.fault("slow", seconds=0)
    assert cloud_sim.client.state()["settings"]["latency"] == 0


def test_inactivity_times_sockets_out(cloud_sim: Any, engine_socket: Any) -> None:
    socket = _open(cloud_sim, engine_socket, "a")
    cloud_sim.client.fault("inactivity", seconds=0.2)
    frame = socket.recv_json(timeout=5)
    assert frame["method"] == "OnSessionTimedOut"
    assert socket.closed().rcvd is not None


def test_http_error_answers_the_next_requests_of_a_path(cloud_sim: Any) -> None:
    cloud_sim.client.fault("http_error", path="/api/v1/users/me", status=503, count=2)
    url = f"{cloud_sim.url}/api/v1/users/me"
    statuses = [httpx.get(url, headers=_bearer(cloud_sim)).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_revoke_invalidates_cookies_and_drops_sockets(
    cloud_sim: Any, cloud_login: Any, engine_socket: Any
) -> None:
    client = cloud_login("bob")
    cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    token = client.get("/api/v1/csrf-token").headers["qlik-csrf-token"]
    app_id = cloud_sim.ready["apps"][0]["id"]
    url = cloud_sim.ws_url(f"/app/{app_id}/identity/x?qlik-csrf-token={token}")
    socket = engine_socket(url, cookie)
    assert socket.recv_json()["method"] == "OnConnected"
    reply = cloud_sim.client.fault("revoke", user="bob")
    assert reply["affected"] == {"sockets": 1, "proxy_sessions": 1}
    assert socket.closed().rcvd is None
    assert client.get("/api/v1/users/me").status_code == 401
    with pytest.raises(InvalidStatus) as refused:
        engine_socket(url, cookie)
    assert refused.value.response.status_code == 401


def test_expire_times_out_sockets_and_ends_the_proxy_session(
    qseow_sim: Any, engine_socket: Any
) -> None:
    header = qseow_sim.credentials["header_auth"]
    app_id = qseow_sim.ready["apps"][0]["id"]
    with httpx.Client(base_url=qseow_sim.url) as client:
        client.get(f"/{header['prefix']}/qps/user", headers={header["header"]: "SIM\\carol"})
        cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
        token = client.get(f"/{header['prefix']}/qps/csrftoken").headers["qlik-csrf-token"]
        url = qseow_sim.ws_url(f"/{header['prefix']}/app/{app_id}?qlik-csrf-token={token}")
        socket = engine_socket(url, cookie)
        assert socket.recv_json()["method"] == "OnConnected"
        reply = qseow_sim.client.fault("expire", user="SIM\\carol")
        assert reply["affected"] == {"sockets": 1, "proxy_sessions": 1}
        assert socket.recv_json()["method"] == "OnSessionTimedOut"
        assert socket.closed().rcvd is not None
        assert client.get(f"/{header['prefix']}/qps/user").status_code == 401


def test_limit_changes_the_parallel_session_limit(qseow_sim: Any, engine_socket: Any) -> None:
    header = qseow_sim.credentials["header_auth"]
    app_id = qseow_sim.ready["apps"][0]["id"]
    qseow_sim.client.fault("limit", max=1)
    url = qseow_sim.ws_url(f"/{header['prefix']}/app/{app_id}")
    who = {header["header"]: "SIM\\dave"}
    first = engine_socket(url, who)  # each cookie-less header request is a new proxy session
    assert first.recv_json()["method"] == "OnConnected"
    second = engine_socket(url, who)
    assert second.recv_json()["method"] == "OnMaxParallelSessionsExceeded"
    assert qseow_sim.client.state()["settings"]["max_parallel_sessions"] == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"not json", "JSON object"),
        (b"{}", "kind"),
        (b'{"kind": "explode"}', "kind"),
        (b'{"kind": "close"}', "close.code"),
        (b'{"kind": "close", "code": 99}', "close.code"),
        (b'{"kind": "drop", "colour": "red"}', "drop.colour"),
        (b'{"kind": "http_error", "path": "api", "status": 500}', "http_error.path"),
        (b'{"kind": "http_error", "path": "/x", "status": 200}', "http_error.status"),
        (b'{"kind": "slow", "seconds": -1}', "slow.seconds"),
        (b'{"kind": "notify"}', "notify.method"),
        (b'{"kind": "limit", "max": 2}', "qseow"),
    ],
)
def test_bad_fault_bodies_get_400_with_a_located_message(
    cloud_sim: Any, body: bytes, expected: str
) -> None:
    reply = httpx.post(f"{cloud_sim.url}/_sim/fault", content=body)
    assert reply.status_code == 400
    assert reply.json()["ok"] is False
    assert expected in reply.json()["error"]


def test_qseow_revoke_makes_a_reconnect_meet_must_authenticate(
    qseow_sim: Any, engine_socket: Any
) -> None:
    ticket_proxy = qseow_sim.credentials["virtual_proxy"]["prefix"]
    app_id = qseow_sim.ready["apps"][0]["id"]
    cookie, token = _qps_session(qseow_sim, ticket_proxy, "frank")
    url = qseow_sim.ws_url(f"/{ticket_proxy}/app/{app_id}/identity/i?qlik-csrf-token={token}")
    socket = engine_socket(url, cookie)
    assert socket.recv_json()["method"] == "OnConnected"
    qseow_sim.client.fault("revoke", user="SIM\\frank")
    assert socket.closed().rcvd is None
    again = engine_socket(url, cookie)
    again.send("EngineVersion")
    info = again.recv_json()
    assert info["method"] == "OnAuthenticationInformation"
    assert info["params"]["mustAuthenticate"] is True


def _qps_session(sim: Any, prefix: str, user: str) -> tuple[dict[str, str], str]:
    """A proxy session made through the QPS session API: its Cookie header and csrf token."""
    creds = sim.credentials
    context = ssl.create_default_context(cafile=creds["ca_cert_path"])
    context.load_cert_chain(creds["client_cert_path"], creds["client_key_path"])
    xrf = "0123456789abcdef"
    body = {"UserDirectory": "SIM", "UserId": user, "SessionId": f"sid-{user}"}
    created = httpx.post(
        f"{creds['qps_url']}/qps/{prefix}/session",
        params={"xrfkey": xrf},
        headers={"X-Qlik-Xrfkey": xrf},
        json=body,
        verify=context,
    )
    assert created.status_code == 201
    cookie = {"Cookie": f"{creds['virtual_proxy']['session_cookie']}=sid-{user}"}
    token = httpx.get(f"{sim.url}/{prefix}/qps/csrftoken", headers=cookie).headers[
        "qlik-csrf-token"
    ]
    return cookie, token
