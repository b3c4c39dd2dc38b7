"""Screenshots of the virtual X display the e2e tier runs on (pytest-xvfb), taken from the test
process — the viewer under test is a separate process and is not asked for anything — and a
pixel census that tells the sheet from the branded overlay."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtGui import QColor, QGuiApplication, QImage

# Bar colours of the simulated tenant's sheet (resources/sim/single/single.css, every theme).
SHEET_BAR_COLOURS = ("#4477aa", "#2e7d6b", "#f0a030")


@functools.cache
def _application() -> QGuiApplication:
    """This test process's own (xcb) application, made once: it only reads the screen."""
    if "DISPLAY" not in os.environ:
        raise RuntimeError("the e2e tier needs an X display (pytest-xvfb provides one)")
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    return QGuiApplication(["e2e-screen", "-platform", "xcb"])


def grab_screen() -> QImage:
    """The whole X screen as an image."""
    _application()
    screen = QGuiApplication.primaryScreen()
    return screen.grabWindow(0).toImage()


def count_colour(
    image: QImage, colours: Iterable[str], *, step: int = 3, tolerance: int = 12
) -> int:
    """How many sampled pixels (every `step`-th in both directions) are within `tolerance`
    (per channel) of one of `colours`."""
    targets = [QColor(c) for c in colours]
    found = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            pixel = image.pixelColor(x, y)
            for target in targets:
                if (
                    abs(pixel.red() - target.red()) <= tolerance
                    and abs(pixel.green() - target.green()) <= tolerance
                    and abs(pixel.blue() - target.blue()) <= tolerance
                ):
                    found += 1
                    break
    return found


def save(image: QImage, directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    image.save(str(path))
    return path


def screen_until(check: Callable[[QImage], bool], timeout: float) -> tuple[bool, QImage]:
    """Grab the screen until `check` holds or `timeout` passes (a repaint of another process
    cannot be awaited as an event, so this polls, bounded); return the verdict and last image."""
    deadline = time.monotonic() + timeout
    while True:
        image = grab_screen()
        if check(image) or time.monotonic() >= deadline:
            return check(image), image
        time.sleep(0.2)
