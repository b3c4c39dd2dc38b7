"""The simulated tenant's faults as the chaos runner and the benchmarks draw them: each kind as a
short script of admin calls (a partition is healed, a slow-down lifted), plus a tiny client for
`/_sim/fault` and `/_sim/state`."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

FaultBody = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One admin call, `delay` seconds after the previous step."""

    delay: float
    body: FaultBody


Script = tuple[Step, ...]

# Notifications the viewer recovers from by retrying. Left out: OnLicenseAccessDenied and
# OnMaxParallelSessionsExceeded are fatal by design (the viewer stops on the notice and waits for
# a person); OnSessionTimedOut/Closed/LoggedOut announce the end of the proxy session, which the
# sim's `notify` does not end — the `expire` and `inactivity` kinds cover that path faithfully.
RECOVERABLE_NOTIFICATIONS = (
    "OnNoEngineAvailable",
    "OnEngineWebsocketFailed",
    "OnRepositoryWebsocketFailed",
    "OnNoRepositoryAvailable",
)
CLOSE_CODES = (1000, 1001, 1011, 4000, 4204)
# Paths the viewer requests while it recovers (sign-in, csrf token, the sheet page).
RECOVERY_PATHS = ("/single/", "/api/v1/csrf-token", "/login/jwt-session", "/api/v1/users/me")


def _one(body: FaultBody) -> Script:
    return (Step(0.0, body),)


def _close(rng: random.Random) -> Script:
    return _one({"kind": "close", "code": rng.choice(CLOSE_CODES), "reason": "chaos"})


def _partition(rng: random.Random) -> Script:
    # healed before or after the viewer's keepalive (5 s + 5 s) notices it
    return (Step(0.0, {"kind": "partition"}), Step(rng.uniform(1.0, 16.0), {"kind": "heal"}))


def _notify(rng: random.Random) -> Script:
    body = {"kind": "notify", "method": rng.choice(RECOVERABLE_NOTIFICATIONS)}
    return _one({**body, "close_after": rng.random() < 0.5})


def _slow(rng: random.Random) -> Script:
    seconds = rng.uniform(0.2, 8.0)
    return (
        Step(0.0, {"kind": "slow", "seconds": round(seconds, 2)}),
        Step(rng.uniform(2.0, 15.0), {"kind": "slow", "seconds": 0}),
    )


def _inactivity(rng: random.Random) -> Script:
    return (
        Step(0.0, {"kind": "inactivity", "seconds": round(rng.uniform(1.0, 4.0), 2)}),
        Step(rng.uniform(3.0, 12.0), {"kind": "inactivity", "seconds": None}),
    )


def _http_error(rng: random.Random) -> Script:
    # an error on a path only bites when the viewer requests it: restart so it reloads
    error = {
        "kind": "http_error",
        "path": rng.choice(RECOVERY_PATHS),
        "status": rng.choice((500, 502, 503, 504)),
        "count": rng.randint(1, 3),
    }
    return (Step(0.0, error), Step(0.1, {"kind": "restart"}))


def _limit(rng: random.Random) -> Script:
    # the viewer holds one proxy session, so any limit >= 1 must leave it working
    return _one({"kind": "limit", "max": rng.randint(1, 5)})


# kinds the sim can narrow to the sockets of one app (`app`) that a real tenant can inflict on
# one app; the others are tenant-wide. Left out: `expire`: its OnSessionTimedOut says the proxy
# session timed out, which on a real tenant ends the user's sockets on every app at once;
# narrowed to one app the sim keeps the proxy session, so the sign-in that answers it makes a
# second one while the first still serves the other app's tabs.
NARROWABLE = ("drop", "close", "partition", "notify", "reload")


def narrowed(script: Script, app: str) -> Script:
    """`script` with each narrowable call aimed at the sockets of `app` alone (a `heal` or a
    lifted slow-down stays tenant-wide)."""
    return tuple(
        Step(step.delay, {**step.body, "app": app}) if step.body["kind"] in NARROWABLE else step
        for step in script
    )


SCRIPTS: dict[str, Callable[[random.Random], Script]] = {
    "drop": lambda _: _one({"kind": "drop"}),
    "close": _close,
    "partition": _partition,
    "restart": lambda _: _one({"kind": "restart"}),
    "expire": lambda _: _one({"kind": "expire"}),
    "revoke": lambda _: _one({"kind": "revoke"}),
    "notify": _notify,
    "slow": _slow,
    "inactivity": _inactivity,
    "http_error": _http_error,
    "limit": _limit,
    # a data reload: every client is told its app changed; the view must stay LIVE through it
    "reload": lambda _: _one({"kind": "reload"}),
}
# kind -> why a chaos run of this flavour leaves it out
NOT_APPLICABLE = {
    "cloud": {"limit": "parallel-session limits exist on client-managed (qseow) sites only"},
    "qseow": {},
}
# kind -> why every run leaves it out until the simulator models it faithfully (none today:
# `inactivity` ends the proxy session as a real proxy does, so the viewer's new sign-in leaves
# one proxy session, not one more per timeout)
KNOWN_GAPS: dict[str, str] = {}


def excluded_kinds(flavor: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Kinds a run against `flavor` leaves out, with the reason for each."""
    return {**NOT_APPLICABLE[flavor], **KNOWN_GAPS, **(extra or {})}


def kinds_for(flavor: str, extra: dict[str, str] | None = None) -> list[str]:
    """The fault kinds a run against `flavor` injects."""
    skip = excluded_kinds(flavor, extra)
    return [kind for kind in SCRIPTS if kind not in skip]


@dataclass
class SimAdmin:
    """The sim's admin API: inject a fault, read the state."""

    url: str

    def fault(self, body: FaultBody) -> dict[str, Any]:
        response = httpx.post(f"{self.url}/_sim/fault", json=body, timeout=10)
        if response.status_code != 200:
            raise RuntimeError(f"fault {body} refused: {response.status_code} {response.text}")
        return dict(response.json())

    def state(self) -> dict[str, Any]:
        response = httpx.get(f"{self.url}/_sim/state", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def pending_http_errors(self) -> dict[str, dict[str, int]]:
        """Planned HTTP errors not consumed yet: path -> {status, count}."""
        return dict(self.state()["settings"]["http_faults"])

    def end_http_errors(self) -> None:
        """End an `http_error` burst the viewer did not run into (it recovered without that
        path): request the path until its planned errors are used up, so they cannot bite a
        later, unrelated fault."""
        for path, planned in self.pending_http_errors().items():
            for _ in range(planned["count"]):
                httpx.get(f"{self.url}{path}", timeout=10)
