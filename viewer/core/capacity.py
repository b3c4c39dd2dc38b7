"""The Analyzer Capacity minutes a display causes, as Qlik Cloud counts them: in 6-minute
blocks — an activity (opening the app, a sheet navigation, a selection) outside a running block
starts a new one and costs 6 minutes; activity inside a running block costs nothing more. A
rotation faster than every 6 minutes therefore costs the whole day (1,440 minutes); slower
rotation costs one block per sheet shown. Pure: the caller gives the time."""

from __future__ import annotations

from dataclasses import dataclass

BLOCK_S = 360.0
MINUTES_PER_BLOCK = 6
DAY_S = 86_400.0


@dataclass
class CapacityMeter:
    """Counts the minutes of the blocks that activities start."""

    minutes: int = 0
    block_ends_at: float | None = None

    def activity(self, now: float) -> bool:
        """Count one activity at `now` (seconds, monotonic); True when it started a block."""
        if self.block_ends_at is not None and now < self.block_ends_at:
            return False
        self.block_ends_at = now + BLOCK_S
        self.minutes += MINUTES_PER_BLOCK
        return True


def paced_interval_s(rotate_every_s: float, minutes_per_day: int | None) -> float:
    """The seconds between sheets that keep rotation within `minutes_per_day` (None: no
    budget): each sheet then starts its own block, so at most `minutes_per_day / 6` sheets a
    day, never faster than asked."""
    if minutes_per_day is None or minutes_per_day >= DAY_S / 60:
        return rotate_every_s
    blocks = max(1, minutes_per_day // MINUTES_PER_BLOCK)
    return max(rotate_every_s, DAY_S / blocks)
