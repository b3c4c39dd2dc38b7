"""`viewer demo --auth MODE` reaches LIVE with every non-interactive sign-in mode the sim offers,
quits by itself after `--quit-after` with exit code 0, and its `--screenshot` shows the sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from screen import SHEET_BAR_COLOURS, count_colour
from viewer_process import ViewerProcess

pytestmark = pytest.mark.e2e

MODES = [
    ("cloud", "cloud-jwt"),
    ("qseow", "qseow-ticket"),
    ("qseow", "qseow-session"),
    ("qseow", "qseow-header"),
    ("qseow", "qseow-jwt"),
    ("qseow", "anonymous"),
]


@pytest.mark.parametrize(("flavor", "mode"), MODES)
def test_demo_signs_in_and_shows_the_sheet(tmp_path: Path, flavor: str, mode: str) -> None:
    shot = tmp_path / "demo.png"
    args = ["demo", "--flavor", flavor, "--auth", mode, "--quit-after", "10"]
    args += ["--screenshot", str(shot), "--log-file", "none"]
    process = ViewerProcess(
        args=tuple(args),
        env={"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path)},
    ).start()
    try:
        process.wait_for("auth.signed_in", lambda line: line.get("mode") == mode, timeout=60)
        process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
        assert process.wait_exit(timeout=60) == 0
    finally:
        process.stop()
    assert not process.unexpected_errors()
    image = QImage(str(shot))
    assert not image.isNull(), "no screenshot was written"
    assert count_colour(image, SHEET_BAR_COLOURS) > 1000, "the screenshot does not show the sheet"
