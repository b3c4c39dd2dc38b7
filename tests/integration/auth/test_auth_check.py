"""`viewer check` against the simulated tenant: every step passes for good profiles, and a
failure names its cause and next step while later steps are skipped."""

from __future__ import annotations

import argparse
import io
import json
import socket
import tomllib
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from authsim import in_sim

from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.auth.store import GrantStore, default_grant_path
from viewer.commands import check
from viewer.commands.check_steps import StepResult, run_checks
from viewer.config.loading import ConfigLocations, load_profile
from viewer.sim.certs import generate_certificates
from viewer.sim.engine.data import sample_apps
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration
STEPS = ["name resolves", "TCP", "TLS", "stored session", "auth", "csrf", "engine socket",
         "OpenDoc", "sheet exists", "/single/ reachable"]  # fmt: skip
NOTHING_STORED = ["pass"] * 3 + ["skip"] + ["pass"] * 6


def _profile_file(tmp_path: Path, sim: RunningSim, auth: dict[str, Any], **tenant: Any) -> Path:
    app = sim.ready["apps"][0]
    data = {
        "tenant": {"kind": sim.ready["flavor"], "base_url": sim.url, "app_id": app["id"],
                   "sheet_id": app["sheets"][0]["id"], **tenant},
        "auth": auth,
    }  # fmt: skip
    data["tenant"] = {key: value for key, value in data["tenant"].items() if value is not None}
    path = tmp_path / "profile.toml"
    path.write_bytes(tomli_w.dumps(data).encode())
    return path


async def _check(tmp_path: Path, path: Path) -> list[StepResult]:
    locations = ConfigLocations(tmp_path / "site.toml", tmp_path / "profiles", tmp_path / "state")
    profile = load_profile(config_file=path, locations=locations, environ={})
    return await run_checks(profile)


def _cloud_jwt(sim: RunningSim, **override: Any) -> dict[str, Any]:
    jwt = sim.ready["credentials"]["jwt"]
    return {"mode": "cloud-jwt", "private_key": f"file:{jwt['private_key_path']}",
            "kid": jwt["kid"], "issuer": jwt["issuer"], "subject": "alice", "name": "Alice",
            "email": "alice@example.com", **override}  # fmt: skip


def test_a_profile_without_an_app_passes_and_the_engine_lists_the_apps(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim))
        data = tomllib.loads(path.read_text())
        del data["tenant"]["app_id"], data["tenant"]["sheet_id"]
        path.write_bytes(tomli_w.dumps(data).encode())
        return await _check(tmp_path, path)

    results = in_sim(main)
    outcomes = {r.step: r.outcome for r in results}
    assert outcomes.pop("stored session") == "skip", results  # nothing stored by a check
    assert set(outcomes.values()) == {"pass"}, results
    listed = len(sample_apps())
    assert results[STEPS.index("OpenDoc")].detail == (
        f"no app configured; the engine lists {listed} app(s)"
    )


def test_every_step_passes_for_cloud_jwt(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        return await _check(tmp_path, _profile_file(tmp_path, sim, _cloud_jwt(sim)))

    results = in_sim(main)
    assert [r.step for r in results] == STEPS
    assert [r.outcome for r in results] == NOTHING_STORED, results


def test_every_step_passes_for_qseow_ticket(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        creds = sim.ready["credentials"]
        auth = {"mode": "qseow-ticket", "qps_url": creds["qps_url"],
                "client_cert": creds["client_cert_path"], "client_key": creds["client_key_path"],
                "ca_cert": creds["ca_cert_path"], "user_directory": "SIM", "user_id": "alice"}  # fmt: skip
        prefix = creds["virtual_proxy"]["prefix"]
        return await _check(tmp_path, _profile_file(tmp_path, sim, auth, prefix=prefix))

    results = in_sim(main, flavor="qseow")
    assert [r.outcome for r in results] == NOTHING_STORED, results


def test_rejected_jwt_fails_auth_and_skips_the_rest(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        return await _check(tmp_path, _profile_file(tmp_path, sim, _cloud_jwt(sim, kid="k1")))

    results = {r.step: r for r in in_sim(main)}
    assert results["TCP"].outcome == "pass"
    assert results["auth"].outcome == "fail"
    assert results["auth"].detail == (
        "The tenant rejected the JWT: kid `k1` is not configured on the JWT identity provider. "
        "Set auth.kid to the key id of the JWT identity provider."
    )
    assert {results[s].outcome for s in STEPS[5:]} == {"skip"}


def test_unknown_sheet_is_named(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim), sheet_id="no-such-sheet")
        return await _check(tmp_path, path)

    sheet = next(r for r in in_sim(main) if r.step == "sheet exists")
    assert (sheet.outcome, sheet.detail) == ("fail", "sheet `no-such-sheet` is not in the app")
    assert sheet.hint.startswith("Check tenant.sheet_id")


def test_cli_reports_a_bad_config_as_json_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[tenant]\nkind = "cloud"\nbase_url = "ftp://x"\n')
    out = io.StringIO()
    with redirect_stdout(out):
        code = check.run(argparse.Namespace(config=path, profile=None, json=True))
    assert code == 1
    (row,) = json.loads(out.getvalue())
    assert (row["step"], row["result"]) == ("config valid", "fail")
    assert "tenant.base_url" in row["detail"]


def _locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(tmp_path / "site.toml", tmp_path / "profiles", tmp_path / "state")


def test_a_rotated_key_fails_the_sign_in_even_while_the_stored_session_is_accepted(
    tmp_path: Path,
) -> None:
    """The stored session is its own step; the configured credentials are always tried."""

    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim))
        profile = load_profile(config_file=path, locations=_locations(tmp_path), environ={})
        store = GrantStore(default_grant_path(profile.locations.state_dir, profile.name))
        strategy = strategy_for(profile.config, profile.identity())
        await AuthSession(strategy, store).grant()  # what a first `viewer run` leaves behind
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim, kid="rotated"))
        return await _check(tmp_path, path)

    results = {r.step: r for r in in_sim(main)}
    assert results["stored session"].outcome == "pass", results["stored session"]
    assert results["auth"].outcome == "fail"
    assert "kid `rotated`" in results["auth"].detail


def test_a_profile_without_a_sheet_checks_the_first_sheet_of_the_app(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim), sheet_id=None)
        return await _check(tmp_path, path)

    results = {r.step: r for r in in_sim(main)}
    assert [r.outcome for r in results.values()] == NOTHING_STORED, results
    assert "shows the first" in results["sheet exists"].detail


def test_a_cloud_app_that_does_not_exist_points_at_the_app_id(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim), app_id="no-such-app")
        return await _check(tmp_path, path)

    engine = next(r for r in in_sim(main) if r.step == "engine socket")
    assert engine.outcome == "fail"
    assert engine.hint.startswith("Check tenant.app_id"), engine


def test_nothing_listening_on_the_qps_port_is_cannot_connect_not_a_client_certificate(
    tmp_path: Path,
) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        creds = sim.ready["credentials"]
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            port = unused.getsockname()[1]
        auth = {"mode": "qseow-ticket", "qps_url": f"https://127.0.0.1:{port}/qps",
                "client_cert": creds["client_cert_path"], "client_key": creds["client_key_path"],
                "ca_cert": creds["ca_cert_path"], "user_directory": "SIM", "user_id": "alice"}  # fmt: skip
        prefix = creds["virtual_proxy"]["prefix"]
        return await _check(tmp_path, _profile_file(tmp_path, sim, auth, prefix=prefix))

    auth = next(r for r in in_sim(main, flavor="qseow") if r.step == "auth")
    assert auth.outcome == "fail"
    assert auth.detail.startswith("Cannot connect to 127.0.0.1:"), auth
    assert "client certificate" not in auth.detail


def test_https_against_a_plain_http_port_says_the_server_speaks_plain_http(
    tmp_path: Path,
) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        base = sim.url.replace("http://", "https://")
        return await _check(tmp_path, _profile_file(tmp_path, sim, _cloud_jwt(sim), base_url=base))

    tls = next(r for r in in_sim(main) if r.step == "TLS")
    assert (tls.outcome, tls.detail.startswith("the server speaks plain HTTP")) == ("fail", True)
    assert "http://" in tls.hint


def test_http_against_an_https_port_says_the_server_speaks_https(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        base = sim.url.replace("https://", "http://")
        return await _check(tmp_path, _profile_file(tmp_path, sim, _cloud_jwt(sim), base_url=base))

    tls = next(r for r in in_sim(main, tls=True) if r.step == "TLS")
    assert tls.outcome == "fail", tls
    assert tls.detail.startswith("the server speaks HTTPS (TLS) on 127.0.0.1:"), tls
    assert tls.hint.startswith("Use https:// in tenant.base_url")


def test_tls_passes_by_the_web_views_verification_with_the_ca_bundle(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim))
        data = tomllib.loads(path.read_text())
        data["network"] = {"ca_bundle": sim.ready["credentials"]["ca_path"]}
        path.write_bytes(tomli_w.dumps(data).encode())
        return await _check(tmp_path, path)

    results = {r.step: r for r in in_sim(main, tls=True)}
    assert results["TLS"].outcome == "pass", results["TLS"]
    assert "web view" in results["TLS"].detail
    assert [r.outcome for r in results.values()] == NOTHING_STORED, results


def test_tls_names_a_certificate_the_bundle_does_not_vouch_for(tmp_path: Path) -> None:
    stranger = generate_certificates()

    async def main(sim: RunningSim) -> list[StepResult]:
        path = _profile_file(tmp_path, sim, _cloud_jwt(sim))
        data = tomllib.loads(path.read_text())
        data["network"] = {"ca_bundle": str(stranger.ca_cert)}
        path.write_bytes(tomli_w.dumps(data).encode())
        return await _check(tmp_path, path)

    try:
        tls = next(r for r in in_sim(main, tls=True) if r.step == "TLS")
    finally:
        stranger.remove()
    assert tls.outcome == "fail"
    assert "web view would refuse" in tls.detail
    assert "does not chain to a trusted CA" in tls.detail
    assert "network.ca_bundle" in tls.hint
