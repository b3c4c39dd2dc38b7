"""Benchmark of the analyst's window on the simulated tenant (in one process, offscreen):
hub open → apps listed, choosing a sheet → its tab LIVE (warm renderer), and the PSS each
extra open tab adds (this process and its QtWebEngine children, from /proc/*/smaps_rollup).

Not part of the test run. Run it with
`QTWEBENGINE_DISABLE_SANDBOX=1 QT_QPA_PLATFORM=offscreen .venv/bin/python
tests/bench/bench_analyst.py [--rounds N] [--tabs N]` (the sandbox switch only as root).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import PySide6.QtWebEngineWidgets  # noqa: F401  (before the QApplication)
import qasync
from PySide6.QtWidgets import QApplication

from viewer.application import Application, AppOptions
from viewer.commands.demo import demo_config
from viewer.config.loading import ConfigLocations, Profile
from viewer.config.models import ViewerConfig
from viewer.core.state import Phase
from viewer.sheet.target import SheetTarget
from viewer.sim.engine.data import sample_apps
from viewer.sim.server import start_sim


def pss_mib(root: int) -> float:
    """PSS of `root` and all its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kib, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


async def until(condition: Callable[[], bool], limit_s: float = 30.0) -> None:
    """Poll `condition` (a benchmark's own loop: no event to wait on for every fact)."""
    async with asyncio.timeout(limit_s):
        while not condition():  # noqa: ASYNC110 (facts of several objects: polled at 5 ms)
            await asyncio.sleep(0.005)


async def bench(rounds: int, tabs: int) -> dict[str, object]:
    async with start_sim("cloud") as sim:
        data = demo_config(sim.ready, "cloud", "cloud-jwt")
        data["tenant"].pop("app_id")
        data["tenant"].pop("sheet_id")
        root = Path(tempfile.mkdtemp(prefix="bench-analyst-"))
        profile = Profile(
            name="bench-analyst",
            config=ViewerConfig.model_validate(data),
            origins={},
            files=(),
            locations=ConfigLocations(root / "site.toml", root / "profiles", root / "state"),
        )
        app = Application(profile, AppOptions(remember_window=False))
        desktop = app.desktop
        assert desktop is not None
        running = asyncio.get_running_loop().create_task(app.run())
        await until(lambda: desktop.hub is not None and desktop.hub.busy is not None)
        assert desktop.hub is not None
        assert desktop.hub.busy is not None
        await desktop.hub.busy  # the first listing (sign-in included) is not measured
        hub_ms = []
        for _ in range(rounds):
            started = time.perf_counter()
            desktop.show_hub()
            assert desktop.hub.busy is not None
            await desktop.hub.busy
            hub_ms.append((time.perf_counter() - started) * 1000)
        sales = sample_apps()[0]
        first = desktop.open_sheet(SheetTarget(sales.info.id, "sales-overview"))
        await until(lambda: first.phase is Phase.LIVE)  # warms the renderer and the session
        live_ms = []
        for _ in range(rounds):
            started = time.perf_counter()
            sheet = desktop.open_sheet(SheetTarget(sales.info.id, "sales-trend"))
            await until(lambda sheet=sheet: sheet.phase is Phase.LIVE)
            live_ms.append((time.perf_counter() - started) * 1000)
            await desktop.close_sheet(sheet)
        await asyncio.sleep(2)
        one_tab = pss_mib(os.getpid())
        targets = [SheetTarget(sales.info.id, "sales-trend"), SheetTarget(sample_apps()[1].info.id)]
        extra = [desktop.open_sheet(targets[i % 2]) for i in range(tabs - 1)]
        await until(lambda: all(s.phase is Phase.LIVE for s in extra), limit_s=60)
        await asyncio.sleep(3)
        many_tabs = pss_mib(os.getpid())
        app.request_quit()
        await running
    return {
        "hub_apps_listed_ms_median": round(statistics.median(hub_ms), 1),
        "sheet_to_live_ms_median": round(statistics.median(live_ms), 1),
        "pss_mib_one_tab": round(one_tab),
        f"pss_mib_{tabs}_tabs": round(many_tabs),
        "pss_mib_per_extra_tab": round((many_tabs - one_tab) / (tabs - 1), 1),
        "rounds": rounds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tabs", type=int, default=5)
    args = parser.parse_args()
    qt = QApplication(sys.argv[:1])
    qt.setQuitOnLastWindowClosed(False)  # as run_app: the hub closing is not the end
    loop = qasync.QEventLoop(qt)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(bench(args.rounds, args.tabs))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
