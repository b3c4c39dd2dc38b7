"""Close classification: codes, Qlik Cloud 42xx reasons, proxy notifications, session states."""

from __future__ import annotations

import json

import pytest

from viewer.core.closes import (
    CloseKind,
    Initiator,
    classify_close,
    classify_handshake_status,
    classify_notification,
    classify_session_state,
)


@pytest.mark.parametrize("code", [1000, 4000])
def test_our_own_1000_and_4000_are_deliberate(code: int) -> None:
    assert classify_close(code, "", Initiator.LOCAL).kind is CloseKind.DELIBERATE


def test_a_server_1000_is_a_close_not_silence() -> None:
    verdict = classify_close(1000, "", Initiator.REMOTE)
    assert verdict.kind is CloseKind.FATAL
    assert verdict.reason_key == "server.closed_session"


@pytest.mark.parametrize("code", [None, 1006, 1001, 4999, 3000])
def test_other_closes_are_network(code: int | None) -> None:
    verdict = classify_close(code, "", Initiator.NETWORK)
    assert verdict.kind is CloseKind.NETWORK
    assert verdict.resumable
    assert verdict.code == (code or 1006)


def test_keepalive_timeout_is_a_silent_network() -> None:
    verdict = classify_close(1006, "keepalive ping timeout", Initiator.NETWORK)
    assert (verdict.kind, verdict.reason_key) == (CloseKind.NETWORK, "network.silent")


@pytest.mark.parametrize(
    ("code", "kind", "key"),
    [
        (4202, CloseKind.FATAL, "cloud.malformed_request"),
        (4203, CloseKind.FATAL, "cloud.permission_denied"),
        (4204, CloseKind.FATAL, "cloud.app_not_found"),
        (4205, CloseKind.RETRYABLE, "cloud.engine_busy"),
        (4230, CloseKind.FATAL, "cloud.too_many_open_apps"),
        (4240, CloseKind.RETRYABLE, "cloud.no_engine_available"),
        (4299, CloseKind.FATAL, "cloud.refused"),
    ],
)
def test_cloud_42xx_codes(code: int, kind: CloseKind, key: str) -> None:
    reason = json.dumps({"code": "QEP-104", "traceId": "abc123"})
    verdict = classify_close(code, reason, Initiator.REMOTE)
    assert (verdict.kind, verdict.reason_key) == (kind, key)
    assert verdict.detail == {"qlik_code": "QEP-104", "trace_id": "abc123"}


def test_cloud_code_with_a_non_json_reason_has_no_detail() -> None:
    assert classify_close(4205, "busy", Initiator.REMOTE).detail is None


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("OnSessionTimedOut", CloseKind.AUTH_REQUIRED),
        ("OnSessionLoggedOut", CloseKind.AUTH_REQUIRED),
        ("OnLicenseAccessDenied", CloseKind.FATAL),
        ("OnMaxParallelSessionsExceeded", CloseKind.FATAL),
        ("OnNoEngineAvailable", CloseKind.RETRYABLE),
        ("OnSomethingNew", CloseKind.FATAL),
    ],
)
def test_fatal_proxy_notifications(method: str, kind: CloseKind) -> None:
    verdict = classify_notification(method, {"severity": "fatal", "message": "x"})
    assert verdict is not None
    assert verdict.kind is kind
    assert verdict.detail == {"notification": method}


@pytest.mark.parametrize("severity", ["notice", "warning", None])
def test_non_fatal_proxy_notifications_end_nothing(severity: str | None) -> None:
    assert classify_notification("OnSessionTimedOut", {"severity": severity}) is None


def test_must_authenticate_is_auth_required_with_the_login_uri() -> None:
    verdict = classify_notification(
        "OnAuthenticationInformation", {"mustAuthenticate": True, "loginUri": "https://h/login"}
    )
    assert verdict is not None
    assert verdict.kind is CloseKind.AUTH_REQUIRED
    assert verdict.detail == {"login_uri": "https://h/login"}
    assert classify_notification("OnAuthenticationInformation", {"mustAuthenticate": False}) is None


@pytest.mark.parametrize("state", ["SESSION_CREATED", "SESSION_ATTACHED"])
def test_good_session_states_end_nothing(state: str) -> None:
    assert classify_session_state(state) is None
    assert classify_notification("OnConnected", {"qSessionState": state}) is None


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        ("SESSION_ERROR_NO_LICENSE", CloseKind.FATAL),
        ("SESSION_ERROR_LIMIT_EXCEEDED", CloseKind.FATAL),
        ("SESSION_ERROR_SECURITY_HEADER_CHANGED", CloseKind.AUTH_REQUIRED),
        ("SESSION_ERROR_APP_FAILURE", CloseKind.RETRYABLE),
        ("SESSION_ERROR_SOMETHING_NEW", CloseKind.FATAL),
    ],
)
def test_error_session_states(state: str, kind: CloseKind) -> None:
    verdict = classify_notification("OnConnected", {"qSessionState": state})
    assert verdict is not None
    assert verdict.kind is kind
    assert verdict.detail == {"session_state": state}


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, CloseKind.AUTH_REQUIRED),
        (302, CloseKind.AUTH_REQUIRED),
        (404, CloseKind.FATAL),
        (503, CloseKind.RETRYABLE),
        (500, CloseKind.RETRYABLE),
        (200, CloseKind.FATAL),
    ],
)
def test_handshake_statuses(status: int, kind: CloseKind) -> None:
    assert classify_handshake_status(status).kind is kind
