"""Scripts the viewer runs inside every sheet page: watching the page's *own* engine sockets,
and a periodic garbage collection.

The page (Qlik's single-integration client) talks to the engine over its own websocket. When
that socket dies, the page stops updating — its numbers go stale — even if the viewer's watcher
session comes back attached. A small script, injected into every page load before the page's
scripts run, wraps `WebSocket` and reports opens and closes of engine sockets (`/app/…`) as
console messages with a marker; `parse_report` reads them. Only the URL path is reported: the
query carries the csrf token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final, Literal

MARKER: Final = "[viewer:engine-socket]"

WATCH_SCRIPT: Final = """
(() => {
  const Native = window.WebSocket;
  if (!Native || Native.__viewerWatched) { return; }
  const marker = __MARKER__;
  const report = (kind, path, code) => {
    try { console.debug(marker + JSON.stringify({kind: kind, path: path, code: code})); }
    catch (error) { /* never disturb the page */ }
  };
  function Watched(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    let path = '';
    try { path = new URL(url, window.location.href).pathname; } catch (error) { path = ''; }
    if (path.indexOf('/app/') !== -1) {
      socket.addEventListener('open', () => report('open', path, null));
      socket.addEventListener('close', (event) => report('close', path, event.code));
    }
    return socket;
  }
  Watched.prototype = Native.prototype;
  for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) { Watched[name] = Native[name]; }
  Watched.__viewerWatched = true;
  window.WebSocket = Watched;
})();
""".replace("__MARKER__", json.dumps(MARKER))


GC_INTERVAL_MS: Final = 10_000

# With `--js-flags=--expose-gc` (set by the app) a page that runs for weeks is collected every
# few seconds from inside, in the viewer's own script world (reference/qt-notes.md: renderers
# grow to gigabytes otherwise). It runs in the page, with no Python call per collection: one
# timer in the page costs nothing, and the Python side stays free of per-call binding costs
# (PySide6 6.12.0 dropped a reference to None on each such call; tests/gui/test_bindings.py).
GC_SCRIPT: Final = (
    "setInterval(() => { if (typeof gc === 'function') { gc(); } }, " + str(GC_INTERVAL_MS) + ");"
)


@dataclass(frozen=True)
class SocketReport:
    """One engine socket of the page opened or closed (`code` is the close code)."""

    kind: Literal["open", "close"]
    path: str
    code: int | None = None


def parse_report(message: str) -> SocketReport | None:
    """The report carried by a console message, or None for any other message."""
    if not message.startswith(MARKER):
        return None
    try:
        data = json.loads(message[len(MARKER) :])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    path = data.get("path")
    code = data.get("code")
    if kind not in ("open", "close") or not isinstance(path, str):
        return None
    return SocketReport(kind, path, code if isinstance(code, int) else None)
