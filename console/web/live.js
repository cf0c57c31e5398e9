// The live alert stream: GET /v1/stream read with fetch (EventSource cannot send the
// Authorization header), parsed as Server-Sent Events. After any break (network, a daemon
// restart, a slow-client drop) it reconnects with Last-Event-ID = the last seq it handed
// on, so the server sends exactly what came after it: nothing lost, nothing twice.
import { authHeaders, syncClock } from "./api.js";

const QUIET_LIMIT_MS = 45000;  // the server pings every 15 s: silence this long is a dead link

export class LiveStream {
  // onAlert(alert), onChanged({inquiry_id, state, owner}): an inquiry to read again,
  // onStatus("live" | "connecting" | "denied"); since: the last seq known.
  constructor({ since, onAlert, onChanged, onStatus }) {
    this.lastSeq = since;
    this.onAlert = onAlert;
    this.onChanged = onChanged;
    this.onStatus = onStatus;
    this.retryMs = 1000;
    this.stopped = false;
    this.controller = null;
    this.failures = 0;
  }

  start() {
    this.loop();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async loop() {
    while (!this.stopped) {
      this.onStatus("connecting");
      const denied = await this.connectOnce().catch(() => false);
      if (denied || this.stopped) {
        if (denied) this.onStatus("denied");
        return;
      }
      this.failures++;
      const wait = Math.min(this.retryMs * Math.min(this.failures, 5), 10000);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  // One connection, until it breaks. true when the server refused the token for good.
  async connectOnce() {
    this.controller = new AbortController();
    const headers = { ...authHeaders(), Accept: "text/event-stream", "Last-Event-ID": String(this.lastSeq) };
    const res = await fetch("/v1/stream", { headers, signal: this.controller.signal, cache: "no-store" });
    if (res.status === 401 || res.status === 403) return true;
    if (!res.ok || !res.body) return false;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let quiet = setTimeout(() => this.controller.abort(), QUIET_LIMIT_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        clearTimeout(quiet);
        quiet = setTimeout(() => this.controller.abort(), QUIET_LIMIT_MS);
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (this.dispatch(parseEvent(block))) return true;
        }
      }
    } finally {
      clearTimeout(quiet);
    }
  }

  // true: the stream said the token is no longer valid.
  dispatch(ev) {
    if (ev.retry) this.retryMs = ev.retry;
    if (ev.event === "hello") {
      this.failures = 0;
      this.onStatus("live");
    }
    if (ev.event === "denied") return true;
    if ((ev.event === "hello" || ev.event === "ping") && ev.data) {
      const now = Date.now();
      syncClock(JSON.parse(ev.data).now, now, now);
    }
    if (ev.event === "changed" && ev.data) this.onChanged(JSON.parse(ev.data));
    if (ev.event === "alert" && ev.data) {
      const alert = JSON.parse(ev.data);
      if (alert.seq <= this.lastSeq) return false;  // cannot happen: the server resumes after it
      this.lastSeq = alert.seq;
      this.onAlert(alert);
    }
    return false;
  }
}

function parseEvent(block) {
  const ev = { event: "message", data: "", id: null, retry: 0 };
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") ev.event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") ev.id = value;
    else if (field === "retry") ev.retry = parseInt(value, 10) || 0;
  }
  ev.data = data.join("\n");
  return ev;
}
