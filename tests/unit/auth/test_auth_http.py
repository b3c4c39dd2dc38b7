"""The shared client factory and the xrfkey helper."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from viewer.auth.errors import AuthConfigError
from viewer.auth.http import make_client, new_xrfkey, ssl_context, xrf_request
from viewer.config.tls import TlsSettings


def test_xrfkey_is_16_alphanumerics_and_fresh() -> None:
    keys = {new_xrfkey() for _ in range(20)}
    assert len(keys) == 20
    assert all(re.fullmatch(r"[0-9a-zA-Z]{16}", key) for key in keys)


def test_xrf_request_puts_the_same_key_in_query_and_header() -> None:
    request = xrf_request("GET", "https://qlik.example.com/qrs/about?filter=x")
    key = request.headers["X-Qlik-Xrfkey"]
    assert request.url.params["xrfkey"] == key
    assert request.url.params["filter"] == "x"


def test_missing_ca_bundle_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"
    with pytest.raises(AuthConfigError, match=f"CA bundle {missing} .*No such file"):
        ssl_context(TlsSettings(ca_bundle=missing))


def test_client_never_follows_redirects() -> None:
    client = make_client()
    assert client.follow_redirects is False
    asyncio.run(client.aclose())
