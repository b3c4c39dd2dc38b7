"""The 25-fault chaos run of CI: `python -m tests.bench.chaos` against the real `viewer demo
--kiosk` under this tier's Xvfb, and its verdict: every fault survived, the view never visible
while not LIVE (log and screenshots), one engine and one proxy session per identity left, no
crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from viewer_process import ARTIFACTS, child_env

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FAULTS = 25
BUDGET_S = 420  # the runner stops injecting after this; the whole test stays under 8 minutes


@pytest.mark.timeout(BUDGET_S + 60)
def test_chaos_run_survives_every_fault(tmp_path: Path) -> None:
    report_path = tmp_path / "chaos.json"
    command = [
        sys.executable, "-m", "tests.bench.chaos", "--faults", str(FAULTS), "--seed", "25",
        "--max-seconds", str(BUDGET_S), "--json", str(report_path),
    ]  # fmt: skip
    run = subprocess.run(
        command, cwd=ROOT, env=child_env(), capture_output=True, text=True,
        timeout=BUDGET_S + 50, check=False,
    )  # fmt: skip
    output = run.stdout.strip().splitlines()
    if run.returncode != 0:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "chaos-ci.out.txt").write_text(run.stdout + run.stderr[-20000:])
    assert output, f"no output; stderr: {run.stderr[-2000:]}"
    assert output[-1].startswith("chaos:"), output[-1]
    report = json.loads(report_path.read_text())
    failures = [(f["kind"], f["why"], f["script"]) for f in report["failures"]]
    assert report["complete"], f"stopped after {report['injected']} faults: {output[-1]}"
    assert report["survived"] == report["injected"] == FAULTS, failures
    assert report["visible_not_live_log"] == [], report["visible_not_live_log"]
    assert report["screenshots_hidden"] > 0, "no screenshot was taken while the view was hidden"
    assert report["visible_not_live_screen"] == [], report["visible_not_live_screen"]
    assert report["sessions"], "the sim reported no user"
    for user, counts in report["sessions"].items():
        assert counts == {"engine_sessions": 1, "proxy_sessions": 1}, (user, counts)
    assert report["crashes"] == []
    assert run.returncode == 0, output[-1]
