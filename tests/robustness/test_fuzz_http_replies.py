"""Property-based fuzzing of HTTP replies (issue 13): the hostile server answers the real auth
flows (an anonymous sign-in's csrf request, a JWT session exchange) with whatever hypothesis
makes up — any status, headers (cookies for other domains, csrf tokens, redirects, content
codings), and bodies (JSON of any shape and depth, junk, compressed or not). Every outcome is a
grant or a named `AuthError`; no other exception, and no cookie for another domain in a grant."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib

import pytest
from hostile_http import Reply, hostile_http
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.auth.anonymous import Anonymous
from viewer.auth.base import Tenant, run_flow
from viewer.auth.errors import AuthError
from viewer.auth.http import make_client
from viewer.core.grant import SessionGrant

pytestmark = pytest.mark.integration

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["token", "csrfToken", "errors", "code", "x"]), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip
_BODY = st.one_of(
    _JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.integers(50, 5000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(50, 5000).map(lambda depth: b'{"token":' * depth + b"1" + b"}" * depth),
)
_COOKIE = st.builds(
    lambda name, value, domain: (
        f"{name}={value}; Path=/" + (f"; Domain={domain}" if domain else "")
    ),
    st.sampled_from(["eas.sid", "X-Qlik-Session", "_csrfToken", "tracker"]),
    st.text("abcdef0123456789", min_size=1, max_size=12),
    st.sampled_from([None, "127.0.0.1", "evil.example.com", ".example.com", "0.0.1"]),
)
_STATUS = st.sampled_from(["200 OK", "204 No Content", "302 Found", "401 Unauthorized",
                           "403 Forbidden", "404 Not Found", "500 Oops", "503 Busy"])  # fmt: skip


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    body = draw(_BODY)
    coding = draw(st.sampled_from([None, "gzip", "deflate", "identity", "br", "gzip, gzip"]))
    if coding == "gzip":
        body = gzip.compress(body)
    elif coding == "deflate":
        body = zlib.compress(body)
    headers = [("Content-Type", draw(st.sampled_from(["application/json", "text/html", "x/y"])))]
    if coding:
        headers.append(("Content-Encoding", coding))
    headers += [("Set-Cookie", cookie) for cookie in draw(st.lists(_COOKIE, max_size=3))]
    if draw(st.booleans()):
        headers.append(("qlik-csrf-token", draw(st.text("abcXYZ019", max_size=20))))
    if draw(st.booleans()):
        headers.append(("Location", draw(st.sampled_from(["/login", "https://evil.example.com/"]))))
    headers.append(("Content-Length", str(len(body))))
    return Reply(status=draw(_STATUS), headers=headers, body=body)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reply=replies())
def test_any_reply_is_a_grant_or_a_named_error(reply: Reply) -> None:
    async def main() -> object:
        async with hostile_http() as server:
            server.reply = reply
            strategy = Anonymous(Tenant("cloud", server.url, "wall-1"))
            async with asyncio.timeout(20), make_client() as http:
                try:
                    return await run_flow(http, strategy.authenticate())
                except AuthError as error:
                    return error

    outcome = asyncio.run(main())
    assert isinstance(outcome, SessionGrant | AuthError), repr(outcome)
    if isinstance(outcome, SessionGrant):
        assert all(c.domain in (None, "127.0.0.1") for c in outcome.cookies), outcome.cookies
