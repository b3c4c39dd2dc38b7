"""Fixtures for the analyst's window: a Cloud sim on this process's qasync loop and the real
`Application` (tabbed shell, real pages, real engine sockets) pointed at it, with its profile's
state in a temporary directory."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from desktop_harness import RunningWindow, WindowFactory
from pytestqt.qtbot import QtBot

from viewer.application import Application, AppOptions
from viewer.commands.demo import demo_config
from viewer.config.loading import ConfigLocations, Profile
from viewer.config.models import ViewerConfig
from viewer.sim.server import RunningSim, start_sim

# the /single/ page driver of the sim page tests (sign-in free here: the window signs in)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sim_page"))

Runner = Callable[[Coroutine[Any, Any, Any], float], Any]


@pytest.fixture
def desktop_sim(run_async: Runner) -> Iterator[RunningSim]:
    """A Qlik Cloud flavoured sim served from the gui tier's loop."""
    manager = start_sim("cloud")
    running: RunningSim = run_async(manager.__aenter__(), 30.0)
    try:
        yield running
    finally:
        run_async(manager.__aexit__(None, None, None), 15.0)


@pytest.fixture
def desktop_window(
    desktop_sim: RunningSim,
    qloop: asyncio.AbstractEventLoop,
    qtbot: QtBot,
    tmp_path: Path,
) -> Iterator[WindowFactory]:
    """Start the analyst's window against the sim: `desktop_window(open=(...), app_id=...)`.
    Windows started with the same `state` directory share their remembered window state."""
    started: list[RunningWindow] = []

    def start(
        *,
        open: tuple[Any, ...] = (),
        configured_app: bool = True,
        state: Path | None = None,
    ) -> RunningWindow:
        data = demo_config(desktop_sim.ready, "cloud", "cloud-jwt")
        if not configured_app:
            data["tenant"].pop("app_id")
            data["tenant"].pop("sheet_id")
        root = state or tmp_path
        profile = Profile(
            name=f"analyst-{root.name}",
            config=ViewerConfig.model_validate(data),
            origins={},
            files=(),
            locations=ConfigLocations(
                site_file=root / "site.toml",
                profiles_dir=root / "profiles",
                state_dir=root / "state",
            ),
        )
        app = Application(profile, AppOptions(open=open))
        window = RunningWindow(app, qloop.create_task(app.run()), qtbot)
        started.append(window)
        return window

    yield start
    for window in started:
        if not window.task.done():
            window.stop()
