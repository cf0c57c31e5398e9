#!/usr/bin/python3
"""End to end: hostile and broken input gets its 4xx, and nobody else notices.

The real inquiryd ([http] request_timeout = "2s") receives, on POST /v1/events:
  * truncated JSON, an empty body, JSON that is not an object          -> 400
  * wrong types (string for a number, number for a string, ...)        -> 400, field named
  * unknown fields (top level and inside sender), missing fields        -> 400, field named
  * 100,000 '[' (deep nesting), alone and inside a field, 50,000 nested objects -> 400
  * invalid UTF-8 in a string (bad bytes, overlong, encoded surrogate,
    truncated sequence) and an unpaired \\ud800 escape                 -> 400
  * an unknown account, a bad channel / direction value, bad received_at
    (not a time, 30 February, no time zone, hour 25, empty)            -> 422, field named
  * a 10 MB body (Content-Length and chunked), 1 MiB + 1 byte          -> 413
    (and a valid event of exactly 1 MiB                                -> 202)
  * GET /v1/inquiries/<unknown id>                                     -> 404
and on raw connections:
  * not HTTP at all (random bytes, a TLS ClientHello, a text line, NUL bytes in the
    request line, 70,000 bare LFs) -> closed within request_timeout + 4 s (a 4xx first
    is fine, anything else is not);
  * broken HTTP (a 100 KB header, Content-Length "abc" or -5, a bad chunk size) -> a 4xx
    or a close, promptly;
  * slow-loris clients, 24 at once plus one trickling a header byte every 0.25 s (half a
    header then nothing; a request line only; a body that never completes; a connection
    that never sends) -> each closed within request_timeout + 4 s, while the normal
    client is served promptly.

Every 4xx body is a JSON object with a non-empty "error"; when a field is at fault,
"field" names it (for whole-body errors - not JSON, too big - "field" may be absent).
Between the cases, and while the slow clients hold their connections, a normal client on
one keep-alive connection posts valid events (202) and reads them back (200); another one
does the same in the background all along (through the 10 MB uploads too); at the end
the daemon is still running, answers GET /healthz, re-posts are 200 duplicates, it stops
on SIGTERM with 0, and its database holds exactly the valid events.
"""

import copy
import json
import socket
import threading
import time

import harness as h
from harness import checks, events

REQUEST_TIMEOUT_S = 2.0
CLOSE_MARGIN_S = 4.0     # a slow client must be cut off within request_timeout + this
NORMAL_LATENCY_S = 1.5   # a normal request while the slow clients wait


class Normal:
    """The well-behaved client: one keep-alive connection, valid events, read back."""

    def __init__(self, run, d, ledger, factory):
        self.run, self.d, self.ledger, self.factory = run, d, ledger, factory
        self.client = h.Client(d.port, timeout=10)
        self.count = 0

    def check(self, label):
        ev = self.factory.new_thread()
        t0 = time.monotonic()
        reused = self.client.conn is not None
        outcome = events.post_event(self.client, self.ledger, ev, self.run.rng, threading.Event(), max_503=3)
        if outcome != "acked":
            self.run.fail(f"normal client after/while '{label}': POST /v1/events -> {outcome}"
                          + (" (its keep-alive connection was closed although idle_timeout is 60s?)" if reused else ""))
            return False
        iid = self.ledger.acked[events.event_key(ev)]
        try:
            r = self.client.get(f"/v1/inquiries/{iid}")
        except h.ConnectionFailed as e:
            self.run.fail(f"normal client after/while '{label}': GET /v1/inquiries/{iid}: {e}")
            return False
        elapsed = time.monotonic() - t0
        ok = self.run.check(r.status == 200 and isinstance(r.json, dict) and r.json.get("id") == iid
                            and r.json.get("thread_id") == ev["thread_id"],
                            f"normal client after/while '{label}': GET /v1/inquiries/{iid} -> {r!r}")
        self.count += 1
        return ok and elapsed


class Steady:
    """A second well-behaved client that keeps posting and reading back on its own
    keep-alive connection, in the background, for the whole run (about 30 a second)."""

    def __init__(self, run, d, ledger, factory):
        self.normal = Normal(run, d, ledger, factory)
        self.stop = threading.Event()
        self.max_latency = 0.0
        self.failed = 0
        self.thread = threading.Thread(target=self._loop, daemon=True, name="steady")

    def _loop(self):
        while not self.stop.is_set():
            elapsed = self.normal.check("(background client)")
            if not elapsed:
                self.failed += 1
                return
            self.max_latency = max(self.max_latency, elapsed)
            self.stop.wait(0.03)  # pacing of this client, not a wait for a condition

    def start(self):
        self.thread.start()
        return self

    def finish(self, run):
        self.stop.set()
        self.thread.join(30)
        run.check(not self.thread.is_alive(), "the background client hangs")
        run.check(self.max_latency <= 2 * NORMAL_LATENCY_S,
                  f"the background client waited {self.max_latency:.2f}s for a POST + GET")
        h.log(f"background client: {self.normal.count} POST + GET, slowest {self.max_latency * 1000:.0f} ms")


def event_template(factory):
    ev = events.wire(factory.new_thread())
    ev["received_at"] = h.format_rfc3339(h.now_ms())
    return ev


def expect_error(run, label, r, status, field=None):
    """r: a Response or RawResult. Checks the status and the {"error", "field"} body."""
    if r is None:
        run.fail(f"{label}: no response (expected {status})")
        return
    h.log(f"  {label}: {r.status} {r.body[:120].decode('utf-8', 'replace')}")
    if r.status != status:
        run.fail(f"{label}: expected {status}, got {r!r}")
        return
    body = r.json
    if not (isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"]):
        run.fail(f"{label}: {status} body is not {{\"error\": \"...\", ...}}: {r.body[:200]!r}")
        return
    if field is None:
        # The whole body is at fault (not JSON, too big, ...): "field" may be left out.
        run.check(isinstance(body.get("field", ""), str), f"{label}: {status} with a non-string field: {body!r}")
        return
    if not isinstance(body.get("field"), str):
        run.fail(f"{label}: {status} body does not name the field {field!r}: {r.body[:200]!r}")
    elif not (body["field"] == field or body["field"].endswith("." + field)):
        run.fail(f"{label}: {status} names field {body['field']!r}, expected {field!r}")


def post_raw_body(client, body):
    try:
        return client.request("POST", "/v1/events", body=body)
    except h.ConnectionFailed:
        return None


def json_cases(run, base):
    """(label, body bytes, expected status, expected field or None)."""
    text = json.dumps(base).encode()
    cases = [
        ("truncated JSON", text[:len(text) // 2], 400, None),
        ("JSON cut after a key", b'{"channel": "email", "account": ', 400, None),
        ("empty body", b"", 400, None),
        ("JSON array instead of an object", b"[]", 400, None),
        ("JSON string instead of an object", b'"hello"', 400, None),
        ("JSON null", b"null", 400, None),
        ("trailing garbage after the object", text + b"}{", 400, None),
    ]
    for field, value in (("attachments", "2"), ("sender", "Bob"),
                         ("received_at", 1763626500), ("account", ["alibaba-apparel"]),
                         ("channel", 1), ("message_id", {"id": 1}), ("subject", 5),
                         ("direction", True), ("body", ["x"])):
        ev = copy.deepcopy(base)
        ev[field] = value
        cases.append((f"wrong type: {field} = {json.dumps(value)}", json.dumps(ev).encode(), 400, field))
    ev = copy.deepcopy(base)
    ev["sender"] = dict(base["sender"], name=7)
    cases.append(("wrong type: sender.name = 7", json.dumps(ev).encode(), 400, "name"))
    ev = dict(base, priority="high")
    cases.append(("unknown field: priority", json.dumps(ev).encode(), 400, "priority"))
    ev = copy.deepcopy(base)
    ev["sender"] = dict(base["sender"], fax="+49 30 1")
    cases.append(("unknown field: sender.fax", json.dumps(ev).encode(), 400, "fax"))
    for field in ("channel", "account", "message_id", "received_at", "direction"):
        ev = {k: v for k, v in base.items() if k != field}
        cases.append((f"missing field: {field}", json.dumps(ev).encode(), 400, field))
    # Deep nesting: a recursive parser without a depth limit overflows its stack.
    cases.append(("100,000 '['", b"[" * 100_000, 400, None))
    cases.append(("100,000 '[' inside a field", b'{"channel": ' + b"[" * 100_000, 400, None))
    cases.append(("50,000 nested objects",
                  b'{"channel": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}", 400, None))
    # Invalid UTF-8 inside a string.
    for what, bad in (("bytes FF FE", b"\xff\xfe"), ("overlong '/'", b"\xc0\xaf"),
                      ("UTF-8-encoded surrogate", b"\xed\xa0\x80"), ("truncated sequence", b"\xe4\xbd")):
        body = text.replace(b'"body": "', b'"body": "' + bad, 1)
        assert body != text
        cases.append((f"invalid UTF-8 in body: {what}", body, 400, None))
    body = text.replace(b'"subject": "', b'"subject": "\\ud800', 1)
    assert body != text
    cases.append(("unpaired surrogate escape \\ud800 in subject", body, 400, None))
    # Well-formed but unacceptable values.
    for field, value in (("account", "alibaba-unknown-shop"), ("channel", "fax"), ("direction", "sideways"),
                         ("received_at", "yesterday"), ("received_at", "2026-02-30T10:00:00Z"),
                         ("received_at", "2026-11-20T08:15:00"), ("received_at", "2026-11-20T25:00:00Z"),
                         ("received_at", "")):
        ev = dict(base, **{field: value})
        cases.append((f"bad value: {field} = {value!r}", json.dumps(ev).encode(), 422, field))
    return cases


def size_cases(run, d, normal, factory, ledger):
    port = d.port
    # 10 MB with a Content-Length: the daemon may answer 413 before reading it all.
    head = (b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 10485760\r\n\r\n")
    r = h.raw_exchange(port, head + b'{"body": "' + b"a" * (10 * 1024 * 1024 - 10), timeout=20)
    expect_error(run, "10 MB body (Content-Length)", r, 413)
    normal.check("10 MB body (Content-Length)")
    # 10 MB chunked: no length up front, the limit must hold while reading.
    chunk = b"a" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(160)) + b"0\r\n\r\n"
    head = b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    r = h.raw_exchange(port, head + body, timeout=20)
    expect_error(run, "10 MB body (chunked)", r, 413)
    normal.check("10 MB body (chunked)")
    # The limit is 1 MiB: a valid event of exactly 1,048,576 bytes is accepted, one more byte is not.
    ev = factory.new_thread()
    events.stamp(ev, run.rng)
    ev["body"] = ""
    base_len = len(events.encode_event(ev))
    ev["body"] = "a" * (1024 * 1024 - base_len)
    exact = events.encode_event(ev)
    assert len(exact) == 1024 * 1024
    c = h.Client(port, timeout=20)
    over = exact[:-1] + b" }"  # 1 MiB + 1 byte, still valid JSON
    r = post_raw_body(c, over)
    expect_error(run, "1 MiB + 1 byte body", r, 413)
    c.close()
    c = h.Client(port, timeout=20)
    outcome = events.post_event(c, ledger, ev, run.rng, threading.Event(), max_503=3)
    run.check(outcome == "acked", f"valid event of exactly 1 MiB (1,048,576 bytes): expected 202, got {outcome} "
                                  f"(statuses so far {ledger.status_counts})")
    c.close()
    normal.check("1 MiB bodies")


def garbage_cases(run, d, normal):
    port = d.port
    bound = REQUEST_TIMEOUT_S + CLOSE_MARGIN_S
    tls_hello = bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\x00\x00\x20" + bytes(32) + b"\x01\x00"
    # Not HTTP at all: the daemon cannot find the next request, so it must close
    # (a 400 first is fine).
    garbage = [
        ("random binary bytes", bytes(run.rng.randrange(256) for _ in range(4096))),
        ("a TLS ClientHello", tls_hello),
        ("a line that is not HTTP", b"HELLO inquiryd, are you there?\r\n\r\n"),
        ("NUL bytes in the request line", b"GET /\x00\x00 HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a bare LF flood", b"\n" * 70_000),
    ]
    for label, data in garbage:
        r = h.raw_exchange(port, data, timeout=bound + 2, until_close=True)
        if r.status is not None:
            run.check(400 <= r.status < 500, f"{label}: expected a 4xx or a close, got {r!r}")
        else:
            run.check(not r.data, f"{label}: answered something that is not HTTP: {bytes(r.data[:100])!r}")
        run.check(r.closed and r.elapsed <= bound,
                  f"{label}: the connection was not closed within {bound:.0f}s ({r!r})")
        h.log(f"  {label}: {r!r}")
        normal.check(label)
    # Broken HTTP: a 4xx, or a close, promptly.
    broken = [
        ("a 100 KB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n"),
        ("an invalid Content-Length", b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"),
        ("a negative Content-Length", b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}"),
        ("a bad chunk size", b"POST /v1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
    ]
    for label, data in broken:
        r = h.raw_exchange(port, data, timeout=bound)
        run.check((r.status is not None and 400 <= r.status < 500) or (r.status is None and r.closed),
                  f"{label}: expected a 4xx or a close within {bound:.0f}s, got {r!r}")
        h.log(f"  {label}: {r!r}")
        normal.check(label)
    cases = garbage + broken
    h.log(f"garbage: {len(cases)} cases")


def slow_clients(run, d, normal):
    """Slow-loris: connections that never finish their request, held open while the normal
    client is served; each must be closed within request_timeout + margin."""
    port = d.port
    bound = REQUEST_TIMEOUT_S + CLOSE_MARGIN_S
    partial = [
        ("half a header", b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"),
        ("request line only", b"GET /healthz HTTP/1.1\r\n"),
        ("headers, body never completes",
         b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
         b"Content-Length: 1000\r\n\r\n{\"channel\": \"email\""),
        ("never sends anything", b""),
    ]
    socks = []
    for i in range(24):
        label, data = partial[i % len(partial)]
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if data:
            s.sendall(data)
        socks.append((label, s, time.monotonic()))
    # A trickler sends one header byte every 0.25 s: activity must not extend the timeout.
    trickle_result = {}

    def trickle():
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        data = b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 1000
        t0 = time.monotonic()
        closed_at = None
        s.settimeout(0.25)
        try:
            for i in range(len(data)):
                if time.monotonic() - t0 > bound + 4:
                    break
                try:
                    s.sendall(data[i:i + 1])
                except OSError:
                    closed_at = time.monotonic()
                    break
                try:
                    if s.recv(4096) == b"":
                        closed_at = time.monotonic()
                        break
                except socket.timeout:
                    pass  # nothing from the daemon within 0.25 s: the pace of this client
                except OSError:
                    closed_at = time.monotonic()
                    break
        finally:
            s.close()
        trickle_result["elapsed"] = None if closed_at is None else closed_at - t0

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()

    # Meanwhile the normal client is served, promptly.
    served = 0
    t_first = time.monotonic()
    while time.monotonic() - t_first < REQUEST_TIMEOUT_S * 0.5 and served < 25:
        elapsed = normal.check("slow clients holding connections")
        if elapsed:
            served += 1
            run.check(elapsed <= NORMAL_LATENCY_S,
                      f"normal POST + GET took {elapsed:.2f}s while slow clients held connections")
        else:
            break
    run.check(served >= 1, f"the normal client was served {served} times while slow clients waited")
    h.log(f"normal client served {served} times (POST + GET) while 25 slow clients held connections")

    # Each slow connection must now be closed by the daemon (or answered 408/4xx, then closed).
    import select
    open_socks = {s: (label, t0) for label, s, t0 in socks}
    deadline = h.Deadline(bound + 2)
    closed_after = {}
    while open_socks and not deadline.expired():
        ready, _, _ = select.select(list(open_socks), [], [], min(0.2, deadline.remaining()))
        for s in ready:
            label, t0 = open_socks[s]
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                first = data.split(b"\r\n", 1)[0]
                run.check(first.startswith(b"HTTP/1.1 4"), f"slow client ({label}): answered {first!r}")
                continue
            closed_after.setdefault(label, []).append(time.monotonic() - t0)
            del open_socks[s]
            s.close()
    for s, (label, _) in open_socks.items():
        run.fail(f"slow client ({label}): connection still open {bound + 2:.0f}s after it stalled "
                 f"(request_timeout is {REQUEST_TIMEOUT_S:.0f}s)")
        s.close()
    for label, times in sorted(closed_after.items()):
        late = [t for t in times if t > bound]
        run.check(not late, f"slow client ({label}): closed after {max(times):.1f}s (bound {bound:.0f}s)")
        h.log(f"slow client ({label}): {len(times)} closed after {min(times):.1f}-{max(times):.1f}s")
    trickler.join(bound + 8)
    el = trickle_result.get("elapsed")
    run.check(el is not None and el <= bound,
              "slow client trickling a header byte every 0.25 s: "
              + ("never closed" if el is None else f"closed after {el:.1f}s") + f" (bound {bound:.0f}s)")
    if el is not None:
        h.log(f"slow client (trickle): closed after {el:.1f}s")
    normal.check("after the slow clients")


def main():
    with h.Run("malformed_input", __doc__, budget_seconds=110) as run:
        config = run.write_config(http_extra=f'request_timeout = "{int(REQUEST_TIMEOUT_S)}s"')
        d = run.daemon(run.path("state"), config).start()
        factory = events.EventFactory(run, tag=f"m{run.seed}")
        ledger = events.Ledger(run)
        normal = Normal(run, d, ledger, factory)
        normal.check("start")
        steady = Steady(run, d, ledger, factory).start()

        base = event_template(factory)
        bad = h.Client(d.port, timeout=10)
        cases = json_cases(run, base)
        for label, body, status, field in cases:
            expect_error(run, label, post_raw_body(bad, body), status, field)
            normal.check(label)
        h.log(f"JSON / field cases: {len(cases)}")
        bad.close()

        # An unknown inquiry and an acknowledged event re-posted.
        c = h.Client(d.port, timeout=10)
        r = c.get("/v1/inquiries/987654321")
        expect_error(run, "GET /v1/inquiries/987654321 (unknown)", r, 404)
        c.close()

        size_cases(run, d, normal, factory, ledger)
        garbage_cases(run, d, normal)
        slow_clients(run, d, normal)

        steady.finish(run)
        # Still running and healthy; a fresh client is served too.
        run.check(d.alive(), f"inquiryd is not running any more (exit status {d.proc.returncode})")
        c = h.Client(d.port, timeout=10)
        r = c.get("/healthz")
        run.check(r.status == 200 and isinstance(r.json, dict) and r.json.get("status") == "ok",
                  f"GET /healthz at the end: {r!r}")
        c.close()
        checks.check_duplicates(run, d.port, ledger, 1000, "end")
        checks.check_inquiries(run, d.port, ledger, "end", conns=2)
        rc, secs = d.stop(timeout=15)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s (expected 0 within 15s)")
        # Exactly the valid events are stored: none of the rejected ones slipped in.
        checks.check_db(run, ledger, d.db_path, complete=True, label="after SIGTERM")
        h.log(f"normal client served {normal.count} times; statuses of valid posts: {ledger.status_counts}")


if __name__ == "__main__":
    main()
