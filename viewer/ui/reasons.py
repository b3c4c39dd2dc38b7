"""One translatable sentence per reason key: why a session ended (`viewer.core.closes`) or why
the page is being recovered (`viewer.core.state`). Unknown keys have no sentence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT: Final = "Reasons"

# QT_TRANSLATE_NOOP returns its text unchanged (typed `object`); it marks it for lupdate.
_REASONS: Final[Mapping[str, object]] = {
    "closed.by_client": QT_TRANSLATE_NOOP("Reasons", "The viewer ended the session."),
    "network.silent": QT_TRANSLATE_NOOP("Reasons", "The server stopped answering."),
    "network.lost": QT_TRANSLATE_NOOP("Reasons", "The connection to the server was lost."),
    "server.closed_session": QT_TRANSLATE_NOOP("Reasons", "The server ended the session."),
    "server.policy_violation": QT_TRANSLATE_NOOP(
        "Reasons", "The server refused the connection (policy violation)."
    ),
    "frame.too_big": QT_TRANSLATE_NOOP("Reasons", "A message was too large for the server."),
    "server.internal_error": QT_TRANSLATE_NOOP("Reasons", "The server had an internal error."),
    "server.restarting": QT_TRANSLATE_NOOP("Reasons", "The server is restarting."),
    "server.try_again_later": QT_TRANSLATE_NOOP("Reasons", "The server asked to try again later."),
    "http.auth_required": QT_TRANSLATE_NOOP("Reasons", "The server asks you to sign in."),
    "http.not_found": QT_TRANSLATE_NOOP("Reasons", "The server does not know this address."),
    "http.unavailable": QT_TRANSLATE_NOOP("Reasons", "The server is not available right now."),
    "http.server_error": QT_TRANSLATE_NOOP("Reasons", "The server had an internal error."),
    "http.unexpected_status": QT_TRANSLATE_NOOP("Reasons", "The server gave an unexpected answer."),
    "cloud.malformed_request": QT_TRANSLATE_NOOP("Reasons", "The tenant rejected the request."),
    "cloud.permission_denied": QT_TRANSLATE_NOOP(
        "Reasons", "You do not have permission to open this app."
    ),
    "cloud.app_not_found": QT_TRANSLATE_NOOP(
        "Reasons", "The app was not found (check tenant.app_id)."
    ),
    "cloud.engine_busy": QT_TRANSLATE_NOOP("Reasons", "The engine is busy."),
    "cloud.too_many_open_apps": QT_TRANSLATE_NOOP(
        "Reasons", "Too many apps are open in the tenant."
    ),
    "cloud.no_engine_available": QT_TRANSLATE_NOOP("Reasons", "No engine is available."),
    "cloud.refused": QT_TRANSLATE_NOOP("Reasons", "The tenant refused the connection."),
    "session.no_license": QT_TRANSLATE_NOOP("Reasons", "No license is available for this user."),
    "session.license_renew": QT_TRANSLATE_NOOP("Reasons", "The user's license must be renewed."),
    "session.limit_exceeded": QT_TRANSLATE_NOOP("Reasons", "The user has too many sessions."),
    "session.security_header_changed": QT_TRANSLATE_NOOP("Reasons", "The sign-in changed."),
    "session.access_control_failure": QT_TRANSLATE_NOOP(
        "Reasons", "The server could not check access rights."
    ),
    "session.app_access_denied": QT_TRANSLATE_NOOP("Reasons", "Access to the app was denied."),
    "session.app_failure": QT_TRANSLATE_NOOP("Reasons", "The app could not be opened."),
    "session.error": QT_TRANSLATE_NOOP("Reasons", "The engine refused the session."),
    "auth.must_authenticate": QT_TRANSLATE_NOOP("Reasons", "The server asks you to sign in."),
    "auth.required": QT_TRANSLATE_NOOP("Reasons", "Your sign-in has expired."),
    "proxy.session_timed_out": QT_TRANSLATE_NOOP(
        "Reasons", "The session timed out after inactivity."
    ),
    "proxy.session_closed": QT_TRANSLATE_NOOP("Reasons", "The server closed the session."),
    "proxy.logged_out": QT_TRANSLATE_NOOP("Reasons", "You were signed out."),
    "proxy.license_denied": QT_TRANSLATE_NOOP("Reasons", "The license was denied."),
    "proxy.max_parallel_sessions": QT_TRANSLATE_NOOP(
        "Reasons", "Too many parallel sessions for this user."
    ),
    "proxy.no_engine_available": QT_TRANSLATE_NOOP("Reasons", "No engine is available."),
    "proxy.engine_websocket_failed": QT_TRANSLATE_NOOP(
        "Reasons", "The proxy lost its connection to the engine."
    ),
    "proxy.repository_websocket_failed": QT_TRANSLATE_NOOP(
        "Reasons", "The proxy lost its connection to the repository."
    ),
    "proxy.no_repository_available": QT_TRANSLATE_NOOP(
        "Reasons", "No repository service is available."
    ),
    "proxy.fatal": QT_TRANSLATE_NOOP("Reasons", "The proxy ended the session."),
    "page.load_failed": QT_TRANSLATE_NOOP("Reasons", "The sheet could not be loaded."),
    "page.renderer_crashed": QT_TRANSLATE_NOOP("Reasons", "The page stopped working."),
    "page.load_timeout": QT_TRANSLATE_NOOP("Reasons", "The sheet took too long to load."),
    "page.renderer_memory": QT_TRANSLATE_NOOP(
        "Reasons", "The page used too much memory and is being reloaded."
    ),
    "page.connection_lost": QT_TRANSLATE_NOOP(
        "Reasons", "The sheet lost its own connection to the server."
    ),
    "recovery.failed": QT_TRANSLATE_NOOP("Reasons", "The last attempt to reconnect failed."),
    "page.left_sheet": QT_TRANSLATE_NOOP("Reasons", "The view left the sheet."),
    "auth.sign_in": QT_TRANSLATE_NOOP("Reasons", "Sign in to Qlik to see the sheet."),
    "auth.server_error": QT_TRANSLATE_NOOP(
        "Reasons", "Signing in failed with a server error; the tenant is not available right now."
    ),
    "network.unreachable": QT_TRANSLATE_NOOP("Reasons", "Cannot connect to the server."),
    "tls.untrusted_certificate": QT_TRANSLATE_NOOP(
        "Reasons", "The server's certificate is not trusted (check network.ca_bundle)."
    ),
    "tls.plain_http": QT_TRANSLATE_NOOP(
        "Reasons", "The server speaks plain HTTP, not HTTPS (check tenant.base_url)."
    ),
    "tls.ca_bundle_unreadable": QT_TRANSLATE_NOOP(
        "Reasons", "The configured CA bundle cannot be read (check network.ca_bundle)."
    ),
    "config.engine_url_invalid": QT_TRANSLATE_NOOP(
        "Reasons", "The engine address is not valid (check tenant.base_url)."
    ),
    "config.app_not_found": QT_TRANSLATE_NOOP(
        "Reasons", "The app does not exist or you cannot see it (check tenant.app_id)."
    ),
    "config.sheet_not_found": QT_TRANSLATE_NOOP(
        "Reasons", "The app has no such sheet (check tenant.sheet_id)."
    ),
    "config.auth_unusable": QT_TRANSLATE_NOOP(
        "Reasons", "The sign-in settings cannot be used (run viewer check)."
    ),
    "engine.access_denied": QT_TRANSLATE_NOOP("Reasons", "Access to the app was denied."),
    "auth.client_certificate_refused": QT_TRANSLATE_NOOP(
        "Reasons", "The server refused the client certificate."
    ),
    "auth.credentials_rejected": QT_TRANSLATE_NOOP(
        "Reasons", "The server rejected the credentials (run viewer check)."
    ),
}


# The steps of connecting (viewer.sheet.connect), as the notice says them while they run.
_STEPS: Final[Mapping[str, object]] = {
    "sign-in": QT_TRANSLATE_NOOP("Steps", "Signing in…"),
    "engine socket": QT_TRANSLATE_NOOP("Steps", "Connecting to the engine…"),
    "open app": QT_TRANSLATE_NOOP("Steps", "Opening the app…"),
    "app theme": QT_TRANSLATE_NOOP("Steps", "Opening the app…"),
    "sheet": QT_TRANSLATE_NOOP("Steps", "Finding the sheet…"),
    "sheet list": QT_TRANSLATE_NOOP("Steps", "Finding the sheet…"),
}


def step_text(step: str | None) -> str | None:
    """The sentence for a connect step in the installed language (None: no or unknown step)."""
    source = _STEPS.get(step) if step is not None else None
    return QCoreApplication.translate("Steps", str(source)) if source is not None else None


def reason_text(key: str | None) -> str | None:
    """The sentence for `key` in the installed language, or None for no or an unknown key."""
    source = _REASONS.get(key) if key is not None else None
    return QCoreApplication.translate(_CONTEXT, str(source)) if source is not None else None


def known_reason_keys() -> frozenset[str]:
    """Every key that has a sentence."""
    return frozenset(_REASONS)
