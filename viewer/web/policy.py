"""What the embedded browser may do, decided by pure functions (no Qt): where the view may
navigate, which requests get the grant's headers, which cookies belong to the tenant, and what
happens after the renderer dies. Qt callbacks only translate their arguments and call these."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit

"""Pause between a renderer crash and the reload (never reload synchronously)."""

_INERT_SCHEMES: Final = frozenset({"about", "data", "blob"})
WARM_UP_URL: Final = "about:blank"  # ViewerPage.warm_up: the renderer started ahead of the sheet
_WEB_SCHEMES: Final = frozenset({"http", "https"})


class NavigationVerdict(enum.Enum):
    """What to do with a navigation request."""

    ALLOW = "allow"
    BLOCK = "block"
    OPEN_EXTERNALLY = "open-externally"


class RendererTermination(enum.Enum):
    """Why the renderer process ended (our names for Qt's termination status)."""

    NORMAL = "normal"
    ABNORMAL = "abnormal"
    CRASHED = "crashed"
    KILLED = "killed"


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased, with default ports dropped."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return ""
    default = {"http": 80, "https": 443}.get(scheme)
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{scheme}://{host}{suffix}"


@dataclass(frozen=True)
class NavigationPolicy:
    """The tenant's origin plus the origins the profile allows (e.g. an identity provider).

    `desktop` sends user-clicked external links to the system browser; a kiosk blocks them.
    """

    tenant_origin: str
    allowed_origins: frozenset[str] = frozenset()
    desktop: bool = True

    @classmethod
    def for_tenant(
        cls, base_url: str, allowed: Iterable[str] = (), *, desktop: bool = True
    ) -> NavigationPolicy:
        return cls(origin_of(base_url), frozenset(origin_of(u) for u in allowed), desktop)

    def is_trusted(self, url: str) -> bool:
        origin = origin_of(url)
        return bool(origin) and (origin == self.tenant_origin or origin in self.allowed_origins)

    def verdict(self, url: str, *, main_frame: bool, link_clicked: bool) -> NavigationVerdict:
        """Allow the tenant and allowed origins; other web pages open in the system browser when
        a desktop user clicked a link in the main frame, otherwise they are blocked."""
        scheme = urlsplit(url).scheme.lower()
        if scheme in _INERT_SCHEMES and not main_frame:
            return NavigationVerdict.ALLOW
        if scheme in _WEB_SCHEMES and self.is_trusted(url):
            return NavigationVerdict.ALLOW
        if self.desktop and link_clicked and scheme in _WEB_SCHEMES:
            return NavigationVerdict.OPEN_EXTERNALLY
        return NavigationVerdict.BLOCK

    def headers_for(self, url: str, headers: Mapping[str, str]) -> Mapping[str, str]:
        """The grant headers a request to `url` gets: all of them for the tenant's own origin,
        none for anything else (a bearer token never leaves the tenant)."""
        return headers if headers and origin_of(url) == self.tenant_origin else {}


# Query parameters of the single-integration page that say which sheet is shown and how; every
# other parameter (tickets, csrf tokens, xrfkeys, anything unknown) is left out of logs.
_LOGGABLE_PARAMS: Final = frozenset(
    {"appid", "sheet", "obj", "opt", "theme", "lang", "select", "bookmark", "identity"}
)


def url_for_log(url: str) -> str:
    """A URL without user info, fragment or any query parameter outside the sheet page's own
    (where tickets and tokens travel)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    if parts.scheme not in _WEB_SCHEMES:
        return parts.scheme + ":"
    kept = [(k, v) for k, v in parse_qsl(parts.query) if k in _LOGGABLE_PARAMS]
    query = f"?{urlencode(kept)}" if kept else ""
    return f"{parts.scheme}://{host}{port}{parts.path}{query}"


def cookie_belongs_to(cookie_domain: str, tenant_host: str) -> bool:
    """True when a cookie with `cookie_domain` (empty or host, maybe with a leading dot) is sent
    to `tenant_host`."""
    domain = cookie_domain.lstrip(".").lower()
    host = tenant_host.lower()
    return not domain or host == domain or host.endswith(f".{domain}")


def should_reload(termination: RendererTermination) -> bool:
    """A renderer that did not end normally is replaced by reloading the page after a pause."""
    return termination is not RendererTermination.NORMAL
