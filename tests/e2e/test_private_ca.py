"""Private CA (issue 12, journey 2): a tenant whose certificate is issued by a CA only
`network.ca_bundle` names. The real `viewer run` on a kiosk shows the sheet — the web view
verified the chain against the bundle (never an ignore-all) — while a bundle with another CA
leaves the certificate refused (tests/gui/web/test_certificate_trust.py; `viewer check` tests the
same trust: tests/integration/auth/test_auth_check.py); a Chromium flag that turns certificate
checks off is refused before anything starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from viewer_process import isolated_env, run_viewer, start_kiosk_run, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tls_sim() -> Iterator[SimProcess]:
    """A Qlik Cloud flavoured sim serving HTTPS/WSS with a certificate from its own CA."""
    with SimProcess.start("cloud", extra_args=["--tls"]) as sim:
        yield sim


def _profile(sim: SimProcess, path: Path, ca_bundle: str) -> Path:
    return write_profile(sim.ready, "cloud-jwt", path, network={"ca_bundle": ca_bundle})


def test_the_view_trusts_the_configured_ca_bundle(tls_sim: SimProcess, tmp_path: Path) -> None:
    profile = _profile(tls_sim, tmp_path / "wall.toml", tls_sim.ready["credentials"]["ca_path"])
    process = start_kiosk_run(profile, tmp_path)
    try:
        trusted = process.wait_for("web.certificate_trusted", timeout=60)
        assert "chains to a trusted CA" in trusted["reason"]
        process.wait_for("sheet.loaded", timeout=60)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
    finally:
        process.stop()
    events = [line.get("event") for line in process.lines]
    assert "web.certificate_refused" not in events
    assert "sheet.failed" not in events


def test_a_flag_that_turns_certificate_checks_off_is_refused(
    tls_sim: SimProcess, tmp_path: Path
) -> None:
    profile = _profile(tls_sim, tmp_path / "wall.toml", tls_sim.ready["credentials"]["ca_path"])
    flags = {"QTWEBENGINE_CHROMIUM_FLAGS": "--enable-logging --ignore-certificate-errors"}
    result = run_viewer(
        ["run", "--config", str(profile), "--kiosk", "--log-file", "none"],
        env={**isolated_env(tmp_path), **flags},
        timeout=30,
    )
    assert result.returncode == 2
    assert "--ignore-certificate-errors" in result.stderr
    assert "network.ca_bundle" in result.stderr
    assert "Traceback" not in result.stderr
