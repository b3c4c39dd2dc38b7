"""Qlik's JavaScript SDK @qlik/api from npm (unmodified) against the running sim, with the host
configs its documentation shows: a Qlik Cloud API key (REST items, spaces, app info, then QIX with
the list mixins), a client-managed JWT virtual proxy, and the client-managed engine port with an
exported client certificate (PFX). How the client is installed and run: conftest.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    load_pem_private_key,
    pkcs12,
)
from node_clients import RunNode

pytestmark = pytest.mark.integration

PASSPHRASE = "sim-test"


def _check_app(seen: dict[str, Any], sim: Any) -> None:
    app = sim.ready["apps"][0]
    assert seen["title"] == app["name"]
    assert seen["sheets"] == [sheet["title"] for sheet in app["sheets"]]
    assert seen["bookmarks"] == ["North only", "Bikes in Q1"]
    assert seen["fields"] == ["Region", "Month", "Product", "Sales", "Quantity"]
    assert seen["measures"] == ["msr-sales"]


def test_qlik_api_on_cloud_with_an_api_key(run_node: RunNode, cloud_sim: Any) -> None:
    app_id = cloud_sim.ready["apps"][0]["id"]
    config = {
        "mode": "cloud",
        "url": cloud_sim.url,
        "apiKey": cloud_sim.credentials["api_key"],
        "appId": app_id,
    }
    seen = run_node("qlik_api_client.mjs", config)
    assert seen["items"] == [app["name"] for app in cloud_sim.ready["apps"][:2]]
    assert seen["hasNext"] is True
    assert seen["spaces"] == list(dict.fromkeys(app["space"] for app in cloud_sim.ready["apps"]))
    assert seen["appName"] == "Sales"
    _check_app(seen, cloud_sim)


def test_qlik_api_on_the_jwt_virtual_proxy(run_node: RunNode, qseow_sim: Any) -> None:
    trust = qseow_sim.credentials["jwt_auth"]
    now = int(time.time())
    claims = {
        trust["user_id_claim"]: "erin",
        trust["user_directory_claim"]: "SIM",
        "iat": now,
        "nbf": now - 5,
        "exp": now + 300,
    }
    token = jwt.encode(claims, Path(trust["private_key_path"]).read_bytes(), algorithm="RS256")
    config = {
        "mode": "jwt",
        "url": f"{qseow_sim.url}/{trust['prefix']}",
        "jwt": token,
        "appId": qseow_sim.ready["apps"][0]["id"],
    }
    _check_app(run_node("qlik_api_client.mjs", config), qseow_sim)
    assert qseow_sim.client.state()["users"]["SIM\\erin"]["proxy_sessions"] == 1


def test_qlik_api_on_the_engine_port_with_a_pfx_certificate(
    run_node: RunNode, qseow_sim: Any, tmp_path: Path
) -> None:
    credentials = qseow_sim.credentials
    certificate = x509.load_pem_x509_certificate(Path(credentials["client_cert_path"]).read_bytes())
    key = load_pem_private_key(Path(credentials["client_key_path"]).read_bytes(), None)
    pfx = tmp_path / "client.pfx"
    pfx.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"client",
            key,
            certificate,
            None,
            BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    config = {
        "mode": "pfx",
        "url": credentials["engine_url"].replace("wss://", "https://"),
        "pfxPath": str(pfx),
        "passphrase": PASSPHRASE,
        "appId": qseow_sim.ready["apps"][0]["id"],
    }
    _check_app(
        run_node("qlik_api_client.mjs", config, extra_ca=credentials["ca_cert_path"]), qseow_sim
    )
    assert "INTERNAL\\sa_engine" in qseow_sim.client.state()["users"]  # the SDK's default user
