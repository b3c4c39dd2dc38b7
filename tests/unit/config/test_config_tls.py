"""One SSL context per TLS setting, shared by the whole process, built once (or ahead of time on
a worker thread), with failures that name the file and are not remembered."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer.config import tls
from viewer.config.tls import TlsFilesError, TlsSettings, prepare, shared_context
from viewer.sim.certs import SimCertificates, generate_certificates


@pytest.fixture(scope="module")
def certs() -> Iterator[SimCertificates]:
    generated = generate_certificates()
    yield generated
    generated.remove()


def _copy(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    return target


def test_equal_settings_share_one_context(certs: SimCertificates, tmp_path: Path) -> None:
    bundle = _copy(certs.ca_cert, tmp_path / "ca.pem")
    first = shared_context(TlsSettings(ca_bundle=bundle))
    assert shared_context(TlsSettings(ca_bundle=Path(str(bundle)))) is first
    assert shared_context(TlsSettings()) is not first


def test_the_ca_bundle_is_trusted_besides_the_system(
    certs: SimCertificates, tmp_path: Path
) -> None:
    bundle = _copy(certs.ca_cert, tmp_path / "ca.pem")
    system = {str(c["subject"]) for c in shared_context(TlsSettings()).get_ca_certs()}
    with_bundle = {str(c["subject"]) for c in shared_context(TlsSettings(bundle)).get_ca_certs()}
    added = with_bundle - system
    assert len(added) == 1
    assert "viewer sim" in next(iter(added)).lower()
    assert system <= with_bundle


def test_prepare_builds_on_a_worker_and_use_waits_for_it(
    certs: SimCertificates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builders: list[str] = []
    release = threading.Event()
    real = tls.new_context

    def slow_build(settings: TlsSettings) -> object:
        builders.append(threading.current_thread().name)
        release.wait(5)
        return real(settings)

    monkeypatch.setattr(tls, "new_context", slow_build)
    settings = TlsSettings(ca_bundle=_copy(certs.ca_cert, tmp_path / "ca.pem"))
    prepare(settings)
    prepare(settings)  # already under way: no second build
    threading.Timer(0.05, release.set).start()
    context = shared_context(settings)
    assert shared_context(settings) is context
    assert builders == ["tls-trust"]


def test_a_missing_bundle_is_named_and_not_remembered(
    certs: SimCertificates, tmp_path: Path
) -> None:
    bundle = tmp_path / "later.pem"
    with pytest.raises(TlsFilesError, match=f"CA bundle {bundle} .*No such file"):
        shared_context(TlsSettings(ca_bundle=bundle))
    _copy(certs.ca_cert, bundle)
    assert shared_context(TlsSettings(ca_bundle=bundle)) is not None


def test_a_bundle_without_certificates_is_named(tmp_path: Path) -> None:
    bundle = tmp_path / "not-pem.pem"
    bundle.write_text("this is not a certificate\n")
    with pytest.raises(TlsFilesError, match=f"CA bundle {bundle}") as caught:
        shared_context(TlsSettings(ca_bundle=bundle))
    assert "Check network.ca_bundle: it must name a file this user can read" in str(caught.value)
    with pytest.raises(TlsFilesError, match=r"Check auth\.ca_cert: it must name a file"):
        shared_context(TlsSettings(ca_bundle=bundle, ca_bundle_key="auth.ca_cert"))


def test_a_client_key_that_does_not_match_is_named(certs: SimCertificates) -> None:
    settings = TlsSettings(client_cert=certs.client_cert, client_key=certs.server_key)
    with pytest.raises(
        TlsFilesError, match=f"client certificate {certs.client_cert} and"
    ) as caught:
        shared_context(settings)
    assert "Check auth.client_cert and auth.client_key: they must name files" in str(caught.value)
