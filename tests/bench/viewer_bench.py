"""The benchmarks measured on the viewer itself (`viewer run --kiosk` against a `BenchTenant`),
each beside its bare-Chromium peer where there is one: start-up, fault detection, recovery,
memory over disconnects and reloads, and idle CPU. Times come from the viewer's JSON log."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from tests.bench.chromium import chromium
from tests.bench.faults import FaultBody
from tests.bench.measure import Summary, tree_cpu_seconds, tree_pss_bytes
from tests.bench.standalone import BenchTenant
from tests.bench.watched import WatchedViewer, timestamp
from tests.e2e.viewer_process import LogLine

CHROMIUM_IDENTITY = "bench-chromium"
EVENT_TIMEOUT_S = 60.0
PARTITION_TIMEOUT_S = 30.0  # keepalive: 5 s between pings + 5 s to answer


def _state(state: str) -> Callable[[LogLine], bool]:
    return lambda line: line.get("state") == state


def _hidden(line: LogLine) -> bool:
    return line.get("visible") is False


def summary(values: list[float]) -> dict[str, Any]:
    """Median, p95 and count of seconds, in milliseconds."""
    stats = Summary.of(values)
    return {"n": stats.count, "median_ms": stats.median * 1000, "p95_ms": stats.p95 * 1000}


@contextmanager
def live_viewer(
    tenant: BenchTenant, command: Sequence[str] | None = None
) -> Iterator[WatchedViewer]:
    """`viewer run --kiosk` against the tenant, LIVE (`command`: another viewer program, e.g.
    the frozen app)."""
    viewer = WatchedViewer(args=tenant.viewer_args(), command=command).start()
    try:
        viewer.wait_for("ui.state", _state("LIVE"), timeout=EVENT_TIMEOUT_S)
        yield viewer
    finally:
        viewer.stop()
        errors = viewer.unexpected_errors()
        if errors:
            print(f"bench: the viewer logged errors: {errors[:3]}")


def settle(viewer: WatchedViewer, seconds: float) -> None:
    """Let `seconds` pass reading the log; the viewer must stay LIVE meanwhile."""
    deadline = time.monotonic() + seconds
    while (remaining := deadline - time.monotonic()) > 0:
        line = viewer.next_line(remaining)
        if line is not None and line.get("event") == "ui.state" and line["state"] != "LIVE":
            raise RuntimeError(f"the viewer left LIVE while settling: {line}")


def _fault_then(
    tenant: BenchTenant, viewer: WatchedViewer, body: FaultBody, event: str,
    predicate: Callable[[LogLine], bool], timeout: float = EVENT_TIMEOUT_S,
) -> float:  # fmt: skip
    """Inject `body`; seconds until the log shows `event` matching `predicate`."""
    injected = time.time()
    tenant.admin.fault(body)
    return timestamp(viewer.wait_for(event, predicate, timeout=timeout)) - injected


# -- 1. start-up ----------------------------------------------------------------------------


def startup(tenant: BenchTenant, runs: int, frozen: Path | None = None) -> dict[str, Any]:
    """Process start -> LIVE (viewer) and process start -> sheet rendered (Chromium), runs
    interleaved so both see the same machine noise; with `frozen` (the PyInstaller app's
    executable) its start -> LIVE as well, in the same rounds."""
    url, cookies = tenant.browser_page(CHROMIUM_IDENTITY)
    ours: list[float] = []
    peer: list[float] = []
    packaged: list[float] = []
    milestones: dict[str, list[float]] = {event: [] for event in STARTUP_MILESTONES}
    for _ in range(runs):
        started = time.time()
        with live_viewer(tenant) as viewer:
            live = next(filter(_state("LIVE"), viewer.lines))
            ours.append(timestamp(live) - started)
            for event, values in milestones.items():
                first = next((ln for ln in viewer.lines if ln.get("event") == event), None)
                if first is not None:  # e.g. no sign-in when a stored grant was reused
                    values.append(timestamp(first) - started)
        peer.append(asyncio.run(_chromium_startup(url, cookies)))
        if frozen is not None:
            started = time.time()
            with live_viewer(tenant, [str(frozen)]) as viewer:
                live = next(filter(_state("LIVE"), viewer.lines))
                packaged.append(timestamp(live) - started)
    result = _ratio(ours, peer)
    if packaged:
        result["frozen"] = summary(packaged)
        result["frozen_ratio"] = result["frozen"]["median_ms"] / result["chromium"]["median_ms"]
    result["viewer_milestones_ms"] = {
        event: Summary.of(values).median * 1000 for event, values in milestones.items() if values
    }
    return result


# The first time each of these is logged, from process start: the window is up (CONNECTING),
# signed in, engine socket open, page requested, page loaded (LIVE follows).
STARTUP_MILESTONES = (
    "dialog.shown", "auth.signed_in", "engine.opened", "sheet.loading", "sheet.loaded",
)  # fmt: skip


async def _chromium_startup(url: str, cookies: Any) -> float:
    async with chromium() as browser:
        return await browser.load_and_wait_ready(url, cookies, EVENT_TIMEOUT_S)


def _ratio(ours: list[float], peer: list[float]) -> dict[str, Any]:
    mine, theirs = summary(ours), summary(peer)
    return {"viewer": mine, "chromium": theirs, "ratio": mine["median_ms"] / theirs["median_ms"]}


# -- 2 and 3. detection and recovery ----------------------------------------------------------


def detection_and_recovery(tenant: BenchTenant, events: int) -> dict[str, Any]:
    """Fault -> view hidden for drop, clean close and silent partition; heal -> LIVE (with
    how many resumes re-attached) and engine restart -> LIVE."""
    found: dict[str, list[float]] = {
        k: [] for k in ("drop", "close", "partition", "heal", "restart")
    }
    attached = 0
    with live_viewer(tenant) as viewer:
        for _ in range(events):
            for kind, body in (("drop", {"kind": "drop"}), ("close", _CLEAN_CLOSE)):
                settle(viewer, 1.0)
                found[kind].append(_fault_then(tenant, viewer, body, "view.visible", _hidden))
                viewer.wait_for("ui.state", _state("LIVE"), timeout=EVENT_TIMEOUT_S)
            settle(viewer, 1.0)
            partition: FaultBody = {"kind": "partition"}
            found["partition"].append(
                _fault_then(tenant, viewer, partition, "view.visible", _hidden, PARTITION_TIMEOUT_S)
            )
            seen = len(viewer.lines)
            found["heal"].append(
                _fault_then(tenant, viewer, {"kind": "heal"}, "ui.state", _state("LIVE"))
            )
            attached += any(
                line.get("event") == "engine.resumed" and line.get("attached")
                for line in viewer.lines[seen:]
            )
            settle(viewer, 1.0)
            found["restart"].append(
                _fault_then(tenant, viewer, {"kind": "restart"}, "ui.state", _state("LIVE"))
            )
    result: dict[str, Any] = {kind: summary(values) for kind, values in found.items()}
    result["heal"]["resumed_attached"] = attached
    return result


_CLEAN_CLOSE: FaultBody = {"kind": "close", "code": 1000, "reason": "bench"}


# -- 4 and 5. memory and idle CPU -----------------------------------------------------------


def memory_and_idle(
    tenant: BenchTenant, cycles: int, reloads: int, idle_s: float
) -> dict[str, Any]:
    """PSS of the viewer's tree after warm-up, after `cycles` disconnect/recover cycles and
    after `reloads` sheet reloads (engine restarts); CPU over `idle_s` seconds LIVE; and
    bare Chromium's PSS with the same page. If the viewer does not come back LIVE, the figures
    so far are kept with what it was doing (`stuck`)."""
    url, cookies = tenant.browser_page(CHROMIUM_IDENTITY)
    result: dict[str, Any] = {
        "chromium_pss_mib": asyncio.run(_chromium_pss(url, cookies)) / 2**20,
        "cycles": 0,
        "reloads": 0,
    }
    with live_viewer(tenant) as viewer:
        for _ in range(5):
            _cycle(tenant, viewer, {"kind": "drop"})
        settle(viewer, 5.0)
        result["pss_warm_mib"] = steady_pss_mib(viewer)
        cpu_before = tree_cpu_seconds(viewer.pid)
        settle(viewer, idle_s)
        result["idle_cpu_percent"] = (tree_cpu_seconds(viewer.pid) - cpu_before) / idle_s * 100
        result["idle_s"] = idle_s
        try:
            for _ in range(cycles):
                _cycle(tenant, viewer, {"kind": "drop"})
                result["cycles"] += 1
            settle(viewer, 5.0)
            result["pss_after_cycles_mib"] = steady_pss_mib(viewer)
            # a restart reloads the sheet unless the viewer re-attaches to a session the page
            # itself re-created meanwhile; count the reloads that happened
            for _ in range(RESTARTS_PER_RELOAD_AT_MOST * reloads):
                seen = len(viewer.lines)
                _cycle(tenant, viewer, {"kind": "restart"})
                result["restarts"] = result.get("restarts", 0) + 1
                loaded = [ln for ln in viewer.lines[seen:] if ln.get("event") == "sheet.loaded"]
                result["reloads"] += bool(loaded)
                if result["reloads"] >= reloads:
                    break
            settle(viewer, 5.0)
            result["pss_after_reloads_mib"] = steady_pss_mib(viewer)
        except (AssertionError, RuntimeError, psutil.Error) as error:
            result["stuck"] = f"{error!r}"[:3000] + f"; viewer exit code {viewer.exited()}"
            result["stuck_log_tail"] = viewer.lines[-20:]
            with contextlib.suppress(psutil.Error):
                result["pss_at_stop_mib"] = tree_pss_bytes(viewer.pid) / 2**20
    last = next(
        result[key]
        for key in (
            "pss_after_reloads_mib",
            "pss_after_cycles_mib",
            "pss_at_stop_mib",
            "pss_warm_mib",
        )
        if key in result
    )
    result["growth_percent"] = (last / result["pss_warm_mib"] - 1) * 100
    result["pss_ratio"] = last / result["chromium_pss_mib"]
    return result


RESTARTS_PER_RELOAD_AT_MOST = 3
PSS_SAMPLES = 5  # a second apart


def steady_pss_mib(viewer: WatchedViewer) -> float:
    """The median of PSS_SAMPLES samples of the tree's PSS, LIVE all along: a single sample
    lands wherever the page's collector and the allocators happen to be (it moved by up to
    +/-10 % between consecutive samples of one idle viewer)."""
    samples = []
    for _ in range(PSS_SAMPLES):
        settle(viewer, 1.0)
        samples.append(tree_pss_bytes(viewer.pid))
    return statistics.median(samples) / 2**20


def _cycle(tenant: BenchTenant, viewer: WatchedViewer, body: FaultBody) -> None:
    """One fault and the recovery from it: hidden, then LIVE again."""
    _fault_then(tenant, viewer, body, "view.visible", _hidden)
    viewer.wait_for("ui.state", _state("LIVE"), timeout=EVENT_TIMEOUT_S)


async def _chromium_pss(url: str, cookies: Any) -> int:
    async with chromium() as browser:
        await browser.load_and_wait_ready(url, cookies, EVENT_TIMEOUT_S)
        await asyncio.sleep(5.0)  # the same settling time the viewer gets before measuring
        samples = []
        for _ in range(PSS_SAMPLES):
            await asyncio.sleep(1.0)
            samples.append(tree_pss_bytes(browser.pid))
        return int(statistics.median(samples))
