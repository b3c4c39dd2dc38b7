"""What the analyst's window keeps between runs, and the `APP_ID[/SHEET_ID]` spelling of a
tab's target: round trips, damaged files start fresh, malformed targets say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.desktop.window_state import ZOOM_MAX, WindowState, window_state_path
from viewer.sheet.target import SheetTarget


def test_targets_parse_and_print_as_given_to_open() -> None:
    assert SheetTarget.parse("app-1") == SheetTarget("app-1")
    assert SheetTarget.parse(" app-1/sheet-2 ") == SheetTarget("app-1", "sheet-2")
    assert SheetTarget("app-1", "sheet-2").key == "app-1/sheet-2"


@pytest.mark.parametrize("bad", ["", "/sheet", "app/", "a/b/c"])
def test_malformed_targets_are_refused_with_the_value(bad: str) -> None:
    with pytest.raises(ValueError, match="is not APP_ID or APP_ID/SHEET_ID"):
        SheetTarget.parse(bad)


def test_the_window_state_round_trips(tmp_path: Path) -> None:
    path = window_state_path(tmp_path, "my profile")
    assert path == tmp_path / "profiles" / "my_profile" / "window.json"
    state = WindowState([SheetTarget("a"), SheetTarget("b", "s")], 1, "01ab", 1.25)
    state.save(path)
    assert WindowState.load(path) == state


@pytest.mark.parametrize("text", ["{", '{"format": 99}', '{"format": 1, "tabs": ["a/b/c"]}', "[]"])
def test_a_missing_or_damaged_file_is_a_fresh_start(tmp_path: Path, text: str) -> None:
    path = tmp_path / "window.json"
    assert WindowState.load(path) == WindowState()
    path.write_text(text)
    assert WindowState.load(path) == WindowState()


def test_a_stored_zoom_is_kept_within_bounds(tmp_path: Path) -> None:
    path = tmp_path / "window.json"
    path.write_text('{"format": 1, "zoom": 40}')
    assert WindowState.load(path).zoom == ZOOM_MAX
