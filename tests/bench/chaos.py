"""Chaos / soak runner: `viewer demo --kiosk` (or, with `--desktop`, the desktop `viewer demo`;
with `--tabs N --apps M`, the analyst window with N tabs, N/M sheets of each of M apps) against
its simulated tenant, random faults of every kind the sim offers at random intervals, and a
verdict on the last line (`chaos: ...`).

    python -m tests.bench.chaos --faults N --seed S [--desktop | --tabs N --apps M] [--json PATH]

Kiosk: each fault must end LIVE again by itself. Desktop: each fault must end LIVE by itself, or
rest in a state that waits for the user (`recovery.awaits_user`: nothing planned, nothing under
way) with a named reason and the dialog of that state on screen; the runner then does what a user
would — presses the dialog's focused button (Reconnect, or Sign in again) with the keyboard on
the X display — and the viewer must be LIVE after that one press. Tabs: the desktop's rule for every tab — each
tab LIVE again by itself or after one answer to its dialog; the dialog shows the current tab's
notice only (a background tab shows its trouble by its red or grey dot), so the runner first
goes to a resting tab with Ctrl+PgDown, as a user would, then presses; faults that the sim can
narrow to one app's sockets are, half the time, aimed at one of the apps. Either way no view
may be visible while its sheet is not LIVE (per tab from the log, and from screenshots of the X
display sampled all along, judged against the tab on screen); at the end the sim must hold
exactly one engine session per app and identity and one proxy session per user; the viewer
must not crash. Runs under Xvfb: without a DISPLAY it starts itself again
under `xvfb-run`.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from tests.bench.faults import NARROWABLE, SCRIPTS, SimAdmin, excluded_kinds, kinds_for, narrowed
from tests.bench.timeline import Screen
from tests.bench.watched import (
    DEMO_ARGS,
    DESKTOP_DEMO_ARGS,
    WatchedViewer,
    ensure_display,
    timestamp,
)
from tests.e2e.dialog_keys import DEMO_PRODUCT_NAME, press_the_fix, xdotool
from tests.e2e.screen import SHEET_BAR_COLOURS, count_colour, grab_screen
from viewer.sim.engine.data import sample_apps

SCREEN_STEP = 6  # sample every 6th pixel: ~0.07 s per census of a 1280 x 800 screen
SAMPLE_EVERY_S = 0.5
RECOVERY_TIMEOUT_S = 90.0
START_TIMEOUT_S = 90.0
FINAL_QUIET_S = 12.0  # longer than the keepalive's ping + answer window
AWAIT_SETTLE_S = 0.5  # a rest counts once it has stood this long (the dialog painted)
PRESS_ANSWER_S = 15.0  # the press must start a recovery within this
SWITCH_ANSWER_S = 10.0  # a Ctrl+PgDown must make the next tab current within this
NARROW_SHARE = 0.5  # tabs: of the faults the sim can narrow, the share aimed at one app
# the button that fixes a resting state, and the recoveries its press may start
FIXES = {"AUTH_REQUIRED": ("sign-in", ("reauth-silent", "prompt-sign-in"))}
RECONNECT = ("reconnect", ("resume", "reload-sheet"))
LIVE, AWAITS = "live", "awaits"
MOVED_ON = ""  # press_the_fix: the tab no longer rested once on screen; nothing pressed


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
    desktop: bool = False
    tabs: int = 1
    apps: int = 1
    injected: int = 0
    survived: int = 0
    per_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [injected, survived]
    recovery_s: list[float] = field(default_factory=list)  # fault to LIVE, healed by itself
    # desktop: per kind, faults healed by themselves / after one press; the rests, by state
    healed_by_itself: dict[str, int] = field(default_factory=dict)
    healed_after_press: dict[str, int] = field(default_factory=dict)
    rests: dict[str, int] = field(default_factory=dict)  # "kind: STATE reason" -> count
    narrowed: dict[str, int] = field(default_factory=dict)  # kind -> faults aimed at one app
    # kind -> faults after which a user came to hold more than one proxy session
    extra_proxy_sessions: dict[str, list[int]] = field(default_factory=dict)
    tab_switches: int = 0  # Ctrl+PgDown pressed to reach a resting background tab
    answers: int = 0  # dialog buttons pressed
    press_recovery_s: list[float] = field(default_factory=list)  # press to LIVE
    visible_not_live_log: list[str] = field(default_factory=list)
    visible_not_live_screen: list[str] = field(default_factory=list)
    screenshots: int = 0
    screenshots_hidden: int = 0
    screenshots_hidden_by_tab: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    sessions: dict[str, dict[str, int]] = field(default_factory=dict)  # per user
    app_sessions: dict[str, int] = field(default_factory=dict)  # "app/identity" -> engine sessions
    pss_start_mib: float = 0.0
    pss_end_mib: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    duration_s: float = 0.0
    complete: bool = False

    @property
    def sessions_ok(self) -> bool:
        return (
            bool(self.sessions)
            and all(
                counts == {"engine_sessions": self.apps, "proxy_sessions": 1}
                for counts in self.sessions.values()
            )
            and len(self.app_sessions) == self.apps * len(self.sessions)
            and all(count == 1 for count in self.app_sessions.values())
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
        if self.apps > 1:
            sessions += "; engine per app/identity: " + ", ".join(
                f"{key}={count}" for key, count in sorted(self.app_sessions.items())
            )
        memory = f"PSS {self.pss_start_mib:.0f} MiB at the start"
        if self.pss_start_mib and self.pss_end_mib:
            growth = (self.pss_end_mib / self.pss_start_mib - 1) * 100
            memory = f"PSS {self.pss_start_mib:.0f} -> {self.pss_end_mib:.0f} MiB ({growth:+.1f} %)"
        verdict = "PASS" if self.passed else ("PARTIAL" if not self.complete else "FAIL")
        healing = f"recovery median {_median(self.recovery_s)}"
        if self.desktop:
            by_itself = sum(self.healed_by_itself.values())
            pressed = sum(self.healed_after_press.values())
            healing = (
                f"healed by itself {by_itself} (median {_median(self.recovery_s)}), "
                f"after one press {pressed} (median {_median(self.press_recovery_s)} "
                "from the press)"
            )
        if self.tabs > 1:
            healing += (
                f"; {sum(self.narrowed.values())} faults aimed at one app; "
                f"{self.answers} answers, {self.tab_switches} tab switches to reach them"
            )
        mode = " desktop" if self.desktop else ""
        if self.tabs > 1:
            mode = f" tabs {self.tabs} on {self.apps} apps"
        return (
            f"chaos: {verdict}{mode} "
            f"survived {self.survived}/{self.injected} faults"
            f"{'' if self.complete else f' (of {self.planned} planned)'}; {healing}; "
            f"visible while not LIVE: log {len(self.visible_not_live_log)}, "
            f"screen {len(self.visible_not_live_screen)} of {self.screenshots_hidden} samples "
            f"taken while hidden ({self.screenshots} in all); "
            f"sessions left [{sessions or 'none'}]; crashes {len(self.crashes)}; "
            f"{memory}; "
            f"seed {self.seed}; {self.duration_s:.0f} s"
        )


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} s" if values else "-"


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
        self.report = Report(
            seed=args.seed, planned=args.faults, flavor=args.flavor, desktop=args.desktop,
            tabs=args.tabs, apps=args.apps,
        )  # fmt: skip
        self.viewer: WatchedViewer | None = None
        self.admin: SimAdmin | None = None
        self.app_ids, opens = tab_targets(args.tabs, args.apps)
        self.open_args = tuple(arg for target in opens for arg in ("--open", target))
        self.timeline = self.new_screen()
        self.samples: list[Sample] = []
        self.last_sample = 0.0
        self.in_flight: str | None = None
        self.pressed_at = 0.0  # when the runner last pressed a dialog's button
        self.restarts = 0
        self.extra_proxy_sessions = False  # after the last fault

    # -- the viewer -------------------------------------------------------------------------

    def new_screen(self) -> Screen:
        """The kiosk's lines name no tab; the desktop's name its tabs t1, t2, …"""
        if not self.args.desktop:
            return Screen()
        return Screen(expected=tuple(f"t{i + 1}" for i in range(self.args.tabs)))

    def start_viewer(self) -> None:
        demo = DESKTOP_DEMO_ARGS if self.args.desktop else DEMO_ARGS
        args = (*demo, "--flavor", self.args.flavor, *self.open_args)
        self.viewer = WatchedViewer(args=args).start()
        self.timeline = self.new_screen()
        self.samples.clear()  # those of a previous viewer cannot be placed on this one's log
        ready = self.wait_for_event("sim.ready", START_TIMEOUT_S)
        self.admin = SimAdmin(str(ready["url"]))
        if self.wait_settled(quiet=1.0, timeout=START_TIMEOUT_S) != LIVE:
            raise RuntimeError(f"the viewer did not get LIVE: {self.tail()}")

    def stop_viewer(self) -> None:
        if self.viewer is not None:
            self.viewer.stop()
            self.viewer = None

    def tail(self, count: int = 15) -> list[dict[str, Any]]:
        return self.viewer.lines[-count:] if self.viewer else []

    # -- waiting on the log, sampling the screen meanwhile -----------------------------------

    def pump(self, seconds: float) -> None:
        """Read log lines for `seconds`, feeding the timeline, taking screenshots meanwhile.
        Every line already logged is read before it returns: a census of the screen can take
        longer than `seconds` on a loaded machine, and a timeline left behind the log would
        judge a state the viewer has already left (a rest it has already ended)."""
        assert self.viewer is not None
        deadline = time.monotonic() + seconds
        while True:
            self.sample_screen()
            while (line := self.viewer.next_line(0)) is not None:
                self.timeline.feed(line)
            if (remaining := deadline - time.monotonic()) <= 0:
                return
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
                tab = self.timeline.on_screen(sample.start, sample.end)
                self.report.screenshots_hidden += 1
                if tab:
                    _count(self.report.screenshots_hidden_by_tab, str(tab))
                if sample.sheet_pixels:
                    self.report.visible_not_live_screen.append(
                        f"{sample.sheet_pixels} sheet pixels at {sample.start:.3f} while "
                        f"{tab or 'the view'} was hidden"
                    )
        self.samples.clear()

    def wait_for_event(
        self, event: str, timeout: float, seen: int | None = None, **fields: Any
    ) -> dict[str, Any]:
        """The first `event` line (with these `fields`) after the first `seen` lines (default:
        those read so far)."""
        assert self.viewer is not None
        seen = len(self.viewer.lines) if seen is None else seen
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            for line in self.viewer.lines[seen:]:
                if line.get("event") == event and all(line.get(k) == v for k, v in fields.items()):
                    return line
        raise RuntimeError(f"no {event} within {timeout} s: {self.tail()}")

    def wait_settled(self, quiet: float, timeout: float) -> str | None:
        """Wait until the viewer is LIVE with the view shown and has not changed state for
        `quiet` seconds (counted from now at the earliest): LIVE; or until it has rested
        waiting for the user for AWAIT_SETTLE_S: AWAITS; None if neither happens within
        `timeout`."""
        since = time.time()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            calm = time.time() - max(since, self.timeline.state_changed_at) >= quiet
            if self.timeline.live and calm:
                self.judge_samples()
                return LIVE
            awaiting = self.timeline.awaiting
            if awaiting is not None and time.time() - timestamp(awaiting) >= AWAIT_SETTLE_S:
                return AWAITS
        return None

    # -- one fault ---------------------------------------------------------------------------

    def inject(self, index: int, kind: str) -> None:
        assert self.admin is not None
        script = SCRIPTS[kind](self.rng)
        if len(self.app_ids) > 1 and kind in NARROWABLE and self.rng.random() < NARROW_SHARE:
            script = narrowed(script, self.rng.choice(self.app_ids))
            _count(self.report.narrowed, kind)
        counts = self.report.per_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        self.report.injected += 1
        self.in_flight = kind
        started = time.time()
        for step in script:
            self.pump(step.delay)
            self.admin.fault(step.body)
        gap = self.rng.uniform(self.args.min_gap, self.args.max_gap)
        why, pressed = self.settle(kind, gap)
        outcome = LIVE if why is None else None
        if outcome == LIVE and not pressed:
            if self.timeline.state_changed_at > started:
                self.report.recovery_s.append(self.timeline.state_changed_at - started)
            _count(self.report.healed_by_itself, kind)
        elif outcome == LIVE:
            _count(self.report.healed_after_press, kind)
        self.in_flight = None
        if kind == "http_error":
            self.admin.end_http_errors()  # judged: what is left of its burst is over too
        if outcome == LIVE:
            counts[1] += 1
            self.report.survived += 1
            self.count_proxy_sessions(index, kind)
            return
        self.report.failures.append(
            Failure(index, kind, [asdict(s) for s in script], why or "?", self.tail(25))
        )
        self.restart_viewer(f"stuck after a fault: {why}")

    def settle(self, kind: str, quiet: float) -> tuple[str | None, bool]:
        """Wait until every tab is LIVE, answering each tab that rests waiting for the user
        once. (None, whether any answer was needed) when all are LIVE; else (why not, _)."""
        answered: set[str | None] = set()
        outcome = self.wait_settled(quiet=quiet, timeout=RECOVERY_TIMEOUT_S)
        while outcome == AWAITS:
            awaiting = self.timeline.awaiting
            assert awaiting is not None
            tab = awaiting.get("tab")
            if tab in answered:
                after = self.tab_story(tab)
                return (
                    f"{tab or 'the viewer'} rests in {awaiting.get('state')} "
                    f"({awaiting.get('reason')}) again after its one answer: {after}",
                    True,
                )
            answered.add(tab)
            why = self.press_the_fix(kind)
            if why == MOVED_ON:
                answered.discard(tab)
                outcome = self.wait_settled(quiet=quiet, timeout=RECOVERY_TIMEOUT_S)
                continue
            if why is not None:
                return why, True
            outcome = self.wait_settled(quiet=quiet, timeout=RECOVERY_TIMEOUT_S)
            if outcome == LIVE:  # the last press -> every tab LIVE
                self.report.press_recovery_s.append(
                    self.timeline.state_changed_at - self.pressed_at
                )
        if outcome != LIVE:
            assert self.admin is not None
            pending = self.admin.pending_http_errors()
            not_live = [
                f"{tab}: {t.state} ({t.reason}), view {'shown' if t.visible else 'hidden'}"
                for tab, t in self.timeline.timelines.items()
                if tab in self.timeline.expected and not t.live
            ]
            answers = f" after answering {sorted(map(str, answered))}" if answered else ""
            return (
                f"not LIVE again{answers}: {not_live}; HTTP errors still planned on the sim: "
                f"{pending}",
                bool(answered),
            )
        return None, bool(answered)

    def count_proxy_sessions(self, index: int, kind: str) -> None:
        """Note the fault after which a user holds more than one proxy session (a sign-in that
        left the previous session behind), so that the end's count can be traced to it."""
        assert self.admin is not None
        users = self.admin.state()["users"]
        extra = any(counts["proxy_sessions"] > 1 for counts in users.values())
        if extra and not self.extra_proxy_sessions:
            self.report.extra_proxy_sessions.setdefault(kind, []).append(index)
        self.extra_proxy_sessions = extra

    def tab_story(self, tab: str | None, count: int = 8) -> list[tuple[Any, Any]]:
        """The last events of `tab`, to say what happened to it."""
        assert self.viewer is not None
        lines = [ln for ln in self.viewer.lines if ln.get("tab", None) == tab]
        return [(ln.get("event"), ln.get("reason") or ln.get("state")) for ln in lines][-count:]

    def go_to_tab(self, tab: str) -> str | None:
        """Make `tab` current as a user would: Ctrl+PgDown on the main window until it is.
        None when it is; else why not."""
        for _ in range(len(self.timeline.expected)):
            if self.timeline.current == tab:
                return None
            seen = len(self.viewer.lines) if self.viewer else 0
            try:
                windows = xdotool(
                    "search", "--onlyvisible", "--name", f". — {DEMO_PRODUCT_NAME}$"
                ).split()
                xdotool("windowfocus", "--sync", windows[0])
                xdotool("key", "--clearmodifiers", "ctrl+Next")
                self.wait_for_event("tab.current", SWITCH_ANSWER_S, seen)
            except (subprocess.SubprocessError, IndexError, RuntimeError) as error:
                return f"could not go to tab {tab} with Ctrl+PgDown: {error}"
            self.report.tab_switches += 1
        return None if self.timeline.current == tab else f"Ctrl+PgDown never reached tab {tab}"

    def press_the_fix(self, kind: str) -> str | None:
        """The viewer (a tab) rests waiting for the user: go to its tab, check that it names
        its cause and shows the dialog of its state, press the button that fixes it, and check
        that a recovery starts. None when one did; MOVED_ON when the tab, once current, no longer
        rested; else why not."""
        awaiting = self.timeline.awaiting
        assert awaiting is not None
        tab = awaiting.get("tab")
        if tab is not None and self.args.desktop:
            why = self.go_to_tab(str(tab))
            if why is not None:
                return why
            # the dialog now shows this tab's notice: let it paint, and see it still rests
            self.pump(AWAIT_SETTLE_S)
            if self.timeline.tab(tab).awaiting is None:
                return MOVED_ON
        state, reason = str(awaiting.get("state")), awaiting.get("reason")
        _count(self.report.rests, f"{kind}: {state} {reason}")
        if not self.args.desktop:
            return f"a kiosk waits for a user in {state} ({reason})"
        if reason is None:
            return f"rests in {state} without a reason"
        if self.timeline.dialog != state:
            return f"rests in {state}, but the dialog on screen is {self.timeline.dialog}"
        button, recoveries = FIXES.get(state, RECONNECT)
        if button not in awaiting.get("offers", ()):
            return f"rests in {state} without offering {button}: {awaiting.get('offers')}"
        assert self.viewer is not None
        seen = len(self.viewer.lines)
        self.pressed_at = time.time()
        try:
            press_the_fix()
        except (subprocess.SubprocessError, AssertionError) as error:
            return f"could not press {button} on the dialog: {error}"
        self.report.answers += 1
        on_tab = {} if tab is None else {"tab": tab}
        try:
            started = self.wait_for_event("recovery.start", PRESS_ANSWER_S, seen, **on_tab)
        except RuntimeError:
            return f"pressing {button} in {state} started nothing"
        if started.get("action") not in recoveries:
            return f"pressing {button} in {state} started {started.get('action')}"
        return None

    def restart_viewer(self, why: str) -> None:
        self.collect_verdicts()
        events = [
            (ln.get("ts"), ln.get("event"), ln.get("state") or ln.get("text"))
            for ln in self.tail(12)
        ]
        print(f"chaos-restart: {why}; last log lines: {events}", flush=True)
        if self.args.json is not None and self.viewer is not None:  # the whole story, to study
            self.restarts += 1
            kept = self.args.json.with_suffix(f".viewer-{self.restarts}.jsonl")
            kept.write_text("".join(json.dumps(line) + "\n" for line in self.viewer.lines))
            print(f"chaos-restart: the stuck viewer's log is in {kept}", flush=True)
        self.stop_viewer()
        self.start_viewer()
        self.extra_proxy_sessions = False

    def collect_verdicts(self) -> None:
        violations, crashes = self.timeline.take_verdicts()
        self.report.visible_not_live_log.extend(violations)
        self.report.crashes.extend(crashes)

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
        why, _ = self.settle("final", FINAL_QUIET_S)
        if why is not None:
            self.report.failures.append(Failure(-1, "final", [], why, self.tail(25)))
        self.report.pss_end_mib = self.viewer.viewer_pss_bytes() / 2**20
        state = self.admin.state()
        self.report.sessions = {user: dict(counts) for user, counts in state["users"].items()}
        names = {app.info.id: app.info.name for app in sample_apps()}
        for session in state["sessions"]:
            key = f"{names.get(session['app'], session['app'])}/{session['identity']}"
            _count(self.report.app_sessions, key)

    def excluded(self) -> dict[str, str]:
        return dict(item.split("=", 1) for item in self.args.exclude)


def _count(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def tab_targets(tabs: int, apps: int) -> tuple[list[str], list[str]]:
    """The ids of the first `apps` sample apps, and the `--open` targets of `tabs` tabs spread
    over them (`tabs / apps` sheets of each, left to right); the demo profile's sheet — the
    first app's first — is the first tab, so it is not among the targets."""
    chosen = sample_apps()[:apps]
    per_app = tabs // apps
    targets = [f"{app.info.id}/{sheet.id}" for app in chosen for sheet in app.info.sheets[:per_app]]
    return [app.info.id for app in chosen], targets[1:]


class ViewerExited(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(f"the viewer exited with {code}")
        self.code = code


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.chaos", description=__doc__)
    parser.add_argument("--faults", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flavor", choices=("cloud", "qseow"), default="cloud")
    parser.add_argument(
        "--desktop", action="store_true",
        help="the desktop viewer (no --kiosk): a fault may end in a rest that waits for the "
        "user, which the runner answers with one press of the dialog's button",
    )  # fmt: skip
    parser.add_argument(
        "--tabs", type=int, default=1,
        help="the analyst window with this many tabs (implies --desktop); see --apps",
    )  # fmt: skip
    parser.add_argument(
        "--apps", type=int, default=1, help="spread the tabs over this many of the sim's apps"
    )
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
    apps = len(sample_apps())
    if not (1 <= args.apps <= apps and args.apps <= args.tabs and args.tabs % args.apps == 0):
        print(f"chaos: --tabs {args.tabs} --apps {args.apps}: the sim offers {apps} apps; "
              "give at least one tab per app and the same number for each")  # fmt: skip
        return 2
    args.desktop = args.desktop or args.tabs > 1
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
    if report.desktop:
        for kind, count in sorted(report.per_kind.items()):
            print(
                f"chaos-kind: {kind}: {count[0]} injected, {count[1]} survived; healed by "
                f"itself {report.healed_by_itself.get(kind, 0)}, after one press "
                f"{report.healed_after_press.get(kind, 0)}"
            )
        for rest, times in sorted(report.rests.items()):
            print(f"chaos-rest: {rest}: {times}")
        for kind, aimed in sorted(report.narrowed.items()):
            print(f"chaos-narrowed: {kind}: {aimed} aimed at one app")
        for kind, indices in sorted(report.extra_proxy_sessions.items()):
            print(f"chaos-proxy-sessions: more than one after {kind} #{indices}")
        for tab, hidden in sorted(report.screenshots_hidden_by_tab.items()):
            print(f"chaos-screen: {tab}: {hidden} samples while hidden and on screen")
    for failure in report.failures:
        print(f"chaos-failure: #{failure.index} {failure.kind} {failure.script}: {failure.why}")
    print(report.line(), flush=True)
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
