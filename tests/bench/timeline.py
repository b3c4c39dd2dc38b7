"""What a viewer's JSON log says about its screen over time: the current state and its reason,
whether the sheet view is shown, each time it was shown while not LIVE, the periods it was hidden
(against which sampled screenshots are judged), the dialog on screen, and whether the viewer rests
waiting for the user (`recovery.awaits_user`, until a state change or a recovery starts) — one
`Timeline` per sheet; `Screen` keeps one per tab of the analyst window (by the log's `tab`) and
knows which tab is on screen. Pure: fed log lines, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from tests.bench.watched import timestamp
from tests.e2e.viewer_process import LogLine

LIVE = "LIVE"
# A hidden view is judged on screen only from this long after it was hidden: the compositor of
# the virtual display needs a frame or two to repaint.
REPAINT_GRACE_S = 0.3


@dataclass
class Timeline:
    """The viewer's state and view visibility, followed line by line."""

    state: str | None = None
    reason: str | None = None
    visible: bool = False
    dialog: str | None = None  # the kind of the last dialog (or overlay) shown
    awaiting: LogLine | None = None  # the `recovery.awaits_user` line that still stands
    state_changed_at: float = 0.0
    violations: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    _hidden_since: float = -math.inf
    _hidden: list[tuple[float, float]] = field(default_factory=list)
    _shown_pending_state: bool = False

    def feed(self, line: LogLine) -> None:
        event = line.get("event")
        if event == "view.visible":
            self._on_visible(bool(line.get("visible")), timestamp(line))
        elif event == "ui.state":
            self._on_state(str(line.get("state")), timestamp(line))
            self.reason = line.get("reason")
            self.awaiting = None
        elif event == "dialog.shown":
            self.dialog = str(line.get("kind"))
        elif event == "recovery.awaits_user":
            self.awaiting = line
        elif event == "recovery.start":
            self.awaiting = None
        elif event == "web.renderer_terminated":
            self.crashes.append(f"renderer terminated at {line.get('ts')}: {line}")

    def _on_visible(self, visible: bool, at: float) -> None:
        if visible and not self.visible:
            self._hidden.append((self._hidden_since, at))
            self._shown_pending_state = True
        elif not visible and self.visible:
            self._hidden_since = at
        self.visible = visible

    def _on_state(self, state: str, at: float) -> None:
        if self._shown_pending_state and state != LIVE:
            self.violations.append(f"view shown, then state {state} at {at:.3f}")
        elif state != LIVE and self.visible:
            self.violations.append(f"state {state} with the view visible at {at:.3f}")
        self._shown_pending_state = False
        if state != self.state:
            self.state_changed_at = at
        self.state = state

    @property
    def live(self) -> bool:
        return self.state == LIVE and self.visible

    def hidden_throughout(self, start: float, end: float) -> bool:
        """Whether the log says the view was hidden (past the repaint grace) from `start` to
        `end`. Only periods that have ended count: the log of a later show may still be on its
        way, so judge a sample once the viewer is shown again."""
        return any(
            begin + REPAINT_GRACE_S <= start and end <= finish for begin, finish in self._hidden
        )


@dataclass
class Screen:
    """The timelines of every tab (by the log's `tab`; the kiosk's and the one-sheet desktop's
    lines carry none: tab None), which tab is current (`tab.current`) and the dialog on screen.
    Lines without a tab (`dialog.shown`, a renderer crash) are the current tab's: the dialog
    shows the current tab's notice. `expected` names the tabs that must all be LIVE."""

    expected: tuple[str | None, ...] = (None,)
    timelines: dict[str | None, Timeline] = field(default_factory=dict)
    current: str | None = None
    dialog: str | None = None  # the kind of the last dialog shown (whichever tab it was for)
    _currents: list[tuple[float, str | None]] = field(default_factory=list)  # (since, tab)

    def __post_init__(self) -> None:
        for tab in self.expected:
            self.timelines.setdefault(tab, Timeline())

    def feed(self, line: LogLine) -> None:
        event = line.get("event")
        if event == "tab.current":
            self.current = str(line.get("tab")) or None
            self._currents.append((timestamp(line), self.current))
            return
        if event == "dialog.shown":
            self.dialog = str(line.get("kind"))
        tab = line.get("tab", self.current)
        self.timelines.setdefault(tab, Timeline()).feed(line)

    def tab(self, tab: str | None) -> Timeline:
        return self.timelines.setdefault(tab, Timeline())

    @property
    def live(self) -> bool:
        """Every expected tab LIVE with its view shown."""
        return all(self.tab(tab).live for tab in self.expected)

    @property
    def state_changed_at(self) -> float:
        """The last state change of any expected tab."""
        return max(self.tab(tab).state_changed_at for tab in self.expected)

    @property
    def awaiting(self) -> LogLine | None:
        """A `recovery.awaits_user` line that still stands: the current tab's first, else the
        leftmost expected tab's (its line names its `tab`)."""
        order = sorted(self.expected, key=lambda tab: tab != self.current)
        return next((a for tab in order if (a := self.tab(tab).awaiting) is not None), None)

    def hidden_throughout(self, start: float, end: float) -> bool:
        """Whether one tab was on screen from `start` to `end` (current since before `start`,
        past the repaint grace) and had its view hidden all that time."""
        tab = self.on_screen(start, end)
        return tab is not False and self.tab(tab).hidden_throughout(start, end)

    def on_screen(self, start: float, end: float) -> str | Literal[False] | None:
        """The tab current from the repaint grace before `start` to `end`; False if the
        current tab changed meanwhile."""
        tab: str | None = self.expected[0] if not self._currents else None
        for since, current in self._currents:
            if since + REPAINT_GRACE_S > start:
                if since <= end:
                    return False
                break
            tab = current
        return tab

    def take_verdicts(self) -> tuple[list[str], list[str]]:
        """The violations and crashes seen so far (named by tab), cleared."""
        violations, crashes = [], []
        for tab, timeline in self.timelines.items():
            prefix = "" if tab is None else f"{tab}: "
            violations += [prefix + v for v in timeline.violations]
            crashes += [prefix + c for c in timeline.crashes]
            timeline.violations.clear()
            timeline.crashes.clear()
        return violations, crashes
