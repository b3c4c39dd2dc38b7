"""Sheet rotation: a kiosk shows the configured sheets of its app in turn, each for a while, in
the same engine session; a sheet that is not LIVE (a notice is on screen) is not rotated away, and
rotation pauses while someone uses the screen (`pause`/`resume`, see viewer.features.idle_reset)."""

from __future__ import annotations

from collections.abc import Callable

from viewer.core import state as vs
from viewer.features.base import Periodic
from viewer.log import emit, get_logger
from viewer.sheet.controller import SheetController

_log = get_logger("app")


class Rotation(Periodic):
    """Shows `sheets` in turn on `sheet`, each for `every_s` seconds while LIVE; `hold_frame`
    (if given) keeps the sheet's picture on screen until the next one has drawn itself."""

    def __init__(
        self,
        sheet: SheetController,
        sheets: list[str],
        every_s: float,
        *,
        hold_frame: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.hold_frame = hold_frame
        self.on_navigate: Callable[[], None] | None = None  # each sheet change (capacity)
        self.sheet = sheet
        self.sheets = sheets
        self.interval_s = every_s
        self.paused = False

    def pause(self) -> None:
        """Stay on the sheet shown now until `resume()`."""
        if not self.paused:
            self.paused = True
            emit(_log, "sheet.rotation_paused")

    def resume(self) -> None:
        """Rotate again; the next sheet comes a whole `every_s` from now."""
        if self.paused:
            self.paused = False
            self.restart()
            emit(_log, "sheet.rotation_resumed")

    def step(self) -> None:
        current = self.sheet.sheet_id
        parked = self.sheet.parked  # a planned-off screen: nobody sees it, nothing to load
        if self.paused or parked or self.sheet.phase is not vs.Phase.LIVE or current is None:
            return
        position = self.sheets.index(current) if current in self.sheets else -1
        following = self.sheets[(position + 1) % len(self.sheets)]
        emit(_log, "sheet.rotating", sheet=following)
        if self.hold_frame is not None:
            self.hold_frame()
        if self.on_navigate is not None:
            self.on_navigate()
        self.sheet.show_sheet(following)
