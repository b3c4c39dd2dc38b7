"""Session cookies as the auth layer sees them: read from `Set-Cookie` replies into
`GrantCookie`s and merged into a grant's cookie set by name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.cookies import CookieError, Morsel, SimpleCookie
from typing import TYPE_CHECKING

from viewer.core.grant import GrantCookie
from viewer.log import register_secret

if TYPE_CHECKING:
    import httpx


def _expiry(morsel: Morsel[str], now: datetime) -> datetime | None:
    max_age = morsel["max-age"]
    if max_age:
        try:
            return now + timedelta(seconds=int(max_age))
        except ValueError:
            return None
    if morsel["expires"]:
        try:
            return parsedate_to_datetime(morsel["expires"]).astimezone(UTC)
        except (TypeError, ValueError):
            return None
    return None


def parse_set_cookie(header: str, now: datetime | None = None) -> GrantCookie | None:
    """One `Set-Cookie` header value as a GrantCookie (expires_at in the past means "delete"),
    or None when it cannot be parsed."""
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    if len(jar) != 1:
        return None
    (morsel,) = jar.values()
    register_secret(morsel.value)
    return GrantCookie(
        name=morsel.key,
        value=morsel.value,
        path=morsel["path"] or "/",
        domain=morsel["domain"].lstrip(".") or None,
        secure=bool(morsel["secure"]),
        http_only=bool(morsel["httponly"]),
        expires_at=_expiry(morsel, now or datetime.now(UTC)),
    )


def response_cookies(response: httpx.Response) -> tuple[GrantCookie, ...]:
    """Every cookie a reply sets, in order."""
    parsed = (parse_set_cookie(value) for value in response.headers.get_list("set-cookie"))
    return tuple(cookie for cookie in parsed if cookie is not None)


def is_deletion(cookie: GrantCookie, now: datetime | None = None) -> bool:
    """True when the cookie's expiry is already past, i.e. the server deletes it."""
    return cookie.expires_at is not None and cookie.expires_at <= (now or datetime.now(UTC))


def merge_cookies(
    current: Iterable[GrantCookie], incoming: Iterable[GrantCookie]
) -> tuple[GrantCookie, ...]:
    """`current` updated by `incoming`: same (name, path) replaced, deletions removed."""
    merged = {(c.name, c.path): c for c in current}
    for cookie in incoming:
        if is_deletion(cookie):
            merged.pop((cookie.name, cookie.path), None)
        else:
            merged[(cookie.name, cookie.path)] = cookie
    return tuple(merged.values())
