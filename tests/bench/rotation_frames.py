"""What a rotating kiosk shows between sheets (issue 17, item 6): the real `viewer run --kiosk`
against the sim under Xvfb rotates between the Sales app's sheets while this process grabs the
screen as fast as it can. Each sheet's settled picture is the last frame before rotation leaves
it; every frame of a transition is then either the sheet rotated from, the sheet rotated to, a
blank page (one colour nearly everywhere) or something else (a partly drawn sheet).

    python -m tests.bench.rotation_frames [--rotations 100] [--every 2.0]

Prints one JSON object: screen samples by kind (the grabs run faster than the screen changes,
so these are samples, not distinct frames), the longest time a blank / partial picture stayed
on screen, and how many rotations showed one at all.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench.watched import ensure_display
from tests.e2e.rotation_census import SMALL, classify, pixels


def main(argv: list[str]) -> None:
    ensure_display("tests.bench.rotation_frames", argv)
    parser = argparse.ArgumentParser(prog="python -m tests.bench.rotation_frames")
    parser.add_argument("--rotations", type=int, default=100)
    parser.add_argument("--every", type=float, default=2.0, help="rotate_every_s")
    parser.add_argument(
        "--timeline",
        action="store_true",
        help="also list, per rotation that showed a blank or partial picture, each run of "
        "frames and the viewer's log events, in ms after its `sheet.rotating`",
    )
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.rotations, args.every, timeline=args.timeline), indent=2))


def measure(rotations: int, every_s: float, *, timeline: bool = False) -> dict[str, Any]:
    from PySide6.QtGui import QGuiApplication

    from tests.e2e.viewer_process import start_kiosk_run, write_profile
    from viewer.commands.simproc import SimProcess

    app = QGuiApplication.instance() or QGuiApplication(["bench", "-platform", "xcb"])
    screen = QGuiApplication.primaryScreen()
    frames: list[tuple[float, bytes]] = []
    with SimProcess.start("cloud") as sim, tempfile.TemporaryDirectory() as tmp:
        sheets = [sheet["id"] for sheet in sim.ready["apps"][0]["sheets"]]
        tenant = {"sheet_id": sheets[0], "sheets": sheets, "rotate_every_s": every_s}
        profile = write_profile(sim.ready, "cloud-jwt", Path(tmp) / "wall.toml", tenant=tenant)
        process = start_kiosk_run(profile, Path(tmp))
        try:
            process.wait_for("ui.state", lambda line: line["state"] == "LIVE", timeout=60)
            process.wait_for("sheet.rotating", timeout=30)  # the first sheet has settled
            end = time.monotonic() + (rotations + 0.5) * every_s
            while time.monotonic() < end:
                image = screen.grabWindow(0).toImage().scaled(*SMALL)
                frames.append((time.time(), pixels(image)))
                app.processEvents()
        finally:
            process.stop()
        rotating = [
            (_seconds(line["ts"]), line["sheet"])
            for line in process.lines
            if line.get("event") == "sheet.rotating"
        ]
        released = [line for line in process.lines if line.get("event") == "sheet.frame_released"]
        events = [
            (_seconds(line["ts"]), str(line["event"]))
            for line in process.lines
            if str(line.get("event", "")).startswith(("sheet.", "page."))
        ]
    held = sorted(line["held_ms"] for line in released)
    return {
        **classify(frames, rotating, events if timeline else None),
        "frame_hold_released": dict(Counter(line["reason"] for line in released)),
        "frame_hold_ms_median": held[len(held) // 2] if held else None,
        "frame_hold_ms_max": held[-1] if held else None,
    }


def _seconds(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


if __name__ == "__main__":
    main(sys.argv[1:])
