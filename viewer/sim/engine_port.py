"""The client-managed engine's own port (4747 on a real site), used by server-side clients: TLS
with a client certificate signed by the site's CA, no proxy, and the user named in the
`X-Qlik-User` header (`UserDirectory=SIM; UserId=alice`). Engine sessions are the same ones the
proxies reach (same user, identity and app => same session)."""

from __future__ import annotations

import re
from typing import Final

from aiohttp import web

from viewer.sim import sockets
from viewer.sim.tenant import Tenant

USER_HEADER: Final = "X-Qlik-User"
_PART = re.compile(r"\s*(\w+)\s*=\s*([^;]*)\s*")


def parse_user(value: str) -> tuple[str, str] | None:
    """(directory, user id) from `UserDirectory=D; UserId=U` (any order, any case); None if a
    part is missing."""
    parts: dict[str, str] = {}
    for piece in value.split(";"):
        match = _PART.fullmatch(piece)
        if match is not None:
            parts[match.group(1).lower()] = match.group(2).strip()
    directory, user_id = parts.get("userdirectory"), parts.get("userid")
    return (directory, user_id) if directory and user_id else None


def setup(app: web.Application, tenant: Tenant) -> None:
    """Add `/app/<appid>[/identity/<id>]` (and `app/engineData`) to the engine port's app."""

    async def engine(request: web.Request) -> web.StreamResponse:
        path = sockets.parse_engine_path(request.match_info["tail"])
        if path is None or not sockets.is_upgrade(request):
            return web.Response(status=400, text="Expected a websocket to /app/<appid>.")
        named = parse_user(request.headers.get(USER_HEADER, ""))
        if named is None:
            return web.Response(
                status=401, text=f"{USER_HEADER} must be 'UserDirectory=<dir>; UserId=<id>'."
            )
        if path.app_id is not None and not tenant.hub.has_app(path.app_id):
            return web.Response(status=404, text=f"No app {path.app_id}.")
        user = tenant.user(named[1], named[0])
        return await sockets.serve_engine(
            request, tenant, user=user.key, identity=path.identity, app_id=path.app_id
        )

    app.router.add_get("/app/{tail:.+}", engine)
