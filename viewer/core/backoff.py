"""The reconnect policy as a pure function: given the attempt number, how the session closed and
a random source, how long to wait before the next `resume`, or None to stop trying.

The viewer state machine calls it; nothing in the socket code loops on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from viewer.core.closes import CloseClassification, CloseKind


@dataclass(frozen=True)
class ReconnectPolicy:
    """Exponential backoff with jitter.

    Attempt 1 waits about `min_delay` (`retryable_min_delay` when the server said "later"), each
    further attempt doubles it up to `max_delay`; jitter takes up to that fraction off at random
    so that many viewers do not reconnect in lockstep. `max_attempts=None` never gives up.

    Trouble that lasts is spread out, because viewers that lost the tenant at the same moment
    — a fleet of wall displays in one outage — otherwise keep retrying within a few seconds of
    each other (their attempts take the same time: a connect timeout) and all come back in the
    same few seconds with the network. From attempt `spread_from_attempt` on (if there is any
    jitter at all) anything between no wait and the whole delay ("full jitter"); from attempt
    `long_wait_from_attempt` on, a wait drawn from the cap: between `1 - long_wait_jitter` and
    all of `max_delay`. A blip is still retried after about `min_delay`. 1,000 displays after a
    60 s network cut: about 170 first attempts a second right after the heal with a jitter of
    0.2 for every attempt, about 70 with these (tests/bench/fleet.py).
    """

    min_delay: float = 0.5
    max_delay: float = 30.0
    retryable_min_delay: float = 5.0
    factor: float = 2.0
    jitter: float = 0.5
    max_attempts: int | None = None
    spread_from_attempt: int = 3
    long_wait_from_attempt: int = 5
    long_wait_jitter: float = 0.75

    def __post_init__(self) -> None:
        if not 0 < self.min_delay <= self.max_delay:
            raise ValueError("reconnect delays need 0 < min_delay <= max_delay")
        if not self.min_delay <= self.retryable_min_delay <= self.max_delay:
            raise ValueError("retryable_min_delay must lie between min_delay and max_delay")
        if self.factor < 1 or not 0 <= self.jitter <= 1 or not 0 <= self.long_wait_jitter <= 1:
            raise ValueError(
                "reconnect factor must be >= 1, jitter and long_wait_jitter within [0, 1]"
            )
        if not 1 <= self.spread_from_attempt <= self.long_wait_from_attempt:
            raise ValueError(
                "reconnect spread needs 1 <= spread_from_attempt <= long_wait_from_attempt"
            )
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1 (or None for no limit)")


def next_delay(
    policy: ReconnectPolicy,
    attempt: int,
    classification: CloseClassification,
    random: Callable[[], float],
) -> float | None:
    """Seconds to wait before reconnect `attempt` (1 for the first), or None to give up.

    Only network and retryable closes are retried; deliberate, fatal and auth-required closes
    never are (auth is redone first, by the caller). `random` returns a float in [0, 1).
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if classification.kind not in (CloseKind.NETWORK, CloseKind.RETRYABLE):
        return None
    if policy.max_attempts is not None and attempt > policy.max_attempts:
        return None
    start = (
        policy.retryable_min_delay
        if classification.kind is CloseKind.RETRYABLE
        else policy.min_delay
    )
    exponent = min(attempt - 1, 64)  # bounded: the cap is reached long before
    base = min(policy.max_delay, start * policy.factor**exponent)
    jitter = policy.jitter
    if jitter > 0 and attempt >= policy.long_wait_from_attempt:
        base, jitter = policy.max_delay, policy.long_wait_jitter
    elif jitter > 0 and attempt >= policy.spread_from_attempt:
        jitter = 1.0
    return base * (1.0 - jitter * min(max(random(), 0.0), 1.0))
