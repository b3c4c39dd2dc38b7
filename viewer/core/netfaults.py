"""What a failed connection means, told apart by pure checks on the error (no I/O): nothing
listening on the port, or a plain-HTTP server answering a TLS handshake. Used wherever a
connection failure becomes a sentence for the user (auth requests, `viewer check`)."""

from __future__ import annotations

import errno
from typing import Final

# OpenSSL's reasons when the peer answers a ClientHello with plain HTTP (by OpenSSL version)
_PLAIN_HTTP_REASONS: Final = (
    "wrong_version_number",
    "wrong version number",
    "http_request",
    "packet length too long",
    "packet_length_too_long",
    "record layer failure",
    "record_layer_failure",
)


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def connection_refused(error: BaseException) -> bool:
    """Whether `error` (or what caused it) is a refused connection: nothing listens there."""
    return any(
        isinstance(cause, ConnectionRefusedError)
        or (isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED)
        or "connection refused" in str(cause).lower()
        for cause in _causes(error)
    )


def plain_http_reply(error: BaseException) -> bool:
    """Whether a TLS handshake failed because the server spoke plain HTTP."""
    return any(
        reason in str(cause).lower() for cause in _causes(error) for reason in _PLAIN_HTTP_REASONS
    )


def plain_http_sentence(where: str) -> str:
    """The user-facing sentence for `plain_http_reply`."""
    return (
        f"{where} answered the TLS handshake in plain HTTP: the server speaks plain HTTP on this "
        "port. Use http:// in the URL, or the port where the site serves HTTPS."
    )
