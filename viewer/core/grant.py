"""SessionGrant: what an auth strategy hands over so the web view, the engine socket and REST
calls all use one and the same Qlik session (see "The one data path" in DESIGN.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


@dataclass(frozen=True)
class GrantCookie:
    """One session cookie, host-only on the tenant's host unless `domain` says otherwise."""

    name: str
    value: str = field(repr=False)
    path: str = "/"
    domain: str | None = None
    secure: bool = True
    http_only: bool = True
    expires_at: datetime | None = None


def _frozen(headers: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(headers or {}))


@dataclass(frozen=True)
class SessionGrant:
    """A signed-in session: cookies, extra headers, csrf token and identity.

    `headers` are added to every request of the view, the engine socket and REST calls (a Bearer
    token, or the header a header-auth virtual proxy trusts). `proxy_session_id` is set when the
    flow created a proxy session that the viewer must delete on sign-out or exit.
    """

    base_url: str
    identity: str
    user: str | None = None
    cookies: tuple[GrantCookie, ...] = ()
    headers: Mapping[str, str] = field(default_factory=lambda: _frozen(None), repr=False)
    csrf_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    proxy_session_id: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", _frozen(self.headers))

    def cookie_header(self) -> str | None:
        """The `Cookie` request header carrying every grant cookie, or None if there are none."""
        if not self.cookies:
            return None
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)
