"""`CookieBridge`: puts a grant's cookies into a web profile's cookie store before the first page
load, and keeps the tenant's cookies the store reports (those the site sets during an
interactive sign-in) so they can become the grant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QDateTime, QObject, QUrl, Signal
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEngineProfile

from viewer.core.grant import GrantCookie, SessionGrant
from viewer.core.urls import cookie_belongs_to
from viewer.log import emit, get_logger, register_secret
from viewer.web.policy import origin_of

_log = get_logger("web")


def to_qt_cookie(cookie: GrantCookie) -> QNetworkCookie:
    """A QNetworkCookie with the grant cookie's attributes (host-only when it has no domain)."""
    qt = QNetworkCookie(QByteArray(cookie.name.encode()), QByteArray(cookie.value.encode()))
    qt.setPath(cookie.path)
    if cookie.domain:
        qt.setDomain(cookie.domain)
    qt.setSecure(cookie.secure)
    qt.setHttpOnly(cookie.http_only)
    if cookie.expires_at is not None:
        qt.setExpirationDate(QDateTime.fromSecsSinceEpoch(int(cookie.expires_at.timestamp())))
    return qt


def from_qt_cookie(qt: QNetworkCookie) -> GrantCookie:
    """The GrantCookie of a cookie the store reports."""
    expires = None
    if not qt.isSessionCookie():
        expires = datetime.fromtimestamp(qt.expirationDate().toSecsSinceEpoch(), tz=UTC)
    value = bytes(qt.value().data()).decode(errors="replace")
    register_secret(value)
    return GrantCookie(
        name=bytes(qt.name().data()).decode(errors="replace"),
        value=value,
        path=qt.path() or "/",
        domain=qt.domain().lstrip(".") or None,
        secure=qt.isSecure(),
        http_only=qt.isHttpOnly(),
        expires_at=expires,
    )


class CookieBridge(QObject):
    """Moves session cookies between grants and one profile's cookie store for one tenant.

    `apply()` sets the grant's cookies on the tenant's origin; `applied` is emitted once the
    store has reported every one of them, so the first load can wait for it. `tenant_cookies()`
    is what the store currently holds for the tenant; `changed` fires when that changes.
    """

    applied = Signal()
    changed = Signal()

    def __init__(self, profile: QWebEngineProfile, base_url: str, parent: QObject | None = None):
        super().__init__(parent)
        self._store = profile.cookieStore()
        self._origin = QUrl(origin_of(base_url))
        self._host = urlsplit(base_url).hostname or ""
        self._cookies: dict[tuple[str, str], GrantCookie] = {}
        self._as_stored: dict[tuple[str, str], QNetworkCookie] = {}
        self._pending: set[tuple[str, str]] = set()
        self._store.cookieAdded.connect(self._on_store_cookie_added)
        self._store.cookieRemoved.connect(self._on_store_cookie_removed)

    def apply(self, grant: SessionGrant) -> None:
        """Set every grant cookie on the tenant origin (replacing ones with the same name)."""
        self._pending = {(c.name, c.value) for c in grant.cookies}
        for cookie in grant.cookies:
            self._store.setCookie(to_qt_cookie(cookie), self._origin)
        emit(_log, "web.cookies_applied", count=len(grant.cookies))
        if not self._pending:
            self.applied.emit()

    def load_existing(self) -> None:
        """Ask the store to report the cookies a persistent profile loaded from disk."""
        self._store.loadAllCookies()

    def remove(self, cookies: Iterable[GrantCookie]) -> None:
        """Delete these cookies (a signed-out grant's) from the store, on disk too: a dead
        session cookie must not stay in the profile. Both the cookie as the grant has it and as
        the store reported it are deleted (their domains may be written differently)."""
        removed = 0
        for cookie in cookies:
            removed += 1
            key = (cookie.name, cookie.path)
            self._store.deleteCookie(to_qt_cookie(cookie), self._origin)
            stored = self._as_stored.pop(key, None)
            if stored is not None:
                self._store.deleteCookie(stored, self._origin)
            self._cookies.pop(key, None)
        emit(_log, "web.cookies_removed", count=removed)
        self.changed.emit()

    def clear(self) -> None:
        """Delete every cookie of the profile (sign-out)."""
        self._store.deleteAllCookies()
        self._cookies.clear()
        self.changed.emit()

    def tenant_cookies(self) -> tuple[GrantCookie, ...]:
        """The tenant's cookies the store holds now."""
        return tuple(self._cookies.values())

    def _on_store_cookie_added(self, qt: QNetworkCookie) -> None:
        if not cookie_belongs_to(qt.domain(), self._host):
            return
        cookie = from_qt_cookie(qt)
        self._cookies[(cookie.name, cookie.path)] = cookie
        self._as_stored[(cookie.name, cookie.path)] = QNetworkCookie(qt)
        self.changed.emit()
        if self._pending:
            self._pending.discard((cookie.name, cookie.value))
            if not self._pending:
                self.applied.emit()

    def _on_store_cookie_removed(self, qt: QNetworkCookie) -> None:
        if not cookie_belongs_to(qt.domain(), self._host):
            return
        name = bytes(qt.name().data()).decode(errors="replace")
        self._as_stored.pop((name, qt.path() or "/"), None)
        if self._cookies.pop((name, qt.path() or "/"), None) is not None:
            self.changed.emit()
