"""Parking a sheet while its screen is off by plan (SheetController.park / wake), with fakes for
the page, the host and the connect path: a LIVE sheet that can sign in by itself closes its
session and leaves the sheet page; nothing it hears meanwhile moves its state machine, nothing
loads; waking connects along the one connect path and returns once the sheet page has loaded.
A sheet whose sign-in needs a person, or one that is not LIVE, is not parked."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, MagicMock

from viewer.core import state as vs
from viewer.sheet.controller import SheetController

SHEET_URL = "https://tenant.example/single/?appid=app&sheet=s1"


class FakePage:
    """What the controller uses of ViewerPage: its signals and `open`."""

    def __init__(self) -> None:
        self.loadingChanged = MagicMock()
        self.renderer_terminated = MagicMock()
        self.engine_socket_changed = MagicMock()
        self.warming_up = False
        self.opened: list[str] = []
        self.sheet_opened = asyncio.Event()

    def open(self, url: Any) -> None:
        self.opened.append(url.toString())
        if url.toString() == SHEET_URL:
            self.sheet_opened.set()


def fake_session() -> Any:
    return SimpleNamespace(close=AsyncMock(), events=[], state=None)


def live_controller(*, silent_reauth: bool) -> tuple[SheetController, FakePage, Any]:
    machine = vs.ViewerState.start(vs.Mode.KIOSK, silent_reauth=silent_reauth)
    for event in (vs.EngineOpened(), vs.PageLoaded()):
        machine, _ = machine.handle(event, 0.0)
    assert machine.phase is vs.Phase.LIVE
    page = FakePage()
    session = fake_session()
    path = MagicMock()
    path.sheet_url.return_value = SHEET_URL
    path.connect = AsyncMock(
        return_value=SimpleNamespace(session=session, doc=object(), sheet_id="s1", theme=None)
    )
    controller = SheetController(
        MagicMock(),
        SimpleNamespace(app_id="app", sheet_id="s1"),  # type: ignore[arg-type]
        view=MagicMock(),
        page=page,  # type: ignore[arg-type]
        machine=machine,
        path=path,
    )
    controller.session = fake_session()
    return controller, page, path


def test_a_live_sheet_is_parked_and_woken_along_the_connect_path() -> None:
    async def scenario() -> None:
        controller, page, path = live_controller(silent_reauth=True)
        old_session = controller.session
        assert await controller.park()
        assert controller.parked
        assert controller.session is None
        old_session.close.assert_awaited()  # type: ignore[union-attr]
        assert page.opened == ["about:blank"]  # the page's own engine socket closes with it
        # what it hears meanwhile is its own doing: the state machine stays where it was
        controller.feed(vs.PageFailed(vs.PAGE_SOCKET_LOST))
        controller.reload()
        controller.show_sheet("s2")
        for _ in range(5):
            await asyncio.sleep(0)  # a recovery started by mistake would run now
        assert controller.machine.phase is vs.Phase.LIVE
        assert page.opened == ["about:blank"]  # nothing loaded while parked
        path.connect.assert_not_awaited()

        waking = asyncio.create_task(controller.wake())
        await asyncio.wait_for(page.sheet_opened.wait(), 1)
        assert not waking.done()  # the sheet page is loading, not loaded
        path.connect.assert_awaited_once()
        assert page.opened[1:] == [SHEET_URL]
        controller._page_loaded(SHEET_URL)
        await asyncio.wait_for(waking, 1)
        assert not controller.parked
        assert controller.session is path.connect.return_value.session
        assert controller.machine.phase is vs.Phase.LIVE

    asyncio.run(scenario())


def test_a_sheet_that_needs_a_person_to_sign_in_is_not_parked() -> None:
    async def scenario() -> None:
        controller, page, _path = live_controller(silent_reauth=False)
        assert not await controller.park()
        assert not controller.parked
        assert controller.session is not None
        assert page.opened == []

    asyncio.run(scenario())


def test_a_sheet_that_is_not_live_is_not_parked() -> None:
    async def scenario() -> None:
        controller, page, _path = live_controller(silent_reauth=True)
        controller.machine, _ = controller.machine.handle(vs.NetworkOffline(), 1.0)
        assert not await controller.park()
        assert page.opened == []

    asyncio.run(scenario())
