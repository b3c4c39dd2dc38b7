"""QRS calls through the viewer's own session (cookie + xrfkey), e.g. an app's last reload
time and its reload tasks: proof that the web view, the engine and REST share one session."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from viewer.auth.base import Flow, Tenant, grant_request, is_unauthenticated
from viewer.auth.bounded import reply_json
from viewer.auth.errors import AuthError, SessionExpired, server_reason
from viewer.auth.http import XRFKEY_HEADER, new_xrfkey
from viewer.core.grant import SessionGrant


def qrs_get(tenant: Tenant, grant: SessionGrant, path: str) -> Flow[Any]:
    """GET `/<prefix>/qrs/<path>` with the grant and a fresh xrfkey; the decoded JSON reply."""
    key = new_xrfkey()
    request = grant_request(
        "GET", tenant.url(f"qrs/{path.lstrip('/')}"), grant, headers={XRFKEY_HEADER: key}
    )
    request.url = request.url.copy_merge_params({"xrfkey": key})
    response = yield request
    if is_unauthenticated(response):
        raise SessionExpired("The Qlik session has ended; the repository refused the request.")
    if response.status_code != 200:
        raise AuthError(
            f"The Qlik repository refused `{path.split('?', maxsplit=1)[0]}` (HTTP "
            f"{response.status_code}: {server_reason(response)}).",
            status=response.status_code,
        )
    try:
        return reply_json(response)
    except ValueError:
        raise AuthError(
            f"The Qlik repository answered `{path.split('?', maxsplit=1)[0]}` with something "
            "that is not JSON."
        ) from None


def app_last_reload(tenant: Tenant, grant: SessionGrant, app_id: str) -> Flow[str | None]:
    """The app's `lastReloadTime` as the repository reports it."""
    record = yield from qrs_get(tenant, grant, f"app/{quote(app_id, safe='')}")
    value = record.get("lastReloadTime") if isinstance(record, dict) else None
    return value if isinstance(value, str) else None
