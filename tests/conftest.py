"""Fixtures every tier may use."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from viewer import log as viewer_log


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the viewer logs during the test (DEBUG and up), as JSON lines."""
    stream = io.StringIO()
    viewer_log.configure(log_format="json", level="DEBUG", log_file=None, stream=stream)
    yield stream
    viewer_log.configure(log_format="text", level="WARNING", log_file=None, stream=io.StringIO())
