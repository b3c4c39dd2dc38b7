"""The sim-only admin routes: `GET /_sim/state` (introspection) and `POST /_sim/fault` (fault
injection). Fault bodies are validated by pydantic models, one per kind."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from viewer.log import emit, get_logger
from viewer.sim.tenant import Tenant

_TENANT: web.AppKey[Tenant] = web.AppKey("sim_admin_tenant")
_log = get_logger("sim")


class _Fault(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Narrowed(_Fault):
    """A fault for the sockets of one user, identity and/or app (none given: every socket)."""

    user: str | None = None
    identity: str | None = None
    app: str | None = None


class Drop(_Narrowed):
    """Abort matching sockets without a close frame."""

    kind: Literal["drop"]


class Close(_Narrowed):
    """Close matching sockets with a code and reason."""

    kind: Literal["close"]
    code: int = Field(ge=1000, le=4999)
    reason: str = Field(default="", max_length=120)


class Partition(_Narrowed):
    """Stop reading and writing matching sockets without closing them, until `heal`."""

    kind: Literal["partition"]


class Heal(_Fault):
    kind: Literal["heal"]


class Restart(_Fault):
    """The engine restarts: every engine session is lost."""

    kind: Literal["restart"]


class Expire(_Narrowed):
    """The session-timeout path: engine sessions time out and proxy sessions end."""

    kind: Literal["expire"]


class Revoke(_Fault):
    """Cookies and proxy sessions are invalid from now; the user's sockets are dropped."""

    kind: Literal["revoke"]
    user: str | None = None


class Notify(_Narrowed):
    kind: Literal["notify"]
    method: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    close_after: bool = False


class Slow(_Fault):
    kind: Literal["slow"]
    seconds: float = Field(ge=0, le=60)


class Inactivity(_Fault):
    """Set (or clear with null) the engine sockets' inactivity timeout."""

    kind: Literal["inactivity"]
    seconds: float | None = Field(gt=0)


class Limit(_Fault):
    """Maximum parallel proxy sessions per user (client-managed flavour)."""

    kind: Literal["limit"]
    max: int = Field(ge=1, le=1000)


class Reload(_Fault):
    """The app's data is reloaded (every app when `app` is null): qLastReloadTime changes and
    every open client is told its Doc and objects changed."""

    kind: Literal["reload"]
    app: str | None = None


class HttpError(_Fault):
    kind: Literal["http_error"]
    path: str = Field(pattern=r"^/")
    status: int = Field(ge=400, le=599)
    count: int = Field(default=1, ge=1, le=1000)


AnyFault = Annotated[
    Drop
    | Close
    | Partition
    | Heal
    | Restart
    | Expire
    | Revoke
    | Notify
    | Slow
    | Inactivity
    | Limit
    | Reload
    | HttpError,
    Field(discriminator="kind"),
]
_FAULT: TypeAdapter[AnyFault] = TypeAdapter(AnyFault)


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(p) for p in item["loc"]) or "body"
        problems.append(f"{location}: {item['msg']}")
    return "; ".join(problems)


async def apply_fault(tenant: Tenant, fault: AnyFault) -> dict[str, int]:
    """Carry out one fault; returns how many sockets / sessions it touched."""
    hub = tenant.hub
    match fault:
        case Drop(user=user, identity=identity, app=app):
            return {"sockets": await hub.drop(user=user, identity=identity, app=app)}
        case Close(code=code, reason=reason, user=user, identity=identity, app=app):
            sockets = await hub.close(code, reason, user=user, identity=identity, app=app)
            return {"sockets": sockets}
        case Partition(user=user, identity=identity, app=app):
            return {"sockets": await hub.partition(user=user, identity=identity, app=app)}
        case Heal():
            return {"sockets": await hub.heal()}
        case Restart():
            return {"engine_sessions": await hub.restart()}
        case Expire(user=user, identity=identity, app=app):
            whole_user = identity is None and app is None
            ended = tenant.sessions.delete_user(user) if whole_user else []
            sockets = await hub.expire(user=user, identity=identity, app=app)
            return {"sockets": sockets, "proxy_sessions": len(ended)}
        case Revoke(user=user):
            ended = tenant.sessions.delete_user(user)
            sockets = await hub.drop(user=user, identity=None)
            return {"sockets": sockets, "proxy_sessions": len(ended)}
        case Notify(method=method, params=params, user=user, identity=identity, app=app):
            sockets = await hub.notify(
                method, params, user=user, identity=identity, close_after=fault.close_after,
                app=app,
            )  # fmt: skip
            return {"sockets": sockets}
        case Slow(seconds=seconds):
            hub.set_latency(seconds)
        case Inactivity(seconds=seconds):
            hub.set_inactivity_timeout(seconds)
        case Limit(max=maximum):
            tenant.max_parallel_sessions = maximum
        case Reload(app=app_id):
            return {"apps": len(await hub.reload(app_id))}
        case HttpError(path=path, status=status, count=count):
            tenant.http_faults.plan(path, status, count)
    return {}


async def _fault(request: web.Request) -> web.Response:
    tenant = request.app[_TENANT]
    try:
        body = await request.json()
    except ValueError:
        return _bad_request("the body must be a JSON object with a 'kind'")
    try:
        fault = _FAULT.validate_python(body)
    except ValidationError as error:
        return _bad_request(f"invalid fault: {_describe(error)}")
    if isinstance(fault, Limit) and tenant.options.flavor != "qseow":
        return _bad_request("'limit' applies to the client-managed (qseow) flavour only")
    if isinstance(fault, Reload) and fault.app is not None and not tenant.hub.has_app(fault.app):
        return _bad_request(f"app: no app with id {fault.app}")
    result = await apply_fault(tenant, fault)
    emit(_log, "sim.fault", kind=fault.kind, **result)
    return web.json_response({"ok": True, "kind": fault.kind, "affected": result})


def _bad_request(message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=400)


def state(tenant: Tenant) -> dict[str, Any]:
    """Everything `/_sim/state` reports: engine sessions, proxy sessions, per-user counts,
    counters (proxy-side as they are, engine-side prefixed `engine_`) and fault settings."""
    engine: dict[str, Any] = dict(tenant.hub.snapshot())
    engine_per_user: dict[str, int] = engine["per_user"]
    users = sorted({s.user.key for s in tenant.sessions} | set(engine_per_user))
    return {
        "flavor": tenant.options.flavor,
        "sessions": engine["sessions"],
        "proxy_sessions": [s.public() for s in tenant.sessions],
        "users": {
            user: {
                "proxy_sessions": len(tenant.sessions.for_user(user)),
                "engine_sessions": engine_per_user.get(user, 0),
            }
            for user in users
        },
        "counters": {
            **tenant.counters.as_dict(),
            **{f"engine_{name}": value for name, value in engine["counters"].items()},
        },
        "settings": {
            **engine["settings"],
            "max_parallel_sessions": tenant.max_parallel_sessions,
            "http_faults": tenant.http_faults.pending(),
        },
    }


async def _state(request: web.Request) -> web.Response:
    return web.json_response(state(request.app[_TENANT]))


def setup(app: web.Application, tenant: Tenant) -> None:
    """Add `/_sim/state` and `/_sim/fault` to `app`."""
    app[_TENANT] = tenant
    app.router.add_get("/_sim/state", _state)
    app.router.add_post("/_sim/fault", _fault)
