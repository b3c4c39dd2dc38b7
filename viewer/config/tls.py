"""The TLS trust a profile configures (the system's certificate authorities, plus an optional CA
bundle and client certificate) as one SSL context per setting, shared by every HTTPS request and
engine socket of the process.

Reading the system's CA store costs about 0.1 s on Linux. Done per connection (as truststore does
there), it would be paid again by every sign-in and reconnect; here it is paid once, and
`prepare` can start it on a worker thread at start-up, where it overlaps Qt's own start (OpenSSL
reads the files with the GIL released). On Windows and macOS the context is truststore's, which
asks the operating system to verify each certificate chain.
"""

from __future__ import annotations

import ssl
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import truststore

from viewer.config.files import warn_if_exposed


@dataclass(frozen=True)
class TlsSettings:
    """Where trust and client identity come from; everything optional."""

    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_bundle_key: str = field(default="network.ca_bundle", compare=False)
    """The configuration key `ca_bundle` comes from, named when it cannot be used."""


class TlsFilesError(ValueError):
    """A configured CA bundle or client certificate cannot be read or used."""


_lock = threading.Lock()
_contexts: dict[TlsSettings, Future[ssl.SSLContext]] = {}


def shared_context(settings: TlsSettings) -> ssl.SSLContext:
    """The process's context for `settings`, built on first use (or awaited from `prepare`).
    A failure is not remembered: the next call tries the files again."""
    with _lock:
        future = _contexts.get(settings)
        owner = future is None
        if future is None:
            future = _contexts[settings] = Future()
    if owner:
        _build(settings, future)
    try:
        return future.result()
    except BaseException:  # unreadable files, or a broken system store: try again next time
        with _lock:
            if _contexts.get(settings) is future:
                del _contexts[settings]
        raise


def prepare(settings: TlsSettings) -> None:
    """Start building the context for `settings` on a worker thread, unless already started."""
    with _lock:
        if settings in _contexts:
            return
        future = _contexts[settings] = Future()
    threading.Thread(target=_build, args=(settings, future), name="tls-trust", daemon=True).start()


def _build(settings: TlsSettings, future: Future[ssl.SSLContext]) -> None:
    try:
        future.set_result(new_context(settings))
    except BaseException as error:  # handed to whoever waits for the context
        future.set_exception(error)


def new_context(settings: TlsSettings) -> ssl.SSLContext:
    """A fresh client context: the system's CAs plus `settings.ca_bundle`, presenting the client
    certificate when one is configured."""
    context = _system_trust()
    if settings.ca_bundle is not None:
        with _naming_file(
            "CA bundle", f"{settings.ca_bundle_key}: it must name a file", settings.ca_bundle
        ):
            context.load_verify_locations(cafile=str(settings.ca_bundle))
    if settings.client_cert is not None:
        key = settings.client_key
        warn_if_exposed(key or settings.client_cert, "auth.client_key")
        with _naming_file(
            "client certificate",
            "auth.client_cert and auth.client_key: they must name files",
            settings.client_cert,
            key,
        ):
            context.load_cert_chain(str(settings.client_cert), None if key is None else str(key))
    return context


@contextmanager
def _naming_file(what: str, check: str, *paths: Path | None) -> Iterator[None]:
    """A file that cannot be used becomes a sentence naming it, and the keys to `check`."""
    try:
        yield
    except (OSError, ssl.SSLError) as error:
        files = " and ".join(str(path) for path in paths if path is not None)
        reason = getattr(error, "strerror", None) or getattr(error, "reason", None) or str(error)
        raise TlsFilesError(
            f"Cannot use the {what} {files} ({reason}). Check {check} this user can read, "
            "holding PEM data."
        ) from None


def _system_trust() -> ssl.SSLContext:
    if sys.platform in ("win32", "darwin"):
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    paths = ssl.get_default_verify_paths()
    if paths.cafile is None and paths.capath is None:
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # it searches other known places
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=paths.cafile, capath=paths.capath)
    return context
