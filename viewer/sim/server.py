"""Assembly of the simulated tenant: keys, engine hub, the flavour's routes, the admin routes,
the listening sockets and the ready line. `start_sim` is what tests, the demo and `viewer sim`
use; it stops everything and deletes the generated keys when its block ends."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import web

from viewer.log import emit, get_logger
from viewer.sim import admin, cloud, engine_port, qseow
from viewer.sim.certs import SimCertificates, generate_certificates
from viewer.sim.engine.data import sample_apps
from viewer.sim.engine.hub import EngineHub
from viewer.sim.errors import qlik_error
from viewer.sim.single import add_page_assets
from viewer.sim.tenant import Flavor, SimOptions, Tenant

READY_EVENT: Final = "sim.ready"
SHUTDOWN_TIMEOUT: Final = 2.0
_log = get_logger("sim")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class RunningSim:
    """A started tenant: its base URL, the ready-line dict and the shared state."""

    url: str
    ready: dict[str, Any]
    tenant: Tenant
    certs: SimCertificates


def _http_fault_middleware(tenant: Tenant) -> Any:
    @web.middleware
    async def http_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/_sim/"):
            status = tenant.http_faults.take(request.path)
            if status is not None:
                return qlik_error(status, f"HTTP-{status}", "Injected error", request.path)
        return await handler(request)

    return http_faults


def _url(scheme: str, sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def _apps_listing(apps: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": app.info.id,
            "name": app.info.name,
            "space": app.space,
            "owner": app.owner,
            "last_reload_time": app.last_reload_time,
            "sheets": [
                {"id": sheet.id, "title": sheet.title, "description": sheet.description}
                for sheet in app.info.sheets
            ],
        }
        for app in apps
    ]


def _application(tenant: Tenant) -> web.Application:
    app = web.Application(middlewares=[_http_fault_middleware(tenant)])
    admin.setup(app, tenant)
    return app


class _Sites:
    """The listening sockets and runners of the main app (and, client-managed, the QPS app);
    `stop` ends them all, also after a failed start."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.runners: list[web.AppRunner] = []

    def bind(self, host: str, port: int) -> socket.socket:
        """A listening socket, bound now so the URL is known before the app is built."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        self.sockets.append(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            reason = error.strerror or str(error)
            raise OSError(error.errno, f"cannot listen on {host}:{port}: {reason}") from error
        sock.listen(512)
        sock.setblocking(False)
        return sock

    async def serve(self, app: web.Application, sock: socket.socket, ssl: Any) -> None:
        runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        self.runners.append(runner)
        await web.SockSite(runner, sock, ssl_context=ssl).start()

    async def stop(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()
        for sock in self.sockets:
            sock.close()


@asynccontextmanager
async def start_sim(
    flavor: Flavor = "cloud", tls: bool = False, **options: Any
) -> AsyncIterator[RunningSim]:
    """Run a simulated tenant for the duration of the block (options: see `SimOptions`)."""
    opts = SimOptions(flavor=flavor, tls=tls, **options)
    certs = await asyncio.to_thread(generate_certificates, opts.host)
    sites = _Sites()
    hub: EngineHub | None = None
    try:
        apps = sample_apps()
        hub = EngineHub(apps, session_ttl=opts.session_ttl)
        if opts.inactivity_timeout is not None:
            hub.set_inactivity_timeout(opts.inactivity_timeout)
        main_sock = sites.bind(opts.host, opts.port)
        tenant = Tenant(options=opts, hub=hub, apps=apps)
        hub.on_proxy_session_timed_out = tenant.sessions.delete
        tenant.base_url = _url("https" if tls else "http", main_sock)
        app = _application(tenant)
        add_page_assets(app)
        if flavor == "cloud":
            cloud.setup(app, tenant, certs)
            credentials = cloud.credentials(tenant, certs)
        else:
            qps_sock = sites.bind(opts.host, opts.qps_port)
            qps_app = _application(tenant)
            qseow.setup(app, qps_app, tenant, _url("https", qps_sock), certs)
            await sites.serve(qps_app, qps_sock, certs.server_context(require_client_cert=True))
            engine_sock = sites.bind(opts.host, opts.engine_port)
            engine_app = web.Application()
            engine_port.setup(engine_app, tenant)
            await sites.serve(
                engine_app, engine_sock, certs.server_context(require_client_cert=True)
            )
            credentials = qseow.credentials(tenant, certs, _url("https", qps_sock))
            credentials["engine_url"] = _url("wss", engine_sock)
            credentials["engine_user_header"] = engine_port.USER_HEADER
        if tls:
            credentials["ca_path"] = str(certs.ca_cert)
        await sites.serve(app, main_sock, certs.server_context() if tls else None)
        ready = {
            "event": READY_EVENT,
            "flavor": flavor,
            "url": tenant.base_url,
            "apps": _apps_listing(apps),
            "credentials": credentials,
        }
        emit(_log, "sim.started", flavor=flavor, url=tenant.base_url)
        yield RunningSim(url=tenant.base_url, ready=ready, tenant=tenant, certs=certs)
    finally:
        if hub is not None:
            await hub.close(1001, "simulated tenant stopping")
        await sites.stop()
        certs.remove()
        emit(_log, "sim.stopped", flavor=flavor)
