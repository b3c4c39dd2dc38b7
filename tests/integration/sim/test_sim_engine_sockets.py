"""Who may open an engine websocket, per flavour: Cloud (API key, cookie + csrf, origins, 401 at
upgrade, 4204 for an unknown app) and client-managed (ticket/cookie, csrf, header auth,
OnAuthenticationInformation, the parallel-session limit)."""

from __future__ import annotations

import json
import ssl
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.integration

XRF = "abcdefghij012345"


def _app_id(sim: Any) -> str:
    app_id: str = sim.ready["apps"][0]["id"]
    return app_id


def _bearer(sim: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.credentials['api_key']}"}


def _status_of_refused_upgrade(engine_socket: Any, url: str, headers: dict[str, str] | None) -> int:
    with pytest.raises(InvalidStatus) as refused:
        engine_socket(url, headers)
    status: int = refused.value.response.status_code
    return status


# -- Cloud ---------------------------------------------------------------------------------


def test_cloud_api_key_opens_an_engine_session(cloud_sim: Any, engine_socket: Any) -> None:
    url = cloud_sim.ws_url(f"/app/{_app_id(cloud_sim)}/identity/wall-1")
    socket = engine_socket(url, _bearer(cloud_sim))
    assert socket.recv_json() == {
        "jsonrpc": "2.0",
        "method": "OnConnected",
        "params": {"qSessionState": "SESSION_CREATED"},
    }
    sessions = cloud_sim.client.state()["sessions"]
    assert [(s["user"], s["identity"], s["app"]) for s in sessions] == [
        ("alice", "wall-1", _app_id(cloud_sim))
    ]


def test_cloud_engine_data_needs_no_app(cloud_sim: Any, engine_socket: Any) -> None:
    socket = engine_socket(cloud_sim.ws_url("/app/engineData"), _bearer(cloud_sim))
    assert socket.recv_json()["params"]["qSessionState"] == "SESSION_CREATED"


def test_cloud_unauthenticated_socket_gets_401_at_upgrade(
    cloud_sim: Any, engine_socket: Any
) -> None:
    url = cloud_sim.ws_url(f"/app/{_app_id(cloud_sim)}")
    assert _status_of_refused_upgrade(engine_socket, url, None) == 401
    wrong = {"Authorization": "Bearer nope"}
    assert _status_of_refused_upgrade(engine_socket, url, wrong) == 401


def test_cloud_cookie_socket_needs_the_session_csrf_token(
    cloud_sim: Any, cloud_login: Any, engine_socket: Any
) -> None:
    client = cloud_login("bob")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    token = client.get("/api/v1/csrf-token").headers["qlik-csrf-token"]
    base = cloud_sim.ws_url(f"/app/{_app_id(cloud_sim)}")
    assert _status_of_refused_upgrade(engine_socket, base, {"Cookie": cookie}) == 403
    wrong = f"{base}?qlik-csrf-token=wrong"
    assert _status_of_refused_upgrade(engine_socket, wrong, {"Cookie": cookie}) == 403
    socket = engine_socket(f"{base}?qlik-csrf-token={token}", {"Cookie": cookie})
    assert socket.recv_json()["method"] == "OnConnected"
    assert cloud_sim.client.state()["sessions"][0]["user"] == "bob"


def test_cloud_foreign_origin_needs_the_web_integration(make_sim: Any, engine_socket: Any) -> None:
    sim = make_sim("cloud", allowed_origins=("http://localhost:8000",))
    base = sim.ws_url(f"/app/{_app_id(sim)}")
    headers = {**_bearer(sim), "Origin": "http://localhost:8000"}
    assert _status_of_refused_upgrade(engine_socket, base, headers) == 403
    integration = sim.credentials["web_integration_id"]
    socket = engine_socket(f"{base}?qlik-web-integration-id={integration}", headers)
    assert socket.recv_json()["method"] == "OnConnected"
    evil = {**_bearer(sim), "Origin": "https://evil.example"}
    url = f"{base}?qlik-web-integration-id={integration}"
    assert _status_of_refused_upgrade(engine_socket, url, evil) == 403


def test_cloud_unknown_app_closes_with_4204(cloud_sim: Any, engine_socket: Any) -> None:
    socket = engine_socket(cloud_sim.ws_url("/app/no-such-app"), _bearer(cloud_sim))
    ended = socket.closed()
    assert ended.rcvd is not None
    assert ended.rcvd.code == 4204
    reason = json.loads(ended.rcvd.reason)
    assert reason["code"].startswith("QEP-")
    assert len(reason["traceId"]) == 32


def test_cloud_engine_path_must_be_an_engine_url(cloud_sim: Any) -> None:
    reply = httpx.get(f"{cloud_sim.url}/app/{_app_id(cloud_sim)}", headers=_bearer(cloud_sim))
    assert reply.status_code == 400


# -- client-managed --------------------------------------------------------------------------


def _signed_in(sim: Any, user: str = "alice") -> httpx.Client:
    """A client holding the ticket proxy's session cookie (ticket redeemed on qlik-styles.css)."""
    creds = sim.credentials
    context = ssl.create_default_context(cafile=creds["ca_cert_path"])
    context.load_cert_chain(creds["client_cert_path"], creds["client_key_path"])
    ticket = httpx.post(
        f"{creds['qps_url']}/qps/sim/ticket",
        params={"xrfkey": XRF},
        headers={"X-Qlik-Xrfkey": XRF},
        json={"UserDirectory": "SIM", "UserId": user},
        verify=context,
    ).json()["Ticket"]
    client = httpx.Client(base_url=sim.url)
    styles = client.get(
        "/sim/resources/autogenerated/qlik-styles.css", params={"qlikTicket": ticket}
    )
    assert styles.status_code == 200
    return client


def _cookie_and_csrf(sim: Any, user: str = "alice") -> tuple[dict[str, str], str]:
    """A fresh proxy session's Cookie header and its csrf token."""
    client = _signed_in(sim, user)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        token = client.get("/sim/qps/csrftoken").headers["qlik-csrf-token"]
    finally:
        client.close()
    return {"Cookie": cookie}, token


def test_qseow_signed_in_socket_gets_authentication_information(
    qseow_sim: Any, engine_socket: Any
) -> None:
    headers, token = _cookie_and_csrf(qseow_sim)
    url = qseow_sim.ws_url(f"/sim/app/{_app_id(qseow_sim)}/identity/kiosk?qlik-csrf-token={token}")
    socket = engine_socket(url, headers)
    assert socket.recv_json()["method"] == "OnConnected"
    request_id = socket.send("EngineVersion")
    info = socket.recv_json()
    assert info["method"] == "OnAuthenticationInformation"
    assert info["params"] == {
        "mustAuthenticate": False,
        "userId": "alice",
        "userDirectory": "SIM",
        "logoutUri": f"{qseow_sim.url}/sim/qps/user",
    }
    assert "result" in socket.answer(request_id)
    assert qseow_sim.client.state()["users"]["SIM\\alice"] == {
        "proxy_sessions": 1,
        "engine_sessions": 1,
    }


def test_qseow_socket_without_csrf_is_refused_403(qseow_sim: Any, engine_socket: Any) -> None:
    headers, _ = _cookie_and_csrf(qseow_sim)
    url = qseow_sim.ws_url(f"/sim/app/{_app_id(qseow_sim)}")
    assert _status_of_refused_upgrade(engine_socket, url, headers) == 403


def test_qseow_unauthenticated_socket_must_authenticate(qseow_sim: Any, engine_socket: Any) -> None:
    socket = engine_socket(qseow_sim.ws_url(f"/sim/app/{_app_id(qseow_sim)}"))
    socket.send("EngineVersion")
    info = socket.recv_json()
    assert info["method"] == "OnAuthenticationInformation"
    assert info["params"]["mustAuthenticate"] is True
    assert info["params"]["loginUri"].startswith(f"{qseow_sim.url}/idp/login?")
    assert socket.closed().rcvd is not None
    assert qseow_sim.client.state()["sessions"] == []


def test_qseow_header_auth_socket_and_rest(qseow_sim: Any, engine_socket: Any) -> None:
    header = qseow_sim.credentials["header_auth"]
    prefix, name = header["prefix"], header["header"]
    who = {name: "SIM\\bob"}
    me = httpx.get(f"{qseow_sim.url}/{prefix}/qps/user", headers=who)
    assert me.json()["userId"] == "bob"
    assert me.headers["set-cookie"].startswith(header["session_cookie"] + "=")
    assert httpx.get(f"{qseow_sim.url}/{prefix}/qps/user").status_code == 401
    bad = httpx.get(f"{qseow_sim.url}/{prefix}/qps/user", headers={name: "bob"})
    assert bad.status_code == 401
    url = qseow_sim.ws_url(f"/{prefix}/app/{_app_id(qseow_sim)}")
    socket = engine_socket(url, who)
    assert socket.recv_json()["method"] == "OnConnected"
    assert _status_of_refused_upgrade(engine_socket, url, None) == 401


def test_qseow_parallel_session_limit(make_sim: Any, engine_socket: Any) -> None:
    sim = make_sim("qseow", max_parallel_sessions=2)
    app = _app_id(sim)
    sockets = []
    for number in range(3):
        headers, token = _cookie_and_csrf(sim)
        url = sim.ws_url(f"/sim/app/{app}/identity/w{number}?qlik-csrf-token={token}")
        sockets.append(engine_socket(url, headers))
    assert sockets[0].recv_json()["method"] == "OnConnected"
    assert sockets[1].recv_json()["method"] == "OnConnected"
    refused = sockets[2].recv_json()
    assert refused["method"] == "OnMaxParallelSessionsExceeded"
    assert refused["params"]["severity"] == "fatal"
    assert sockets[2].closed().rcvd is not None
    assert sim.client.state()["counters"]["sockets_refused"] == 1


def test_qseow_logout_and_login_module(qseow_sim: Any) -> None:
    password = qseow_sim.credentials["users"][0]["password"]
    app = qseow_sim.ready["apps"][0]
    page = {"appid": app["id"], "sheet": app["sheets"][0]["id"]}
    with httpx.Client(base_url=qseow_sim.url) as client:
        login = client.get("/sim/single/", params=page)
        assert login.status_code == 302
        module = client.get(login.headers["location"])
        assert module.status_code == 200
        assert "<form" in module.text
        wrong = client.post(login.headers["location"], data={"username": "alice", "password": "x"})
        assert wrong.status_code == 401
        done = client.post(
            login.headers["location"], data={"username": "alice", "password": password}
        )
        assert done.status_code == 302
        assert "qlikTicket=" in done.headers["location"]
        assert done.headers["location"].startswith(f"{qseow_sim.url}/sim/single/?appid={app['id']}")
        sheet = client.get(done.headers["location"])
        assert sheet.status_code == 200
        assert "text/html" in sheet.headers["content-type"]
        assert client.get("/sim/single/", params=page).status_code == 200
        assert client.get("/sim/qps/user").status_code == 200
        assert client.delete("/sim/qps/user").status_code == 200
        assert client.get("/sim/qps/user").status_code == 302
    assert httpx.get(f"{qseow_sim.url}/idp/login").status_code == 400


def test_qseow_ticket_on_the_engine_url_signs_the_socket_in(
    qseow_sim: Any, engine_socket: Any
) -> None:
    creds = qseow_sim.credentials
    context = ssl.create_default_context(cafile=creds["ca_cert_path"])
    context.load_cert_chain(creds["client_cert_path"], creds["client_key_path"])
    ticket = httpx.post(
        f"{creds['qps_url']}/qps/sim/ticket",
        params={"xrfkey": XRF},
        headers={"X-Qlik-Xrfkey": XRF},
        json={"UserDirectory": "SIM", "UserId": "erin"},
        verify=context,
    ).json()["Ticket"]
    url = qseow_sim.ws_url(f"/sim/app/{_app_id(qseow_sim)}?qlikTicket={ticket}")
    socket = engine_socket(url)
    assert socket.connection.response.headers["Set-Cookie"].startswith("X-Qlik-Session-sim-HTTP=")
    assert socket.recv_json()["method"] == "OnConnected"
    assert qseow_sim.client.state()["sessions"][0]["user"] == "SIM\\erin"
