"""Key material the simulated tenant generates at start: a CA, a server certificate, a QPS client
certificate and the RSA key whose public half the tenant trusts for JWT sign-in.

Everything is written into one temporary directory (private keys mode 0600) that `remove()`
deletes; nothing is ever committed or reused between runs.
"""

from __future__ import annotations

import ipaddress
import secrets
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALIDITY = timedelta(days=2)
_TlsKey = ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SimCertificates:
    """Paths of the generated files plus the JWT key id and public key the tenant trusts."""

    directory: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    jwt_private_key: Path
    jwt_public_key_pem: bytes
    jwt_kid: str

    def server_context(self, *, require_client_cert: bool = False) -> ssl.SSLContext:
        """A TLS server context with the sim's server certificate; optionally demanding a client
        certificate signed by the sim's CA (as the QPS port does)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.server_cert, self.server_key)
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cafile=self.ca_cert)
        return context

    def remove(self) -> None:
        """Delete the directory and every key in it."""
        shutil.rmtree(self.directory, ignore_errors=True)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "viewer simulated tenant"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _tls_key() -> _TlsKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write_key(path: Path, key: _TlsKey | rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _builder(
    subject: str, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
    )


def _subject_alt_names(host: str) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
    ]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host != "localhost":
            names.append(x509.DNSName(host))
    else:
        if str(address) != "127.0.0.1":
            names.append(x509.IPAddress(address))
    return x509.SubjectAlternativeName(names)


def _leaf(
    ca_key: _TlsKey, ca_name: x509.Name, common_name: str, usage: x509.ObjectIdentifier
) -> tuple[_TlsKey, x509.CertificateBuilder]:
    key = _tls_key()
    builder = (
        _builder(common_name, ca_name, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    return key, builder


def generate_certificates(host: str = "127.0.0.1") -> SimCertificates:
    """Create a fresh temporary directory holding the CA, server, client and JWT keys."""
    directory = Path(tempfile.mkdtemp(prefix="viewer-sim-"))
    ca_key = _tls_key()
    ca_name = _name("viewer sim CA")
    ca_cert = (
        _builder("viewer sim CA", ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    server_key, server_builder = _leaf(ca_key, ca_name, host, ExtendedKeyUsageOID.SERVER_AUTH)
    server_cert = server_builder.add_extension(_subject_alt_names(host), critical=False).sign(
        ca_key, hashes.SHA256()
    )
    client_key, client_builder = _leaf(
        ca_key, ca_name, "QlikClient", ExtendedKeyUsageOID.CLIENT_AUTH
    )
    client_cert = client_builder.sign(ca_key, hashes.SHA256())
    jwt_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    paths = {
        name: directory / f"{name}.pem"
        for name in ("ca", "server", "server_key", "client", "client_key", "jwt_private_key")
    }
    _write_cert(paths["ca"], ca_cert)
    _write_cert(paths["server"], server_cert)
    _write_key(paths["server_key"], server_key)
    _write_cert(paths["client"], client_cert)
    _write_key(paths["client_key"], client_key)
    _write_key(paths["jwt_private_key"], jwt_key)
    return SimCertificates(
        directory=directory,
        ca_cert=paths["ca"],
        server_cert=paths["server"],
        server_key=paths["server_key"],
        client_cert=paths["client"],
        client_key=paths["client_key"],
        jwt_private_key=paths["jwt_private_key"],
        jwt_public_key_pem=jwt_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        jwt_kid=f"sim-{secrets.token_hex(4)}",
    )
