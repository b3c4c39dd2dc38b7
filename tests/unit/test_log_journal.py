"""JSON logs fit journald: on a stream systemd connected to the journal each line carries its
syslog priority (`<N>`, which journald takes as the level and strips); elsewhere lines are as
they always were."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from viewer import log

_log = log.get_logger("test")


def _lines_written(tmp_path: Path, journal: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    path = tmp_path / "stderr"
    with path.open("w", encoding="utf-8") as stream:
        status = os.fstat(stream.fileno())
        value = f"{status.st_dev}:{status.st_ino}" if journal else "1:2"
        monkeypatch.setenv("JOURNAL_STREAM", value)
        log.configure(log_format="json", level="DEBUG", stream=stream)
        try:
            log.emit(_log, "test.info", n=1)
            log.emit(_log, "test.warning", level=30, text="two\nlines")
            try:
                raise ValueError("boom")
            except ValueError:
                _log.exception("failed")
        finally:
            log.configure(log_format="text", level="INFO")
    return path.read_text(encoding="utf-8").splitlines()


def test_lines_to_the_journal_carry_their_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _lines_written(tmp_path, True, monkeypatch)
    assert [line[:3] for line in lines] == ["<6>", "<4>", "<3>"]  # one line per record
    records = [json.loads(line[3:]) for line in lines]
    assert [r["event"] for r in records] == ["test.info", "test.warning", "log"]
    assert "Traceback" in records[2]["exception"]


def test_lines_elsewhere_are_plain_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines_written(tmp_path, False, monkeypatch)
    assert [json.loads(line)["level"] for line in lines] == ["info", "warning", "error"]
