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
import itertools
import json
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench.watched import ensure_display

SMALL = (160, 100)  # frames are compared scaled down: layout, not antialiasing
SAME = 4.0  # mean absolute difference per channel (0-255) below which two frames match
BLANK_SHARE = 0.97  # a frame whose most common colour covers this share is a blank page
TRANSITION_S = 1.5  # how long after `sheet.rotating` a frame counts as "between sheets"


def main(argv: list[str]) -> None:
    ensure_display("tests.bench.rotation_frames", argv)
    parser = argparse.ArgumentParser(prog="python -m tests.bench.rotation_frames")
    parser.add_argument("--rotations", type=int, default=100)
    parser.add_argument("--every", type=float, default=2.0, help="rotate_every_s")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.rotations, args.every), indent=2))


def measure(rotations: int, every_s: float) -> dict[str, Any]:
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
                frames.append((time.time(), _pixels(image)))
                app.processEvents()
        finally:
            process.stop()
        rotating = [
            (_seconds(line["ts"]), line["sheet"])
            for line in process.lines
            if line.get("event") == "sheet.rotating"
        ]
        released = [line for line in process.lines if line.get("event") == "sheet.frame_released"]
    held = sorted(line["held_ms"] for line in released)
    return {
        **_classify(frames, rotating),
        "frame_hold_released": dict(Counter(line["reason"] for line in released)),
        "frame_hold_ms_median": held[len(held) // 2] if held else None,
        "frame_hold_ms_max": held[-1] if held else None,
    }


def _pixels(image: Any) -> bytes:
    from PySide6.QtGui import QImage

    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    return bytes(converted.constBits())[: SMALL[0] * SMALL[1] * 3]


def _distance(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def _blank(frame: bytes) -> bool:
    pixels = [frame[i : i + 3] for i in range(0, len(frame), 3)]
    most = max(pixels.count(p) for p in set(pixels[:: max(1, len(pixels) // 50)]))
    return most >= BLANK_SHARE * len(pixels)


def _classify(
    frames: list[tuple[float, bytes]], rotating: list[tuple[float, str]]
) -> dict[str, Any]:
    """`rotating`: every `sheet.rotating` (time, sheet); frames begin after the first one."""
    times = [t for t, _ in frames]
    settled: dict[str, bytes] = {}
    previous = rotating[0][1]
    counts = {"from": 0, "to": 0, "blank": 0, "partial": 0}
    longest = {"blank": 0.0, "partial": 0.0}  # seconds on screen, one run of frames
    intervals: list[float] = []
    measured = affected = 0
    for at, sheet in rotating[1:]:
        before = bisect_left(times, at) - 1
        if before >= 0 and previous not in settled:
            settled[previous] = frames[before][1]
        if sheet not in settled or previous not in settled:
            previous = sheet
            continue  # references are known after each sheet has been left once
        measured += 1
        run = {"blank": 0.0, "partial": 0.0}
        start = bisect_left(times, at)
        stop = bisect_left(times, at + TRANSITION_S)
        kinds = set()
        for index in range(start, stop):
            frame = frames[index][1]
            if _distance(frame, settled[previous]) < SAME:
                kind = "from"
            elif _distance(frame, settled[sheet]) < SAME:
                kind = "to"
            elif _blank(frame):
                kind = "blank"
            else:
                kind = "partial"
            counts[kind] += 1
            kinds.add(kind)
            shown = times[index + 1] - times[index] if index + 1 < len(times) else 0.0
            for name in run:
                run[name] = run[name] + shown if kind == name else 0.0
                longest[name] = max(longest[name], run[name])
        affected += bool(kinds & {"blank", "partial"})
        previous = sheet
    intervals = [b - a for a, b in itertools.pairwise(times)]
    return {
        "rotations_measured": measured,
        "frames": len(frames),
        "frame_interval_ms_median": round(1000 * sorted(intervals)[len(intervals) // 2], 1),
        "frames_between_sheets": counts,
        "longest_run_ms": {name: round(1000 * seconds) for name, seconds in longest.items()},
        "rotations_with_blank_or_partial": affected,
    }


def _seconds(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


if __name__ == "__main__":
    main(sys.argv[1:])
