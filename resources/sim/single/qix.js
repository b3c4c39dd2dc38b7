// A minimal QIX JSON-RPC client over the page's own engine websocket, speaking delta mode
// like enigma.js: every request asks for `delta: true` and every result key is rebuilt from the
// JSON-Patch operations against the last value this socket received for (handle, method, key).

import { applyPatch } from "./jsonpatch.js";

export class QixError extends Error {
  constructor(method, error) {
    super(`${method} failed: ${error.message ?? "engine error"} (${error.code})`);
    this.code = error.code;
    this.parameter = error.parameter;
  }
}

export class QixSocket {
  /**
   * @param {string} url engine websocket URL
   * @param {{onNotification?: Function, onChange?: Function, onClosed?: Function}} hooks
   *   onChange(handles) after a response carries `change`; onClosed({code, reason}) once.
   */
  constructor(url, hooks = {}) {
    this.url = url;
    this.hooks = hooks;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, handle, method}
    this.deltaBase = new Map(); // "handle method key" -> last value
    this.socket = null;
    this.closed = null;
  }

  /** Resolve when the socket is open; reject if it closes first. */
  open() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.onopen = () => resolve();
      socket.onmessage = (event) => this.receive(event.data);
      socket.onclose = (event) => {
        this.closed = { code: event.code, reason: event.reason };
        const lost = { code: 16, message: `socket closed (${event.code})` };
        for (const call of this.pending.values()) call.reject(new QixError(call.method, lost));
        this.pending.clear();
        reject(new QixError("open", lost));
        this.hooks.onClosed?.(this.closed);
      };
    });
  }

  close(code = 1000) {
    this.socket?.close(code);
  }

  /** Call `method` on `handle`; resolves with the decoded result object. */
  call(handle, method, params = []) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new QixError(method, { code: 16, message: "not connected" }));
    }
    const id = this.nextId++;
    const frame = { jsonrpc: "2.0", id, handle, method, params, delta: true };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, handle, method });
      this.socket.send(JSON.stringify(frame));
    });
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      console.error("engine sent a frame that is not JSON");
      return;
    }
    const call = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (call) {
      this.pending.delete(frame.id);
      if (frame.error) call.reject(new QixError(call.method, frame.error));
      else call.resolve(this.decode(call.handle, call.method, frame.result ?? {}));
    } else if (frame.method) {
      this.hooks.onNotification?.(frame.method, frame.params ?? {});
    }
    for (const handle of frame.close ?? []) this.forget(handle);
    if (frame.change?.length) this.hooks.onChange?.(frame.change);
  }

  decode(handle, method, result) {
    const decoded = {};
    for (const [key, patches] of Object.entries(result)) {
      const slot = `${handle} ${method} ${key}`;
      decoded[key] = applyPatch(this.deltaBase.get(slot), patches);
      this.deltaBase.set(slot, decoded[key]);
    }
    return decoded;
  }

  forget(handle) {
    for (const slot of [...this.deltaBase.keys()]) {
      if (slot.startsWith(`${handle} `)) this.deltaBase.delete(slot);
    }
  }
}
