"""The one httpx client factory of the viewer: TLS through the OS trust store (truststore) plus an
optional CA bundle and client certificate, an injectable transport, and the QRS/QPS xrfkey."""

from __future__ import annotations

import secrets
import ssl
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import truststore

from viewer.auth.errors import AuthConfigError

XRFKEY_HEADER: Final = "X-Qlik-Xrfkey"
_XRFKEY_ALPHABET: Final = string.ascii_letters + string.digits
DEFAULT_TIMEOUT: Final = 15.0


@dataclass(frozen=True)
class TlsSettings:
    """Where trust and client identity come from; everything optional."""

    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None


def ssl_context(tls: TlsSettings) -> ssl.SSLContext:
    """An SSL context trusting the OS store plus `tls.ca_bundle`, presenting the client
    certificate when one is configured."""
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if tls.ca_bundle is not None:
            context.load_verify_locations(cafile=str(tls.ca_bundle))
        if tls.client_cert is not None:
            key = str(tls.client_key) if tls.client_key is not None else None
            context.load_cert_chain(str(tls.client_cert), key)
    except (OSError, ssl.SSLError) as error:
        raise AuthConfigError(
            f"Cannot load the TLS files of this profile ({type(error).__name__}: "
            f"{getattr(error, 'strerror', None) or error}). Check the CA bundle and client "
            "certificate paths in the configuration."
        ) from None
    return context


def make_client(
    *,
    tls: TlsSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    proxy: str | None = None,
) -> httpx.AsyncClient:
    """An AsyncClient for auth and REST calls. Pass `transport` (e.g. `httpx.MockTransport`) to
    replace the network; redirects are never followed automatically (a redirect to the login
    page means "not signed in")."""
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
    key = xrfkey or new_xrfkey()
    return httpx.Request(
        method,
        httpx.URL(url).copy_merge_params({"xrfkey": key}),
        headers={XRFKEY_HEADER: key, **(headers or {})},
        json=json_body,
        extensions=extensions,
    )
