"""The Qt bindings keep Python's singletons alive: a kiosk runs for weeks, and a binding that drops
one reference to None per callback aborts the process (`Fatal Python error: none_dealloc`) after
some hours. PySide6 6.12.0 does exactly that for every Python override of a virtual method
Qt calls (qasync's `timerEvent` runs on every loop turn; an event filter's `eventFilter`), which
is why pyproject.toml pins 6.11.3. These tests fail on such a binding, and stop early so that
a broken binding fails them instead of aborting the test process.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

TURNS = 3000
FILTERED_EVENTS = 300
ALLOWED_DRIFT = 100  # references come and go with whatever else runs; a leak is one per call


@contextmanager
def _no_collection() -> Iterator[None]:
    """Collect first, then keep the collector still: earlier tests' garbage, freed halfway
    through, would release references to the singletons and blur the count."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


SINGLETONS = (None, False, True)


def _counts() -> list[int]:
    return [sys.getrefcount(singleton) for singleton in SINGLETONS]


def _drift(baseline: list[int]) -> int:
    """The most references any of the singletons lost since `baseline`."""
    return max(before - now for before, now in zip(baseline, _counts(), strict=True))


def test_loop_turns_do_not_drain_singletons(
    run_async: Callable[[Coroutine[Any, Any, Any], float], Any],
) -> None:
    async def turns() -> int:
        baseline = _counts()
        for _ in range(TURNS):
            await asyncio.sleep(0)  # one qasync timerEvent per turn
            if _drift(baseline) > ALLOWED_DRIFT:
                break
        return _drift(baseline)

    with _no_collection():
        assert run_async(turns(), 30.0) <= ALLOWED_DRIFT


class _PassThrough(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return False


def test_event_filter_overrides_do_not_drain_singletons() -> None:
    widget = QWidget()
    passthrough = _PassThrough()
    widget.installEventFilter(passthrough)
    try:
        with _no_collection():
            baseline = _counts()
            for number in range(FILTERED_EVENTS):
                widget.setWindowTitle(str(number))  # each title change passes the filter
                if _drift(baseline) > ALLOWED_DRIFT:
                    break
            assert _drift(baseline) <= ALLOWED_DRIFT
    finally:
        widget.removeEventFilter(passthrough)
