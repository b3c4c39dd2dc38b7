"""Qlik Cloud flavour: interactive `/login` (a form standing in for the identity provider),
`/logout`, `/login/jwt-session`, `/api/v1/users/me`, `/api/v1/csrf-token`, the signed cookies
`eas.sid` and `_csrfToken`, API keys as Bearer tokens, and the engine socket with its csrf
check and 42xx closes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from html import escape
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from viewer.sim import catalog, jwt_login, sockets
from viewer.sim.certs import SimCertificates
from viewer.sim.errors import qlik_error, trace_id
from viewer.sim.login_form import login_form
from viewer.sim.single import serve_single
from viewer.sim.tenant import ProxySession, Tenant, User, secret_matches

SESSION_COOKIE: Final = "eas.sid"
CSRF_COOKIE: Final = "_csrfToken"
CSRF_HEADER: Final = "qlik-csrf-token"
CSRF_PARAM: Final = "qlik-csrf-token"
WEB_INTEGRATION_PARAM: Final = "qlik-web-integration-id"
API_KEY_OWNER: Final = "alice"
# Close code and reason code when the engine socket names an app the tenant does not have.
APP_NOT_FOUND: Final = (4204, "QEP-4204")

_CLOUD: web.AppKey[CloudAuth] = web.AppKey("sim_cloud_auth")


@dataclass(frozen=True)
class Identified:
    """Who a request is: the user, and the cookie session when it came with one."""

    user: User
    session: ProxySession | None


@dataclass
class CloudAuth:
    """Cookie signing key, the JWT trust and the jti registry of one Cloud tenant."""

    tenant: Tenant
    jwt_trust: jwt_login.JwtTrust
    cookie_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    used_jtis: jwt_login.JtiRegistry = field(default_factory=jwt_login.JtiRegistry)

    def sign(self, name: str, value: str) -> str:
        digest = hmac.new(self.cookie_secret, f"{name}={value}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()

    def signed_cookie(self, request: web.Request, name: str) -> str | None:
        """The cookie's value when its `.sig` companion matches, else None."""
        value = request.cookies.get(name)
        signature = request.cookies.get(f"{name}.sig", "")
        if value is None or not secret_matches(signature, self.sign(name, value)):
            return None
        return value

    def identify(self, request: web.Request) -> Identified | None:
        """Bearer API key or a signed, live `eas.sid` session; None when neither."""
        authorization = request.headers.get("Authorization", "")
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() == "bearer":
            if secret_matches(credential.strip(), self.tenant.api_key):
                return Identified(self.tenant.user(API_KEY_OWNER), None)
            return None
        session = self.tenant.sessions.get(self.signed_cookie(request, SESSION_COOKIE))
        return Identified(session.user, session) if session is not None else None

    def set_session_cookies(self, response: web.StreamResponse, session: ProxySession) -> None:
        secure = self.tenant.options.tls
        same_site = "None" if secure else "Lax"
        for name, value in (
            (SESSION_COOKIE, session.session_id),
            (CSRF_COOKIE, session.csrf_token),
        ):
            for cookie, content in ((name, value), (f"{name}.sig", self.sign(name, value))):
                response.set_cookie(
                    cookie, content, path="/", httponly=True, secure=secure, samesite=same_site
                )

    @staticmethod
    def clear_session_cookies(response: web.StreamResponse) -> None:
        for name in (SESSION_COOKIE, CSRF_COOKIE):
            response.del_cookie(name, path="/")
            response.del_cookie(f"{name}.sig", path="/")


def _auth(request: web.Request) -> CloudAuth:
    return request.app[_CLOUD]


_DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _origin(url: str) -> str:
    """An origin as browsers send it: scheme and host in lower case, the port only when it is
    not the scheme's default (`https://host:443` and `https://host` are one origin)."""
    parts = urlsplit(url.strip().rstrip("/"))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    shown = f"[{host}]" if ":" in host else host
    try:
        port = parts.port
    except ValueError:
        return url.strip().lower()
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{shown}"
    return f"{scheme}://{shown}:{port}"


def allowed_origins(tenant: Tenant) -> list[str]:
    """Origins the web integration id admits: the tenant itself plus the configured ones."""
    return [
        _origin(tenant.base_url),
        *(_origin(o) for o in tenant.options.allowed_origins),
    ]


def _check_return_target(
    tenant: Tenant, returnto: str, integration_id: str | None
) -> web.Response | None:
    """None when `returnto` may be redirected to; otherwise Qlik's LOGIN error reply."""
    if integration_id is not None and integration_id != tenant.web_integration_id:
        return qlik_error(
            400, "LOGIN-9", "Invalid web integration id", "The qlik-web-integration-id is unknown."
        )
    parts = urlsplit(returnto)
    if not parts.scheme and not parts.netloc and returnto.startswith("/"):
        return None
    own = _origin(tenant.base_url)
    origin = _origin(returnto)
    if parts.scheme in ("http", "https") and (
        origin == own or (integration_id is not None and origin in allowed_origins(tenant))
    ):
        return None
    return qlik_error(
        400,
        "LOGIN-10",
        "Invalid returnto",
        "The returnto URL's origin is not in the web integration's allowed origins.",
    )


def _login_target(request: web.Request, tenant: Tenant) -> tuple[str, str | None]:
    """Where to go after signing in (`returnto`, default the tenant's root) and the web
    integration id the request names, if any."""
    returnto = request.query.get("returnto") or f"{tenant.base_url}/"
    return returnto, request.query.get(WEB_INTEGRATION_PARAM)


async def _login_page(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    returnto, integration_id = _login_target(request, auth.tenant)
    refusal = _check_return_target(auth.tenant, returnto, integration_id)
    if refusal is not None:
        return refusal
    if auth.identify(request) is not None:
        raise web.HTTPFound(returnto)
    return login_form("/login?" + request.query_string, {})


async def _login_submit(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    tenant = auth.tenant
    returnto, integration_id = _login_target(request, auth.tenant)
    refusal = _check_return_target(tenant, returnto, integration_id)
    if refusal is not None:
        return refusal
    form = await request.post()
    user_id, password = str(form.get("username", "")), str(form.get("password", ""))
    if not tenant.check_password(user_id, password):
        tenant.counters.login_failures += 1
        return login_form(
            "/login?" + request.query_string, {}, error="Wrong user name or password.", status=401
        )
    session = tenant.sessions.create(tenant.user(user_id), "login")
    tenant.counters.logins += 1
    response = web.HTTPFound(returnto)
    auth.set_session_cookies(response, session)
    raise response


async def _logout(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    session_id = auth.signed_cookie(request, SESSION_COOKIE)
    if session_id is not None:
        auth.tenant.sessions.delete(session_id)
    response = web.HTTPFound("/login")
    auth.clear_session_cookies(response)
    raise response


async def _jwt_session(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    tenant = auth.tenant
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not token.strip():
            raise jwt_login.JwtRejected("Missing JWT: send it as 'Authorization: Bearer <jwt>'")
        claims = jwt_login.validate(token.strip(), auth.jwt_trust, auth.used_jtis)
    except jwt_login.JwtRejected as rejected:
        tenant.counters.login_failures += 1
        return qlik_error(401, "INTERNAL-TOKEN-1", str(rejected), str(rejected))
    user = User(user_id=claims["sub"], name=claims["name"], email=claims["email"])
    session = tenant.sessions.create(user, "jwt")
    tenant.counters.logins += 1
    response = web.Response(status=200)
    auth.set_session_cookies(response, session)
    return response


def _unauthorized() -> web.Response:
    return qlik_error(401, "HTTP-401", "Unauthorized", "Sign in, or send an API key as Bearer.")


async def _users_me(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    who = auth.identify(request)
    if who is None:
        return _unauthorized()
    return web.json_response(catalog.user_record(who.user))


async def _csrf_token(request: web.Request) -> web.StreamResponse:
    who = _auth(request).identify(request)
    if who is None:
        return _unauthorized()
    if who.session is None:
        return qlik_error(
            400, "CSRF-TOKEN-1", "Token not supported", "A CSRF token belongs to a cookie session."
        )
    return web.Response(status=204, headers={CSRF_HEADER: who.session.csrf_token})


def _origin_allowed(request: web.Request, tenant: Tenant) -> bool:
    origin = request.headers.get("Origin")
    if origin is None or _origin(origin) == _origin(tenant.base_url):
        return True
    return request.query.get(WEB_INTEGRATION_PARAM) == tenant.web_integration_id and (
        _origin(origin) in allowed_origins(tenant)
    )


async def _engine_socket(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    tenant = auth.tenant
    path = sockets.parse_engine_path(request.match_info["tail"])
    if path is None or not sockets.is_upgrade(request):
        return qlik_error(400, "HTTP-400", "Bad request", "Expected a websocket to /app/<appid>.")
    who = auth.identify(request)
    if who is None:
        return _unauthorized()
    if not _origin_allowed(request, tenant):
        return qlik_error(403, "HTTP-403", "Forbidden", "Origin not allowed for this integration.")
    if who.session is not None and not secret_matches(
        request.query.get(CSRF_PARAM, ""), who.session.csrf_token
    ):
        return qlik_error(
            403, "CSRF-1", "Invalid CSRF token", "qlik-csrf-token is missing or wrong."
        )
    if path.app_id is not None and not tenant.hub.has_app(path.app_id):
        code, reason = APP_NOT_FOUND
        return await sockets.refuse_with_close(
            request, tenant, code, {"code": reason, "traceId": trace_id()}
        )
    return await sockets.serve_engine(
        request,
        tenant,
        user=who.user.key,
        identity=path.identity,
        app_id=path.app_id,
        proxy_session=who.session.session_id if who.session is not None else None,
    )


async def _home(request: web.Request) -> web.StreamResponse:
    """The tenant's root, where a sign-in without a `returnto` lands (Qlik Cloud's hub): a page
    naming who is signed in; without a session, the login."""
    auth = _auth(request)
    who = auth.identify(request)
    if who is None:
        raise web.HTTPFound("/login?" + urlencode({"returnto": f"{auth.tenant.base_url}/"}))
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Simulated Qlik tenant</title>"
        f"</head><body><main><p>Signed in as {escape(who.user.name)}.</p></main></body></html>"
    )
    return web.Response(text=body, content_type="text/html")


async def _single(request: web.Request) -> web.StreamResponse:
    auth = _auth(request)
    if auth.identify(request) is None:
        query = {
            "returnto": str(request.url),
            WEB_INTEGRATION_PARAM: auth.tenant.web_integration_id,
        }
        raise web.HTTPFound("/login?" + urlencode(query))
    return await serve_single(request, auth.tenant)


def setup(app: web.Application, tenant: Tenant, certs: SimCertificates) -> None:
    """Add the Cloud routes to `app`."""
    app[_CLOUD] = CloudAuth(
        tenant=tenant,
        jwt_trust=jwt_login.JwtTrust(
            issuer=jwt_issuer(tenant), kid=certs.jwt_kid, public_key_pem=certs.jwt_public_key_pem
        ),
    )
    app.router.add_get("/", _home)
    app.router.add_get("/login", _login_page)
    app.router.add_post("/login", _login_submit)
    app.router.add_route("*", "/logout", _logout)
    app.router.add_post("/login/jwt-session", _jwt_session)
    app.router.add_get("/api/v1/users/me", _users_me)
    app.router.add_get("/api/v1/csrf-token", _csrf_token)
    app.router.add_get("/app/{tail:.+}", _engine_socket)
    app.router.add_get("/single/", _single)
    app.router.add_get("/single", _single)
    catalog.setup(app, tenant, lambda request: _auth(request).identify(request) is not None)
    app.router.add_get(catalog.PRODUCT_INFO_PATH, catalog.product_info_route)


def jwt_issuer(tenant: Tenant) -> str:
    return f"{tenant.base_url}/sim-idp"


def credentials(tenant: Tenant, certs: SimCertificates) -> dict[str, Any]:
    """The Cloud part of the ready line's `credentials`."""
    return {
        "api_key": tenant.api_key,
        "api_key_user": API_KEY_OWNER,
        "users": [{"username": u, "password": p} for u, p in tenant.passwords.items()],
        "login_path": "/login",
        "jwt": {
            "issuer": jwt_issuer(tenant),
            "kid": certs.jwt_kid,
            "algorithm": "RS256",
            "audience": jwt_login.AUDIENCE,
            "private_key_path": str(certs.jwt_private_key),
        },
        "web_integration_id": tenant.web_integration_id,
        "allowed_origins": allowed_origins(tenant),
        "cookies": {"session": SESSION_COOKIE, "csrf": CSRF_COOKIE},
    }
