"""A few Qlik Sense Repository Service (QRS) endpoints: `/qrs/about`, `/qrs/app[/full]`,
`/qrs/app/<id>` (with `lastReloadTime`) and `/qrs/reloadtask[/full]`. Each mount decides how a
caller is authenticated (certificate port or proxy session); every call needs an xrfkey."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from viewer.sim.tenant import Tenant
from viewer.sim.xrf import xrf_refusal

Guard = Callable[[web.Request], Awaitable[web.StreamResponse | None]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_BUILD = "34.1.0.0"


def _timestamp(value: Any) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, int | float):
        moment = datetime.fromtimestamp(value, tz=UTC)
    else:
        return str(value)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "viewer-sim:" + ":".join(parts)))


def app_record(app: Any) -> dict[str, Any]:
    """One app as QRS describes it."""
    reloaded = _timestamp(app.last_reload_time)
    return {
        "id": app.info.id,
        "name": app.info.name,
        "lastReloadTime": reloaded,
        "published": True,
        "publishTime": reloaded,
        "stream": {"id": _stable_id("stream"), "name": "Everyone"},
        "owner": {"userDirectory": "SIM", "userId": "alice", "name": "Alice"},
        "schemaPath": "App",
    }


def reload_task(app: Any) -> dict[str, Any]:
    """The (successful) reload task of an app."""
    reloaded = _timestamp(app.last_reload_time)
    return {
        "id": _stable_id("reloadtask", app.info.id),
        "name": f"Reload {app.info.name}",
        "enabled": True,
        "app": {"id": app.info.id, "name": app.info.name},
        "operational": {
            "lastExecutionResult": {"status": 7, "startTime": reloaded, "stopTime": reloaded},
        },
        "schemaPath": "ReloadTask",
    }


def _about() -> dict[str, Any]:
    return {
        "buildVersion": _BUILD,
        "buildDate": "2026-11-01T00:00:00.000Z",
        "databaseProvider": "Devart.Data.PostgreSql",
        "nodeType": 1,
        "sharedPersistence": True,
        "requiresBootstrap": False,
        "singleNodeOnly": False,
        "schemaPath": "About",
    }


def add_routes(app: web.Application, base: str, tenant: Tenant, guard: Guard) -> None:
    """Mount the QRS endpoints under `<base>/qrs/`, each behind `guard` and the xrfkey check."""

    def guarded(produce: Callable[[web.Request], web.StreamResponse]) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            refusal = xrf_refusal(request) or await guard(request)
            return refusal if refusal is not None else produce(request)

        return handler

    def one_app(request: web.Request) -> web.StreamResponse:
        for candidate in tenant.apps:
            if candidate.info.id == request.match_info["app_id"]:
                return web.json_response(app_record(candidate))
        return web.Response(status=404, text="Not found")

    routes: dict[str, Callable[[web.Request], web.StreamResponse]] = {
        "/about": lambda _: web.json_response(_about()),
        "/app": lambda _: web.json_response([app_record(a) for a in tenant.apps]),
        "/app/full": lambda _: web.json_response([app_record(a) for a in tenant.apps]),
        "/app/{app_id}": one_app,
        "/reloadtask": lambda _: web.json_response([reload_task(a) for a in tenant.apps]),
        "/reloadtask/full": lambda _: web.json_response([reload_task(a) for a in tenant.apps]),
    }
    for path, produce in routes.items():
        app.router.add_get(f"{base}/qrs{path}", guarded(produce))
