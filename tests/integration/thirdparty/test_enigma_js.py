"""Qlik's own JavaScript client, enigma.js from npm (unmodified, delta mode), against the running
sim: the calls apps make on open, a list box selection, a field selection, Evaluate, and a
reload by another session reaching this one as a `changed` event on its Doc.

The packages are installed by `.ci/setup` (`npm ci` here); the test installs them itself when
they are missing and node/npm are present, and is skipped only when node is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "node_modules" / "enigma.js" / "schemas" / "12.2027.0.json"
INSTALL_TIMEOUT = 120
RUN_TIMEOUT = 60


@pytest.fixture(scope="module")
def node() -> str:
    """The node executable, with enigma.js and ws installed next to this file."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None:
        pytest.skip("node is not installed: the third-party client tier needs Node.js")
    if not SCHEMA.exists():
        assert npm is not None, "node is installed but npm is not: cannot install enigma.js"
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=HERE, check=True, timeout=INSTALL_TIMEOUT,
        )  # fmt: skip
    return node


def test_enigma_js_opens_an_app_selects_evaluates_and_hears_a_reload(
    node: str, cloud_sim: Any
) -> None:
    app = cloud_sim.ready["apps"][0]
    config = {
        "url": cloud_sim.ws_url(""),
        "headers": {"Authorization": f"Bearer {cloud_sim.credentials['api_key']}"},
        "appId": app["id"],
        "schema": str(SCHEMA),
    }
    run = subprocess.run(
        [node, str(HERE / "enigma_client.mjs"), json.dumps(config)],
        cwd=HERE, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])

    assert seen["engineVersion"].startswith("12.")
    assert seen["docs"] == [a["name"] for a in cloud_sim.ready["apps"]]
    assert seen["title"] == "Sales"
    assert seen["sheets"] == [s["title"] for s in app["sheets"]]
    assert seen["bookmarks"] == ["North only", "Bikes in Q1"]
    assert seen["fields"] == ["Region", "Month", "Product", "Sales", "Quantity"]
    assert (seen["chartRows"], seen["chartAxis"]) == (4, "all")
    assert seen["listSelect"] is True
    assert "Bikes:S" in seen["listStates"]
    assert {state.split(":")[1] for state in seen["listStates"]} == {"S", "A"}
    assert seen["fieldSelect"] is True
    assert seen["selectedRegions"] == "North"
    assert seen["cardinal"] == 4
    assert seen["total"] > 0
    assert seen["reloaded"] is True
    assert seen["reloadAfter"] > seen["reloadBefore"]
