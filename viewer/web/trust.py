"""Which server certificates the web view trusts beyond Chromium's own store: a pure verification
of a presented chain against the configured CA bundle and the operating system's CAs (chain to a
trusted CA, host name, validity, key usage), shared by the view, the sign-in window and
`viewer check`. Chromium has no API to add a CA, so the view asks this module about each
certificate it refused (viewer.web.certificates) — never an ignore-all.

The policy is the Web PKI's (cryptography's `PolicyBuilder`) with one relaxation private CAs
need: the Authority Key Identifier, a path-building hint many in-house CAs leave out, may be
absent. Everything that decides trust (basic constraints, key usage, extended key usage,
subject alternative names, validity, signatures) is checked as for a public site.
"""

from __future__ import annotations

import ipaddress
import ssl
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)


@dataclass(frozen=True)
class TrustVerdict:
    """Whether a chain is trusted, and why (a sentence a user or admin understands)."""

    trusted: bool
    reason: str


class TrustFilesError(ValueError):
    """The configured CA bundle cannot be read or holds no certificate."""


def _loose_authority_key_id(ee: bool) -> ExtensionPolicy:
    base = ExtensionPolicy.webpki_defaults_ee() if ee else ExtensionPolicy.webpki_defaults_ca()
    return base.may_be_present(x509.AuthorityKeyIdentifier, Criticality.NON_CRITICAL, None)


def _parse_pem_bundle(data: bytes) -> list[x509.Certificate]:
    with warnings.catch_warnings():  # old system roots with non-positive serials: still usable
        warnings.simplefilter("ignore")
        return list(x509.load_pem_x509_certificates(data))


def read_ca_bundle(path: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM CA bundle; a located error when it cannot be used."""
    try:
        certificates = _parse_pem_bundle(path.read_bytes())
    except OSError as error:
        raise TrustFilesError(
            f"Cannot read the CA bundle {path} ({error.strerror or error}). "
            "Check network.ca_bundle in the configuration."
        ) from None
    except ValueError:
        raise TrustFilesError(
            f"The CA bundle {path} holds no PEM certificate. "
            "Check network.ca_bundle: it must name a PEM file with the CA's certificate."
        ) from None
    return tuple(certificates)


def system_anchors() -> tuple[x509.Certificate, ...]:
    """The operating system's CAs where OpenSSL finds them (Linux: one PEM file); empty where
    there is none to read (Chromium asks the OS itself there, so nothing is lost)."""
    cafile = ssl.get_default_verify_paths().cafile
    if cafile is None:
        return ()
    try:
        return tuple(_parse_pem_bundle(Path(cafile).read_bytes()))
    except (OSError, ValueError):
        return ()


def _subject(host: str) -> x509.verification.Subject:
    try:
        return x509.IPAddress(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return x509.DNSName(host)


def verify_chain(
    chain: Sequence[bytes],
    host: str,
    anchors: Sequence[x509.Certificate],
    *,
    now: datetime | None = None,
) -> TrustVerdict:
    """Verify a server's chain (DER, leaf first, as the server sent it) for `host` against the
    trust `anchors` at `now` (default: the current time)."""
    if not chain:
        return TrustVerdict(False, "the server presented no certificate")
    if not anchors:
        return TrustVerdict(False, "no trusted certificate authority is configured")
    try:
        leaf, *intermediates = (x509.load_der_x509_certificate(der) for der in chain)
    except ValueError:
        return TrustVerdict(False, "the server's certificate cannot be parsed")
    builder = (
        PolicyBuilder()
        .store(Store(list(anchors)))
        .time(now or datetime.now(UTC))
        .extension_policies(
            ca_policy=_loose_authority_key_id(ee=False), ee_policy=_loose_authority_key_id(ee=True)
        )
    )
    try:
        verifier = builder.build_server_verifier(_subject(host))
        verifier.verify(leaf, intermediates)
    except VerificationError as error:
        return TrustVerdict(False, _plain_reason(str(error), host))
    except ValueError as error:  # an unusable host name or policy input
        return TrustVerdict(False, str(error))
    issuer = leaf.issuer.rfc4514_string()
    return TrustVerdict(True, f"the certificate for {host} chains to a trusted CA ({issuer})")


def _plain_reason(message: str, host: str) -> str:
    text = message.removeprefix("validation failed: ").split(" (encountered processing")[0]
    if "no matching subjectAltName" in text:
        return f"the certificate is not for {host} ({text})"
    if "validation time" in text or "expired" in text or "not yet valid" in text:
        return f"the certificate is outside its validity period ({text})"
    if "candidates exhausted" in text or "issuer" in text:
        return f"the certificate does not chain to a trusted CA ({text})"
    return text


@dataclass(frozen=True)
class ConfiguredTrust:
    """The CAs the web view trusts beyond Chromium's: the configured bundle plus the system's.
    Anchors are read on first use (a certificate error), so a start pays nothing for them."""

    ca_bundle: Path | None = None

    def anchors(self) -> tuple[x509.Certificate, ...]:
        return _anchors_for(self.ca_bundle)

    def verify(self, chain: Sequence[bytes], host: str) -> TrustVerdict:
        try:
            anchors = self.anchors()
        except TrustFilesError as error:
            return TrustVerdict(False, str(error))
        return verify_chain(chain, host, anchors)


_lock: Final = threading.Lock()
_read: dict[Path | None, tuple[x509.Certificate, ...]] = {}
_process_trust: list[ConfiguredTrust] = [ConfiguredTrust()]  # one slot: set by `configure`


def _anchors_for(ca_bundle: Path | None) -> tuple[x509.Certificate, ...]:
    with _lock:
        if ca_bundle not in _read:
            configured = read_ca_bundle(ca_bundle) if ca_bundle is not None else ()
            _read[ca_bundle] = configured + system_anchors()
        return _read[ca_bundle]


def configure(ca_bundle: Path | None) -> None:
    """Set the process's web trust (from `network.ca_bundle`) before any page is made: every
    page of the process — the sheet's and the sign-in window's — asks the same trust, as
    Chromium's certificate decisions are per process too."""
    _process_trust[0] = ConfiguredTrust(ca_bundle)


def process_trust() -> ConfiguredTrust:
    """The trust `configure` set (the system's CAs only when it was never called)."""
    return _process_trust[0]
