"""Engine websocket plumbing shared by both flavours: parse `/app/<id>[/identity/<id>][/ttl/<s>]`,
upgrade, hand the socket to the engine hub, or refuse it the way a Qlik proxy does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from viewer.sim.tenant import Tenant

ENGINE_DATA = "engineData"
FIRST_FRAME_TIMEOUT = 30.0
# The proxy closes with "policy violation" after a fatal proxy notification.
PROXY_REFUSAL_CLOSE = 1008


@dataclass(frozen=True)
class EnginePath:
    """What an engine URL names: the app (None for `app/engineData`) and an optional identity."""

    app_id: str | None
    identity: str | None
    ttl: int | None = None


def parse_engine_path(tail: str) -> EnginePath | None:
    """Parse what follows `/app/`; None when the path is not an engine URL."""
    parts = [p for p in tail.split("/") if p]
    if not parts or len(parts) % 2 != 1:
        return None
    app_id = None if parts[0] == ENGINE_DATA else parts[0]
    options = dict(zip(parts[1::2], parts[2::2], strict=True))
    if not set(options) <= {"identity", "ttl"}:
        return None
    ttl = options.get("ttl")
    if ttl is not None and not ttl.isdigit():
        return None
    return EnginePath(app_id, options.get("identity"), int(ttl) if ttl is not None else None)


def is_upgrade(request: web.Request) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


async def accept(
    request: web.Request, ws: web.WebSocketResponse | None = None
) -> web.WebSocketResponse:
    """Complete the websocket handshake (no server pings: Qlik's engine sends none)."""
    ws = ws or web.WebSocketResponse()
    await ws.prepare(request)
    return ws


async def serve_engine(
    request: web.Request,
    tenant: Tenant,
    *,
    user: str,
    identity: str | None,
    app_id: str | None,
    auth_info: dict[str, Any] | None = None,
    proxy_session: str | None = None,
) -> web.WebSocketResponse:
    """Upgrade and let the engine hub run the socket until it closes (`proxy_session`: the id
    of the proxy session it came through, which ends when the socket times out for inactivity)."""
    ws = await accept(request, tenant.hub.websocket_response())
    await tenant.hub.serve(
        ws,
        user=user,
        identity=identity,
        app_id=app_id,
        auth_info=auth_info,
        proxy_session=proxy_session,
    )
    return ws


async def refuse_with_notification(
    request: web.Request,
    tenant: Tenant,
    method: str,
    params: dict[str, Any],
    *,
    after_first_frame: bool,
) -> web.WebSocketResponse:
    """Upgrade, send one proxy notification (after the client's first frame when asked), close.

    This is how the client-managed proxy tells a socket it may not reach the engine (not signed
    in, too many parallel sessions): no engine session is ever created for it.
    """
    tenant.counters.sockets_refused += 1
    ws = await accept(request)
    if after_first_frame:
        try:
            message = await ws.receive(timeout=FIRST_FRAME_TIMEOUT)
        except TimeoutError:
            message = None
        if message is None or message.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            await ws.close()
            return ws
    frame = {"jsonrpc": "2.0", "method": method, "params": params}
    await ws.send_str(json.dumps(frame))
    await ws.close(code=PROXY_REFUSAL_CLOSE, message=method.encode())
    return ws


async def refuse_with_close(
    request: web.Request, tenant: Tenant, code: int, reason: dict[str, Any]
) -> web.WebSocketResponse:
    """Upgrade and close at once with a code and a JSON reason (Qlik Cloud's 42xx closes)."""
    tenant.counters.sockets_refused += 1
    ws = await accept(request)
    await ws.close(code=code, message=json.dumps(reason, separators=(",", ":")).encode())
    return ws
