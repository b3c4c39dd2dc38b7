"""`viewer check` against the simulated tenant: every step passes for good profiles, and a
failure names its cause and next step while later steps are skipped."""

from __future__ import annotations

import argparse
import io
import json
import tomllib
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from authsim import in_sim

from viewer.commands import check
from viewer.commands.check_steps import StepResult, run_checks
from viewer.config.loading import ConfigLocations, load_profile
from viewer.sim.server import RunningSim

pytestmark = pytest.mark.integration
STEPS = ["name resolves", "TCP", "TLS", "auth", "csrf", "engine socket", "OpenDoc",
         "sheet exists", "/single/ reachable"]  # fmt: skip


def _profile_file(tmp_path: Path, sim: RunningSim, auth: dict[str, Any], **tenant: Any) -> Path:
    app = sim.ready["apps"][0]
    data = {
        "tenant": {"kind": sim.ready["flavor"], "base_url": sim.url, "app_id": app["id"],
                   "sheet_id": app["sheets"][0]["id"], **tenant},
        "auth": auth,
    }  # fmt: skip
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
    assert [r.outcome for r in results] == ["pass"] * len(STEPS), results
    assert results[STEPS.index("OpenDoc")].detail == "no app configured; the engine lists 2 app(s)"


def test_every_step_passes_for_cloud_jwt(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        return await _check(tmp_path, _profile_file(tmp_path, sim, _cloud_jwt(sim)))

    results = in_sim(main)
    assert [r.step for r in results] == STEPS
    assert [r.outcome for r in results] == ["pass"] * len(STEPS), results


def test_every_step_passes_for_qseow_ticket(tmp_path: Path) -> None:
    async def main(sim: RunningSim) -> list[StepResult]:
        creds = sim.ready["credentials"]
        auth = {"mode": "qseow-ticket", "qps_url": creds["qps_url"],
                "client_cert": creds["client_cert_path"], "client_key": creds["client_key_path"],
                "ca_cert": creds["ca_cert_path"], "user_directory": "SIM", "user_id": "alice"}  # fmt: skip
        prefix = creds["virtual_proxy"]["prefix"]
        return await _check(tmp_path, _profile_file(tmp_path, sim, auth, prefix=prefix))

    results = in_sim(main, flavor="qseow")
    assert [r.outcome for r in results] == ["pass"] * len(STEPS), results


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
    assert {results[s].outcome for s in STEPS[4:]} == {"skip"}


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
