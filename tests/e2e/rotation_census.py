"""What the screen showed around each rotation of a kiosk's sheets: screen grabs (scaled down)
classified against the settled pictures of the sheet rotated from and to, for the e2e rotation
test and the rotation bench (tests/bench/rotation_frames.py).

Each sheet's settled picture is the last frame before rotation leaves it; every frame of a
transition is then either the sheet rotated from, the sheet rotated to, a blank page (one colour
nearly everywhere) or something else (a partly drawn sheet)."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import Counter
from typing import Any

SMALL = (160, 100)  # frames are compared scaled down: layout, not antialiasing
SAME = 4.0  # mean absolute difference per channel (0-255) below which two frames match
BLANK_SHARE = 0.97  # a frame whose most common colour covers this share is a blank page
TRANSITION_S = 1.5  # how long after `sheet.rotating` a frame counts as "between sheets"


def pixels(image: Any) -> bytes:
    from PySide6.QtGui import QImage

    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    return bytes(converted.constBits())[: SMALL[0] * SMALL[1] * 3]


def _distance(a: bytes, b: bytes) -> float:
    """Mean absolute difference per channel, over every 5th byte (all three channels)."""
    pairs = zip(a[::5], b[::5], strict=True)
    return sum(abs(x - y) for x, y in pairs) / len(a[::5])


def _blank(frame: bytes) -> bool:
    colours = Counter(frame[i : i + 3] for i in range(0, len(frame), 3))
    return colours.most_common(1)[0][1] >= BLANK_SHARE * (len(frame) // 3)


def classify(
    frames: list[tuple[float, bytes]],
    rotating: list[tuple[float, str]],
    events: list[tuple[float, str]] | None = None,
) -> dict[str, Any]:
    """`rotating`: every `sheet.rotating` (time, sheet); frames begin after the first one.
    With `events` (time, name), each affected rotation's timeline is listed too."""
    times = [t for t, _ in frames]
    settled: dict[str, bytes] = {}
    previous = rotating[0][1]
    counts = {"from": 0, "to": 0, "blank": 0, "partial": 0}
    longest = {"blank": 0.0, "partial": 0.0}  # seconds on screen, one run of frames
    intervals: list[float] = []
    measured = affected = 0
    timelines: list[list[str]] = []
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
        runs: list[list[Any]] = []  # [kind, first ms, last ms, frames]
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
            offset = round(1000 * (times[index] - at))
            if runs and runs[-1][0] == kind:
                runs[-1][2:] = [offset, runs[-1][3] + 1]
            else:
                runs.append([kind, offset, offset, 1])
            shown = times[index + 1] - times[index] if index + 1 < len(times) else 0.0
            for name in run:
                run[name] = run[name] + shown if kind == name else 0.0
                longest[name] = max(longest[name], run[name])
        affected += bool(kinds & {"blank", "partial"})
        if events is not None and kinds & {"blank", "partial"}:
            near = [(round(1000 * (t - at)), name) for t, name in events]
            timelines.append(
                [f"{o} ms {n}" for o, n in near if -50 <= o <= 1000 * TRANSITION_S]
                + [f"{a}..{b} ms {k} ({n} samples)" for k, a, b, n in runs]
            )
        previous = sheet
    intervals = [b - a for a, b in itertools.pairwise(times)]
    return {
        "rotations_measured": measured,
        "frames": len(frames),
        "frame_interval_ms_median": round(1000 * sorted(intervals)[len(intervals) // 2], 1),
        "frames_between_sheets": counts,
        "longest_run_ms": {name: round(1000 * seconds) for name, seconds in longest.items()},
        "rotations_with_blank_or_partial": affected,
        **({"timelines": timelines} if events is not None else {}),
    }
