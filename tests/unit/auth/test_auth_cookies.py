"""Set-Cookie parsing and merging into a grant's cookie set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from viewer.auth.cookies import merge_cookies, parse_set_cookie, response_cookies
from viewer.core.grant import GrantCookie

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_parse_keeps_attributes() -> None:
    cookie = parse_set_cookie(
        "eas.sid=s%3Aabc.def; Path=/; Domain=.acme.example; Max-Age=60; Secure; HttpOnly", NOW
    )
    assert cookie == GrantCookie(
        name="eas.sid",
        value="s%3Aabc.def",
        path="/",
        domain="acme.example",
        secure=True,
        http_only=True,
        expires_at=NOW + timedelta(seconds=60),
    )


def test_parse_host_only_session_cookie() -> None:
    cookie = parse_set_cookie("X-Qlik-Session-viewer=0f1e; Path=/")
    assert cookie is not None
    assert (cookie.domain, cookie.secure, cookie.http_only, cookie.expires_at) == (
        None, False, False, None,
    )  # fmt: skip


def test_unparseable_header_is_skipped() -> None:
    assert parse_set_cookie("=;;;") is None


def test_response_cookies_reads_every_header() -> None:
    response = httpx.Response(
        200, headers=[("set-cookie", "a=1; Path=/"), ("set-cookie", "b=2; Path=/")]
    )
    assert [c.name for c in response_cookies(response)] == ["a", "b"]


def test_merge_replaces_by_name_and_drops_deleted() -> None:
    old = (GrantCookie("a", "1"), GrantCookie("b", "2"))
    past = datetime(2000, 1, 1, tzinfo=UTC)
    merged = merge_cookies(old, (GrantCookie("a", "9"), GrantCookie("b", "", expires_at=past)))
    assert merged == (GrantCookie("a", "9"),)
