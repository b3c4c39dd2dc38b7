"""Switch profile in the analyst window: File ▸ Switch profile lists the user's profiles with
the current one marked and not choosable; choosing another remembers it as the last profile,
asks for the restart on it and runs the ordered shutdown (the composition root then starts the
program again with `--profile NAME`)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from desktop_harness import WindowFactory
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from viewer.config.start import last_profile

pytestmark = pytest.mark.gui


def test_switch_profile_lists_the_profiles_and_restarts_on_the_chosen_one(
    desktop_window: WindowFactory,
    qtbot: QtBot,
    log_output: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(sys, "argv", ["viewer", "run", "--log-format", "json"])
    window = desktop_window(configured_app=False)
    app = window.app
    qtbot.waitUntil(lambda: '"hub.shown"' in log_output.getvalue(), timeout=20_000)
    locations = app.profile.locations
    locations.profiles_dir.mkdir(parents=True, exist_ok=True)
    for name in ("sales", app.profile.name, "Finance"):
        locations.profile_file(name).write_text("", encoding="utf-8")
    (locations.profiles_dir / "notes.txt").write_text("not a profile", encoding="utf-8")
    commands = window.desktop.commands
    commands.actions["switch-profile"].trigger()
    picker = commands.profile_picker
    assert picker is not None
    qtbot.waitUntil(picker.isVisible)
    rows = [picker.profiles.item(i) for i in range(picker.profiles.count())]
    assert [row.text() for row in rows] == [  # type: ignore[union-attr]
        f"{app.profile.name} (current)",
        "Finance",
        "sales",
    ]
    assert not rows[0].flags() & Qt.ItemFlag.ItemIsEnabled  # type: ignore[union-attr]
    picker.profiles.setCurrentRow(2)
    qtbot.keyClick(picker.profiles, Qt.Key.Key_Return)
    qtbot.waitUntil(window.task.done, timeout=20_000)
    assert window.task.result() == 0
    assert app.restart_arguments == ["run", "--profile", "sales", "--log-format", "json"]
    assert last_profile(locations) == "sales"
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    events = [line["event"] for line in lines]
    assert events.index("profile.switch") < events.index("app.stopped")
