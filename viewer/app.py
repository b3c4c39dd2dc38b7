"""Composition root: what must happen before Qt starts (TLS context, Chromium flags, how the
view is drawn), the QApplication, and the one qasync loop of the process, which runs the
`Application` (viewer.application) exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from viewer.application import Application, AppOptions
from viewer.auth.factory import cannot_show_sheets
from viewer.config.loading import Profile
from viewer.config.models import WebRendering
from viewer.config.tls import TlsSettings
from viewer.config.tls import prepare as prepare_tls
from viewer.log import emit, get_logger
from viewer.monitor.errors import HealthServerError  # not the endpoint's server stack
from viewer.web.rendering import RenderingChoice
from viewer.web.rendering import apply as apply_rendering
from viewer.web.rendering import choose as choose_rendering

__all__ = ["AppOptions", "prepare_environment", "run_app"]

_log = get_logger("app")

JS_GC_FLAG = "--js-flags=--expose-gc"


def prepare_environment(rendering: WebRendering) -> RenderingChoice:
    """What must be set before Qt and QtWebEngine start: the Chromium flag that exposes `gc()`,
    so a page that runs for weeks can be collected on a timer (reference/qt-notes.md: renderer
    memory growth), and how the view is drawn (viewer.web.rendering)."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if JS_GC_FLAG not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {JS_GC_FLAG}".strip()
    choice = choose_rendering(rendering)
    apply_rendering(choice)
    return choice


def run_app(profile: Profile, options: AppOptions) -> int:
    """Run the viewer for `profile` until it is asked to quit; return the exit code."""
    refusal = cannot_show_sheets(profile.config)
    if refusal is not None:
        where = profile.origin("auth.mode")  # the key to change, located where it was set
        print(f"viewer: {where}: cannot show sheets with this profile: {refusal}", file=sys.stderr)
        return 2
    # The system's CAs are read on a worker thread while Qt and Chromium start (an http client
    # needs the context too: httpx builds it with the client).
    prepare_tls(TlsSettings(ca_bundle=profile.config.network.ca_bundle))
    rendering = prepare_environment(profile.config.web.rendering)
    emit(_log, "web.rendering", software=rendering.software, reason=rendering.reason)
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must come before the QApplication)
    import qasync
    from PySide6.QtWidgets import QApplication

    from viewer.ui.i18n import install_translator

    app = QApplication(sys.argv[:1])
    app.setApplicationName("viewer")
    app.setApplicationDisplayName(profile.config.branding.product_name)
    app.setQuitOnLastWindowClosed(False)
    install_translator(app, profile.config.branding.language)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    application = Application(profile, options)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, application.request_quit)
    with loop:
        try:
            code = int(loop.run_until_complete(application.run()))
        except HealthServerError as error:  # a monitor section the endpoint cannot serve
            print(f"viewer: {error}", file=sys.stderr)
            return 2
    if application.restart_arguments is not None:  # Switch profile, after the shutdown
        from viewer.desktop.restart import restart

        restart(application.restart_arguments)
    return code
