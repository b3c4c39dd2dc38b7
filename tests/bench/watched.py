"""The real `viewer demo` process for benchmarks and the chaos runner: the e2e tier's
`ViewerProcess`, plus line-by-line reading of its JSON log, its pid, and the PSS of its process
tree without the simulated tenant it runs as a child (which is the peer's server, not ours)."""

from __future__ import annotations

import os
import queue
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psutil

from tests.bench.measure import tree_pss_bytes
from tests.e2e.viewer_process import LogLine, ViewerProcess

DESKTOP_DEMO_ARGS = ("demo", "--log-file", "none")
DEMO_ARGS = (*DESKTOP_DEMO_ARGS, "--kiosk")
XVFB_SCREEN = "-screen 0 1280x800x24"


def ensure_display(module: str, argv: Sequence[str]) -> None:
    """Without an X display, run `python -m module argv` again under `xvfb-run` (this process
    is replaced); with one, return."""
    if "DISPLAY" not in os.environ and shutil.which("xvfb-run"):
        command = [sys.executable, "-m", module, *argv]
        os.execvp("xvfb-run", ["xvfb-run", "-a", "-s", XVFB_SCREEN, *command])


def timestamp(line: LogLine) -> float:
    """The line's `ts` (ISO-8601 UTC) as seconds since the epoch, comparable to `time.time()`."""
    return datetime.fromisoformat(str(line["ts"])).timestamp()


@dataclass
class WatchedViewer(ViewerProcess):
    """A viewer subprocess whose log can be read one line at a time."""

    def start(self) -> WatchedViewer:
        super().start()
        return self

    def next_line(self, timeout: float) -> LogLine | None:
        """The next log line, or None if none arrived within `timeout` seconds."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    @property
    def pid(self) -> int:
        assert self._process is not None, "not started"
        return self._process.pid

    def exited(self) -> int | None:
        """The exit code once the process has ended, else None."""
        assert self._process is not None, "not started"
        return self._process.poll()

    def sim_pid(self) -> int | None:
        """The pid of the `viewer sim` child that `viewer demo` started, if any."""
        try:
            children = psutil.Process(self.pid).children()
        except psutil.NoSuchProcess:
            return None
        for child in children:
            try:
                if "sim" in child.cmdline():
                    return int(child.pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return None

    def viewer_pss_bytes(self) -> int:
        """PSS of the viewer and its QtWebEngineProcess children, without the sim."""
        total = tree_pss_bytes(self.pid)
        sim = self.sim_pid()
        return total - tree_pss_bytes(sim) if sim is not None else total
