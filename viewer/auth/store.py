"""Persistence of a profile's grant (its cookie jar, identity and proxy session id) in the user
data directory, readable only by the user (0600), so a restarted viewer re-uses its session
instead of signing in again. Tickets and JWTs are never stored; they are single-use."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from viewer.config.files import safe_file_name
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.log import emit, get_logger, register_secret

_FORMAT = 1
_log = get_logger("auth")


def default_grant_path(data_dir: Path, profile_name: str) -> Path:
    """`<user data dir>/profiles/<profile>/grant.json`."""
    return data_dir / "profiles" / safe_file_name(profile_name) / "grant.json"


def _cookie_to_json(cookie: GrantCookie) -> dict[str, Any]:
    data = asdict(cookie)
    data["expires_at"] = cookie.expires_at.isoformat() if cookie.expires_at else None
    return data


def _cookie_from_json(data: dict[str, Any]) -> GrantCookie:
    expires = data.get("expires_at")
    register_secret(str(data["value"]))
    return GrantCookie(
        name=str(data["name"]),
        value=str(data["value"]),
        path=str(data.get("path") or "/"),
        domain=data.get("domain"),
        secure=bool(data.get("secure", True)),
        http_only=bool(data.get("http_only", True)),
        expires_at=datetime.fromisoformat(expires) if expires else None,
    )


class GrantStore:
    """One profile's persisted grant: its cookies, the csrf token that goes with them, the user
    and the proxy session id. Headers are never kept (configured ones are restored on load)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, *, base_url: str, identity: str) -> SessionGrant | None:
        """The stored grant if it is for this tenant and identity and not expired, else None."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != _FORMAT:
                return None
            if data["base_url"] != base_url or data["identity"] != identity:
                return None
            now = datetime.now(UTC)
            cookies = tuple(
                cookie
                for cookie in (_cookie_from_json(c) for c in data.get("cookies", []))
                if cookie.expires_at is None or cookie.expires_at > now
            )
            proxy_session_id = data.get("proxy_session_id")
            register_secret(proxy_session_id)
            csrf_token = data.get("csrf_token")
            register_secret(csrf_token)
            return SessionGrant(
                base_url=base_url,
                identity=identity,
                user=data.get("user"),
                cookies=cookies,
                proxy_session_id=proxy_session_id,
                csrf_token=str(csrf_token) if csrf_token is not None else None,
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            emit(_log, "auth.grant_unreadable", path=str(self.path))
            return None

    def save(self, grant: SessionGrant) -> None:
        """Write the grant atomically with mode 0600 (directory 0700)."""
        data = {
            "format": _FORMAT,
            "base_url": grant.base_url,
            "identity": grant.identity,
            "user": grant.user,
            "cookies": [_cookie_to_json(c) for c in grant.cookies],
            "proxy_session_id": grant.proxy_session_id,
            "csrf_token": grant.csrf_token,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(data, file)
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)

    def clear(self) -> None:
        """Forget the stored grant."""
        self.path.unlink(missing_ok=True)
