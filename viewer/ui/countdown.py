"""A label counting down to the next automatic recovery attempt, from a deadline in the state
machine's clock (`PlannedRecovery.due_at`)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

TICK_MS = 200


class CountdownLabel(QLabel):
    """Shows "Next attempt in N s" until `due_at`, then that the attempt is running.

    `clock` must be the clock the state machine's `now` comes from (monotonic seconds).
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._due_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_timer_tick)
        self.setObjectName("countdown")
        self.hide()

    def set_deadline(self, due_at: float | None) -> None:
        """Count down to `due_at`; None hides the label (no automatic attempt planned)."""
        self._due_at = due_at
        if due_at is None:
            self._timer.stop()
            self.clear()
            self.hide()
            return
        self._on_timer_tick()
        self._timer.start()
        self.show()

    def seconds_left(self) -> int | None:
        """Whole seconds until the attempt (rounded up), or None when none is planned."""
        if self._due_at is None:
            return None
        return max(0, math.ceil(self._due_at - self._clock()))

    def _on_timer_tick(self) -> None:
        left = self.seconds_left()
        if left is None:
            return
        if left > 0:
            self.setText(self.tr("Next attempt in {seconds} s").format(seconds=left))
        else:
            self.setText(self.tr("Trying again now…"))
            self._timer.stop()
