"""Issue 13, item 10 (logging): the rotating log is the owner's alone (0600 files, 0700 viewer
log directory, rotations included); a short server-chosen token is redacted by key, not cut out
of every line; the header-auth user is checked by the auth secret scan
(tests/integration/auth/test_auth_qseow_sim.py)."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from viewer import log as viewer_log

pytestmark = pytest.mark.skipif(os.name != "posix", reason="mode bits")


@pytest.fixture
def private_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "logs" / "viewer"
    directory.mkdir(parents=True, mode=0o755)
    directory.chmod(0o755)  # as an older version left it
    monkeypatch.setattr(viewer_log, "default_log_dir", lambda: directory)
    old_umask = os.umask(0o022)
    yield directory
    os.umask(old_umask)
    viewer_log.configure(log_format="text", level="WARNING", stream=io.StringIO())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_log_files_are_0600_in_a_0700_directory_rotations_included(private_dir: Path) -> None:
    log_file = private_dir / "viewer.log"
    log_file.write_text("")
    log_file.chmod(0o644)  # a file from before
    viewer_log.configure(log_format="json", level="DEBUG", log_file=log_file, stream=io.StringIO())
    logger = viewer_log.get_logger("app")
    handler = next(h for h in logging.getLogger("viewer").handlers
                   if isinstance(h, viewer_log.PrivateRotatingFileHandler))  # fmt: skip
    handler.maxBytes = 2000
    for n in range(200):
        viewer_log.emit(logger, "app.filler", n=n, text="x" * 50)
    files = sorted(private_dir.iterdir())
    assert len(files) >= 3, files
    assert _mode(private_dir) == 0o700
    assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}


def test_a_short_token_is_redacted_by_key_not_everywhere(log_output: io.StringIO) -> None:
    viewer_log.register_secret("LIVE")
    logger = viewer_log.get_logger("app")
    viewer_log.emit(logger, "ui.state", state="LIVE", reason=None)
    viewer_log.emit(logger, "auth.csrf", csrf_token="LIVE")
    logger.info("socket wss://h/app/a?qlik-csrf-token=LIVE")
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert lines[0]["state"] == "LIVE"
    assert lines[1]["csrf_token"] == viewer_log.REDACTED
    assert "=LIVE" not in lines[2]["message"]
