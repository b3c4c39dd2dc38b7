"""What `viewer run` imports before its window is up: the start-up path stays free of modules it
does not need there. httpx and its transport stack come with the first HTTP request, which a
start that re-uses its stored grant does not make; Qt comes after the non-Qt modules, whose
imports its import hook would otherwise slow down. Neither the other commands' modules nor the
health endpoint's server stack is imported (a start without a health port never uses it)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import contextlib, io, json, sys
from viewer.cli import main
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    main(["run", "--help"])  # parses as `viewer run ...` does, then stops
import viewer.commands.run
from viewer.app import AppOptions, run_app
from viewer.config.loading import load_profile
print(json.dumps(sorted(sys.modules)))
"""


def _modules_imported_by_the_start_up_path() -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(run.stdout))


def test_the_start_up_path_leaves_http_and_qt_for_later() -> None:
    modules = _modules_imported_by_the_start_up_path()
    assert "viewer.app" in modules
    too_early = {m for m in modules if m.split(".")[0] in {"httpx", "httpcore", "anyio", "PySide6"}}
    assert too_early == set()


def test_a_start_without_a_health_port_leaves_the_endpoint_stack_out() -> None:
    modules = _modules_imported_by_the_start_up_path()
    endpoint = {m for m in modules if m.split(".")[0] in {"prometheus_client", "h11"}}
    assert endpoint == set()
    assert "viewer.monitor.health" not in modules


def test_viewer_run_does_not_import_the_other_commands() -> None:
    modules = _modules_imported_by_the_start_up_path()
    others = {"viewer.commands.check", "viewer.commands.profile", "viewer.config.command"}
    assert modules & others == set()
