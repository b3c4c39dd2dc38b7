"""The one httpx client factory of the viewer: TLS through the OS trust store plus an optional CA
bundle and client certificate (one shared context, viewer.config.tls), an injectable transport,
and the QRS/QPS xrfkey."""

from __future__ import annotations

import secrets
import ssl
import string
from typing import TYPE_CHECKING, Final

from viewer.auth.errors import AuthConfigError
from viewer.config.tls import TlsFilesError, TlsSettings, shared_context

if TYPE_CHECKING:  # imported with the first client: a start that makes no request skips it
    import httpx

XRFKEY_HEADER: Final = "X-Qlik-Xrfkey"
_XRFKEY_ALPHABET: Final = string.ascii_letters + string.digits
DEFAULT_TIMEOUT: Final = 15.0


def ssl_context(tls: TlsSettings) -> ssl.SSLContext:
    """The process's shared context for `tls` (viewer.config.tls): the OS trust store plus
    `tls.ca_bundle`, presenting the client certificate when one is configured."""
    try:
        return shared_context(tls)
    except TlsFilesError as error:
        raise AuthConfigError(str(error)) from None


def make_client(
    *,
    tls: TlsSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    proxy: str | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient for auth and REST calls. Pass `transport` (e.g. `httpx.MockTransport`) to
    replace the network; redirects are never followed automatically (a redirect to the login
    page means "not signed in"). `run_flow` reads every reply with a bound on its size."""
    import httpx

    if transport is not None:
        return httpx.AsyncClient(transport=transport, timeout=timeout, follow_redirects=False)
    return httpx.AsyncClient(
        verify=ssl_context(tls or TlsSettings()),
        timeout=timeout,
        follow_redirects=False,
        proxy=proxy,
    )


def new_xrfkey() -> str:
    """A fresh 16-character xrfkey ([0-9a-zA-Z]) for one QRS/QPS call."""
    return "".join(secrets.choice(_XRFKEY_ALPHABET) for _ in range(16))


def xrf_request(
    method: str,
    url: str,
    *,
    xrfkey: str | None = None,
    headers: dict[str, str] | None = None,
    json_body: object | None = None,
    extensions: dict[str, object] | None = None,
) -> httpx.Request:
    """A QRS/QPS request carrying the same xrfkey in the query string and the header."""
    import httpx

    key = xrfkey or new_xrfkey()
    return httpx.Request(
        method,
        httpx.URL(url).copy_merge_params({"xrfkey": key}),
        headers={XRFKEY_HEADER: key, **(headers or {})},
        json=json_body,
        extensions=extensions,
    )
