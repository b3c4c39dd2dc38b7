"""How fresh the data on the wall is: the app's last reload time (the engine's
`qLastReloadTime`) turned into the badge's words and a stale verdict. Pure: the caller gives
the time now and the time zone the wall shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo


def parse_reload_time(value: object) -> datetime | None:
    """`qLastReloadTime` (ISO 8601, UTC, e.g. `2026-01-15T06:00:00.000Z`) as an aware datetime;
    None when the app has never been reloaded or the value is not a time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # the engine writes UTC with a zone; a bare time cannot be placed honestly
    return moment


@dataclass(frozen=True)
class Freshness:
    """What the badge says about data last reloaded at `reloaded_at`."""

    reloaded_at: datetime
    stale_after_s: float | None = None

    def age_s(self, now: datetime) -> float:
        """Seconds since the reload (0 for a reload time in the future: clocks differ)."""
        return max(0.0, (now - self.reloaded_at).total_seconds())

    def stale(self, now: datetime) -> bool:
        """True when the data is older than allowed."""
        return self.stale_after_s is not None and self.age_s(now) > self.stale_after_s

    def text(self, now: datetime, zone: tzinfo | None = None) -> str:
        """ "Data as of 06:00" today, "Data as of 15 Jan 06:00" on another day (in `zone`,
        default the machine's), with "out of date" added when stale."""
        local = self.reloaded_at.astimezone(zone)
        same_day = local.date() == now.astimezone(zone).date()
        when = local.strftime("%H:%M") if same_day else local.strftime("%d %b %H:%M").lstrip("0")
        words = f"Data as of {when}"
        return f"{words} — out of date" if self.stale(now) else words
