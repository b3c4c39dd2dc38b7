"""Each auth mode of a profile builds its strategy; secrets are read through references and
registered for redaction; unreadable secrets become a located configuration error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from viewer.auth.anonymous import Anonymous, ApiKey
from viewer.auth.cloud_jwt import CloudJwt
from viewer.auth.errors import AuthConfigError
from viewer.auth.factory import strategy_for
from viewer.auth.interactive import CloudInteractive, QseowInteractive
from viewer.auth.qseow_header import QseowHeader, QseowJwt
from viewer.auth.qseow_session import QseowSession
from viewer.auth.qseow_ticket import QseowTicket
from viewer.config.models import ViewerConfig
from viewer.log import scrub_text

CLOUD = {"kind": "cloud", "base_url": "https://acme.example", "app_id": "a1"}
QSEOW = {"kind": "qseow", "base_url": "https://qlik.example", "prefix": "viewer", "app_id": "a1"}


def _config(tenant: dict[str, Any], auth: dict[str, Any]) -> ViewerConfig:
    return ViewerConfig.model_validate({"tenant": tenant, "auth": auth})


@pytest.fixture
def key_file(tmp_path: Path, rsa_key: Any) -> Path:
    path = tmp_path / "key.pem"
    path.write_text(rsa_key.private_pem)
    return path


@pytest.fixture
def qps(tmp_path: Path) -> dict[str, Any]:
    return {"client_cert": tmp_path / "c.pem", "client_key": tmp_path / "k.pem",
            "user_directory": "ACME", "user_id": "alice"}  # fmt: skip


def test_every_mode_builds_its_strategy(
    key_file: Path, qps: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIEWER_TEST_API_KEY", "api-key-value-778")
    jwt = {"private_key": f"file:{key_file}", "kid": "k1"}
    cases = [
        (CLOUD, {"mode": "cloud-interactive"}, CloudInteractive),
        (
            CLOUD,
            {"mode": "cloud-jwt", **jwt, "issuer": "i", "subject": "s", "email": "e@x.com"},
            CloudJwt,
        ),
        (CLOUD, {"mode": "api-key", "api_key": "env:VIEWER_TEST_API_KEY"}, ApiKey),
        (CLOUD, {"mode": "anonymous"}, Anonymous),
        (QSEOW, {"mode": "qseow-ticket", **qps}, QseowTicket),
        (QSEOW, {"mode": "qseow-session", **qps}, QseowSession),
        (QSEOW, {"mode": "qseow-header", "header_name": "hdr", "user_id": "u"}, QseowHeader),
        (QSEOW, {"mode": "qseow-jwt", **jwt, "user_id": "u"}, QseowJwt),
        (QSEOW, {"mode": "qseow-interactive"}, QseowInteractive),
    ]
    for tenant, auth, kind in cases:
        strategy = strategy_for(_config(tenant, auth), "wall-1")
        assert type(strategy) is kind
        assert strategy.mode == auth["mode"]
        assert strategy.tenant.identity == "wall-1"
    assert "api-key-value-778" not in scrub_text("key api-key-value-778 leaked")


def test_qps_client_certificate_goes_into_tls(qps: dict[str, Any]) -> None:
    strategy = strategy_for(_config(QSEOW, {"mode": "qseow-ticket", **qps}), "w")
    assert strategy.tls.client_cert == qps["client_cert"]
    assert strategy.tls.client_key == qps["client_key"]
    assert strategy.tls.ca_bundle_key == "network.ca_bundle"
    own_ca = {"mode": "qseow-ticket", **qps, "ca_cert": qps["client_cert"].parent / "qps-ca.pem"}
    strategy = strategy_for(_config(QSEOW, own_ca), "w")
    assert strategy.tls.ca_bundle_key == "auth.ca_cert"  # the key a broken bundle is named by


def test_unreadable_secret_names_the_key(tmp_path: Path) -> None:
    auth = {"mode": "cloud-jwt", "private_key": f"file:{tmp_path}/missing.pem", "kid": "k1",
            "issuer": "i", "subject": "s", "email": "e@x.com"}  # fmt: skip
    with pytest.raises(AuthConfigError) as caught:
        strategy_for(_config(CLOUD, auth), "w")
    assert str(caught.value).startswith("Cannot read a secret of the profile: auth.private_key")
