"""Requests that get no HTTP answer become user-facing errors naming the host and next step."""

from __future__ import annotations

import ssl

import httpx

from viewer.auth.base import CLIENT_CERT_EXTENSION, transport_error
from viewer.auth.errors import (
    ClientCertificateRefused,
    ServiceUnavailable,
    TlsUntrusted,
)

REQUEST = httpx.Request("GET", "https://qlik.example.com:4243/qps/x?qlikTicket=secret")


def _caused_by(error: Exception, cause: BaseException) -> Exception:
    error.__cause__ = cause
    return error


def test_untrusted_certificate() -> None:
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cause.verify_message = "self-signed certificate"
    error = transport_error(_caused_by(httpx.ConnectError("x"), cause), REQUEST)
    assert isinstance(error, TlsUntrusted)
    assert str(error).startswith(
        "The TLS certificate of qlik.example.com:4243 is not trusted (self-signed certificate)."
    )


def test_qps_reset_means_client_certificate() -> None:
    request = httpx.Request("GET", "https://q:4243/qps/t", extensions={CLIENT_CERT_EXTENSION: True})
    assert isinstance(transport_error(httpx.ReadError("reset"), request), ClientCertificateRefused)


def test_timeout_and_refused() -> None:
    timeout = transport_error(httpx.ConnectTimeout("t"), REQUEST)
    assert (
        str(timeout) == "qlik.example.com:4243 did not answer in time. Check the network and retry."
    )
    refused = transport_error(httpx.ConnectError("refused"), REQUEST)
    assert isinstance(refused, ServiceUnavailable)
    assert "secret" not in str(refused)
