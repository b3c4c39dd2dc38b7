"""`SheetTarget`: which sheet a tab or a kiosk shows — an app and, optionally, one of its
sheets — and its `APP_ID[/SHEET_ID]` spelling (`--open`, the window state file). Light to
import: the command line parses it before anything else is loaded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SheetTarget:
    """Which sheet a controller shows: an app and, optionally, one of its sheets (None: the
    profile's configured sheet for the profile's app, else the app's first sheet)."""

    app_id: str
    sheet_id: str | None = None

    @property
    def key(self) -> str:
        """`APP_ID` or `APP_ID/SHEET_ID`, as given to `--open`."""
        return self.app_id if self.sheet_id is None else f"{self.app_id}/{self.sheet_id}"

    @classmethod
    def parse(cls, key: str) -> SheetTarget:
        """`APP_ID` or `APP_ID/SHEET_ID` (as given to `--open`); ValueError says what is wrong."""
        app_id, _, sheet_id = key.strip().partition("/")
        if not app_id or "/" in sheet_id or (key.strip().endswith("/") and not sheet_id):
            raise ValueError(f"{key!r} is not APP_ID or APP_ID/SHEET_ID")
        return cls(app_id, sheet_id or None)
