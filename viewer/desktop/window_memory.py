"""The analyst window's memory between runs, put to use: at start, which tabs to open (the last
run's, else the profile's sheet, then those asked for with `--open`), the geometry and the
current tab; while it runs, the state is written again whenever the tabs, the current tab or the
zoom change. The file itself is `viewer.desktop.window_state`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.desktop.window_state import WindowState
from viewer.sheet.target import SheetTarget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from viewer.sheet.controller import SheetController
    from viewer.ui.tabs import TabbedShell


class WindowMemory:
    """The window state loaded from `path` (None: nothing remembered, nothing written)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.state = WindowState.load(path) if path is not None else WindowState()

    @property
    def zoom(self) -> float:
        """The zoom factor of every tab (kept per profile)."""
        return self.state.zoom

    def start_targets(
        self, configured: SheetTarget | None, asked: Sequence[SheetTarget]
    ) -> list[SheetTarget]:
        """The first tabs: those of the last run (else the profile's sheet), then the ones
        asked for, each once."""
        targets = list(self.state.tabs) or ([configured] if configured is not None else [])
        for target in asked:
            if target not in targets:
                targets.append(target)
        return targets

    def restore_geometry(self, window: QWidget) -> None:
        if self.state.geometry:
            from PySide6.QtCore import QByteArray

            window.restoreGeometry(QByteArray.fromHex(self.state.geometry.encode("ascii")))

    def restore_current(self, shell: TabbedShell) -> None:
        """Make the tab that was current last time current again (once the tabs are open)."""
        if self.state.tabs:
            tabs = shell.tab_ids()
            if 0 <= self.state.current < len(tabs):
                shell.set_current(tabs[self.state.current])

    def set_zoom(self, factor: float) -> None:
        self.state.zoom = round(factor, 3)

    def remember(self, shell: TabbedShell, sheets: Iterable[SheetController]) -> None:
        """Store the open tabs, the current one, the geometry and the zoom for the next start."""
        if self.path is None:
            return
        by_tab = {sheet.tab: sheet for sheet in sheets}
        tabs = shell.tab_ids()
        current = shell.current_tab
        self.state = WindowState(
            tabs=[_remembered_target(by_tab[tab]) for tab in tabs if tab in by_tab],
            current=tabs.index(current) if current in tabs else 0,
            geometry=bytes(shell.window.saveGeometry().toHex().data()).decode("ascii"),
            zoom=self.state.zoom,
        )
        self.state.save(self.path)


def _remembered_target(sheet: SheetController) -> SheetTarget:
    """What a tab shows now: its app and the sheet on screen (or the one it was opened with)."""
    return SheetTarget(sheet.target.app_id, sheet.sheet_id or sheet.target.sheet_id)
