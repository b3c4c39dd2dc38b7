"""The chaos runner's reading of the analyst window's log (tests/bench/timeline.py `Screen`):
each tab followed on its own, a screen sample judged against the tab that was on screen, and
the tab that waits for the user found even when it is not the current one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.bench.timeline import REPAINT_GRACE_S, Screen


def _line(at: float, event: str, **fields: Any) -> dict[str, Any]:
    return {"ts": datetime.fromtimestamp(at, UTC).isoformat(), "event": event, **fields}


def _live(screen: Screen, at: float, tab: str) -> None:
    screen.feed(_line(at, "view.visible", visible=True, tab=tab))
    screen.feed(_line(at, "ui.state", state="LIVE", reason=None, tab=tab))


def _two_tabs_live(at: float = 100.0) -> Screen:
    screen = Screen(expected=("t1", "t2"))
    screen.feed(_line(at, "tab.current", tab="t1"))
    _live(screen, at, "t1")
    screen.feed(_line(at, "tab.current", tab="t2"))
    _live(screen, at, "t2")
    return screen


def test_a_tab_that_drops_is_followed_on_its_own_and_the_window_waits_for_every_tab() -> None:
    screen = _two_tabs_live()
    screen.feed(_line(110.0, "view.visible", visible=False, tab="t1"))
    screen.feed(_line(110.0, "ui.state", state="CONNECTING", reason="x", tab="t1"))
    assert screen.tab("t2").live
    assert not screen.tab("t1").live
    assert not screen.live
    _live(screen, 112.0, "t1")
    assert screen.live
    assert screen.state_changed_at == datetime.fromtimestamp(112.0, UTC).timestamp()
    assert screen.take_verdicts() == ([], [])


def test_a_view_shown_while_its_tab_is_not_live_is_a_violation_named_by_its_tab() -> None:
    screen = _two_tabs_live()
    screen.feed(_line(110.0, "ui.state", state="OFFLINE", reason="x", tab="t2"))
    violations, _ = screen.take_verdicts()
    assert len(violations) == 1
    assert violations[0].startswith("t2: ")


def test_samples_are_judged_against_the_tab_on_screen() -> None:
    screen = _two_tabs_live()  # t2 current
    screen.feed(_line(110.0, "view.visible", visible=False, tab="t1"))  # a background tab
    screen.feed(_line(120.0, "tab.current", tab="t1"))
    _live(screen, 130.0, "t1")
    # t1 hidden 110-130 but only on screen from 120 (plus the repaint grace)
    assert not screen.hidden_throughout(115.0, 115.1)
    assert not screen.hidden_throughout(120.0, 120.1)
    assert screen.hidden_throughout(120.0 + REPAINT_GRACE_S, 121.0)
    assert screen.on_screen(119.0, 121.0) is False  # the current tab changed meanwhile


def test_a_background_tab_waiting_for_the_user_is_found_the_current_one_first() -> None:
    screen = _two_tabs_live()  # t2 current
    for tab in ("t1", "t2"):
        screen.feed(_line(110.0, "view.visible", visible=False, tab=tab))
        screen.feed(_line(110.0, "ui.state", state="CLOSED", reason="r", tab=tab))
    screen.feed(_line(110.1, "recovery.awaits_user", state="CLOSED", reason="r", tab="t1"))
    awaiting = screen.awaiting
    assert awaiting is not None
    assert awaiting["tab"] == "t1"
    screen.feed(_line(110.2, "recovery.awaits_user", state="CLOSED", reason="r", tab="t2"))
    awaiting = screen.awaiting
    assert awaiting is not None
    assert awaiting["tab"] == "t2"
    screen.feed(_line(111.0, "dialog.shown", kind="CLOSED"))  # no tab: the current tab's
    assert screen.dialog == "CLOSED"
    screen.feed(_line(112.0, "recovery.start", action="resume", tab="t2"))
    awaiting = screen.awaiting
    assert awaiting is not None
    assert awaiting["tab"] == "t1"


def test_the_kiosk_log_names_no_tab() -> None:
    screen = Screen()
    screen.feed(_line(100.0, "view.visible", visible=True))
    screen.feed(_line(100.0, "ui.state", state="LIVE", reason=None))
    assert screen.live
    screen.feed(_line(110.0, "view.visible", visible=False))
    screen.feed(_line(120.0, "view.visible", visible=True))
    assert screen.hidden_throughout(111.0, 119.0)
