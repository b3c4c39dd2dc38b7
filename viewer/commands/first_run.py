"""The first run of `viewer` / `viewer run` with nothing to open: on a display, the "Connect to
Qlik" dialog (viewer.ui.connect_dialog) writes the user's `default` profile, then the program
starts itself again with the same command line (viewer.desktop.restart), which now finds that
profile (the qasync loop runs once per process, so the viewer cannot start in the dialog's
process). Without a display
the caller prints the reason instead."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping

from viewer.config.loading import ConfigLocations, Profile
from viewer.log import emit, get_logger

_log = get_logger("firstrun")

_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc"})


def has_display(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a window can be shown to a person: Windows and macOS always; elsewhere an X or
    Wayland display, unless Qt is told to draw offscreen."""
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].strip().lower()
    if qpa in _HEADLESS_PLATFORMS:
        return False
    if platform in ("win32", "darwin"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def ask_for_profile(locations: ConfigLocations) -> Profile | None:
    """Show the "Connect to Qlik" dialog until the user connects (the profile written) or
    cancels (None)."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from viewer.auth.http import make_client
    from viewer.desktop.first_run import DetectedTenant, detect_tenant, write_first_profile
    from viewer.ui.connect_dialog import ConnectDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def detect(text: str) -> DetectedTenant:
        async with make_client(timeout=10.0) as client:
            return await detect_tenant(text, client)

    async def dialog_done() -> Profile | None:
        dialog = ConnectDialog(detect, lambda tenant: write_first_profile(locations, tenant))
        finished = loop.create_future()
        dialog.finished.connect(lambda _code: finished.done() or finished.set_result(None))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        emit(_log, "firstrun.shown")
        await finished
        return dialog.profile

    with loop:
        profile: Profile | None = loop.run_until_complete(dialog_done())
    return profile
