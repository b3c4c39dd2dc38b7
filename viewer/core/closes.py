"""Classify, once, why an engine session ended or must stop: a websocket close (code, reason,
who started it), a fatal proxy notification, an `OnConnected` error state, or a proxy asking for
authentication. Every layer above works with the resulting `CloseClassification`, never with raw
numbers; its `reason_key` names the message the UI shows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final


class CloseKind(StrEnum):
    """What a close means for the viewer."""

    DELIBERATE = "deliberate"  # we closed or suspended on purpose
    NETWORK = "network"  # the connection broke; resuming may re-attach
    RETRYABLE = "retryable"  # the server refused for now (busy, no engine); try again later
    FATAL = "fatal"  # retrying the same way will not help; show the reason
    AUTH_REQUIRED = "auth-required"  # sign in again, then reconnect


class Initiator(StrEnum):
    """Who ended the connection."""

    LOCAL = "local"  # this client sent the close frame
    REMOTE = "remote"  # the server sent the close frame
    NETWORK = "network"  # no close frame: reset, timeout, silent network


@dataclass(frozen=True)
class CloseClassification:
    """A close, classified. `detail` holds extra facts worth showing or logging (never secrets):
    the Qlik Cloud error code and trace id, a session state, a login URI."""

    kind: CloseKind
    reason_key: str
    code: int | None = None
    reason: str = ""
    initiator: Initiator | None = None
    detail: Mapping[str, str] | None = None

    @property
    def resumable(self) -> bool:
        """True when resuming the same session is worth trying."""
        return self.kind in (CloseKind.NETWORK, CloseKind.RETRYABLE)


NORMAL_CLOSURE: Final = 1000
MANUAL_SUSPEND: Final = 4000  # enigma.js's code for a suspend the client asked for
ABNORMAL_CLOSURE: Final = 1006  # no close frame (set locally, never sent)

KEEPALIVE_REASON: Final = "keepalive ping timeout"

# Qlik Cloud close codes (reason is JSON with a QEP-… code and a trace id).
_CLOUD_CODES: Final[Mapping[int, tuple[CloseKind, str]]] = {
    4202: (CloseKind.FATAL, "cloud.malformed_request"),
    4203: (CloseKind.FATAL, "cloud.permission_denied"),
    4204: (CloseKind.FATAL, "cloud.app_not_found"),
    4205: (CloseKind.RETRYABLE, "cloud.engine_busy"),
    4230: (CloseKind.FATAL, "cloud.too_many_open_apps"),
    4240: (CloseKind.RETRYABLE, "cloud.no_engine_available"),
}

# Standard codes with a meaning beyond "the network broke".
_STANDARD_CODES: Final[Mapping[int, tuple[CloseKind, str]]] = {
    1008: (CloseKind.FATAL, "server.policy_violation"),
    1009: (CloseKind.FATAL, "frame.too_big"),
    1011: (CloseKind.RETRYABLE, "server.internal_error"),
    1012: (CloseKind.RETRYABLE, "server.restarting"),
    1013: (CloseKind.RETRYABLE, "server.try_again_later"),
}

# OnConnected qSessionState values other than SESSION_CREATED / SESSION_ATTACHED.
_SESSION_ERROR_STATES: Final[Mapping[str, tuple[CloseKind, str]]] = {
    "SESSION_ERROR_NO_LICENSE": (CloseKind.FATAL, "session.no_license"),
    "SESSION_ERROR_LICENSE_RENEW": (CloseKind.FATAL, "session.license_renew"),
    "SESSION_ERROR_LIMIT_EXCEEDED": (CloseKind.FATAL, "session.limit_exceeded"),
    "SESSION_ERROR_SECURITY_HEADER_CHANGED": (
        CloseKind.AUTH_REQUIRED,
        "session.security_header_changed",
    ),
    "SESSION_ACCESS_CONTROL_SETUP_FAILURE": (CloseKind.FATAL, "session.access_control_failure"),
    "SESSION_ERROR_APP_ACCESS_DENIED": (CloseKind.FATAL, "session.app_access_denied"),
    "SESSION_ERROR_APP_FAILURE": (CloseKind.RETRYABLE, "session.app_failure"),
}
SESSION_CREATED: Final = "SESSION_CREATED"
SESSION_ATTACHED: Final = "SESSION_ATTACHED"

# Proxy notifications that end the session when their severity is fatal.
_PROXY_FATAL: Final[Mapping[str, tuple[CloseKind, str]]] = {
    "OnSessionTimedOut": (CloseKind.AUTH_REQUIRED, "proxy.session_timed_out"),
    "OnSessionClosed": (CloseKind.AUTH_REQUIRED, "proxy.session_closed"),
    "OnSessionLoggedOut": (CloseKind.AUTH_REQUIRED, "proxy.logged_out"),
    "OnLicenseAccessDenied": (CloseKind.FATAL, "proxy.license_denied"),
    "OnMaxParallelSessionsExceeded": (CloseKind.FATAL, "proxy.max_parallel_sessions"),
    "OnNoEngineAvailable": (CloseKind.RETRYABLE, "proxy.no_engine_available"),
    "OnEngineWebsocketFailed": (CloseKind.RETRYABLE, "proxy.engine_websocket_failed"),
    "OnRepositoryWebsocketFailed": (CloseKind.RETRYABLE, "proxy.repository_websocket_failed"),
    "OnNoRepositoryAvailable": (CloseKind.RETRYABLE, "proxy.no_repository_available"),
}


def classify_close(code: int | None, reason: str, initiator: Initiator) -> CloseClassification:
    """Classify a websocket close. `code` is None or 1006 when no close frame was exchanged."""
    code = ABNORMAL_CLOSURE if code is None else code

    def made(
        kind: CloseKind, key: str, detail: Mapping[str, str] | None = None
    ) -> CloseClassification:
        return CloseClassification(kind, key, code, reason, initiator, detail)

    if initiator is Initiator.LOCAL and code in (NORMAL_CLOSURE, MANUAL_SUSPEND):
        return made(CloseKind.DELIBERATE, "closed.by_client")
    if KEEPALIVE_REASON in reason:
        return made(CloseKind.NETWORK, "network.silent")
    if code == NORMAL_CLOSURE:
        # Not silence: the server ended the session on purpose (enigma.js emits nothing here).
        return made(CloseKind.FATAL, "server.closed_session")
    if code in _CLOUD_CODES:
        kind, key = _CLOUD_CODES[code]
        return made(kind, key, _cloud_reason_detail(reason))
    if 4200 <= code < 4300:
        return made(CloseKind.FATAL, "cloud.refused", _cloud_reason_detail(reason))
    if code in _STANDARD_CODES:
        kind, key = _STANDARD_CODES[code]
        return made(kind, key)
    return made(CloseKind.NETWORK, "network.lost")


def _cloud_reason_detail(reason: str) -> Mapping[str, str] | None:
    """The QEP code and trace id of a Qlik Cloud JSON close reason, if it is one."""
    try:
        parsed = json.loads(reason)
    except ValueError:
        return None
    if not isinstance(parsed, dict):
        return None
    detail = {
        name: str(parsed[source])
        for name, source in (("qlik_code", "code"), ("trace_id", "traceId"))
        if isinstance(parsed.get(source), str | int)
    }
    return detail or None


def classify_handshake_status(status: int) -> CloseClassification:
    """The classification of an HTTP answer other than 101 to the websocket handshake."""
    if status in (301, 302, 303, 307, 308, 401, 403):
        kind, key = CloseKind.AUTH_REQUIRED, "http.auth_required"
    elif status == 404:
        kind, key = CloseKind.FATAL, "http.not_found"
    elif status in (429, 502, 503, 504):
        kind, key = CloseKind.RETRYABLE, "http.unavailable"
    elif status >= 500:
        kind, key = CloseKind.RETRYABLE, "http.server_error"
    else:
        kind, key = CloseKind.FATAL, "http.unexpected_status"
    return CloseClassification(kind, key, detail={"http_status": str(status)})


def classify_session_state(state: str) -> CloseClassification | None:
    """The classification of an `OnConnected` error state; None for created/attached."""
    if state in (SESSION_CREATED, SESSION_ATTACHED):
        return None
    kind, key = _SESSION_ERROR_STATES.get(state, (CloseKind.FATAL, "session.error"))
    return CloseClassification(kind, key, detail={"session_state": state})


def classify_notification(method: str, params: Mapping[str, Any]) -> CloseClassification | None:
    """The classification of a notification that ends the session, or None for any other.

    Covers fatal proxy messages, `OnAuthenticationInformation` with `mustAuthenticate`, and
    `OnConnected` error states.
    """
    if method == "OnConnected":
        state = params.get("qSessionState")
        return classify_session_state(state) if isinstance(state, str) else None
    if method == "OnAuthenticationInformation":
        if params.get("mustAuthenticate") is not True:
            return None
        login_uri = params.get("loginUri")
        detail = {"login_uri": login_uri} if isinstance(login_uri, str) else None
        return CloseClassification(CloseKind.AUTH_REQUIRED, "auth.must_authenticate", detail=detail)
    if params.get("severity") != "fatal":
        return None
    kind, key = _PROXY_FATAL.get(method, (CloseKind.FATAL, "proxy.fatal"))
    return CloseClassification(kind, key, detail={"notification": method})
