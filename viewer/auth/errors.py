"""Typed authentication errors with messages a Qlik admin can act on: what failed, why (from the
server's Qlik-shaped error body when there is one) and the next step. Never a secret inside."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from viewer.log import scrub_text

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True)
class QlikErrorDetail:
    """One entry of a Qlik error body `{"errors":[{"code","title","detail","status"}]}`."""

    code: str
    title: str
    detail: str


class AuthError(Exception):
    """An authentication step failed; `str(error)` is the complete user-facing message."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(scrub_text(message))
        self.status = status
        self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0])


class CredentialsRejected(AuthError):
    """The server understood the request and refused the credentials (401/403, bad JWT...)."""


class SignInRequired(AuthError):
    """The session is gone and this mode cannot renew it without the user (interactive modes)."""

    def __init__(self, message: str, *, login_url: str | None = None):
        super().__init__(message, status=401)
        self.login_url = login_url


class ServiceUnavailable(AuthError):
    """A server in the chain answered 5xx or not at all; trying again later may work."""


class TlsUntrusted(AuthError):
    """The server's TLS certificate is not trusted by the OS store or the configured CA bundle."""


class ClientCertificateRefused(AuthError):
    """The server demanded a client certificate that was missing or not accepted."""


class AuthConfigError(AuthError):
    """Local configuration is unusable (unreadable key, malformed certificate...)."""


class UnreadableSecret(AuthConfigError):
    """A secret reference of the profile leads nowhere; `key_path` is the key that holds it."""

    def __init__(self, message: str, key_path: str | None) -> None:
        super().__init__(message)
        self.key_path = key_path


def qlik_error_details(response: httpx.Response) -> tuple[QlikErrorDetail, ...]:
    """The entries of a Qlik-shaped error body, or () when the body is something else."""
    try:
        body = json.loads(response.content or b"null")
    except (ValueError, RecursionError):  # not JSON, or nested too deep to decode
        return ()
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return ()
    return tuple(
        QlikErrorDetail(
            code=str(entry.get("code", "")),
            title=str(entry.get("title", "")),
            detail=str(entry.get("detail", "")),
        )
        for entry in errors
        if isinstance(entry, dict)
    )


def server_reason(response: httpx.Response) -> str:
    """What the server said went wrong, in one line: the Qlik error detail/title, else a short
    plain-text body, else the HTTP status."""
    if response.is_redirect:
        return "redirected to the login page"
    details = qlik_error_details(response)
    if details:
        first = details[0]
        text = first.detail or first.title or first.code
        return f"{text} ({first.code})" if first.code and first.code not in text else text
    content_type = response.headers.get("content-type", "")
    text = response.text.strip() if response.content else ""
    if text and "html" not in content_type and len(text) <= 200 and "\n" not in text:
        return text
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()


def error_code(response: httpx.Response) -> str | None:
    """The code of the first Qlik error entry, if any."""
    details = qlik_error_details(response)
    return details[0].code if details else None


class SessionExpired(AuthError):
    """The server no longer accepts the session of a grant (401, login redirect, revoked
    cookie); modes that can renew silently sign in again, interactive ones ask the user."""
