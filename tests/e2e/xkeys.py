"""Typing into the viewer's windows as a person would: XTEST input (xdotool) on the virtual
display, to the focused window (events sent to a window id are ignored by Chromium)."""

from __future__ import annotations

import shutil
import subprocess

XDOTOOL = shutil.which("xdotool")
KEYS = ("Tab", "Return")  # pressed as keys; anything else is typed as text


def type_into_sign_in_window(*keys: str) -> None:
    """Focus the sign-in window (its title starts with "Sign in") and type `keys` into it."""
    assert XDOTOOL is not None
    window = subprocess.run(
        [XDOTOOL, "search", "--sync", "--name", "^Sign in"],
        capture_output=True, text=True, timeout=20, check=True,
    ).stdout.split()[0]  # fmt: skip
    subprocess.run([XDOTOOL, "windowfocus", "--sync", window], timeout=20, check=True)
    for key in keys:
        # "--": a generated password may begin with "-", which xdotool would take for an option
        action = ["key", key] if key in KEYS else ["type", "--delay", "15", "--", key]
        subprocess.run([XDOTOOL, *action], timeout=20, check=True)
