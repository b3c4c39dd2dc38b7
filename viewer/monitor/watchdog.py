"""Liveness for systemd (`Type=notify`, `WatchdogSec=`): readiness, status and watchdog pings
over the notify socket, sent from the event loop only while the viewer makes progress, with a
bounded escalation when it does not.

Several times per `WatchdogSec` the loop checks three things: that it turns at all (a blocked
loop never gets to check, so it never pings), that the renderer answers (a probe the app
provides), and that the state machine is not stuck past its deadline (a callable the app
provides). While all is well it sends `WATCHDOG=1`; as soon as one of them fails the pings stop,
so systemd restarts the viewer within `WatchdogSec` unless progress comes back first. Meanwhile
the viewer tries to help itself, each step after a fixed time: reload the page, then restart
the renderer, then give up (counted; systemd's restart follows). Progress at any point resumes
the pings and starts the escalation over; systemd's `StartLimitBurst` bounds the restarts.
Without `NOTIFY_SOCKET` nothing is sent (the checks and the in-process steps still run); the
notify protocol is systemd's sd_notify(3).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from viewer.log import emit, get_logger
from viewer.monitor.metrics import ViewerMetrics

_log = get_logger("monitor")

DEFAULT_CHECK_INTERVAL_S: Final = 5.0  # without a systemd watchdog: in-process steps only
CHECKS_PER_WATCHDOG_SEC: Final = 6  # room for the steps before systemd's deadline
_MAX_STATUS_CHARS: Final = 200


# ---- sd_notify ------------------------------------------------------------------------------


class Notifier:
    """Datagrams to systemd's notify socket (`NOTIFY_SOCKET`: a path, or `@name` for an
    abstract socket). Without the variable it is disabled and sends nothing. Sending never
    raises: a supervisor that went away is logged once, not fatal."""

    def __init__(self, address: str | None) -> None:
        self.address = address
        self._target: str | bytes | None = None
        self._socket: socket.socket | None = None
        self._failed = False
        if address:
            self._target = "\0" + address[1:] if address.startswith("@") else address

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, *, unset: bool = True
    ) -> Notifier:
        """The notifier `NOTIFY_SOCKET` names; with `unset`, the variable is removed from this
        process's environment so that child processes (the renderers) do not inherit it."""
        address = (os.environ if environ is None else environ).get("NOTIFY_SOCKET")
        if unset and environ is None:
            os.environ.pop("NOTIFY_SOCKET", None)
        return cls(address or None)

    @property
    def enabled(self) -> bool:
        return self._target is not None

    def send(self, **fields: str) -> bool:
        """Send `KEY=value` lines in one datagram (e.g. `send(READY="1", STATUS="LIVE")`);
        True when it went out."""
        if self._target is None or not fields:
            return False
        message = "\n".join(f"{key}={value}" for key, value in fields.items()).encode()
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
                self._socket.setblocking(False)
            self._socket.sendto(message, self._target)
        except OSError as error:
            if not self._failed:
                self._failed = True
                emit(_log, "watchdog.notify_failed", level=logging.WARNING,
                     error=error.strerror or type(error).__name__)  # fmt: skip
            return False
        self._failed = False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def watchdog_sec(environ: Mapping[str, str] | None = None) -> float | None:
    """systemd's `WatchdogSec` for this process (from `WATCHDOG_USEC`), or None when no
    watchdog is enabled for it (`WATCHDOG_PID`, when set, must be ours)."""
    env = os.environ if environ is None else environ
    pid = env.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


# ---- the escalation, as pure logic ---------------------------------------------------------


class Escalation(StrEnum):
    """One step against a stall, in the order they are taken."""

    RELOAD_PAGE = "reload-page"
    RESTART_RENDERER = "restart-renderer"
    STOP_PINGING = "stop-pinging"  # given up: systemd restarts the app


STEPS: Final = (Escalation.RELOAD_PAGE, Escalation.RESTART_RENDERER, Escalation.STOP_PINGING)


@dataclass(frozen=True)
class EscalationPolicy:
    """How long a stall may last before the first step (`grace_s`), and how long each step has
    to work before the next (`step_s`)."""

    grace_s: float = 15.0
    step_s: float = 20.0

    def __post_init__(self) -> None:
        if self.grace_s < 0 or self.step_s <= 0:
            raise ValueError("escalation needs grace_s >= 0 and step_s > 0")

    @classmethod
    def within(cls, watchdog_sec: float) -> EscalationPolicy:
        """Every step before systemd's deadline: reload at once, restart the renderer a third
        of the way, give up at two thirds."""
        return cls(grace_s=0.0, step_s=watchdog_sec / 3)


@dataclass(frozen=True)
class Escalator:
    """Where the escalation stands: fed one observation at a time (progress or not, and when),
    it answers the step to take now, if any."""

    policy: EscalationPolicy = EscalationPolicy()
    stalled_since: float | None = None
    steps_taken: int = 0
    last_step_at: float = 0.0

    @property
    def exhausted(self) -> bool:
        """True once every step has been taken in this stall."""
        return self.steps_taken >= len(STEPS)

    def observe(self, progressing: bool, now: float) -> tuple[Escalator, Escalation | None]:
        if progressing:
            return Escalator(self.policy), None
        state = self if self.stalled_since is not None else replace(self, stalled_since=now)
        if state.exhausted:
            return state, None
        assert state.stalled_since is not None
        if state.steps_taken == 0:
            due = state.stalled_since + self.policy.grace_s
        else:
            due = state.last_step_at + self.policy.step_s
        if now < due:
            return state, None
        step = STEPS[state.steps_taken]
        return replace(state, steps_taken=state.steps_taken + 1, last_step_at=now), step


# ---- the feature ----------------------------------------------------------------------------

RendererProbe = Callable[[], Awaitable[bool]]
"""Answers True when the renderer responds (e.g. a tiny script run in the page)."""
StuckProbe = Callable[[], bool]
"""Answers True when the state machine is past the deadline of what it waits for."""


@dataclass
class WatchdogHooks:
    """What the watchdog asks the app, and what it asks the app to do."""

    renderer_answers: RendererProbe | None = None
    state_stuck: StuckProbe | None = None
    reload_page: Callable[[], None] | None = None
    restart_renderer: Callable[[], None] | None = None


class Watchdog:
    """Readiness, status and liveness pings for systemd. `start()` on the running loop,
    `ready()` when the first state is on screen, `status()` on each state change, `close()` at
    the end (it says STOPPING=1). `watchdog_s` (systemd's WatchdogSec) and the notifier come
    from the environment unless given; checks run `CHECKS_PER_WATCHDOG_SEC` times per
    WatchdogSec unless `interval_s` says otherwise."""

    def __init__(
        self,
        hooks: WatchdogHooks | None = None,
        *,
        notifier: Notifier | None = None,
        watchdog_s: float | None = None,
        interval_s: float | None = None,
        policy: EscalationPolicy | None = None,
        metrics: ViewerMetrics | None = None,
        probe_timeout_s: float | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.hooks = hooks or WatchdogHooks()
        self.notifier = notifier if notifier is not None else Notifier.from_environment()
        systemd_sec = watchdog_s if watchdog_s is not None else watchdog_sec()
        self.pings_enabled = systemd_sec is not None and self.notifier.enabled
        if interval_s is None:
            interval_s = (systemd_sec or 0) / CHECKS_PER_WATCHDOG_SEC or DEFAULT_CHECK_INTERVAL_S
        self.interval_s = interval_s
        self.probe_timeout_s = probe_timeout_s or max(0.05, self.interval_s / 2)
        if policy is None:
            policy = EscalationPolicy.within(systemd_sec) if systemd_sec else EscalationPolicy()
        self.escalator = Escalator(policy)
        self._metrics = metrics
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._status: str | None = None
        self.pings = 0

    def start(self) -> None:
        """Begin checking (and pinging) from the running loop."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
            emit(_log, "watchdog.started", pings=self.pings_enabled,
                 interval_s=round(self.interval_s, 3))  # fmt: skip

    def ready(self, status: str) -> None:
        """The viewer is up (the first state is shown): READY=1 with its status."""
        self._status = status[:_MAX_STATUS_CHARS]
        self.notifier.send(READY="1", STATUS=self._status)

    def status(self, status: str) -> None:
        """A new state to show in `systemctl status` (sent only when it changed)."""
        status = status[:_MAX_STATUS_CHARS]
        if status != self._status:
            self._status = status
            self.notifier.send(STATUS=status)

    def close(self) -> None:
        """Stop checking; tell systemd the viewer is stopping on purpose."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.notifier.send(STOPPING="1")
        self.notifier.close()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self.check(self._clock() if self._clock else loop.time())
            await asyncio.sleep(self.interval_s)

    async def check(self, now: float) -> None:
        """One turn: probe, step the escalation, ping if still alive."""
        progressing = await self._progressing()
        gave_up = self.escalator.exhausted
        self.escalator, step = self.escalator.observe(progressing, now)
        if gave_up and progressing and self._status is not None:
            self.notifier.send(STATUS=self._status)  # back from "not responding"
        if step is not None:
            self._take(step)
        if self.pings_enabled and progressing and self.notifier.send(WATCHDOG="1"):
            self.pings += 1

    async def _progressing(self) -> bool:
        hooks = self.hooks
        if hooks.state_stuck is not None and hooks.state_stuck():
            return False
        if hooks.renderer_answers is None:
            return True
        try:
            async with asyncio.timeout(self.probe_timeout_s):
                return bool(await hooks.renderer_answers())
        except TimeoutError:
            return False
        except Exception as error:  # a probe that fails says the renderer is not answering
            emit(_log, "watchdog.probe_failed", level=logging.DEBUG, error=type(error).__name__)
            return False

    def _take(self, step: Escalation) -> None:
        emit(_log, "watchdog.escalation", level=logging.WARNING, action=step.value,
             stalled_s=round(self._stalled_for(), 1))  # fmt: skip
        if self._metrics is not None:
            self._metrics.watchdog_escalation(step.value)
            if step is Escalation.RESTART_RENDERER:
                self._metrics.restart("renderer")
            elif step is Escalation.STOP_PINGING:
                self._metrics.restart("app")
        action = {
            Escalation.RELOAD_PAGE: self.hooks.reload_page,
            Escalation.RESTART_RENDERER: self.hooks.restart_renderer,
        }.get(step)
        if action is not None:
            try:
                action()
            except Exception as error:  # the next step follows anyway
                emit(_log, "watchdog.step_failed", level=logging.WARNING, action=step.value,
                     error=type(error).__name__)  # fmt: skip
        if step is Escalation.STOP_PINGING:
            self.notifier.send(STATUS="not responding: waiting for systemd to restart the viewer")

    def _stalled_for(self) -> float:
        since = self.escalator.stalled_since
        return 0.0 if since is None else self.escalator.last_step_at - since
