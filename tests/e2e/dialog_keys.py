"""The desktop's branded dialog as a user reaches it on the X display (XTEST input through
xdotool): found by its title — the product name alone; the main window's title puts the sheet
before it — and answered with Space, which presses the button the dialog focuses: the one that
fixes its state (Reconnect, or Sign in again)."""

from __future__ import annotations

import shutil
import subprocess

XDOTOOL = shutil.which("xdotool")
DEMO_PRODUCT_NAME = "Viewer demo"  # the demo profile's branding.product_name
TIMEOUT_S = 20


def xdotool(*args: str) -> str:
    """Run xdotool on the current DISPLAY; its output."""
    assert XDOTOOL is not None, "xdotool is installed by .ci/setup"
    run = subprocess.run(
        [XDOTOOL, *args], capture_output=True, text=True, timeout=TIMEOUT_S, check=True
    )
    return run.stdout


def window_area(window: str) -> int:
    """The window's width times its height, in pixels."""
    fields = dict(
        line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", window).split()
    )
    return int(fields["WIDTH"]) * int(fields["HEIGHT"])


def dialog_window(product_name: str = DEMO_PRODUCT_NAME) -> str:
    """The notice dialog: of the visible windows titled exactly `product_name`, the smallest."""
    windows = xdotool("search", "--sync", "--onlyvisible", "--name", f"^{product_name}$").split()
    return min(windows, key=window_area)


def press_the_fix(product_name: str = DEMO_PRODUCT_NAME) -> None:
    """Focus the dialog and press Space: its focused button, the one that fixes the state."""
    dialog = dialog_window(product_name)
    xdotool("windowfocus", "--sync", dialog)
    xdotool("key", "space")
