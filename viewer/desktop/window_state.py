"""What the analyst's window brings back on the next start: its open tabs (`APP_ID[/SHEET_ID]`,
left to right, and which was current), its geometry and its zoom — a small JSON file in the
profile's state directory. A missing or damaged file is a fresh start, never an error."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from viewer.log import emit, get_logger
from viewer.sheet.target import SheetTarget

_log = get_logger("app")
_FORMAT = 1
ZOOM_MIN = 0.25
ZOOM_MAX = 5.0


def window_state_path(state_dir: Path, profile_name: str) -> Path:
    """`<user state dir>/profiles/<profile>/window.json`."""
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in profile_name) or "_"
    return state_dir / "profiles" / safe / "window.json"


@dataclass
class WindowState:
    """Open tabs, the current one's position, the window geometry (Qt's saveGeometry, hex) and
    the zoom factor of every tab."""

    tabs: list[SheetTarget] = field(default_factory=list)
    current: int = 0
    geometry: str = ""
    zoom: float = 1.0

    @classmethod
    def load(cls, path: Path) -> WindowState:
        """The stored state, or a fresh one when there is none or it cannot be read."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != _FORMAT:
                raise ValueError("unknown format")
            tabs = [SheetTarget.parse(str(key)) for key in data.get("tabs", [])]
            zoom = float(data.get("zoom", 1.0))
            return cls(
                tabs=tabs,
                current=int(data.get("current", 0)),
                geometry=str(data.get("geometry", "")),
                zoom=min(max(zoom, ZOOM_MIN), ZOOM_MAX),
            )
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, TypeError) as error:
            emit(_log, "app.window_state_ignored", level=logging.WARNING, path=str(path),
                 error=str(error))  # fmt: skip
            return cls()

    def save(self, path: Path) -> None:
        """Write the state (atomically: a crash mid-write leaves the old file)."""
        data = {
            "format": _FORMAT,
            "tabs": [target.key for target in self.tabs],
            "current": self.current,
            "geometry": self.geometry,
            "zoom": self.zoom,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(json.dumps(data, indent=2), encoding="utf-8")
            os.replace(partial, path)
        except OSError as error:
            emit(_log, "app.window_state_unsaved", level=logging.WARNING, path=str(path),
                 error=str(error))  # fmt: skip
