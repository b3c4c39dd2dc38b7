"""The Analyzer Capacity minutes this display causes (viewer.core.capacity): the app's opening,
every sheet navigation of rotation and idle reset, and people's input count as activity; each
6-minute block started is logged (`kiosk.capacity_block`) and `capacity_minutes()` gives the
total for metrics."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from viewer.core.capacity import CapacityMeter
from viewer.log import emit, get_logger

_log = get_logger("app")

if TYPE_CHECKING:
    from viewer.monitor.metrics import ViewerMetrics


class CapacityUse:
    """Counts activity into 6-minute blocks (`activity()` is cheap: call it for every input)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.meter = CapacityMeter()
        self.clock = clock
        self._reported = 0

    def capacity_minutes(self) -> int:
        """Analyzer Capacity minutes caused since the viewer started (a counter)."""
        return self.meter.minutes

    def report(self, metrics: ViewerMetrics, tab: str) -> None:
        """Capacity minutes since the last report (viewer_capacity_minutes_total)."""
        minutes = self.capacity_minutes()
        metrics.capacity_minutes(minutes - self._reported, tab=tab)
        self._reported = minutes

    def activity(self) -> None:
        if self.meter.activity(self.clock()):
            emit(_log, "kiosk.capacity_block", minutes_total=self.meter.minutes)

    async def start(self) -> None:
        self.activity()  # the app is opened now

    async def close(self) -> None:
        """Nothing to release."""
