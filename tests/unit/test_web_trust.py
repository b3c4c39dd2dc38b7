"""The web view's own certificate verification (viewer.web.trust): a chain to a configured CA
for the right host within its validity is trusted; anything else is not, with a reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from viewer.sim.certs import SimCertificates, generate_certificates
from viewer.web.trust import ConfiguredTrust, TrustFilesError, read_ca_bundle, verify_chain


@pytest.fixture(scope="module")
def private_ca() -> Iterator[SimCertificates]:
    certificates = generate_certificates(host="qlik.example.com")
    yield certificates
    certificates.remove()


def _chain(certificates: SimCertificates) -> list[bytes]:
    leaf = x509.load_pem_x509_certificate(certificates.server_cert.read_bytes())
    return [leaf.public_bytes(Encoding.DER)]


def test_a_leaf_of_the_configured_ca_is_trusted_for_its_host(private_ca: SimCertificates) -> None:
    verdict = verify_chain(
        _chain(private_ca), "qlik.example.com", read_ca_bundle(private_ca.ca_cert)
    )
    assert verdict.trusted, verdict.reason


def test_another_host_name_is_refused(private_ca: SimCertificates) -> None:
    verdict = verify_chain(
        _chain(private_ca), "evil.example.com", read_ca_bundle(private_ca.ca_cert)
    )
    assert not verdict.trusted
    assert verdict.reason.startswith("the certificate is not for evil.example.com")


def test_an_expired_certificate_is_refused(private_ca: SimCertificates) -> None:
    later = datetime.now(UTC) + timedelta(days=30)
    anchors = read_ca_bundle(private_ca.ca_cert)
    verdict = verify_chain(_chain(private_ca), "qlik.example.com", anchors, now=later)
    assert not verdict.trusted
    assert "validity period" in verdict.reason


def test_a_chain_to_a_ca_outside_the_bundle_is_refused(private_ca: SimCertificates) -> None:
    stranger = generate_certificates()
    try:
        anchors = read_ca_bundle(stranger.ca_cert)
    finally:
        stranger.remove()
    verdict = verify_chain(_chain(private_ca), "qlik.example.com", anchors)
    assert not verdict.trusted
    assert "does not chain to a trusted CA" in verdict.reason


def test_a_server_certificate_in_the_bundle_is_pinned_for_its_own_host_only(
    private_ca: SimCertificates,
) -> None:
    """An admin may put the server's own certificate in the bundle: it is trusted as it is,
    and still only for the names it carries."""
    pinned = read_ca_bundle(private_ca.server_cert)
    assert verify_chain(_chain(private_ca), "qlik.example.com", pinned).trusted
    assert not verify_chain(_chain(private_ca), "evil.example.com", pinned).trusted


def test_no_certificate_and_garbage_are_refused(private_ca: SimCertificates) -> None:
    anchors = read_ca_bundle(private_ca.ca_cert)
    assert not verify_chain([], "qlik.example.com", anchors).trusted
    assert not verify_chain([b"not der"], "qlik.example.com", anchors).trusted


def test_an_unreadable_bundle_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrustFilesError, match=r"network\.ca_bundle"):
        read_ca_bundle(tmp_path / "missing.pem")
    (tmp_path / "empty.pem").write_text("nothing here\n")
    with pytest.raises(TrustFilesError, match="holds no PEM certificate"):
        read_ca_bundle(tmp_path / "empty.pem")
    verdict = ConfiguredTrust(tmp_path / "missing.pem").verify([b"x"], "h")
    assert not verdict.trusted
    assert "Cannot read the CA bundle" in verdict.reason


def test_the_configured_trust_adds_the_bundle_to_the_system_store(
    private_ca: SimCertificates,
) -> None:
    trust = ConfiguredTrust(private_ca.ca_cert)
    assert trust.verify(_chain(private_ca), "qlik.example.com").trusted
    assert not ConfiguredTrust(None).verify(_chain(private_ca), "qlik.example.com").trusted
