"""The simulated tenant as a child process: start `viewer sim`, read its ready line, stop it.

Used by `viewer demo` (and by benchmarks), which must not share the viewer's event loop with the
server it is watching: a fault injected into the sim must look like a fault of a remote tenant.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from viewer.cli import self_command


class SimStartError(RuntimeError):
    """The simulated tenant did not come up; the message says what it printed."""


@dataclass
class SimProcess:
    """A running `viewer sim` child and its parsed ready line."""

    process: subprocess.Popen[str]
    ready: dict[str, Any]
    log: IO[str]

    @property
    def url(self) -> str:
        return str(self.ready["url"])

    @classmethod
    def start(
        cls, flavor: str, *, extra_args: Sequence[str] = (), ready_within: float = 60.0
    ) -> SimProcess:
        """Start the sim on a free loopback port and wait for its ready line. Its own log
        goes to a temporary file (read back when it fails to start), never into ours."""
        command = [*self_command(), "sim", "--flavor", flavor, *extra_args]
        command.append("--stop-on-stdin-eof")  # our end of its stdin closes when we die
        # the log lives as long as the child does; stop() closes it
        log = tempfile.TemporaryFile("w+", prefix="viewer-sim-", suffix=".log")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603 - our own program
            command,
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            ready = _read_ready_line(process, log, ready_within)
        except BaseException:
            _stop(process)
            log.close()
            raise
        return cls(process, ready, log)

    def stop(self) -> None:
        _stop(self.process)
        self.log.close()

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _read_ready_line(
    process: subprocess.Popen[str], log: IO[str], ready_within: float
) -> dict[str, Any]:
    assert process.stdout is not None
    deadline = time.monotonic() + ready_within
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SimStartError(
                    f"the simulated tenant printed no ready line in {ready_within}s"
                )
            if not selector.select(timeout=remaining):
                continue
            line = process.stdout.readline()
            if not line:
                raise SimStartError(f"the simulated tenant exited ({process.wait()}): {_tail(log)}")
            try:
                parsed = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(parsed, dict) and parsed.get("event") == "sim.ready":
                return parsed


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return log.read()[-2000:].strip()


def stop_process(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """Ask a child to stop (SIGTERM: an ordered shutdown), kill it after `grace` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _stop(process: subprocess.Popen[str]) -> None:
    stop_process(process)
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()
