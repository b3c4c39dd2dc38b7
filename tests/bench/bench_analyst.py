"""Benchmark of the analyst's window on the simulated tenant (`viewer sim` in a process of its
own): hub open → apps listed, choosing a sheet → its tab LIVE (warm renderer), the PSS each
extra open tab adds, and the CPU the window uses while its tabs sit LIVE and idle.

Memory and CPU are those of this process and its QtWebEngine children (the sim is not among
them), read from /proc: PSS from each process's smaps_rollup, the median of `--pss-samples`
samples taken once a tab is LIVE and has settled; idle CPU as utime + stime over `--idle`
seconds with every tab LIVE and nothing asked of it, as a share of one core.

Not part of the test run. Run it with
`QTWEBENGINE_DISABLE_SANDBOX=1 xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m
tests.bench.bench_analyst [--rounds N] [--tabs N] [--idle S]` (the sandbox switch only as
root; `QT_QPA_PLATFORM=offscreen` instead of xvfb-run works too, without a window on a screen).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
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

from tests.bench.fleet import Child
from viewer.application import Application, AppOptions
from viewer.commands.demo import demo_config
from viewer.config.loading import ConfigLocations, Profile
from viewer.config.models import ViewerConfig
from viewer.core.state import Phase
from viewer.sheet.target import SheetTarget
from viewer.sim.engine.data import sample_apps

SETTLE_S = 3.0  # after a tab is LIVE, before its memory is sampled
PSS_EVERY_S = 0.5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state is [0], ppid [1])."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree(root: int, without: int | None = None) -> list[int]:
    """`root` and all its descendants, leaving out `without` and its own."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid != without:
            found.append(pid)
            todo += children.get(pid, [])
    return found


def pss_mib(pids: list[int]) -> float:
    """PSS summed over `pids`, in MiB."""
    total_kib = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime so far of each of `pids` that still runs, in seconds."""
    seconds = {}
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return seconds


def process_name(pid: int) -> str:
    """What a process of the tree is: the viewer, or a QtWebEngine process by its --type (a
    renderer is forked by a zygote and keeps the zygote's command line)."""
    if pid == os.getpid():
        return "viewer"

    def kind(of: int) -> str:
        arguments = Path(f"/proc/{of}/cmdline").read_bytes().split(b"\0")
        return next((a[7:].decode() for a in arguments if a.startswith(b"--type=")), "")

    try:
        own, parents = kind(pid), kind(int(_stat(pid)[1]))
    except (OSError, IndexError):
        return "gone"
    return "webengine renderer" if own == parents == "zygote" else f"webengine {own}".strip()


async def pss_median(sim: int, samples: int) -> float:
    """The median of `samples` PSS samples of this process tree (without the sim), MiB."""
    values = []
    for _ in range(samples):
        values.append(pss_mib(tree(os.getpid(), without=sim)))
        await asyncio.sleep(PSS_EVERY_S)
    return statistics.median(values)


async def idle_cpu(sim: int, seconds: float) -> tuple[float, dict[str, float]]:
    """The share of one core (per cent) this process tree used over `seconds` of idling, in
    all and per kind of process."""
    pids = tree(os.getpid(), without=sim)
    before, started = cpu_seconds(pids), time.monotonic()
    await asyncio.sleep(seconds)
    after, wall = cpu_seconds(pids), time.monotonic() - started
    used = {pid: after[pid] - before[pid] for pid in after if pid in before}
    by_kind: dict[str, float] = {}
    for pid, spent in used.items():
        kind = process_name(pid)
        by_kind[kind] = by_kind.get(kind, 0.0) + spent / wall * 100
    return sum(used.values()) / wall * 100, {k: round(v, 2) for k, v in by_kind.items()}


async def until(condition: Callable[[], bool], limit_s: float = 30.0) -> None:
    """Poll `condition` (a benchmark's own loop: no event to wait on for every fact)."""
    async with asyncio.timeout(limit_s):
        while not condition():  # noqa: ASYNC110 (facts of several objects: polled at 5 ms)
            await asyncio.sleep(0.005)


async def bench(rounds: int, tabs: int, samples: int, idle_s: float) -> dict[str, object]:
    sim = Child.start(["-m", "viewer", "sim", "--flavor", "cloud", "--log-level", "ERROR",
                       "--stop-on-stdin-eof"])  # fmt: skip
    try:
        return await _bench(sim, rounds, tabs, samples, idle_s)
    finally:
        sim.stop()


async def _bench(
    sim: Child, rounds: int, tabs: int, samples: int, idle_s: float
) -> dict[str, object]:
    data = demo_config(sim.first, "cloud", "cloud-jwt")
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
    sim_pid = sim.process.pid
    await asyncio.sleep(SETTLE_S)
    pss = [await pss_median(sim_pid, samples)]  # one tab
    # the other sheets, one tab each, the two apps in turn
    inventory = sample_apps()[1]
    targets = [
        SheetTarget(app_id, sheet.id)
        for pair in zip(sales.info.sheets[1:], inventory.info.sheets, strict=False)
        for app_id, sheet in zip((sales.info.id, inventory.info.id), pair, strict=True)
    ]
    opened = [first]
    for target in targets[: tabs - 1]:
        sheet = desktop.open_sheet(target)
        opened.append(sheet)
        await until(lambda sheet=sheet: sheet.phase is Phase.LIVE, limit_s=60)
        await asyncio.sleep(SETTLE_S)
        pss.append(await pss_median(sim_pid, samples))
    idle, idle_by_kind = await idle_cpu(sim_pid, idle_s)
    still_live = all(s.phase is Phase.LIVE for s in opened)
    app.request_quit()
    await running
    steps = [later - earlier for earlier, later in itertools.pairwise(pss)]
    return {
        "hub_apps_listed_ms_median": round(statistics.median(hub_ms), 1),
        "sheet_to_live_ms_median": round(statistics.median(live_ms), 1),
        "pss_mib_by_open_tabs": [round(value, 1) for value in pss],
        "pss_mib_per_extra_tab_median": round(statistics.median(steps), 1),
        "pss_mib_per_extra_tab_steps": [round(step, 1) for step in steps],
        "pss_mib_per_extra_tab_mean": round((pss[-1] - pss[0]) / (len(pss) - 1), 1),
        "pss_samples_per_figure": samples,
        f"idle_cpu_percent_of_a_core_{len(opened)}_tabs": round(idle, 2),
        "idle_cpu_by_process_kind": idle_by_kind,
        "idle_seconds": idle_s,
        "tabs_live_after_idle": still_live,
        "rounds": rounds,
        "load_average": os.getloadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tabs", type=int, default=5, help="tabs open at the end (2-5)")
    parser.add_argument("--pss-samples", type=int, default=9, help="PSS samples per figure")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idling measured")
    args = parser.parse_args()
    if not 2 <= args.tabs <= 5:
        parser.error("--tabs: give 2 to 5 (the sheets of the sim's first two apps)")
    qt = QApplication(sys.argv[:1])
    qt.setQuitOnLastWindowClosed(False)  # as run_app: the hub closing is not the end
    loop = qasync.QEventLoop(qt)
    asyncio.set_event_loop(loop)
    with loop:
        result = loop.run_until_complete(bench(args.rounds, args.tabs, args.pss_samples, args.idle))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
