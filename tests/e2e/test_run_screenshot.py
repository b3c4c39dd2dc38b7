"""`viewer run --screenshot` shows what was on screen (issue 12, journey 10): the real program on
a desktop, with its branded dialog up (an app id that does not exist), saves on exit a picture
that holds the dialog — a separate top-level window — over the branded window."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from screen import count_colour
from viewer_process import isolated_env, write_profile

from viewer.commands.simproc import SimProcess

pytestmark = pytest.mark.e2e
BACKGROUND = "#203a5c"
PRIMARY = "#e07b00"


def test_run_saves_a_screenshot_with_the_dialog_on_it(
    cloud_sim: SimProcess, tmp_path: Path, viewer_process: type
) -> None:
    profile = write_profile(
        cloud_sim.ready, "cloud-jwt", tmp_path / "desk.toml",
        tenant={"app_id": "no-such-app"},
        branding={"background_color": BACKGROUND, "primary_color": PRIMARY},
    )  # fmt: skip
    shot = tmp_path / "shot-on-exit"  # no image suffix: saved as PNG, not silently skipped
    process = viewer_process(
        "run", "--config", str(profile), "--screenshot", str(shot), "--log-file", "none",
        env=isolated_env(tmp_path),
    )  # fmt: skip
    process.wait_for("dialog.shown", timeout=60)
    process.send_signal(signal.SIGTERM)
    assert process.wait_exit(timeout=30) == 0
    saved = process.wait_for("app.screenshot", timeout=5)
    assert saved["saved"] is True
    assert shot.read_bytes().startswith(b"\x89PNG\r\n")
    image = QImage(str(shot))
    assert not image.isNull()
    # the branded window: beside the dialog, below the menu and tab bars
    assert QColor(image.pixel(5, image.height() // 2)).name() == BACKGROUND
    assert count_colour(image, [PRIMARY]) > 50  # the dialog's buttons, composed over it
