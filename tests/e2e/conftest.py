"""The e2e tier's fixtures: viewer subprocesses that are stopped after each test and whose
logs are kept under test-artifacts/ when the test fails (see viewer_process.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from viewer_process import ARTIFACTS, ViewerProcess

from viewer.commands.simproc import SimProcess


@pytest.fixture
def cloud_sim() -> Iterator[SimProcess]:
    """A Qlik Cloud flavoured sim in its own process."""
    with SimProcess.start("cloud") as sim:
        yield sim


@pytest.fixture
def qseow_sim() -> Iterator[SimProcess]:
    """A client-managed flavoured sim in its own process."""
    with SimProcess.start("qseow") as sim:
        yield sim


@pytest.fixture
def viewer_process(request: pytest.FixtureRequest) -> Iterator[Callable[..., ViewerProcess]]:
    """Start viewer subprocesses; stop them at the end and fail on unexpected error lines.
    The log of a failed test is saved under test-artifacts/."""
    started: list[ViewerProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> ViewerProcess:
        process = ViewerProcess(args=args, env=env or {}).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for index, process in enumerate(started):
            path = ARTIFACTS / f"{request.node.name}-{index}.log.jsonl"
            path.write_text("\n".join(json.dumps(line) for line in process.lines))
    for process in started:
        errors = process.unexpected_errors()
        assert not errors, f"unexpected error lines: {errors}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
