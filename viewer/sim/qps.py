"""The Qlik Sense Proxy Service API on its own TLS port (client certificate required): ticket
API, session API and user session list/delete per virtual proxy, plus QRS for certificate
callers. Every call needs a matching xrfkey."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError

from viewer.sim import qrs
from viewer.sim.tenant import ProxySession, Tenant, User
from viewer.sim.tickets import LoginTargets, TicketOffice
from viewer.sim.xrf import xrf_refusal

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Model = TypeVar("Model", bound=BaseModel)


class TicketRequest(BaseModel):
    """Body of `POST /qps/<prefix>/ticket`."""

    UserDirectory: str = Field(min_length=1)
    UserId: str = Field(min_length=1)
    Attributes: list[dict[str, str]] = Field(default_factory=list)
    TargetId: str | None = None


class SessionRequest(BaseModel):
    """Body of `POST /qps/<prefix>/session`."""

    UserDirectory: str = Field(min_length=1)
    UserId: str = Field(min_length=1)
    Attributes: list[dict[str, str]] = Field(default_factory=list)
    SessionId: str = Field(min_length=1)


def session_body(session: ProxySession) -> dict[str, Any]:
    """A proxy session as the QPS session API returns it."""
    return {
        "UserDirectory": session.user.directory,
        "UserId": session.user.user_id,
        "Attributes": session.attributes,
        "SessionId": session.session_id,
    }


async def _parse(request: web.Request, model: type[Model]) -> Model | web.Response:
    try:
        return model.model_validate(await request.json())
    except (ValueError, ValidationError) as error:
        detail = error.errors(include_url=False) if isinstance(error, ValidationError) else None
        problems = (
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in detail)
            if detail
            else "the body must be a JSON object"
        )
        return web.Response(status=400, text=f"Bad request: {problems}")


def setup(
    qps_app: web.Application,
    tenant: Tenant,
    tickets: TicketOffice,
    proxies: Collection[str],
    targets: LoginTargets,
    *,
    default_proxy: str,
) -> None:
    """Add the QPS (and certificate-port QRS) routes to the app on the QPS port. Calls without
    a virtual-proxy prefix (`/qps/ticket`) address `default_proxy`."""

    def guarded(handler: Handler) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            refusal = xrf_refusal(request)
            if refusal is not None:
                return refusal
            if "prefix" not in request.match_info:
                request.match_info["prefix"] = default_proxy
            if request.match_info["prefix"] not in proxies:
                return web.Response(status=404, text="Unknown virtual proxy prefix")
            return await handler(request)

        return checked

    async def issue_ticket(request: web.Request) -> web.StreamResponse:
        body = await _parse(request, TicketRequest)
        if isinstance(body, web.Response):
            return body
        user = tenant.user(body.UserId, body.UserDirectory)
        target = targets.url(body.TargetId)
        ticket = tickets.issue(user, request.match_info["prefix"], body.Attributes, target)
        reply = {
            "UserDirectory": user.directory,
            "UserId": user.user_id,
            "Attributes": body.Attributes,
            "Ticket": ticket.code,
            "TargetUri": target,
        }
        return web.json_response(reply, status=201)

    async def create_session(request: web.Request) -> web.StreamResponse:
        body = await _parse(request, SessionRequest)
        if isinstance(body, web.Response):
            return body
        session = tenant.sessions.create(
            tenant.user(body.UserId, body.UserDirectory),
            "session-api",
            session_id=body.SessionId,
            proxy=request.match_info["prefix"],
            attributes=body.Attributes,
        )
        return web.json_response(session_body(session), status=201)

    def _own(session: ProxySession | None, request: web.Request) -> ProxySession | None:
        return session if session and session.proxy == request.match_info["prefix"] else None

    async def get_session(request: web.Request) -> web.StreamResponse:
        session = _own(tenant.sessions.get(request.match_info["session_id"]), request)
        if session is None:
            return web.Response(status=404, text="Session not found")
        return web.json_response(session_body(session))

    async def delete_session(request: web.Request) -> web.StreamResponse:
        session_id = request.match_info["session_id"]
        if _own(tenant.sessions.get(session_id), request) is None:
            return web.Response(status=404, text="Session not found")
        session = tenant.sessions.delete(session_id)
        assert session is not None
        return web.json_response(session_body(session))

    def _user(request: web.Request) -> User:
        return tenant.user(request.match_info["user_id"], request.match_info["directory"])

    async def user_sessions(request: web.Request) -> web.StreamResponse:
        found = tenant.sessions.for_user(_user(request).key, request.match_info["prefix"])
        return web.json_response([session_body(s) for s in found])

    async def end_user_sessions(request: web.Request) -> web.StreamResponse:
        user = _user(request)
        found = tenant.sessions.for_user(user.key, request.match_info["prefix"])
        for session in found:
            tenant.sessions.delete(session.session_id)
        await tenant.hub.drop(user=user.key, identity=None)
        return web.json_response([session_body(s) for s in found])

    router = qps_app.router
    for base in ("/qps", "/qps/{prefix}"):
        router.add_post(f"{base}/ticket", guarded(issue_ticket))
        router.add_post(f"{base}/session", guarded(create_session))
        router.add_get(f"{base}/session/{{session_id}}", guarded(get_session))
        router.add_delete(f"{base}/session/{{session_id}}", guarded(delete_session))
        router.add_get(f"{base}/user/{{directory}}/{{user_id}}", guarded(user_sessions))
        router.add_delete(f"{base}/user/{{directory}}/{{user_id}}", guarded(end_user_sessions))

    async def certificate_caller(_: web.Request) -> web.StreamResponse | None:
        return None  # the TLS layer already demanded a certificate signed by the sim's CA

    qrs.add_routes(qps_app, "", tenant, certificate_caller)
