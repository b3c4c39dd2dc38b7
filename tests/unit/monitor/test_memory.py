"""Reading a renderer's resident memory from /proc text."""

from __future__ import annotations

from pathlib import Path

from viewer.monitor.memory import resident_mib, resident_mib_from_status

STATUS = "Name:\tQtWebEngineProc\nVmPeak:\t 900000 kB\nVmRSS:\t  524288 kB\nThreads:\t12\n"


def test_resident_size_is_read_in_mib() -> None:
    assert resident_mib_from_status(STATUS) == 512.0


def test_missing_or_garbled_line_is_unknown() -> None:
    assert resident_mib_from_status("Name:\tx\n") is None
    assert resident_mib_from_status("VmRSS:\tlots kB\n") is None


def test_a_process_that_is_gone_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "41").mkdir()
    (tmp_path / "41" / "status").write_text(STATUS)
    assert resident_mib(41, proc=tmp_path) == 512.0
    assert resident_mib(42, proc=tmp_path) is None
    assert resident_mib(0, proc=tmp_path) is None
