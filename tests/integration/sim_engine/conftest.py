"""Fixtures for the engine's integration tests: `run_engine(scenario, **hub_options)`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sim_engine_harness import run_scenario


@pytest.fixture
def run_engine() -> Callable[..., None]:
    """Run an async scenario against a fresh engine hub on a loopback server."""
    return run_scenario
