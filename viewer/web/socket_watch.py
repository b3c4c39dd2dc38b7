"""Watching the sheet page's *own* engine sockets, from a channel the page cannot write to; and
a periodic garbage collection.

The page (Qlik's single-integration client) talks to the engine over its own websocket. When
that socket dies, the page stops updating — its numbers go stale — even if the viewer's watcher
session comes back attached. Two scripts run in the main frame of every load, before the page's
own scripts:

- `WATCH_SCRIPT`, in the page's world, wraps `WebSocket` and reports opens and closes of engine
  sockets (`/app/…`, the path only: the query carries the csrf token). It keeps what it needs
  (the native constructor, `addEventListener`, `MessagePort.postMessage`) from before any page
  script ran, counts only trusted (browser-made) events, and reports over a `MessagePort` it
  takes from the first message of the load, which the page cannot see (its listener runs
  first and stops that message).
- `BRIDGE_SCRIPT`, in the viewer's own script world (which page content cannot reach), makes
  that port pair, posts one end to the page's world and hands every report it receives to the
  `SocketWatch` object (viewer.web.socket_channel) over a QWebChannel registered in that world
  only.

Nothing is read from the console: a `console.log` or a frame of any origin cannot forge a report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final, Literal

PORT_MESSAGE: Final = "viewer:engine-socket-port"
HEARTBEAT_MS: Final = 2_000  # the renderer says it is alive (the watchdog's renderer probe)
CHANNEL_OBJECT: Final = "viewerSocketWatch"

WATCH_SCRIPT: Final = """
(() => {
  const Native = window.WebSocket;
  if (!Native || Native.__viewerWatched) { return; }
  const apply = Reflect.apply;
  const listen = EventTarget.prototype.addEventListener;
  const unlisten = EventTarget.prototype.removeEventListener;
  const stop = Event.prototype.stopImmediatePropagation;
  const post = MessagePort.prototype.postMessage;
  const toUrl = URL;
  const queued = [];
  let port = null;
  const send = (report) => {
    try { if (port) { apply(post, port, [report]); } else { queued.push(report); } }
    catch (error) { /* never disturb the page */ }
  };
  const takePort = (event) => {
    if (port || event.source !== window || event.data !== __PORT_MESSAGE__) { return; }
    if (!event.ports || event.ports.length !== 1) { return; }
    apply(stop, event, []);
    port = event.ports[0];
    apply(unlisten, window, ['message', takePort, true]);
    while (queued.length) { apply(post, port, [queued.shift()]); }
  };
  apply(listen, window, ['message', takePort, true]);
  function Watched(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    let path = '';
    try { path = new toUrl(url, window.location.href).pathname; } catch (error) { path = ''; }
    if (path.indexOf('/app/') !== -1) {
      apply(listen, socket, ['open', (event) => {
        if (event.isTrusted) { send({kind: 'open', path: path, code: null}); }
      }]);
      apply(listen, socket, ['close', (event) => {
        if (event.isTrusted) { send({kind: 'close', path: path, code: event.code}); }
      }]);
    }
    return socket;
  }
  Watched.prototype = Native.prototype;
  for (const name of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) { Watched[name] = Native[name]; }
  Watched.__viewerWatched = true;
  window.WebSocket = Watched;
})();
""".replace("__PORT_MESSAGE__", json.dumps(PORT_MESSAGE))

_BRIDGE_TEMPLATE: Final = """
(() => {
  const pair = new MessageChannel();
  const pending = [];
  let watch = null;
  pair.port1.onmessage = (event) => {
    const data = event.data || {};
    const report = [String(data.kind), String(data.path),
                    typeof data.code === 'number' ? data.code : -1];
    if (watch) { watch.report(report[0], report[1], report[2]); } else { pending.push(report); }
  };
  window.postMessage(__PORT_MESSAGE__, '*', [pair.port2]);
  const connect = () => {
    if (typeof qt === 'undefined' || !qt.webChannelTransport) { setTimeout(connect, 20); return; }
    new QWebChannel(qt.webChannelTransport, (channel) => {
      watch = channel.objects.__OBJECT__;
      while (pending.length) { const r = pending.shift(); watch.report(r[0], r[1], r[2]); }
      setInterval(() => watch.heartbeat(), __HEARTBEAT_MS__);
    });
  };
  connect();
})();
"""
BRIDGE_BODY: Final = (
    _BRIDGE_TEMPLATE.replace("__PORT_MESSAGE__", json.dumps(PORT_MESSAGE))
    .replace("__OBJECT__", CHANNEL_OBJECT)
    .replace("__HEARTBEAT_MS__", str(HEARTBEAT_MS))
)


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


def to_report(kind: str, path: str, code: int) -> SocketReport | None:
    """The report the bridge passed on, or None if it is not one (negative code: none)."""
    if kind not in ("open", "close"):
        return None
    return SocketReport(kind, path[:512], code if code >= 0 else None)  # type: ignore[arg-type]
