"""First run, "Connect to Qlik", against the real sim of both flavours: the kind of deployment is
found from the address (Qlik Cloud by its REST API's answer; client-managed by its product info
or its proxy's sign-in, with the prefix taken from the address), the dialog writes a profile
that loads with interactive sign-in, and a bad or unreachable address is a sentence in the
dialog, which stays open to correct it."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from viewer.auth.http import make_client
from viewer.config.loading import ConfigLocations, load_profile
from viewer.desktop.first_run import DetectedTenant, detect_tenant, write_first_profile
from viewer.sim.server import RunningSim, start_sim
from viewer.ui.connect_dialog import ConnectDialog

pytestmark = pytest.mark.gui

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]


def _sim(flavor: str, run_async: Runner) -> Iterator[RunningSim]:
    manager = start_sim(flavor)  # type: ignore[arg-type]
    running: RunningSim = run_async(manager.__aenter__(), 30.0)
    try:
        yield running
    finally:
        run_async(manager.__aexit__(None, None, None), 15.0)


@pytest.fixture
def cloud(run_async: Runner) -> Iterator[RunningSim]:
    yield from _sim("cloud", run_async)


@pytest.fixture
def client_managed(run_async: Runner) -> Iterator[RunningSim]:
    yield from _sim("qseow", run_async)


async def _detect(text: str) -> DetectedTenant:
    async with make_client(timeout=5.0) as client:
        return await detect_tenant(text, client)


def _locations(tmp_path: Path) -> ConfigLocations:
    return ConfigLocations(
        site_file=tmp_path / "site.toml",
        profiles_dir=tmp_path / "profiles",
        state_dir=tmp_path / "state",
    )


def test_each_flavour_is_told_apart_from_its_address(
    cloud: RunningSim, client_managed: RunningSim, run_async: Runner
) -> None:
    assert run_async(_detect(cloud.url), 10.0) == DetectedTenant("cloud", cloud.url)
    assert run_async(_detect(f"{cloud.url}/hub/"), 10.0) == DetectedTenant("cloud", cloud.url)
    prefix = client_managed.ready["credentials"]["virtual_proxy"]["prefix"]
    found = run_async(_detect(f"{client_managed.url}/{prefix}/hub"), 10.0)
    assert found == DetectedTenant("qseow", client_managed.url, prefix)
    assert found.auth_mode == "qseow-interactive"
    root = run_async(_detect(client_managed.url), 10.0)
    assert root == DetectedTenant("qseow", client_managed.url, "")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_dialog_writes_a_profile_that_loads_and_signs_in_interactively(
    cloud: RunningSim, qloop: Any, qtbot: QtBot, tmp_path: Path, log_output: io.StringIO
) -> None:
    locations = _locations(tmp_path)
    dialog = ConnectDialog(_detect, lambda tenant: write_first_profile(locations, tenant))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.address, cloud.url)
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    profile = load_profile("default", locations=locations)
    assert profile.config.auth.mode == "cloud-interactive"
    assert profile.config.tenant.kind == "cloud"
    assert str(profile.config.tenant.base_url).rstrip("/") == cloud.url
    assert profile.config.tenant.app_id is None  # the hub opens
    written = [
        json.loads(line)
        for line in log_output.getvalue().splitlines()
        if '"firstrun.profile_written"' in line
    ]
    assert written == [
        {**written[0], "profile": "default", "kind": "cloud", "mode": "cloud-interactive"}
    ]


def test_a_bad_or_unreachable_address_is_a_sentence_and_the_dialog_stays(
    qloop: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    locations = _locations(tmp_path)
    dialog = ConnectDialog(_detect, lambda tenant: write_first_profile(locations, tenant))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.address, "ftp://qlik.example.com")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a web address" in dialog.message.text(), timeout=5_000)
    dialog.address.clear()
    port = _free_port()
    qtbot.keyClicks(dialog.address, f"http://127.0.0.1:{port}")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cannot reach" in dialog.message.text(), timeout=10_000)
    assert f"127.0.0.1:{port}" in dialog.message.text()
    assert dialog.isVisible()
    assert dialog.connect_button.isEnabled()
    assert not locations.profile_file("default").exists()
