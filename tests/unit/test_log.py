"""Structured logging: JSON lines carry ts and event, and no secret survives any path."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from viewer import log as viewer_log
from viewer.auth.bounded import MAX_REPLY_BYTES
from viewer.auth.bounded import _too_large as too_large
from viewer.web.policy import url_for_log

TICKET = "TkT-3b1f0c9e5d7a4c21"
COOKIE = "s%3Aq8Zx1YtPq0wR7e.sig"
API_KEY = "k3y-9f8e7d6c5b4a3b2c"
CSRF = "csrf-77a1b2c3d4e5"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
REGISTERED = "opaque-session-handle-5511"
SECRETS = (TICKET, COOKIE, API_KEY, CSRF, JWT, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", REGISTERED)


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[tuple[io.StringIO, Path]]:
    stream = io.StringIO()
    log_file = tmp_path / "logs" / "viewer.log"
    viewer_log.configure(log_format="json", level="DEBUG", log_file=log_file, stream=stream)
    yield stream, log_file
    viewer_log.configure(log_format="text", level="WARNING", stream=io.StringIO())


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_event_lines_carry_ts_event_and_fields(capture: tuple[io.StringIO, Path]) -> None:
    stream, _ = capture
    viewer_log.emit(
        viewer_log.get_logger("engine"), "engine.suspended", code=1006, initiator="network"
    )
    (line,) = _json_lines(stream.getvalue())
    assert line["event"] == "engine.suspended"
    assert line["code"] == 1006
    assert line["initiator"] == "network"
    assert line["logger"] == "viewer.engine"
    assert isinstance(line["ts"], str)
    assert line["ts"].endswith("Z")


def test_plain_messages_become_log_events(capture: tuple[io.StringIO, Path]) -> None:
    stream, _ = capture
    viewer_log.get_logger("ui").warning("window %s closed", "main")
    (line,) = _json_lines(stream.getvalue())
    assert line["event"] == "log"
    assert line["message"] == "window main closed"
    assert line["level"] == "warning"


def _feed_every_path() -> None:
    viewer_log.register_secret(REGISTERED)
    logger = viewer_log.get_logger("auth")
    # secret-named fields, flat and nested
    viewer_log.emit(logger, "auth.granted", ticket=TICKET, api_key=API_KEY, csrf_token=CSRF)
    viewer_log.emit(
        logger,
        "auth.request",
        headers={"Authorization": f"Bearer {JWT}", "Cookie": f"eas.sid={COOKIE}"},
        cookies=[{"name": "X-Qlik-Session-sim", "value": COOKIE}],
    )
    # secrets inside free text fields and messages
    viewer_log.emit(logger, "auth.url", url=f"https://h/sim/x.css?qlikTicket={TICKET}&a=1")
    logger.info("Set-Cookie: X-Qlik-Session-sim=%s; Path=/; HttpOnly", COOKIE)
    logger.info("authorization: Bearer %s", API_KEY)
    logger.info("socket wss://h/app/a?qlik-csrf-token=%s", CSRF)
    logger.info("token body %s", JWT)
    logger.info("key material %s", PEM)
    logger.info("an opaque value the auth layer registered: %s", REGISTERED)
    # secrets inside exceptions and their tracebacks
    try:
        raise ValueError(f"server refused ticket qlikTicket={TICKET} with Bearer {API_KEY}")
    except ValueError:
        logger.exception("ticket exchange failed")
    # a library logger (httpx logs full URLs)
    logging.getLogger("httpx").warning("HTTP Request: GET https://h/x?qlikTicket=%s", TICKET)
    # issue 13's surfaces: the page's console, the sign-in window's refusals, an oversized reply,
    # an exposed key file, a refused Chromium switch
    web = viewer_log.get_logger("web")
    viewer_log.emit(web, "web.console", level=logging.DEBUG, js_level="InfoMessageLevel",
                    message=f"bearer {JWT} ticket qlikTicket={TICKET}", source="https://h/")  # fmt: skip
    blocked = url_for_log(f"https://idp.example.com/cb?code=1&qlikTicket={TICKET}&x={CSRF}")
    viewer_log.emit(web, "signin.navigation_blocked", url=blocked, origin="https://idp.example.com")
    request = httpx.Request("GET", f"https://h/api/v1/csrf-token?qlikTicket={TICKET}")
    viewer_log.emit(logger, "auth.failed", error=str(too_large(request, MAX_REPLY_BYTES)))
    viewer_log.emit(viewer_log.get_logger("config"), "config.key_file_exposed", file="/k.pem",
                    mode="0644", setting="auth.private_key", hint="chmod 600 /k.pem")  # fmt: skip
    viewer_log.emit(web, "web.chromium_flag_refused", switch="--remote-debugging-port",
                    why="opens a port that drives the signed-in page")  # fmt: skip


def test_no_secret_reaches_stderr_or_file(capture: tuple[io.StringIO, Path]) -> None:
    stream, log_file = capture
    _feed_every_path()
    for handler in logging.getLogger("viewer").handlers:
        handler.flush()
    outputs = {"stderr": stream.getvalue(), "file": log_file.read_text(encoding="utf-8")}
    for where, text in outputs.items():
        assert text.count("\n") >= 10, f"{where} missed lines"
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked to {where}"
        assert viewer_log.REDACTED in text


def test_no_secret_reaches_text_format() -> None:
    stream = io.StringIO()
    viewer_log.configure(log_format="text", level="DEBUG", stream=stream)
    try:
        _feed_every_path()
    finally:
        viewer_log.configure(log_format="text", level="WARNING", stream=io.StringIO())
    text = stream.getvalue()
    assert "auth.granted" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked to the text format"


def test_non_secret_fields_are_kept(capture: tuple[io.StringIO, Path]) -> None:
    stream, _ = capture
    viewer_log.emit(
        viewer_log.get_logger("auth"),
        "auth.config",
        kid="k1",
        cookie_name="X-Qlik-Session-sim",
        url="https://tenant.example/single/?appid=a1&sheet=s1",
    )
    (line,) = _json_lines(stream.getvalue())
    assert line["kid"] == "k1"
    assert line["cookie_name"] == "X-Qlik-Session-sim"
    assert line["url"] == "https://tenant.example/single/?appid=a1&sheet=s1"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("Authorization", True),
        ("x_qlik_session_id", True),
        ("qlikTicket", True),
        ("password", True),
        ("private_key", True),
        ("kid", False),
        ("user", False),
        ("code", False),
    ],
)
def test_secret_key_names(name: str, secret: bool) -> None:
    assert viewer_log.is_secret_key(name) is secret
