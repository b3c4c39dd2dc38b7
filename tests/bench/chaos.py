"""Chaos / soak runner: `viewer demo --kiosk` against its simulated tenant, random faults of every
kind the sim offers at random intervals, and a verdict on the last line (`chaos: ...`).

    python -m tests.bench.chaos --faults N --seed S [--json PATH]

Each fault must end LIVE again; the view must never be visible while not LIVE (from the log, and
from screenshots of the X display sampled all along); at the end the sim must hold exactly one
engine session and one proxy session per identity; the viewer must not crash. Runs under Xvfb:
without a DISPLAY it starts itself again under `xvfb-run`.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from tests.bench.faults import SCRIPTS, SimAdmin, excluded_kinds, kinds_for
from tests.bench.timeline import Timeline
from tests.bench.watched import DEMO_ARGS, WatchedViewer, ensure_display
from tests.e2e.screen import SHEET_BAR_COLOURS, count_colour, grab_screen

SCREEN_STEP = 6  # sample every 6th pixel: ~0.07 s per census of a 1280 x 800 screen
SAMPLE_EVERY_S = 0.5
RECOVERY_TIMEOUT_S = 90.0
START_TIMEOUT_S = 90.0
FINAL_QUIET_S = 12.0  # longer than the keepalive's ping + answer window


class Interrupted(Exception):
    """SIGTERM / SIGINT: stop injecting and report what was done so far."""


@dataclass
class Failure:
    index: int
    kind: str
    script: list[dict[str, Any]]
    why: str
    log_tail: list[dict[str, Any]]


@dataclass
class Report:
    seed: int
    planned: int
    flavor: str
    injected: int = 0
    survived: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [injected, survived]
    recovery_s: list[float] = field(default_factory=list)
    visible_not_live_log: list[str] = field(default_factory=list)
    visible_not_live_screen: list[str] = field(default_factory=list)
    screenshots: int = 0
    screenshots_hidden: int = 0
    crashes: list[str] = field(default_factory=list)
    sessions: dict[str, dict[str, int]] = field(default_factory=dict)
    pss_start_mib: float = 0.0
    pss_end_mib: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    duration_s: float = 0.0
    complete: bool = False

    @property
    def sessions_ok(self) -> bool:
        return bool(self.sessions) and all(
            counts == {"engine_sessions": 1, "proxy_sessions": 1}
            for counts in self.sessions.values()
        )

    @property
    def passed(self) -> bool:
        return (
            self.complete
            and self.survived == self.injected == self.planned
            and not self.visible_not_live_log
            and not self.visible_not_live_screen
            and not self.crashes
            and self.sessions_ok
        )

    def line(self) -> str:
        sessions = ", ".join(
            f"{user}: engine={c['engine_sessions']} proxy={c['proxy_sessions']}"
            for user, c in self.sessions.items()
        )
        memory = f"PSS {self.pss_start_mib:.0f} MiB at the start"
        if self.pss_start_mib and self.pss_end_mib:
            growth = (self.pss_end_mib / self.pss_start_mib - 1) * 100
            memory = f"PSS {self.pss_start_mib:.0f} -> {self.pss_end_mib:.0f} MiB ({growth:+.1f} %)"
        verdict = "PASS" if self.passed else ("PARTIAL" if not self.complete else "FAIL")
        return (
            f"chaos: {verdict} survived {self.survived}/{self.injected} faults"
            f"{'' if self.complete else f' (of {self.planned} planned)'}; "
            f"visible while not LIVE: log {len(self.visible_not_live_log)}, "
            f"screen {len(self.visible_not_live_screen)} of {self.screenshots_hidden} samples "
            f"taken while hidden ({self.screenshots} in all); "
            f"sessions left [{sessions or 'none'}]; crashes {len(self.crashes)}; "
            f"{memory}; "
            f"seed {self.seed}; {self.duration_s:.0f} s"
        )


@dataclass
class Sample:
    start: float
    end: float
    sheet_pixels: int


class Chaos:
    """One run: the viewer, its timeline, pending screenshot samples and the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.report = Report(seed=args.seed, planned=args.faults, flavor=args.flavor)
        self.viewer: WatchedViewer | None = None
        self.admin: SimAdmin | None = None
        self.timeline = Timeline()
        self.samples: list[Sample] = []
        self.last_sample = 0.0
        self.in_flight: str | None = None

    # -- the viewer -------------------------------------------------------------------------

    def start_viewer(self) -> None:
        args = (*DEMO_ARGS, "--flavor", self.args.flavor)
        self.viewer = WatchedViewer(args=args).start()
        self.timeline = Timeline()
        self.samples.clear()  # those of a previous viewer cannot be placed on this one's log
        ready = self.wait_for_event("sim.ready", START_TIMEOUT_S)
        self.admin = SimAdmin(str(ready["url"]))
        if not self.wait_live(quiet=1.0, timeout=START_TIMEOUT_S):
            raise RuntimeError(f"the viewer did not get LIVE: {self.tail()}")

    def stop_viewer(self) -> None:
        if self.viewer is not None:
            self.viewer.stop()
            self.viewer = None

    def tail(self, count: int = 15) -> list[dict[str, Any]]:
        return self.viewer.lines[-count:] if self.viewer else []

    # -- waiting on the log, sampling the screen meanwhile -----------------------------------

    def pump(self, seconds: float) -> None:
        """Read log lines for `seconds`, feeding the timeline, taking screenshots meanwhile."""
        assert self.viewer is not None
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            self.sample_screen()
            line = self.viewer.next_line(min(remaining, SAMPLE_EVERY_S))
            if line is not None:
                self.timeline.feed(line)
            elif (code := self.viewer.exited()) is not None:
                raise ViewerExited(code)

    def sample_screen(self) -> None:
        if time.monotonic() - self.last_sample < SAMPLE_EVERY_S:
            return
        self.last_sample = time.monotonic()
        start = time.time()
        image = grab_screen()
        end = time.time()
        self.samples.append(
            Sample(start, end, count_colour(image, SHEET_BAR_COLOURS, step=SCREEN_STEP))
        )
        self.report.screenshots += 1

    def judge_samples(self) -> None:
        """Judge the samples taken so far; called once the viewer is LIVE again, when the log
        has placed every hidden period: sheet pixels while hidden are violations."""
        for sample in self.samples:
            if self.timeline.hidden_throughout(sample.start, sample.end):
                self.report.screenshots_hidden += 1
                if sample.sheet_pixels:
                    self.report.visible_not_live_screen.append(
                        f"{sample.sheet_pixels} sheet pixels at {sample.start:.3f} while hidden"
                    )
        self.samples.clear()

    def wait_for_event(self, event: str, timeout: float) -> dict[str, Any]:
        assert self.viewer is not None
        seen = len(self.viewer.lines)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            for line in self.viewer.lines[seen:]:
                if line.get("event") == event:
                    return line
        raise RuntimeError(f"no {event} within {timeout} s: {self.tail()}")

    def wait_live(self, quiet: float, timeout: float) -> bool:
        """Wait until the viewer is LIVE with the view shown and has not changed state for
        `quiet` seconds (counted from now at the earliest); False if that does not happen
        within `timeout`."""
        since = time.time()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            calm = time.time() - max(since, self.timeline.state_changed_at) >= quiet
            if self.timeline.live and calm:
                self.judge_samples()
                return True
        return False

    # -- one fault ---------------------------------------------------------------------------

    def inject(self, index: int, kind: str) -> None:
        assert self.admin is not None
        script = SCRIPTS[kind](self.rng)
        counts = self.report.per_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        self.report.injected += 1
        self.in_flight = kind
        started = time.time()
        for step in script:
            self.pump(step.delay)
            self.admin.fault(step.body)
        gap = self.rng.uniform(self.args.min_gap, self.args.max_gap)
        live = self.wait_live(quiet=gap, timeout=RECOVERY_TIMEOUT_S)
        self.in_flight = None
        if live:
            counts[1] += 1
            self.report.survived += 1
            if self.timeline.state_changed_at > started:
                self.report.recovery_s.append(self.timeline.state_changed_at - started)
            return
        self.report.failures.append(
            Failure(index, kind, [asdict(s) for s in script], "not LIVE again", self.tail(25))
        )
        self.restart_viewer("stuck after a fault")

    def restart_viewer(self, why: str) -> None:
        self.collect_verdicts()
        events = [
            (ln.get("ts"), ln.get("event"), ln.get("state") or ln.get("text"))
            for ln in self.tail(12)
        ]
        print(f"chaos-restart: {why}; last log lines: {events}", flush=True)
        self.stop_viewer()
        self.start_viewer()

    def collect_verdicts(self) -> None:
        self.report.visible_not_live_log.extend(self.timeline.violations)
        self.report.crashes.extend(self.timeline.crashes)
        self.timeline.violations.clear()
        self.timeline.crashes.clear()

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> Report:
        began = time.monotonic()
        self.report.excluded = excluded_kinds(self.args.flavor, self.excluded())
        kinds = kinds_for(self.args.flavor, self.excluded())
        try:
            self.start_viewer()
            assert self.viewer is not None
            self.report.pss_start_mib = self.viewer.viewer_pss_bytes() / 2**20
            for index in range(self.args.faults):
                if self.args.max_seconds and time.monotonic() - began > self.args.max_seconds:
                    break
                kind = self.rng.choice(kinds)
                try:
                    self.inject(index, kind)
                except ViewerExited as exited:
                    self.in_flight = None
                    self.report.crashes.append(f"viewer exited ({exited.code}) after {kind}")
                    self.report.failures.append(
                        Failure(index, kind, [], f"viewer exited ({exited.code})", self.tail(25))
                    )
                    self.restart_viewer("the viewer exited")
                if (index + 1) % self.args.progress_every == 0:
                    self.report.duration_s = time.monotonic() - began
                    print(f"chaos-progress: {self.report.line()}", flush=True)
            else:
                self.report.complete = True
            self.finish()
        except Interrupted:
            print("chaos-interrupted: reporting the faults with a verdict", flush=True)
            if self.in_flight is not None:  # injected, but stopped before its verdict
                self.report.injected -= 1
                self.report.per_kind[self.in_flight][0] -= 1
        finally:
            self.collect_verdicts()
            self.stop_viewer()
            self.report.duration_s = time.monotonic() - began
        if self.report.injected < self.report.planned:
            self.report.complete = False
        return self.report

    def finish(self) -> None:
        """Lift lasting faults, let the viewer settle, then count what it left on the sim."""
        assert self.admin is not None
        assert self.viewer is not None
        for body in ({"kind": "heal"}, {"kind": "slow", "seconds": 0}):
            self.admin.fault(body)
        self.admin.fault({"kind": "inactivity", "seconds": None})
        if not self.wait_live(quiet=FINAL_QUIET_S, timeout=RECOVERY_TIMEOUT_S):
            self.report.failures.append(
                Failure(-1, "final", [], "not LIVE at the end", self.tail(25))
            )
        self.report.pss_end_mib = self.viewer.viewer_pss_bytes() / 2**20
        users = self.admin.state()["users"]
        self.report.sessions = {user: dict(counts) for user, counts in users.items()}

    def excluded(self) -> dict[str, str]:
        return dict(item.split("=", 1) for item in self.args.exclude)


class ViewerExited(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"the viewer exited with {code}")
        self.code = code


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.chaos", description=__doc__)
    parser.add_argument("--faults", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flavor", choices=("cloud", "qseow"), default="cloud")
    parser.add_argument("--min-gap", type=float, default=0.5, help="seconds LIVE between faults")
    parser.add_argument("--max-gap", type=float, default=3.0)
    parser.add_argument("--max-seconds", type=float, default=0, help="stop early (0: never)")
    parser.add_argument("--progress-every", type=int, default=25)
    parser.add_argument(
        "--exclude", action="append", default=[], metavar="KIND=REASON",
        help="leave a fault kind out, saying why",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the full report (with failures) here")
    return parser.parse_args(argv)


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ensure_display("tests.bench.chaos", argv)
    args = parse_args(argv)
    for item in args.exclude:
        if item.split("=", 1)[0] not in SCRIPTS or "=" not in item:
            print(f"chaos: --exclude {item!r}: write KIND=REASON, KIND one of {', '.join(SCRIPTS)}")
            return 2
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    report = Chaos(args).run()
    if args.json:
        args.json.write_text(json.dumps({**asdict(report), "passed": report.passed}, indent=1))
    for kind, reason in report.excluded.items():
        print(f"chaos-excluded: {kind}: {reason}")
    for failure in report.failures:
        print(f"chaos-failure: #{failure.index} {failure.kind} {failure.script}: {failure.why}")
    print(report.line(), flush=True)
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
