"""The pure reconnect policy: growth, cap, jitter, and which closes are never retried."""

from __future__ import annotations

import pytest

from viewer.core.backoff import ReconnectPolicy, next_delay
from viewer.core.closes import CloseClassification, CloseKind

NETWORK = CloseClassification(CloseKind.NETWORK, "network.lost")
RETRYABLE = CloseClassification(CloseKind.RETRYABLE, "cloud.engine_busy")


def no_jitter() -> float:
    return 0.0


def test_delays_double_from_the_minimum_up_to_the_cap() -> None:
    policy = ReconnectPolicy(min_delay=1, max_delay=10, jitter=0.5)
    delays = [next_delay(policy, attempt, NETWORK, no_jitter) for attempt in range(1, 7)]
    assert delays == [1, 2, 4, 8, 10, 10]


def test_retryable_closes_start_at_the_longer_minimum() -> None:
    policy = ReconnectPolicy(min_delay=1, retryable_min_delay=5, max_delay=60)
    assert next_delay(policy, 1, RETRYABLE, no_jitter) == 5


def test_jitter_takes_off_at_most_its_fraction() -> None:
    policy = ReconnectPolicy(min_delay=4, retryable_min_delay=4, max_delay=4, jitter=0.25)
    assert next_delay(policy, 1, NETWORK, lambda: 0.999999) == pytest.approx(3.0, rel=1e-4)
    assert next_delay(policy, 1, NETWORK, lambda: 0.5) == pytest.approx(3.5)


@pytest.mark.parametrize("kind", [CloseKind.DELIBERATE, CloseKind.FATAL, CloseKind.AUTH_REQUIRED])
def test_non_resumable_closes_are_never_retried(kind: CloseKind) -> None:
    assert next_delay(ReconnectPolicy(), 1, CloseClassification(kind, "x"), no_jitter) is None


def test_gives_up_after_max_attempts() -> None:
    policy = ReconnectPolicy(max_attempts=2)
    assert next_delay(policy, 2, NETWORK, no_jitter) is not None
    assert next_delay(policy, 3, NETWORK, no_jitter) is None


def test_huge_attempt_numbers_stay_at_the_cap() -> None:
    assert next_delay(ReconnectPolicy(max_delay=30), 10_000, NETWORK, no_jitter) == 30


@pytest.mark.parametrize(
    "settings",
    [{"min_delay": 0}, {"min_delay": 5, "max_delay": 1}, {"jitter": 2}, {"max_attempts": 0}],
)
def test_nonsense_policies_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"reconnect|retryable|max_attempts"):
        ReconnectPolicy(**settings)  # type: ignore[arg-type]


def test_attempt_numbers_start_at_one() -> None:
    with pytest.raises(ValueError, match="attempt"):
        next_delay(ReconnectPolicy(), 0, NETWORK, no_jitter)


def test_lasting_trouble_is_spread_out() -> None:
    # A fleet that lost the tenant together must not come back together.
    policy = ReconnectPolicy(min_delay=1, max_delay=30, jitter=0.2)
    assert next_delay(policy, 2, NETWORK, lambda: 0.5) == pytest.approx(2 * 0.9)  # a blip
    assert next_delay(policy, 3, NETWORK, lambda: 0.5) == pytest.approx(4 * 0.5)  # full jitter
    assert next_delay(policy, 4, NETWORK, lambda: 0.999999) == pytest.approx(0.0, abs=1e-4)
    assert next_delay(policy, 5, NETWORK, lambda: 0.0) == 30  # from the cap
    assert next_delay(policy, 5, NETWORK, lambda: 0.999999) == pytest.approx(7.5, rel=1e-4)


def test_no_jitter_stays_deterministic() -> None:
    policy = ReconnectPolicy(min_delay=1, max_delay=8, jitter=0.0)
    assert next_delay(policy, 9, NETWORK, lambda: 0.7) == 8


def test_a_thousand_viewers_that_failed_together_come_back_spread_out() -> None:
    import random

    def peak_per_second(times: list[float]) -> int:
        times.sort()
        best = start = 0
        for end, moment in enumerate(times):
            while moment - times[start] >= 1:
                start += 1
            best = max(best, end - start + 1)
        return best

    def first_attempts_after(outage: float, policy: ReconnectPolicy) -> list[float]:
        """A network cut at 0: each display notices within 4-8 s (keepalive), each attempt
        hangs until its 10 s connect timeout; an attempt under way at the heal fails then."""
        rng = random.Random(17)
        firsts = []
        for _ in range(1000):
            moment, attempt = rng.uniform(4, 8), 1
            while True:
                delay = next_delay(policy, attempt, NETWORK, rng.random)
                assert delay is not None
                moment, attempt = moment + delay, attempt + 1
                if moment >= outage:
                    break
                moment = min(moment + 10, outage)
            firsts.append(moment - outage)
        return firsts

    lockstep = ReconnectPolicy(
        min_delay=0.5, max_delay=30, jitter=0.2, spread_from_attempt=99, long_wait_from_attempt=99
    )
    tuned = ReconnectPolicy(min_delay=0.5, max_delay=30, jitter=0.2)
    assert peak_per_second(first_attempts_after(60, lockstep)) > 200
    assert peak_per_second(first_attempts_after(60, tuned)) < 80
    assert max(first_attempts_after(60, tuned)) <= 30
