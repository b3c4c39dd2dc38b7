"""A person's keyboard on the virtual X display (xdotool): find a window by its title, focus
it and type into it. XTEST input goes to the focused window (Chromium ignores events sent to a
window id), so the window is focused first."""

from __future__ import annotations

import shutil
import subprocess

XDOTOOL = shutil.which("xdotool")
NAMED_KEYS = frozenset({"Tab", "Return", "Escape", "BackSpace", "Down", "alt+f", "ctrl+a"})


def type_into_window(title_pattern: str, *keys: str, timeout: float = 20.0) -> None:
    """Focus the first window whose title matches `title_pattern` (waiting for it) and type
    `keys` in turn: named keys (Tab, Return, …) are pressed, anything else is typed as text."""
    assert XDOTOOL is not None, "xdotool is installed by .ci/setup"
    window = subprocess.run(
        [XDOTOOL, "search", "--sync", "--onlyvisible", "--name", title_pattern],
        capture_output=True, text=True, timeout=timeout, check=True,
    ).stdout.split()[0]  # fmt: skip
    subprocess.run([XDOTOOL, "windowfocus", "--sync", window], timeout=timeout, check=True)
    for key in keys:
        # "--": a generated password may begin with "-", which xdotool would take for an option
        action = ["key", key] if key in NAMED_KEYS else ["type", "--delay", "15", "--", key]
        subprocess.run([XDOTOOL, *action], timeout=timeout, check=True)


def type_into_sign_in_window(*keys: str) -> None:
    """Type `keys` into the sign-in window (its title starts with "Sign in")."""
    type_into_window("^Sign in", *keys)
