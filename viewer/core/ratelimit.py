"""A pure rate limit (no clock of its own: the caller passes the time): at most `limit` events
in any `window` seconds. Used where a page can make the viewer act or log as fast as it likes —
opening the system browser, writing the page's console into the log."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class RateLimit:
    """`allow(now)` is True for at most `limit` calls in any `window` seconds; the calls it
    refused since the last allowed one are counted in `refused` (reset by `take_refused`)."""

    limit: int
    window: float
    refused: int = 0
    _times: deque[float] = field(default_factory=deque)

    def allow(self, now: float) -> bool:
        while self._times and now - self._times[0] >= self.window:
            self._times.popleft()
        if len(self._times) >= self.limit:
            self.refused += 1
            return False
        self._times.append(now)
        return True

    def take_refused(self) -> int:
        """How many calls were refused since the last time this was asked (then zero)."""
        refused, self.refused = self.refused, 0
        return refused
