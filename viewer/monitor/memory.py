"""How much memory the sheet's renderer process holds, read from the operating system (Linux
`/proc`; elsewhere it is not known and nothing is watched)."""

from __future__ import annotations

from pathlib import Path

_KIB_PER_MIB = 1024


def resident_mib_from_status(status: str) -> float | None:
    """The resident set size in MiB from the text of `/proc/<pid>/status`, or None."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                return int(parts[1]) / _KIB_PER_MIB
    return None


def resident_mib(pid: int, proc: Path = Path("/proc")) -> float | None:
    """The resident memory of process `pid` in MiB, or None when it cannot be read."""
    if pid <= 0:
        return None
    try:
        status = (proc / str(pid) / "status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    return resident_mib_from_status(status)
