"""Which stderr lines of a running viewer are harmless: its own log lines below error level and
the known noise Chromium and Qt print on machines without a GPU, a D-Bus system bus or a sandbox
(CI, VMs). Anything else is unexpected — the package smoke test fails on it (qutebrowser keeps
such an allow-list for its end-to-end tests)."""

from __future__ import annotations

import json
import re
from typing import Final

KNOWN_NOISE: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"^Sandboxing disabled by user\.$",
        r"(?i)vulkan",
        r"^Unable to detect GPU vendor",
        r"^GPUInfo not initialized",
        r"^\[[\d:/.]+:(ERROR|WARNING):[^\]]*(dbus|bus\.cc|object_proxy\.cc)[^\]]*\]",
        r"^\[[\d:/.]+:(ERROR|WARNING):[^\]]*(gpu_|viz_main|gl_surface|angle|command_buffer)",
        r"^Fontconfig (warning|error)",
        r"^qt\.qpa\.(xcb|wayland|fonts|plugin):",
        r"^Warning: Using en-US locale",
    )
)
_TEXT_LOG_LINE: Final = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} (\w+)\s+\S+: ")
_HARMLESS_LEVELS: Final = frozenset({"debug", "info", "warning"})


def _log_level(line: str) -> str | None:
    """The level of one of our log lines (JSON or text), None when it is not one."""
    if line.startswith("{"):
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError:
            return None
        level = parsed.get("level") if isinstance(parsed, dict) else None
        return str(level).lower() if level is not None else None
    match = _TEXT_LOG_LINE.match(line)
    return match.group(1).lower() if match is not None else None


def unexpected_lines(stderr: str) -> list[str]:
    """The stderr lines that are neither harmless log lines nor known noise."""
    bad = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        level = _log_level(line)
        if level is not None:
            if level not in _HARMLESS_LEVELS:
                bad.append(line)
        elif not any(pattern.search(line) for pattern in KNOWN_NOISE):
            bad.append(line)
    return bad
