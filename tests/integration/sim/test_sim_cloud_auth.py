"""Qlik Cloud flavour over real HTTP: login form, returnto rules, cookies, users/me, csrf-token,
logout, API keys and /login/jwt-session with its rejections."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

pytestmark = pytest.mark.integration


def _error_code(reply: httpx.Response) -> str:
    body = reply.json()
    assert set(body["errors"][0]) >= {"code", "title", "status"}
    assert body["errors"][0]["status"] == str(reply.status_code)
    code: str = body["errors"][0]["code"]
    return code


def test_login_form_sets_signed_cookies_and_redirects_to_returnto(cloud_sim: Any) -> None:
    user = cloud_sim.credentials["users"][0]
    returnto = f"{cloud_sim.url}/single/?appid=x"
    with httpx.Client(base_url=cloud_sim.url) as client:
        page = client.get("/login", params={"returnto": returnto})
        assert page.status_code == 200
        assert "<form" in page.text
        reply = client.post(
            "/login",
            params={"returnto": returnto},
            data={"username": user["username"], "password": user["password"]},
        )
        assert reply.status_code == 302
        assert reply.headers["location"] == returnto
        assert {"eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"} <= set(client.cookies)
        me = client.get("/api/v1/users/me")
        assert me.status_code == 200
        assert me.json()["subject"] == user["username"]
        # already signed in: /login goes straight back
        again = client.get("/login", params={"returnto": returnto})
        assert again.status_code == 302
    assert cloud_sim.client.state()["counters"]["logins"] == 1


def test_login_with_wrong_password_is_refused(cloud_sim: Any) -> None:
    with httpx.Client(base_url=cloud_sim.url) as client:
        reply = client.post("/login", data={"username": "alice", "password": "wrong"})
        assert reply.status_code == 401
        assert "Wrong user name or password" in reply.text
        assert "eas.sid" not in client.cookies
    assert cloud_sim.client.state()["counters"]["login_failures"] == 1


@pytest.mark.parametrize(
    ("returnto", "with_id", "code"),
    [
        ("https://evil.example/steal", False, "LOGIN-10"),
        ("https://evil.example/steal", True, "LOGIN-10"),
        ("http://localhost:8000/app", True, None),
        ("/single/?appid=a", False, None),
    ],
)
def test_returnto_must_be_an_allowed_origin(
    make_sim: Any, returnto: str, with_id: bool, code: str | None
) -> None:
    sim = make_sim("cloud", allowed_origins=("http://localhost:8000",))
    params = {"returnto": returnto}
    if with_id:
        params["qlik-web-integration-id"] = sim.credentials["web_integration_id"]
    reply = httpx.get(f"{sim.url}/login", params=params)
    if code is None:
        assert reply.status_code == 200
    else:
        assert reply.status_code == 400
        assert _error_code(reply) == code


def test_unknown_web_integration_id_is_refused(cloud_sim: Any) -> None:
    reply = httpx.get(
        f"{cloud_sim.url}/login",
        params={"returnto": cloud_sim.url, "qlik-web-integration-id": "nope"},
    )
    assert reply.status_code == 400
    assert _error_code(reply) == "LOGIN-9"


def test_csrf_token_for_cookie_sessions_only(cloud_sim: Any, cloud_login: Any) -> None:
    client = cloud_login("alice")
    reply = client.get("/api/v1/csrf-token")
    assert reply.status_code == 204
    assert reply.headers["qlik-csrf-token"] == client.cookies["_csrfToken"]
    bearer = {"Authorization": f"Bearer {cloud_sim.credentials['api_key']}"}
    assert httpx.get(f"{cloud_sim.url}/api/v1/csrf-token", headers=bearer).status_code == 400
    assert httpx.get(f"{cloud_sim.url}/api/v1/csrf-token").status_code == 401


def test_api_key_is_accepted_as_bearer_and_a_wrong_one_is_not(cloud_sim: Any) -> None:
    key = cloud_sim.credentials["api_key"]
    good = httpx.get(f"{cloud_sim.url}/api/v1/users/me", headers={"Authorization": f"Bearer {key}"})
    assert good.status_code == 200
    assert good.json()["subject"] == cloud_sim.credentials["api_key_user"]
    bad = httpx.get(f"{cloud_sim.url}/api/v1/users/me", headers={"Authorization": "Bearer x"})
    assert bad.status_code == 401
    assert _error_code(bad) == "HTTP-401"


def test_tampered_cookie_signature_is_not_a_session(cloud_sim: Any, cloud_login: Any) -> None:
    client = cloud_login("alice")
    cookies = {"eas.sid": client.cookies["eas.sid"], "eas.sid.sig": "forged"}
    reply = httpx.get(f"{cloud_sim.url}/api/v1/users/me", cookies=cookies)
    assert reply.status_code == 401


def test_logout_ends_the_session(cloud_sim: Any, cloud_login: Any) -> None:
    client = cloud_login("bob")
    old = dict(client.cookies)
    assert client.get("/logout").status_code == 302
    assert client.get("/api/v1/users/me").status_code == 401
    assert httpx.get(f"{cloud_sim.url}/api/v1/users/me", cookies=old).status_code == 401


def test_the_root_names_who_is_signed_in_and_sends_others_to_login(
    cloud_sim: Any, cloud_login: Any
) -> None:
    """A sign-in without `returnto` comes back to the root (the hub in Qlik Cloud)."""
    reply = httpx.get(f"{cloud_sim.url}/")
    assert reply.status_code == 302
    assert urlsplit(reply.headers["location"]).path == "/login"
    page = cloud_login("bob").get("/")
    assert page.status_code == 200
    assert "Signed in as Bob." in page.text


def test_single_redirects_unauthenticated_to_login(cloud_sim: Any, cloud_login: Any) -> None:
    reply = httpx.get(f"{cloud_sim.url}/single/", params={"appid": "a", "sheet": "s"})
    assert reply.status_code == 302
    target = urlsplit(reply.headers["location"])
    query = parse_qs(target.query)
    assert target.path == "/login"
    assert query["qlik-web-integration-id"] == [cloud_sim.credentials["web_integration_id"]]
    assert query["returnto"][0].startswith(f"{cloud_sim.url}/single/?appid=a")
    app = cloud_sim.ready["apps"][0]
    page = cloud_login("alice").get(
        "/single/", params={"appid": app["id"], "sheet": app["sheets"][0]["id"]}
    )
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]


def test_jwt_session_signs_in(cloud_sim: Any, make_jwt: Any) -> None:
    with httpx.Client(base_url=cloud_sim.url) as client:
        reply = client.post("/login/jwt-session", headers={"Authorization": f"Bearer {make_jwt()}"})
        assert reply.status_code == 200
        assert {"eas.sid", "eas.sid.sig", "_csrfToken", "_csrfToken.sig"} <= set(client.cookies)
        me = client.get("/api/v1/users/me").json()
        assert (me["subject"], me["name"], me["email"]) == ("carol", "Carol", "carol@example.com")


def _rejection(cloud_sim: Any, token: str | None) -> str:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    reply = httpx.post(f"{cloud_sim.url}/login/jwt-session", headers=headers)
    assert reply.status_code == 401
    assert _error_code(reply) == "INTERNAL-TOKEN-1"
    assert "set-cookie" not in reply.headers
    title: str = reply.json()["errors"][0]["title"]
    assert title.startswith("JWT_LOGIN_VALIDATIONS ")
    return title


@pytest.mark.parametrize(
    "claim",
    ["iss", "aud", "sub", "subType", "name", "email", "email_verified", "jti", "iat", "nbf", "exp"],
)
def test_jwt_missing_claim_is_named(cloud_sim: Any, make_jwt: Any, claim: str) -> None:
    assert _rejection(cloud_sim, make_jwt(drop=(claim,))).endswith(
        f"Missing required claim: {claim}"
    )


def test_jwt_bad_variants_are_rejected_with_reasons(cloud_sim: Any, make_jwt: Any) -> None:
    now = int(time.time())
    cases = {
        "Unsupported algorithm: HS256": make_jwt(algorithm="HS256", key="s" * 32),
        "Unknown key id": make_jwt(headers={"kid": "other"}),
        "Invalid issuer": make_jwt(iss="https://someone.else"),
        "Invalid audience": make_jwt(aud="qlik.api"),
        "Token expired": make_jwt(nbf=now - 600, exp=now - 60),
        "not yet valid": make_jwt(nbf=now + 600, exp=now + 900),
        "exceeds 1 hour": make_jwt(nbf=now - 5, exp=now + 7200),
        "subType": make_jwt(subType="service"),
        "email_verified": make_jwt(email_verified="yes"),
        "not a well-formed": "not-a-jwt",
        "Missing JWT": None,
    }
    for expected, token in cases.items():
        assert expected in _rejection(cloud_sim, token), expected


def test_jwt_with_a_foreign_key_is_rejected(cloud_sim: Any, make_jwt: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert "Invalid signature" in _rejection(cloud_sim, make_jwt(key=other))


def test_jwt_jti_cannot_be_reused(cloud_sim: Any, make_jwt: Any) -> None:
    token = make_jwt(jti="once")
    first = httpx.post(
        f"{cloud_sim.url}/login/jwt-session", headers={"Authorization": f"Bearer {token}"}
    )
    assert first.status_code == 200
    assert "already used" in _rejection(cloud_sim, make_jwt(jti="once"))


def test_tls_serves_https_and_wss_with_secure_cookies(make_sim: Any, engine_socket: Any) -> None:
    sim = make_sim("cloud", tls=True)
    assert sim.url.startswith("https://")
    assert sim.credentials["ca_path"]
    user = sim.credentials["users"][0]
    with httpx.Client(base_url=sim.url, verify=sim.ssl_context()) as client:
        reply = client.post(
            "/login", data={"username": user["username"], "password": user["password"]}
        )
        assert reply.status_code == 302
        cookies = reply.headers.get_list("set-cookie")
        assert len(cookies) == 4
        assert all("Secure" in c and "SameSite=None" in c and "HttpOnly" in c for c in cookies)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sim.url}/api/v1/users/me")  # not trusted without the sim's CA
    app_id = sim.ready["apps"][0]["id"]
    bearer = {"Authorization": f"Bearer {sim.credentials['api_key']}"}
    socket = engine_socket(sim.ws_url(f"/app/{app_id}"), bearer, ssl=sim.ssl_context())
    assert socket.recv_json()["method"] == "OnConnected"


def test_non_ascii_credentials_are_refused_not_crashed(cloud_sim: Any) -> None:
    url = cloud_sim.url
    form = {"username": "alice", "password": "pässwörd"}
    assert httpx.post(f"{url}/login", data=form).status_code == 401
    bearer = {b"Authorization": "Bearer clé".encode()}
    assert httpx.get(f"{url}/api/v1/users/me", headers=bearer).status_code == 401
