"""Fleet-scale recovery (issue 17, item 8): N virtual displays — the viewer's own state machine,
reconnect policy, auth and engine session, headless, without a web view — against one simulated
client-managed tenant; the network between all of them and the tenant is cut for a while, then
healed, and the tenant's side is measured: new sign-ins (proxy sessions created) and engine opens
per second, the time until every display is LIVE again, and the sessions each display holds at
the end (goal: exactly one engine session and one proxy session each).

    python -m tests.bench.fleet --displays 1000 --outage 60 [--kind cut|refuse] [--expire]
                                [--json FILE] [--results test-artifacts/bench.json]

Two kinds of outage (tests/bench/fleet_proxy.py): `cut`, a silent network (nothing passes, new
connections get no answer), and `refuse`, the tenant down (connections reset, new ones refused:
every attempt fails at once, so the displays fail in lockstep). `--expire` also ends every
session at the tenant during the outage, so that every display must sign in again: the herd a
reconnect policy has to keep gentle.

Each display signs in with header authentication as its own user (`SIM\\display-0001`, …) and
its own engine identity, so the tenant's per-user counts are per-display counts. The sim and the
cutting proxy (tests/bench/fleet_proxy.py) run in processes of their own; the displays share
this process's event loop. A display's page is not simulated: it counts as loaded as soon as the
engine has opened the app (the page's own requests are not part of the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from viewer import log
from viewer.application import reconnect_policy, recovery_limit_s
from viewer.auth.errors import SignInRequired
from viewer.auth.factory import strategy_for
from viewer.auth.session import AuthSession
from viewer.commands.demo import demo_config
from viewer.config.loading import ConfigLocations, Profile
from viewer.config.models import ViewerConfig
from viewer.core import inputs
from viewer.core import state as vs
from viewer.engine import events as engine_events
from viewer.engine.session import Session, SessionState
from viewer.sheet.connect import ConnectPath, SheetTarget, close_quietly, session_config
from viewer.sheet.recovery import RecoverySteps, run_recovery

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.5
SETTLE_S = 5.0  # after the last display is LIVE: stragglers' sessions may still be closing


# ---- one display --------------------------------------------------------------------------


class VirtualDisplay:
    """One kiosk without its window: the state machine fed by a real engine session, recovery
    attempts run by the viewer's own `run_recovery` (attach with the grant it has, sign in only
    when the tenant refuses it), timers from the machine's plan."""

    def __init__(self, profile: Profile, identity: str, rng: random.Random) -> None:
        self.profile = profile
        self.identity = identity
        self.auth = AuthSession(strategy_for(profile.config, identity))
        self.machine = vs.ViewerState.start(
            vs.Mode.KIOSK, policy=reconnect_policy(profile), silent_reauth=True,
            random=rng.random,
        )  # fmt: skip
        self.session: Session | None = None
        self.live_at: float | None = None
        self.failures = 0
        self.attempts: list[float] = []  # when each recovery attempt started (monotonic)
        self.opens: list[float] = []  # when each engine socket was asked for (monotonic)
        self._recovery: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._facts = inputs.EngineFacts()
        self.path = ConnectPath(
            self.auth, profile.config, identity, session_config(profile.config.network)
        )
        self._steps = RecoverySteps(
            resume=self._resume,
            reload_sheet=self._reload_sheet,
            renew=self._renew,
            sign_in=self._sign_in,
            drop_session=self._drop_session,
            feed=self.feed,
            was_live=lambda: self.machine.was_live,
        )

    @property
    def live(self) -> bool:
        return self.machine.phase is vs.Phase.LIVE

    def start(self) -> None:
        self._start_recovery(vs.RecoveryAction.RELOAD_SHEET)  # the first connect

    async def close(self) -> None:
        for task in (self._recovery,):
            if task is not None:
                task.cancel()
        if self._timer is not None:
            self._timer.cancel()
        await self._drop_session()

    def feed(self, event: vs.Event) -> None:
        if isinstance(event, vs.RecoveryFailed):
            self.failures += 1
        was_live = self.live
        self.machine, directive = self.machine.handle(event, time.monotonic())
        if self.live and not was_live:
            self.live_at = time.monotonic()
        if directive.perform is not None:
            self._start_recovery(directive.perform)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        plan = directive.recovery
        if plan is not None and plan.due_at is not None:
            delay = max(0.0, plan.due_at - time.monotonic())
            self._timer = asyncio.get_running_loop().call_later(
                delay, self.feed, vs.TimerFired(plan.timer_id)
            )

    def _start_recovery(self, action: vs.RecoveryAction) -> None:
        self.attempts.append(time.monotonic())
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()
        attempt = run_recovery(self._steps, action, recovery_limit_s(self.profile))
        self._recovery = asyncio.get_running_loop().create_task(attempt)

    async def _renew(self) -> None:
        await self.auth.renew("the server ended the session")

    async def _sign_in(self) -> None:
        raise SignInRequired("a kiosk with header auth never prompts")

    async def _resume(self) -> None:
        if self.session is None:  # as the viewer's sheet: a resume with nothing to resume
            self.feed(vs.EngineResumed(attached=False))
            return
        self.opens.append(time.monotonic())
        await self.session.resume()

    async def _reload_sheet(self) -> None:
        if self.session is not None and self.session.state is SessionState.OPEN:
            self.feed(vs.PageLoaded())
            return
        await self._connect()

    async def _connect(self) -> None:
        """The viewer's own connect path (viewer.sheet.connect), as a sheet runs it."""
        await self._drop_session()
        target = SheetTarget(str(self.profile.config.tenant.app_id))
        connected = await self.path.connect(target, self._on_session_event, self._on_step)
        self.session = connected.session
        self.feed(vs.EngineOpened())
        self.feed(vs.PageLoaded())  # no page here: it counts as loaded once the app is open

    def _on_step(self, step: str) -> None:
        if step == "engine socket":
            self.opens.append(time.monotonic())

    async def _drop_session(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            await close_quietly(session)

    def _on_session_event(self, event: engine_events.SessionEvent) -> None:
        translated = inputs.from_session_event(event, self._facts)
        if translated is not None:
            self.feed(translated)


# ---- the processes around the displays ------------------------------------------------------


@dataclass
class Child:
    process: subprocess.Popen[str]
    first: dict[str, Any]

    @classmethod
    def start(cls, args: Sequence[str]) -> Child:
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert process.stdout is not None
        return cls(process, json.loads(process.stdout.readline()))

    def say(self, line: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return dict(json.loads(self.process.stdout.readline()))

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


async def _all_live(fleet: Sequence[VirtualDisplay], within_s: float) -> bool:
    """Wait until every display is LIVE (True), or `within_s` seconds have passed (False)."""
    deadline = time.monotonic() + within_s
    while not all(display.live for display in fleet):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(POLL_S)
    return True


def peak_per_second(times: Sequence[float]) -> int:
    """The most events in any one-second window."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def _counters(state: dict[str, Any]) -> dict[str, int]:
    counters = state["counters"]
    return {
        "sign_ins": int(counters["sessions_created"]) + int(counters["logins"]),
        "engine_opens": int(counters["engine_sockets_opened"]) + int(counters["sockets_refused"]),
        "engine_sessions_created": int(counters["engine_sessions_created"]),
        "engine_sessions_attached": int(counters["engine_sessions_attached"]),
    }


def _raise_descriptor_limit() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


async def run_fleet(
    displays: int,
    outage_s: float,
    ramp_per_s: float,
    seed: int,
    *,
    outage: str = "cut",
    expire: bool = False,
) -> dict[str, Any]:
    limit = _raise_descriptor_limit()
    sim = Child.start(["-m", "viewer", "sim", "--flavor", "qseow", "--port", "0",
                       "--log-level", "ERROR", "--stop-on-stdin-eof"])  # fmt: skip
    sim_url = str(sim.first["url"])
    proxy = Child.start(["-m", "tests.bench.fleet_proxy", sim_url.rsplit(":", 1)[1]])
    proxied = dict(sim.first, url=f"http://127.0.0.1:{proxy.first['port']}")
    admin = httpx.AsyncClient(base_url=sim_url, timeout=120)
    rng = random.Random(seed)
    fleet: list[VirtualDisplay] = []

    async def counters() -> dict[str, int]:
        return _counters((await admin.get("/_sim/state")).json())

    try:
        base = demo_config(proxied, "qseow", "qseow-header")
        locations = ConfigLocations.from_platform()
        started = time.monotonic()
        for index in range(displays):
            name = f"display-{index + 1:04d}"
            data = json.loads(json.dumps(base))
            data["auth"]["user_id"] = name
            data["tenant"]["identity"] = name
            profile = Profile(name, ViewerConfig.model_validate(data), {}, (), locations)
            display = VirtualDisplay(profile, name, random.Random(rng.random()))
            fleet.append(display)
            display.start()
            await asyncio.sleep(1 / ramp_per_s)
        if not await _all_live(fleet, within_s=120):
            raise RuntimeError(f"only {sum(d.live for d in fleet)} of {displays} went LIVE")
        ramp_s = time.monotonic() - started
        before = await counters()
        proxy.say(outage)
        if expire:  # the tenant ends every session meanwhile: all must sign in again
            (await admin.post("/_sim/fault", json={"kind": "expire"})).raise_for_status()
        await asyncio.sleep(outage_s)
        live_during_cut = sum(d.live for d in fleet)
        proxy.say("heal")
        heal_at = time.monotonic()
        heal_wall = time.time()
        cpu_at_heal = time.process_time()
        all_live_s = None
        # The tenant is not asked anything until all are back: its state is a large answer.
        if await _all_live(fleet, within_s=300):
            all_live_s = max(d.live_at or 0 for d in fleet) - heal_at
        await asyncio.sleep(SETTLE_S)
        cpu_after_heal = time.process_time() - cpu_at_heal
        wall_after_heal = time.monotonic() - heal_at
        final = (await admin.get("/_sim/state")).json()
        after = _counters(final)
        signed_in = [
            p["created_at"] for p in final["proxy_sessions"] if p["created_at"] >= heal_wall
        ]
        first_attempts = [min((t for t in d.attempts if t >= heal_at), default=None) for d in fleet]
        users = {u: c for u, c in final["users"].items() if u.lower().startswith("sim\\display-")}
        per_display = [(c["engine_sessions"], c["proxy_sessions"]) for c in users.values()]
        return {
            "measured": _when(),
            "displays": displays,
            "outage_s": outage_s,
            "outage": outage,
            "sessions_expired_during_outage": expire,
            "descriptor_limit": limit,
            "ramp_s": round(ramp_s, 1),
            "sign_ins_before_cut": before["sign_ins"],
            "live_at_end_of_outage": live_during_cut,
            "all_live_after_heal_s": None if all_live_s is None else round(all_live_s, 1),
            "live_at_end": sum(d.live for d in fleet),
            "peak_sign_ins_per_s": peak_per_second(signed_in),
            "peak_engine_opens_per_s": peak_per_second(
                [t for d in fleet for t in d.opens if t >= heal_at]
            ),
            "peak_first_attempts_per_s": peak_per_second(
                [t for t in first_attempts if t is not None]
            ),
            "first_attempt_after_heal_s": _quantiles(
                [t - heal_at for t in first_attempts if t is not None]
            ),
            "live_after_heal_s": _quantiles(
                [d.live_at - heal_at for d in fleet if d.live_at is not None]
            ),
            "first_attempts_per_second": _per_second(
                [t - heal_at for t in first_attempts if t is not None]
            ),
            "sign_ins_per_second": _per_second([t - heal_wall for t in signed_in]),
            "bench_cpu_share_after_heal": round(cpu_after_heal / wall_after_heal, 2),
            **{f"{name}_after_cut": after[name] - before[name] for name in after},
            "recovery_failures": sum(d.failures for d in fleet),
            "displays_seen_by_tenant": len(users),
            "displays_with_one_engine_and_one_proxy_session": sum(
                1 for pair in per_display if pair == (1, 1)
            ),
            "engine_sessions_per_display": _spread(p[0] for p in per_display),
            "proxy_sessions_per_display": _spread(p[1] for p in per_display),
        }
    finally:
        await asyncio.gather(*(d.close() for d in fleet), return_exceptions=True)
        await admin.aclose()
        proxy.stop()
        sim.stop()


def _when() -> str:
    """When, on which commit and how busy the machine was (for the report)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    moment = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{moment}, commit {commit or '?'}, load average {load} on {os.cpu_count()} CPUs"


def _per_second(offsets: Sequence[float]) -> list[int]:
    """How many of `offsets` (seconds after the heal) fall in each second."""
    counts = [0] * (int(max(offsets, default=0)) + 1)
    for offset in offsets:
        counts[int(max(offset, 0))] += 1
    return counts


def _quantiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"min": at(0), "p50": at(0.5), "p90": at(0.9), "max": round(ordered[-1], 1)}


def _spread(values: Any) -> dict[str, int]:
    spread: dict[str, int] = {}
    for value in values:
        spread[str(value)] = spread.get(str(value), 0) + 1
    return spread


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fleet", description=__doc__)
    parser.add_argument("--displays", type=int, default=1000)
    parser.add_argument("--outage", type=float, default=60.0, help="seconds the network is cut")
    parser.add_argument("--ramp", type=float, default=50.0, help="displays started per second")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--kind",
        choices=("cut", "refuse"),
        default="cut",
        help="cut: the network goes silent; refuse: the tenant is down (resets, refusals)",
    )
    parser.add_argument(
        "--expire", action="store_true", help="the tenant ends every session during the outage"
    )
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument(
        "--results",
        type=Path,
        help="also keep them in the benchmark runner's results (tests/bench/run.py --results), "
        "under fleet.<kind>[+expire], for BENCHMARKS.md",
    )
    parser.add_argument("--note", default="", help="a note for the report's row")
    args = parser.parse_args(argv)
    log.configure(log_format="json", level="ERROR")
    logging.getLogger("viewer").setLevel(logging.CRITICAL)
    results = asyncio.run(
        run_fleet(
            args.displays, args.outage, args.ramp, args.seed, outage=args.kind, expire=args.expire
        )
    )
    text = json.dumps(results, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")
    if args.results is not None:
        kept = json.loads(args.results.read_text()) if args.results.exists() else {}
        key = args.kind + ("+expire" if args.expire else "")
        kept.setdefault("fleet", {})[key] = {**results, "note": args.note}
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(json.dumps(kept, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
