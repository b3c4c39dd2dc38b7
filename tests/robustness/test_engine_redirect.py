"""Issue 13, item 7 (engine socket): the grant's headers never leave the tenant on a redirect,
and the engine socket does not follow a redirect to another origin — the session is never
opened there. A hostile engine on 127.0.0.1 redirects the handshake to a second server, which
records whatever reaches it."""

from __future__ import annotations

import asyncio

import pytest
from hostile_engine import hostile_engine
from hostile_http import hostile_http

from viewer.core.closes import CloseKind
from viewer.core.grant import GrantCookie, SessionGrant
from viewer.engine.connection import SessionConfig, open_socket
from viewer.engine.errors import EngineConnectError

pytestmark = pytest.mark.integration

SECRET_USER = "SIM\\header-user-7731"


def _grant(url: str) -> SessionGrant:
    return SessionGrant(
        base_url=url.replace("ws", "http", 1),
        identity="wall-1",
        headers={"hdr-usr": SECRET_USER, "Authorization": "Bearer tok-881122334455"},
        cookies=(GrantCookie("X-Qlik-Session", "cookie-99887766"),),
    )


@pytest.mark.parametrize("scheme", ["ws", "http"])
def test_cross_origin_redirect_is_not_followed(scheme: str) -> None:
    async def main() -> tuple[BaseException | None, list[str]]:
        async with hostile_http() as elsewhere:
            target = elsewhere.url.replace("http", scheme, 1)
            with hostile_engine("quiet", redirect_to=target) as engine:
                try:
                    socket = await open_socket(
                        f"{engine.url}/app/a1", _grant(engine.url), SessionConfig(open_timeout=5)
                    )
                except EngineConnectError as error:
                    return error, elsewhere.heads
                await socket.close()
                return None, elsewhere.heads

    error, heads = asyncio.run(main())
    assert heads == [], f"the handshake followed the redirect: {heads}"
    assert isinstance(error, EngineConnectError)
    assert error.classification.kind is CloseKind.AUTH_REQUIRED
