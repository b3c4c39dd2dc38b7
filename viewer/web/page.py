"""`ViewerPage`: the sheet's QWebEnginePage with the viewer's rules — navigation limited to the
tenant and the allow-list (desktop: external links go to the system browser), every permission
request denied, pop-ups routed through the same rules. It reports what the application must
act on — an abnormal renderer end (`renderer_terminated`, which the state machine answers with
a reload after a pause) and the page's own engine socket opening or closing
(`engine_socket_changed`, from the socket watch's own channel, never from the console) — and
routes the page's console into our (redacted, rate-limited) log. Only a real user click may
open the system browser (`ExternalOpenGate`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineScript,
)

from viewer.core.ratelimit import RateLimit
from viewer.log import emit, get_logger
from viewer.web.certificates import trust_configured_cas
from viewer.web.policy import (
    WARM_UP_URL,
    ExternalOpenGate,
    NavigationPolicy,
    NavigationVerdict,
    RendererTermination,
    url_for_log,
)
from viewer.web.socket_channel import SocketWatch, bridge_script
from viewer.web.socket_watch import CHANNEL_OBJECT, GC_SCRIPT, WATCH_SCRIPT
from viewer.web.user_input import UserInputWatch

_log = get_logger("web")
UrlOpener = Callable[[QUrl], object]
WARM_UP_LIMIT_MS = 5000  # a warm-up that has not ended by then no longer holds loads back
CONSOLE_LINES, CONSOLE_WINDOW_S = 20, 10.0  # the page's console in the log: at most this often

_TERMINATION = {
    QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus: (
        RendererTermination.NORMAL
    ),
    QWebEnginePage.RenderProcessTerminationStatus.AbnormalTerminationStatus: (
        RendererTermination.ABNORMAL
    ),
    QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus: (
        RendererTermination.CRASHED
    ),
    QWebEnginePage.RenderProcessTerminationStatus.KilledTerminationStatus: (
        RendererTermination.KILLED
    ),
}


def termination_of(status: QWebEnginePage.RenderProcessTerminationStatus) -> RendererTermination:
    """Qt's termination status in our own terms (unknown values count as a crash)."""
    return _TERMINATION.get(status, RendererTermination.CRASHED)


class ViewerPage(QWebEnginePage):
    """A page that follows a `NavigationPolicy`. Signals: `navigation_blocked(url)`,
    `opened_externally(url)`, `renderer_terminated(RendererTermination)`."""

    navigation_blocked = Signal(QUrl)
    opened_externally = Signal(QUrl)
    renderer_terminated = Signal(object)
    engine_socket_changed = Signal(object)  # SocketReport

    def __init__(
        self,
        profile: QWebEngineProfile,
        policy: NavigationPolicy,
        *,
        open_externally: UrlOpener | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(profile, parent)
        self._policy = policy
        self._open_externally = open_externally or QDesktopServices.openUrl
        self._popups: list[_PopupCatcher] = []
        self._warming_up = False
        self._after_warm_up: QUrl | None = None
        self._external = ExternalOpenGate()
        self._user_input = UserInputWatch(
            self, lambda: self._external.note_user_input(time.monotonic())
        )
        self._console = RateLimit(CONSOLE_LINES, CONSOLE_WINDOW_S)
        self._watch_sockets()
        self._inject("viewer-periodic-gc", GC_SCRIPT, main_world=False)
        self.permissionRequested.connect(self._on_page_permission_requested)
        self.renderProcessTerminated.connect(self._on_page_render_process_terminated)
        self.loadingChanged.connect(self._on_page_loading_changed)
        trust_configured_cas(self)

    def _watch_sockets(self) -> None:
        """The page's engine sockets reported over a QWebChannel that exists only in the
        viewer's script world (viewer.web.socket_watch), main frame only."""
        watch = self.socket_watch = SocketWatch(self)
        watch.changed.connect(self.engine_socket_changed)
        channel = QWebChannel(self)
        channel.registerObject(CHANNEL_OBJECT, watch)
        self.setWebChannel(channel, QWebEngineScript.ScriptWorldId.ApplicationWorld)
        self._inject("viewer-engine-socket-watch", WATCH_SCRIPT, main_world=True)
        self._inject("viewer-engine-socket-bridge", bridge_script(), main_world=False)

    def _inject(self, name: str, source: str, *, main_world: bool) -> None:
        """Run `source` in every page load, before the page's own scripts."""
        script = QWebEngineScript()
        script.setName(name)
        script.setSourceCode(source)
        script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
        world = QWebEngineScript.ScriptWorldId
        script.setWorldId(world.MainWorld if main_world else world.ApplicationWorld)
        script.setRunsOnSubFrames(False)
        self.scripts().insert(script)

    def warm_up(self) -> None:
        """Start the renderer process now, on an empty document, so that it is up by the time
        the sheet loads (in the same process): a first load otherwise waits for it to start.

        Until the warm-up's load has ended, `open` keeps the URL it is given and loads it then:
        QtWebEngine can drop a navigation asked for while the first one is still starting its
        renderer (2 starts in 30 never saw their sheet load begin). A warm-up that has not ended
        within `WARM_UP_LIMIT_MS` is given up, so no load ever waits longer than that."""
        self._warming_up = True
        QTimer.singleShot(WARM_UP_LIMIT_MS, self, self._end_warm_up)
        self.load(QUrl(WARM_UP_URL))

    @property
    def warming_up(self) -> bool:
        """True while the renderer's warm-up load is under way (its events are not a sheet's)."""
        return self._warming_up

    def open(self, url: QUrl) -> None:
        """Load `url` now, or as soon as the warm-up has ended if one is under way (the latest
        URL asked for wins)."""
        if self._warming_up:
            self._after_warm_up = url
            return
        self.load(url)

    def _on_page_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        self._user_input.follow()  # only a user's own click may open the system browser
        if self._warming_up and info.status() != QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus:
            # not from inside QtWebEngine's signal emission: on the next turn of the loop
            QTimer.singleShot(0, self, self._end_warm_up)

    def _end_warm_up(self) -> None:
        if not self._warming_up:
            return
        self._warming_up = False
        url, self._after_warm_up = self._after_warm_up, None
        if url is not None:
            self.load(url)

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        kind = QWebEnginePage.NavigationType
        if navigation_type == kind.NavigationTypeBackForward:
            # no browser history in the view: it shows the sheet or nothing (issue 12)
            emit(_log, "web.navigation_blocked", url=url_for_log(QUrl(url).toString()),
                 reason="history")  # fmt: skip
            self.navigation_blocked.emit(QUrl(url))
            return False
        link = navigation_type == kind.NavigationTypeLinkClicked
        return self.decide(QUrl(url), main_frame=is_main_frame, link_clicked=link)

    def decide(self, url: QUrl, *, main_frame: bool, link_clicked: bool) -> bool:
        """Apply the policy to one navigation; True when the page itself may go there."""
        verdict = self._policy.verdict(
            url.toString(), main_frame=main_frame, link_clicked=link_clicked
        )
        if verdict is NavigationVerdict.ALLOW:
            return True
        refusal = (
            self._external.refusal(time.monotonic())
            if verdict is NavigationVerdict.OPEN_EXTERNALLY
            else None
        )
        if refusal is not None:
            emit(_log, "web.external_open_refused", url=url_for_log(url.toString()), reason=refusal)
            self.navigation_blocked.emit(url)
            return False
        if verdict is NavigationVerdict.OPEN_EXTERNALLY:
            emit(_log, "web.opened_externally", url=url_for_log(url.toString()))
            self._open_externally(url)
            self.opened_externally.emit(url)
        else:
            emit(_log, "web.navigation_blocked", url=url_for_log(url.toString()))
            self.navigation_blocked.emit(url)
        return False

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        """Pop-ups (target=_blank, window.open) never become windows: the first URL they load
        goes through `decide` as a clicked link."""
        catcher = _PopupCatcher(self)
        self._popups.append(catcher)
        return catcher

    def _forget_popup(self, catcher: _PopupCatcher) -> None:
        if catcher in self._popups:
            self._popups.remove(catcher)
        catcher.deleteLater()

    def _on_page_permission_requested(self, permission: QWebEnginePermission) -> None:
        emit(_log, "web.permission_denied", kind=permission.permissionType().name)
        permission.deny()

    def _on_page_render_process_terminated(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, exit_code: int
    ) -> None:
        termination = termination_of(status)
        QTimer.singleShot(0, self, self._end_warm_up)
        emit(_log, "web.renderer_terminated", status=termination.value, exit_code=exit_code)
        self.renderer_terminated.emit(termination)

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line_number: int,
        source_id: str,
    ) -> None:
        """The page's console goes to our log (redacted there), never straight to stderr, and at
        most CONSOLE_LINES lines per CONSOLE_WINDOW_S: a flood cannot rotate the log away."""
        if not self._console.allow(time.monotonic()):
            return
        dropped = self._console.take_refused()
        if dropped:
            emit(_log, "web.console_dropped", level=logging.DEBUG, count=dropped)
        emit(_log, "web.console", level=logging.DEBUG, js_level=level.name, message=message[:2000],
             source=url_for_log(source_id), line=line_number)  # fmt: skip


class _PopupCatcher(QWebEnginePage):
    """A hidden page that receives a pop-up's first navigation and hands it to its opener."""

    def __init__(self, opener: ViewerPage) -> None:
        super().__init__(opener.profile(), opener)
        self._opener = opener

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        url = QUrl(url)
        if self._opener.decide(url, main_frame=True, link_clicked=True):
            self._opener.setUrl(url)
        self._opener._forget_popup(self)
        return False
