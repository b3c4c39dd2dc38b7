"""A few Qlik Sense Repository Service (QRS) endpoints: `/qrs/about`, and apps, streams, reload
tasks and app objects (sheets) as lists with `filter=`, `/count`, `/full` and by id. Each mount
decides how a caller is authenticated (certificate port or proxy session); every call needs an
xrfkey."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from viewer.sim.engine.data import App, SheetInfo, space_id
from viewer.sim.qrs_filter import FilterError, parse
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


def _owner(user_id: str) -> dict[str, Any]:
    return {
        "id": _stable_id("user", user_id),
        "userDirectory": "SIM",
        "userId": user_id,
        "name": user_id.capitalize(),
    }


def stream_record(name: str) -> dict[str, Any]:
    """A stream as QRS describes it (the app's space in the Cloud flavour)."""
    return {"id": space_id(name), "name": name, "privileges": None}


def app_record(app: App, *, full: bool = True) -> dict[str, Any]:
    """One app as QRS describes it: condensed (`/qrs/app`) or full (`/qrs/app/full`, by id)."""
    reloaded = _timestamp(app.last_reload_time)
    condensed = {
        "id": app.info.id,
        "name": app.info.name,
        "appId": "",
        "publishTime": reloaded,
        "published": True,
        "stream": stream_record(app.space),
        "savedInProductVersion": "14.254.6",
        "migrationHash": "",
        "availabilityStatus": 0,
        "privileges": None,
    }
    if not full:
        return condensed
    return {
        **condensed,
        "description": app.description,
        "lastReloadTime": reloaded,
        "owner": _owner(app.owner),
        "fileSize": 0,
        "dynamicColor": "",
        "tags": [],
        "customProperties": [],
        "createdDate": "2026-01-01T00:00:00.000Z",
        "modifiedDate": reloaded,
        "schemaPath": "App",
    }


def sheet_record(app: App, sheet: SheetInfo) -> dict[str, Any]:
    """A sheet as QRS lists it among the app objects (`/qrs/app/object?filter=objectType eq 'sheet'`)."""
    return {
        "id": _stable_id("sheet", app.info.id, sheet.id),
        "engineObjectId": sheet.id,
        "name": sheet.title,
        "description": sheet.description,
        "objectType": "sheet",
        "published": True,
        "approved": True,
        "app": {"id": app.info.id, "name": app.info.name},
        "owner": _owner(app.owner),
        "schemaPath": "App.Object",
    }


def reload_task(app: App) -> dict[str, Any]:
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


Records = Callable[[Tenant], list[dict[str, Any]]]

_COLLECTIONS: dict[str, tuple[Records, Records]] = {
    "app": (
        lambda tenant: [app_record(a, full=False) for a in tenant.apps],
        lambda tenant: [app_record(a) for a in tenant.apps],
    ),
    "stream": (
        lambda tenant: [stream_record(n) for n in dict.fromkeys(a.space for a in tenant.apps)],
        lambda tenant: [stream_record(n) for n in dict.fromkeys(a.space for a in tenant.apps)],
    ),
    "reloadtask": (
        lambda tenant: [reload_task(a) for a in tenant.apps],
        lambda tenant: [reload_task(a) for a in tenant.apps],
    ),
    "app/object": (
        lambda tenant: [sheet_record(a, s) for a in tenant.apps for s in a.info.sheets],
        lambda tenant: [sheet_record(a, s) for a in tenant.apps for s in a.info.sheets],
    ),
}


def _query(request: web.Request, name: str) -> str | None:
    """A query parameter by name, in any case (clients send `Xrfkey`, `Filter`, ...)."""
    return next((v for k, v in request.query.items() if k.lower() == name), None)


def _filtered(
    request: web.Request, records: list[dict[str, Any]]
) -> list[dict[str, Any]] | web.Response:
    expression = _query(request, "filter")
    if not expression:
        return records
    try:
        predicate = parse(expression)
    except FilterError as error:
        return web.Response(status=400, text=f"Bad filter: {error}")
    return [record for record in records if predicate(record)]


def add_routes(app: web.Application, base: str, tenant: Tenant, guard: Guard) -> None:
    """Mount the QRS endpoints under `<base>/qrs/`, each behind `guard` and the xrfkey check:
    `/about`, and for app, stream, reloadtask and app/object: the list (with `filter=`),
    `/count` ({"value": n}), `/full` and `/<id>`."""

    def guarded(produce: Callable[[web.Request], web.StreamResponse]) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            refusal = xrf_refusal(request) or await guard(request)
            return refusal if refusal is not None else produce(request)

        return handler

    def listing(records: Records) -> Callable[[web.Request], web.StreamResponse]:
        def produce(request: web.Request) -> web.StreamResponse:
            found = _filtered(request, records(tenant))
            return found if isinstance(found, web.Response) else web.json_response(found)

        return produce

    def counting(records: Records) -> Callable[[web.Request], web.StreamResponse]:
        def produce(request: web.Request) -> web.StreamResponse:
            found = _filtered(request, records(tenant))
            if isinstance(found, web.Response):
                return found
            return web.json_response({"value": len(found)})

        return produce

    def by_id(records: Records) -> Callable[[web.Request], web.StreamResponse]:
        def produce(request: web.Request) -> web.StreamResponse:
            wanted = request.match_info["item_id"]
            for record in records(tenant):
                if record["id"] == wanted:
                    return web.json_response(record)
            return web.Response(status=404, text="Not found")

        return produce

    app.router.add_get(f"{base}/qrs/about", guarded(lambda _: web.json_response(_about())))
    for name, (condensed, full) in _COLLECTIONS.items():
        path = f"{base}/qrs/{name}"
        app.router.add_get(path, guarded(listing(condensed)))
        app.router.add_get(f"{path}/count", guarded(counting(condensed)))
        app.router.add_get(f"{path}/full", guarded(listing(full)))
        app.router.add_get(f"{path}/{{item_id}}", guarded(by_id(full)))
