"""The engine socket URL and the sheet page URL of a profile's tenant, built in one place for
the viewer and `viewer check` from the pure builders in `viewer.core.urls`."""

from __future__ import annotations

from viewer.config.models import TenantConfig
from viewer.core.urls import engine_url, single_url


def proxied_base(tenant: TenantConfig) -> str:
    """The tenant's base URL with the virtual-proxy prefix (client-managed sites)."""
    base = str(tenant.base_url).rstrip("/")
    prefix = tenant.prefix.strip("/")
    return f"{base}/{prefix}" if prefix else base


def _web_integration_id(tenant: TenantConfig) -> str | None:
    return tenant.web_integration_id if tenant.kind == "cloud" else None


def tenant_engine_url(
    tenant: TenantConfig, identity: str, csrf_token: str | None, app_id: str | None = None
) -> str:
    """The engine websocket URL of `app_id` (default: the profile's app) for the session
    identity."""
    return engine_url(
        proxied_base(tenant),
        app_id or tenant.app_id,
        flavor=tenant.kind,
        identity=identity,
        csrf_token=csrf_token,
        web_integration_id=_web_integration_id(tenant),
    )


def tenant_sheet_url(
    tenant: TenantConfig,
    identity: str,
    sheet: str | None,
    theme: str | None = None,
    app_id: str | None = None,
) -> str:
    """The `/single/` page of `sheet` of `app_id` (default: the profile's app) with the
    profile's single-page options; `theme` overrides the configured one (the viewer passes the
    app's own theme when none is set)."""
    app = app_id or tenant.app_id
    if app is None:
        raise ValueError("no app to show: neither given nor configured (tenant.app_id)")
    single = tenant.single
    selections = []
    for item in single.select:
        field, _, values = item.partition(",")
        selections.append((field, values.split(",")))
    return single_url(
        proxied_base(tenant),
        app,
        sheet=sheet,
        identity=identity,
        options=list(single.opt),
        theme=theme or single.theme,
        lang=single.lang,
        selections=selections,
        bookmark=single.bookmark,
        web_integration_id=_web_integration_id(tenant),
    )
