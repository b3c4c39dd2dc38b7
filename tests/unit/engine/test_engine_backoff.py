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
