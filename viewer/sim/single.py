"""Serving `/single/` once a flavour has authenticated the request: the page itself comes
from `viewer.sim.page`."""

from __future__ import annotations

from aiohttp import web

from viewer.sim import page
from viewer.sim.tenant import Tenant


async def serve_single(request: web.Request, tenant: Tenant) -> web.Response:
    """The single-integration page for an authenticated request."""
    return await page.single_page(request, tenant.apps)


def add_page_assets(app: web.Application) -> None:
    """Register the page's static assets (`/resources/sim/...`)."""
    page.add_static_routes(app)
