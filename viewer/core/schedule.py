"""A kiosk's daily schedule, pure: times of day (`HH:MM` or `HH:MM:SS`, the wall's local time)
at which the sheet is reloaded, and windows in which the display is off on purpose (a window
whose end is before its start runs over midnight). Every question takes the time now, so the
logic is tested with any clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta


def parse_time(text: str) -> time:
    """`HH:MM` or `HH:MM:SS` as a time of day; ValueError otherwise."""
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"expected HH:MM or HH:MM:SS, got {text!r}")
    try:
        numbers = [int(p) for p in parts] + [0]
        return time(numbers[0], numbers[1], numbers[2])
    except ValueError as error:
        raise ValueError(f"{text!r} is not a time of day ({error})") from None


@dataclass(frozen=True)
class Window:
    """From `start` (included) to `end` (excluded), every day; over midnight when end < start."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> Window:
        """`HH:MM-HH:MM` (seconds allowed); ValueError for anything else or an empty window."""
        start, separator, end = text.partition("-")
        if not separator:
            raise ValueError(f"expected START-END, got {text!r}")
        window = cls(parse_time(start.strip()), parse_time(end.strip()))
        if window.start == window.end:
            raise ValueError(f"the window {text!r} is empty (start equals end)")
        return window

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def next_at(now: datetime, at: time) -> datetime:
    """The first moment after `now` whose time of day is `at`."""
    today = datetime.combine(now.date(), at, now.tzinfo)
    return (
        today if today > now else datetime.combine(now.date() + timedelta(days=1), at, now.tzinfo)
    )


@dataclass(frozen=True)
class DailySchedule:
    """Reload times and display-off windows (either may be empty)."""

    reload_at: tuple[time, ...] = ()
    display_off: tuple[Window, ...] = ()

    @classmethod
    def parse(cls, reload_at: list[str], display_off: list[str]) -> DailySchedule:
        return cls(
            tuple(parse_time(t) for t in reload_at), tuple(Window.parse(w) for w in display_off)
        )

    def display_off_at(self, now: datetime) -> bool:
        """True while `now` is inside one of the off windows."""
        moment = now.time()
        return any(window.contains(moment) for window in self.display_off)

    def next_reload(self, now: datetime) -> datetime | None:
        """The next reload after `now` (None: no reload times)."""
        return min((next_at(now, at) for at in self.reload_at), default=None)

    def next_display_change(self, now: datetime) -> datetime | None:
        """The next moment after `now` at which the display's planned state changes (None:
        never: no windows, or windows that together cover the whole day)."""
        boundaries = sorted(
            next_at(now, moment)
            for window in self.display_off
            for moment in (window.start, window.end)
        )
        off = self.display_off_at(now)
        for boundary in boundaries:
            if self.display_off_at(boundary) != off:
                return boundary
        return None
