"""What the embedded browser may do, decided by pure functions (no Qt): where the view may
navigate, which requests get the grant's headers, when a page may open the system browser, and
what happens after the renderer dies. Qt callbacks only translate their arguments and call
these."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from viewer.core.ratelimit import RateLimit

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

    def headers_for(
        self, url: str, headers: Mapping[str, str], *, navigation: bool = True
    ) -> Mapping[str, str]:
        """The grant headers a request to `url` gets: all of them for a page or frame load
        (`navigation`) of the tenant's own origin, none for anything else.

        Only navigations: a redirect keeps the headers of the request it follows, and only a
        navigation's redirect is checked (by `verdict`) before it is followed — QtWebEngine
        follows a sub-resource's redirect before its interceptor hears of it. The tenant's
        proxy answers the first header-authenticated load with its session cookie, which
        carries every other request, so a header never reaches another origin."""
        return headers if headers and navigation and origin_of(url) == self.tenant_origin else {}


GESTURE_S: Final = 1.0
"""How long after a real click (or Enter) a navigation counts as the user's."""
EXTERNAL_OPENS, EXTERNAL_WINDOW_S = 3, 30.0


@dataclass
class ExternalOpenGate:
    """Whether the page may open the system browser now. Chromium reports a script's
    navigation or `window.open` like a click, so the page alone cannot be trusted: only a
    navigation within GESTURE_S of a real user input on the view may, each input once, and at
    most EXTERNAL_OPENS in EXTERNAL_WINDOW_S."""

    rate: RateLimit = field(default_factory=lambda: RateLimit(EXTERNAL_OPENS, EXTERNAL_WINDOW_S))
    _input_at: float | None = None

    def note_user_input(self, now: float) -> None:
        self._input_at = now

    def refusal(self, now: float) -> str | None:
        """None when one more opening is allowed now (the user input is used up by it), else
        why not: `no user click` or `too often`."""
        fresh = self._input_at is not None and 0 <= now - self._input_at <= GESTURE_S
        if not fresh:
            return "no user click"
        self._input_at = None
        return None if self.rate.allow(now) else "too often"


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


def should_reload(termination: RendererTermination) -> bool:
    """A renderer that did not end normally is replaced by reloading the page after a pause."""
    return termination is not RendererTermination.NORMAL
