"""The product's core loop end to end: the real `viewer demo --kiosk` process under Xvfb against
its simulated tenant. Faults are injected through the sim's admin API; the JSON log must show
the view hidden and the overlay shown, then LIVE again; screenshots of the X display must show
the overlay and no sheet pixels while not LIVE, and the sheet while LIVE."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from screen import SHEET_BAR_COLOURS, count_colour, save, screen_until
from viewer_process import ARTIFACTS, LogLine, ViewerProcess

pytestmark = pytest.mark.e2e

LOGO_GREEN = ("#009845",)
# The sim's sheet draws four bars of at least 100 x 200 px; sampled every 3rd pixel that is
# far above this, while the overlay has none of their colour.
SHEET_PIXELS = 1000
# The default logo (128 px high on the overlay) sampled every 3rd pixel.
OVERLAY_LOGO_PIXELS = 400

# fault -> the notices that may be shown before it recovers
FAULTS: dict[str, set[str]] = {
    "drop": {"SUSPENDED"},
    "restart": {"SUSPENDED"},
    "expire": {"AUTH_REQUIRED", "SUSPENDED", "CONNECTING"},
    "revoke": {"SUSPENDED", "AUTH_REQUIRED", "CONNECTING"},
}


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[ViewerProcess, str]]:
    process = ViewerProcess(args=("demo", "--kiosk", "--log-file", "none")).start()
    try:
        ready = process.wait_for("sim.ready", timeout=60)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        yield process, str(ready["url"])
    finally:
        process.stop()
        errors = process.unexpected_errors()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "demo-recovery.log.jsonl").write_text(
            "\n".join(str(line) for line in process.lines)
        )
        assert not errors, f"unexpected error lines: {errors}"


def _fault(url: str, kind: str, **params: Any) -> None:
    response = httpx.post(f"{url}/_sim/fault", json={"kind": kind, **params}, timeout=10)
    assert response.status_code == 200, response.text


def _state_is(state: str) -> Callable[[LogLine], bool]:
    return lambda line: line.get("state") == state


def _hidden(line: LogLine) -> bool:
    return line.get("visible") is False


def _screen_shows_sheet(name: str) -> None:
    """The sheet is painted (it renders its data just after the page loaded)."""
    shown, image = screen_until(lambda i: count_colour(i, SHEET_BAR_COLOURS) >= SHEET_PIXELS, 10)
    if not shown:
        save(image, ARTIFACTS, name)
    assert shown, f"the sheet is not on screen ({count_colour(image, SHEET_BAR_COLOURS)} px)"


def _screen_shows_overlay(name: str) -> None:
    """The overlay is painted, and not one sheet pixel is left on screen."""
    shown, image = screen_until(lambda i: count_colour(i, LOGO_GREEN) >= OVERLAY_LOGO_PIXELS, 5)
    bars = count_colour(image, SHEET_BAR_COLOURS)
    if bars or not shown:
        save(image, ARTIFACTS, name)
    assert shown, f"the branded overlay is not on screen ({count_colour(image, LOGO_GREEN)} px)"
    assert bars == 0, f"sheet pixels on screen while not LIVE ({bars})"


def test_sheet_is_on_screen_when_live(demo: tuple[ViewerProcess, str]) -> None:
    process, _ = demo
    process_lines = [line for line in process.lines if line.get("event") == "sheet.loaded"]
    assert process_lines, "the sheet never loaded"
    assert "/single/" in process_lines[-1]["url_without_secrets"]
    _screen_shows_sheet("live")


def test_the_sheet_is_drawn_in_software_where_there_is_no_gpu(
    demo: tuple[ViewerProcess, str],
) -> None:
    """Under Xvfb OpenGL is llvmpipe on the CPU: `auto` picks Qt Quick's software renderer (a
    machine with a GPU render node keeps the GPU). That the sheet is on screen with it is
    `test_sheet_is_on_screen_when_live`, on the same process."""
    process, _ = demo
    rendering = [line for line in process.lines if line.get("event") == "web.rendering"]
    assert len(rendering) == 1
    has_gpu = any(Path("/dev/dri").glob("renderD*"))
    assert rendering[0]["software"] is (not has_gpu), rendering[0]


@pytest.mark.parametrize("kind", list(FAULTS))
def test_fault_hides_the_view_and_recovers(demo: tuple[ViewerProcess, str], kind: str) -> None:
    process, url = demo
    start = len(process.lines)
    _fault(url, kind)
    process.wait_for("view.visible", _hidden, timeout=15)
    shown = process.wait_for("dialog.shown", timeout=15)
    assert shown["kind"] in FAULTS[kind]
    process.wait_for("ui.state", _state_is("LIVE"), timeout=45)
    _assert_visible_only_when_live(process.lines[start:])
    _screen_shows_sheet(f"after-{kind}")


def test_partition_is_noticed_and_healed(demo: tuple[ViewerProcess, str]) -> None:
    process, url = demo
    start = len(process.lines)
    _fault(url, "partition")
    # keepalive: 5 s between pings + 5 s to answer, plus slack
    suspended = process.wait_for("engine.suspended", timeout=15)
    assert suspended["initiator"] == "network"
    process.wait_for("view.visible", _hidden, timeout=5)
    process.wait_for("dialog.shown", lambda line: line["kind"] == "SUSPENDED", timeout=5)
    _screen_shows_overlay("partitioned")
    _fault(url, "heal")
    process.wait_for("ui.state", _state_is("LIVE"), timeout=45)
    _assert_visible_only_when_live(process.lines[start:])
    _screen_shows_sheet("healed")


def test_renderer_crash_hides_the_view_and_reloads(demo: tuple[ViewerProcess, str]) -> None:
    """Kill the page's renderer process (what a GPU driver or memory killer does to a wall
    display): the view is hidden, the sheet reloaded after a pause, and LIVE again."""
    process, _ = demo
    start = len(process.lines)
    # Chromium forks renderers from its zygote without exec: they are the zygote's children.
    renderers = [
        child
        for child in psutil.Process(process.pid).children(recursive=True)
        if "--type=zygote" in " ".join(child.parent().cmdline())
    ]
    assert renderers, "no renderer process found"
    for renderer in renderers:
        renderer.kill()
    terminated = process.wait_for("web.renderer_terminated", timeout=15)
    assert terminated["status"] in ("crashed", "killed", "abnormal")
    process.wait_for("view.visible", _hidden, timeout=5)
    process.wait_for("sheet.loading", timeout=15)
    process.wait_for("ui.state", _state_is("LIVE"), timeout=45)
    _assert_visible_only_when_live(process.lines[start:])
    _screen_shows_sheet("after-renderer-crash")


def _assert_visible_only_when_live(lines: list[LogLine]) -> None:
    """Every `view.visible true` goes with entering LIVE: the next ui.state line says LIVE."""
    for index, line in enumerate(lines):
        if line.get("event") == "view.visible" and line.get("visible") is True:
            following = [ln for ln in lines[index:] if ln.get("event") == "ui.state"]
            assert following, "view shown without a state change"
            assert following[0]["state"] == "LIVE", f"view shown in {following[0]['state']}"
