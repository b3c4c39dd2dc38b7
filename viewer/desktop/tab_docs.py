"""What the analyst's window learns of each tab's app once the tab has connected: the app's and
the sheet's titles (the tab's name, the user in the window title), "Data as of …" from the app's
last reload (read again whenever the engine says the app changed, with `app.data_reloaded` when
it moved on), and the app (`Doc`) itself for the commands that act on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from viewer.core.tasks import BackgroundTasks
from viewer.engine.errors import EngineClientError, EngineError
from viewer.log import emit, get_logger

if TYPE_CHECKING:
    from viewer.engine.objects import Doc
    from viewer.sheet.connect import Connected
    from viewer.sheet.controller import SheetController
    from viewer.ui.tabs import TabbedShell

_log = get_logger("app")


class TabDocs:
    """The apps of `shell`'s tabs. `is_open(sheet)` tells whether a sheet still has its tab;
    reads of the engine run as background tasks (`close()` cancels them)."""

    def __init__(
        self,
        shell: TabbedShell,
        is_open: Callable[[SheetController], bool],
        step_timeout_s: float,
    ) -> None:
        self._shell = shell
        self._is_open = is_open
        self._step_timeout_s = step_timeout_s
        self._docs: dict[SheetController, Doc] = {}
        self._last_reload: dict[SheetController, str] = {}
        self._tasks = BackgroundTasks()

    def doc_of(self, sheet: SheetController) -> Doc | None:
        """The app (Doc) of `sheet`'s engine session, once connected."""
        return self._docs.get(sheet)

    def sheet_connected(self, sheet: SheetController, connected: Connected) -> None:
        """A sheet's connect finished: name its tab after the app and the sheet."""
        if sheet.tab is not None:
            self._tasks.start(self._name_tab(sheet, connected))

    def forget(self, sheet: SheetController) -> None:
        """`sheet`'s tab is closed."""
        self._docs.pop(sheet, None)
        self._last_reload.pop(sheet, None)

    async def close(self) -> None:
        await self._tasks.cancel()

    async def _name_tab(self, sheet: SheetController, connected: Connected) -> None:
        try:
            async with asyncio.timeout(self._step_timeout_s):
                layout = await connected.doc.get_app_layout()
                sheets = await connected.doc.get_sheet_list()
        except (EngineError, OSError, TimeoutError):
            return  # the tab keeps its short title; the sheet's own recovery handles the rest
        self._docs[sheet] = connected.doc
        self._show_last_reload(sheet, layout)
        connected.doc.changed.add(lambda doc: self._doc_changed(sheet, connected.doc))
        app_title = str(layout.get("qTitle") or sheet.target.app_id)
        sheet_title = next(
            (str(s["title"]) for s in sheets if s["id"] == connected.sheet_id and s["title"]),
            connected.sheet_id,
        )
        if self._is_open(sheet) and sheet.tab:
            self._shell.set_tab_title(sheet.tab, f"{app_title} — {sheet_title}")
            self._shell.set_subtitle(connected.grant.user or "")

    def _show_last_reload(self, sheet: SheetController, layout: dict[str, Any]) -> None:
        """ "Data as of …" on the tab's status bar; `app.data_reloaded` when it changes."""
        last = str(layout.get("qLastReloadTime") or "")
        previous = self._last_reload.get(sheet)
        self._last_reload[sheet] = last
        if previous is not None and previous != last:
            emit(_log, "app.data_reloaded", tab=sheet.tab, last_reload=last)
        if sheet.tab is not None:
            self._shell.show_data_as_of(sheet.tab, last)

    def _doc_changed(self, sheet: SheetController, doc: Doc) -> None:
        """The engine says the app changed (a reload, among others): read its layout again."""
        if not self._is_open(sheet) or self._docs.get(sheet) is not doc:
            return

        async def reread() -> None:
            try:
                layout = await doc.get_app_layout()
            except (EngineClientError, OSError):
                return
            self._show_last_reload(sheet, layout)

        self._tasks.start(reread())
