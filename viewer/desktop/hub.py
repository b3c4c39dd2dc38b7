"""`Hub`: the hub window fed from the catalogue — apps listed when it opens (`hub.shown`
{apps}), an app's sheets when one is chosen, and a chosen sheet opened in a new tab through
the callback it is given. One listing at a time: a newer request cancels the older one. A
listing that needs the user to sign in (interactive modes, e.g. the first start) runs the
sign-in it is given and lists again; a sign-in that does not happen is a sentence in the hub."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from viewer.auth.errors import AuthError, SignInRequired
from viewer.desktop.catalog import Catalog, CatalogError
from viewer.log import emit, get_logger
from viewer.sheet.target import SheetTarget
from viewer.ui.hub import HubWindow

_log = get_logger("app")

T = TypeVar("T")


class Hub:
    """Shows `catalog`'s apps and sheets in a `HubWindow`; `open_sheet(target)` opens a tab."""

    def __init__(
        self,
        catalog: Catalog,
        product_name: str,
        open_sheet: Callable[[SheetTarget], object],
        parent: Any = None,
        sign_in: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.catalog = catalog
        self.sign_in = sign_in
        self.window = HubWindow(product_name, parent)
        self.open_sheet = open_sheet
        self.window.app_chosen.connect(self._on_app_chosen)
        self.window.sheet_chosen.connect(self._on_sheet_chosen)
        self._task: asyncio.Task[None] | None = None

    def show(self) -> None:
        """Open the window (in front) and list the apps afresh."""
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.window.search.setFocus()
        self._run(self._list_apps())

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.window.close()

    @property
    def busy(self) -> asyncio.Task[None] | None:
        """The listing under way, if any (tests wait for it)."""
        return self._task

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.get_running_loop().create_task(work)

    async def _signed_in(self, listing: Callable[[], Awaitable[T]]) -> T:
        """`listing()`, after the user's sign-in when it needs one."""
        try:
            return await listing()
        except SignInRequired:
            if self.sign_in is None:
                raise
        await self.sign_in()
        return await listing()

    async def _list_apps(self) -> None:
        try:
            apps = await self._signed_in(self.catalog.apps)
        except (CatalogError, AuthError) as error:  # e.g. a sign-in that did not happen
            emit(_log, "hub.failed", level=logging.WARNING, error=str(error))
            self.window.show_problem(str(error))
            return
        self.window.show_apps(apps)
        emit(_log, "hub.shown", apps=len(apps))

    async def _list_sheets(self, app_id: str) -> None:
        try:
            sheets = await self._signed_in(lambda: self.catalog.sheets(app_id))
        except (CatalogError, AuthError) as error:  # e.g. a sign-in that did not happen
            emit(_log, "hub.failed", level=logging.WARNING, error=str(error))
            self.window.show_problem(str(error))
            return
        self.window.show_sheets(app_id, sheets)
        emit(_log, "hub.sheets", app_id=app_id, sheets=len(sheets))

    def _on_app_chosen(self, app_id: str) -> None:
        self._run(self._list_sheets(app_id))

    def _on_sheet_chosen(self, app_id: str, sheet_id: str) -> None:
        self.window.hide()
        self.open_sheet(SheetTarget(app_id, sheet_id))
