"""Qlik's own JavaScript client, enigma.js from npm (unmodified, delta mode), against the running
sim: the calls apps make on open, a list box selection, a field selection, Evaluate, and a
reload by another session reaching this one as a `changed` event on its Doc.

How the client is installed and run: conftest.py."""

from __future__ import annotations

from typing import Any

import pytest
from node_clients import HERE, RunNode

pytestmark = pytest.mark.integration

SCHEMA = HERE / "node_modules" / "enigma.js" / "schemas" / "12.2027.0.json"


def test_enigma_js_opens_an_app_selects_evaluates_and_hears_a_reload(
    run_node: RunNode, cloud_sim: Any
) -> None:
    app = cloud_sim.ready["apps"][0]
    config = {
        "url": cloud_sim.ws_url(""),
        "headers": {"Authorization": f"Bearer {cloud_sim.credentials['api_key']}"},
        "appId": app["id"],
        "schema": str(SCHEMA),
    }
    seen = run_node("enigma_client.mjs", config)

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
