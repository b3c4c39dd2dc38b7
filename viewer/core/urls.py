"""URL builders for both deployment flavours: the engine websocket URL and the `/single/` page
URL that shows a sheet or an object (see reference/qix-protocol.md, "URLs").

`base_url` is the tenant or the client-managed host including any virtual-proxy prefix, e.g.
`https://tenant.eu.qlikcloud.com` or `https://sense.example.com/kiosk`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Literal
from urllib.parse import SplitResult, quote, urlencode, urlsplit, urlunsplit

Flavor = Literal["cloud", "qseow"]

ENGINE_DATA_APP = "engineData"  # the Global API without an app


class UrlError(ValueError):
    """A URL could not be built from the given parts; the message says which part is wrong."""


def origin_of(base_url: str) -> str:
    """The `Origin` a browser would send for pages of `base_url` (`scheme://host[:port]`)."""
    parts = _split(base_url)
    return f"{parts.scheme}://{parts.netloc}"


def cookie_belongs_to(cookie_domain: str, host: str) -> bool:
    """True when a cookie with `cookie_domain` (empty or a host, maybe with a leading dot) is
    sent to `host`: the same host or a subdomain of the cookie's domain (an IP address has no
    subdomains: only the address itself)."""
    domain = cookie_domain.lstrip(".").lower()
    host = host.lower().strip("[]")
    if not domain or host == domain:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host.endswith(f".{domain}")
    return False


def engine_url(
    base_url: str,
    app_id: str | None,
    *,
    flavor: Flavor,
    identity: str | None = None,
    ttl_seconds: int | None = None,
    csrf_token: str | None = None,
    web_integration_id: str | None = None,
    reload_uri: str | None = None,
) -> str:
    """The engine websocket URL: `ws[s]://host[/prefix]/app/<app>[/identity/<id>][/ttl/<s>]?…`.

    `app_id=None` opens `app/engineData` (Global API only). `ttl_seconds` and `reload_uri` exist
    only on client-managed sites; `web_integration_id` only on Qlik Cloud.
    """
    parts = _split(base_url)
    if flavor == "cloud" and (ttl_seconds is not None or reload_uri is not None):
        raise UrlError("ttl and reloadUri apply to client-managed (qseow) engine URLs only")
    if flavor == "qseow" and web_integration_id is not None:
        raise UrlError("qlik-web-integration-id applies to Qlik Cloud engine URLs only")
    if ttl_seconds is not None and ttl_seconds < 0:
        raise UrlError(f"ttl must be a number of seconds >= 0, got {ttl_seconds}")
    segments = ["app", app_id or ENGINE_DATA_APP]
    if identity:
        segments += ["identity", identity]
    if ttl_seconds is not None:
        segments += ["ttl", str(ttl_seconds)]
    path = _prefix(parts.path) + "/" + "/".join(quote(s, safe="") for s in segments)
    query = _query(
        [
            ("reloadUri", reload_uri),
            ("qlik-web-integration-id", web_integration_id),
            ("qlik-csrf-token", csrf_token),
        ]
    )
    scheme = "wss" if parts.scheme == "https" else "ws"
    return urlunsplit((scheme, parts.netloc, path, query, ""))


def single_url(
    base_url: str,
    app_id: str,
    *,
    sheet: str | None = None,
    obj: str | None = None,
    identity: str | None = None,
    options: Sequence[str] = (),
    theme: str | None = None,
    lang: str | None = None,
    selections: Sequence[tuple[str, Sequence[str]]] = (),
    bookmark: str | None = None,
    web_integration_id: str | None = None,
) -> str:
    """The `/single/` page showing one sheet or one object of an app.

    `options` become `opt=a,b` (e.g. `currsel`, `ctxmenu`, `nointeraction`); each selection
    becomes `select=<field>,<value>,…`. Give exactly one of `sheet` and `obj`.
    """
    parts = _split(base_url)
    if not app_id:
        raise UrlError("the app id is empty")
    if (sheet is None) == (obj is None):
        raise UrlError("give exactly one of sheet and obj")
    for field_name, values in selections:
        if not field_name or not values:
            raise UrlError(f"selection on field {field_name!r} needs a field name and values")
    pairs: list[tuple[str, str | None]] = [
        ("appid", app_id),
        ("sheet", sheet),
        ("obj", obj),
        ("identity", identity),
        ("opt", ",".join(options) or None),
        ("theme", theme),
        ("lang", lang),
        *(("select", ",".join([name, *values])) for name, values in selections),
        ("bookmark", bookmark),
        ("qlik-web-integration-id", web_integration_id),
    ]
    path = _prefix(parts.path) + "/single/"
    return urlunsplit((parts.scheme, parts.netloc, path, _query(pairs), ""))


def _split(base_url: str) -> SplitResult:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UrlError(f"base URL must look like https://host[/prefix], got {base_url!r}")
    if parts.query or parts.fragment:
        raise UrlError(f"base URL must not carry a query or fragment: {base_url!r}")
    return parts


def _prefix(path: str) -> str:
    """A virtual-proxy prefix as `/prefix` (or empty), whatever slashes the user typed."""
    stripped = path.strip("/")
    return f"/{stripped}" if stripped else ""


def _query(pairs: Sequence[tuple[str, str | None]]) -> str:
    return urlencode([(k, v) for k, v in pairs if v is not None], quote_via=quote)
