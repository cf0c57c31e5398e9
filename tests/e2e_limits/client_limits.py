#!/usr/bin/env python3
"""End to end: one client's rate and connections are capped, others and the webhooks are not.

The real inquiryd runs with [http] rate_per_client = RATE, max_connections_per_client = CAP,
max_connections = 16 (so its last 2 connections are kept for /v1/webhooks/*).
  * A client on 127.0.0.2 sends 3 x RATE requests at once on one keep-alive connection: the
    first RATE are answered, the rest 429 with a numeric Retry-After, on the same connection;
    a POST with a body over the rate is 429 too, its body unread (the connection closes), and
    the event is not stored; the same client's webhook requests still pass (their own
    bucket); a client on 127.0.0.3 is served all along; after Retry-After seconds the first
    client is served again.
  * CAP idle connections from 127.0.0.4: one more from there is closed at once, unanswered,
    while 127.0.0.5 is served; once one of the CAP closes, 127.0.0.4 is served again.
  * 14 connections held open: a 15th gets 503 for GET /healthz (the last slots are the
    webhooks'), and a webhook request on it is served.
  * The refusals are logged once, then counted in one line per 10 s (not a line each), and
    counted in /metrics.
"""

import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402
from harness import events  # noqa: E402

RATE = 20
CAP = 8


def pipelined_gets(port, source, n, path="/healthz"):
    """n GET requests written at once on one connection; the statuses and Retry-Afters."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() * n)
    answers, data = [], b""
    deadline = h.Deadline(10)
    while len(answers) < n and not deadline.expired():
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        while True:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                break
            head = data[:end].decode("latin-1").split("\r\n")
            fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
            length = int(fields.get("content-length", "0"))
            if len(data) < end + 4 + length:
                break
            answers.append((int(head[0].split()[1]), fields.get("retry-after")))
            data = data[end + 4 + length:]
    s.close()
    return answers


def closed_at_once(port, source):
    """True if the daemon closes a new connection from `source` before any request."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3, source_address=(source, 0))
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    finally:
        s.close()


def check_rate(run, d, factory):
    answers = pipelined_gets(d.port, "127.0.0.2", 3 * RATE)
    ok = [a for a in answers if a[0] == 200]
    limited = [a for a in answers if a[0] == 429]
    run.check(len(answers) == 3 * RATE, f"{len(answers)} answers to {3 * RATE} pipelined requests")
    run.check(RATE <= len(ok) <= RATE + 2, f"{len(ok)} of {3 * RATE} answered within a rate of {RATE}/s")
    run.check(len(limited) == len(answers) - len(ok), f"the rest is 429: {answers}")
    run.check(all(r is not None and r.isdigit() and int(r) >= 1 for _, r in limited),
              f"every 429 has a Retry-After: {limited[:3]}")
    # A body over the rate: refused unread, the connection closed, nothing stored.
    ev = factory.new_thread()
    events.stamp(ev, run.rng)
    c = d.client(source="127.0.0.2")
    r = c.post_json("/v1/events", events.wire(ev))
    run.check(r.status == 429 and r.header("Retry-After"), f"POST over the rate: {r!r}")
    run.check(r.header("Connection") == "close", f"a refused body closes the connection: {r.headers}")
    # The same client's webhooks have a bucket of their own; another client is not limited.
    r = c.request("POST", "/v1/webhooks/telegram", body=b"{}", headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    run.check(r.status == 404, f"a webhook from the limited client is not rate limited: {r!r}")
    other = pipelined_gets(d.port, "127.0.0.3", RATE // 2)
    run.check([a[0] for a in other] == [200] * (RATE // 2), f"another client is served: {other}")
    # Back after Retry-After (bounded: a few seconds at most).
    h.wait_until(lambda: c.get("/healthz").status == 200, 5, "the limited client served again", interval=0.1)
    c.close()
    r = d.get("/v1/inquiries?limit=1000")
    run.check(r.status == 200 and not r.json["inquiries"], f"the refused event was not stored: {r!r}")


def served(d, source):
    """GET /healthz on a new connection from `source`: the status, or None if refused."""
    c = d.client(timeout=5, source=source)
    try:
        return c.get("/healthz").status
    except h.ConnectionFailed:
        return None
    finally:
        c.close()


def open_connections(d, n, source):
    return [socket.create_connection(("127.0.0.1", d.port), timeout=5, source_address=(source, 0)) for _ in range(n)]


def wait_for_connections(d, n, client=None):
    """Until the daemon counts n open connections (asked on `client`, one of them)."""
    ask = client or d.http
    h.wait_until(lambda: h.parse_metrics(ask.get("/metrics").body.decode()).get("http_connections", 0) >= n, 5,
                 f"{n} connections open", interval=0.1)


def check_connection_cap(run, d):
    held = open_connections(d, CAP, "127.0.0.4")
    wait_for_connections(d, CAP + 1)  # and the harness's own
    run.check(closed_at_once(d.port, "127.0.0.4"), f"connection {CAP + 1} from one address is closed at once")
    run.check(served(d, "127.0.0.5") == 200, "another address is served")
    held.pop().close()
    h.wait_until(lambda: served(d, "127.0.0.4") == 200, 5, "127.0.0.4 served once it holds fewer than the cap",
                 interval=0.1)
    for s in held:
        s.close()


def check_reserved_slots(run, d):
    d._close_http()  # the harness's own connection must not take a slot
    probe = d.client(source="127.0.0.6")
    held = open_connections(d, 7, "127.0.1.1") + open_connections(d, 6, "127.0.1.2")
    wait_for_connections(d, 14, probe)  # 13 held and the probe: the next is the 15th of 16
    late = d.client(source="127.0.0.7")
    r = late.get("/healthz")
    run.check(r.status == 503 and "webhooks" in (r.json or {}).get("error", ""), f"a 15th connection: {r!r}")
    hook = d.client(source="127.0.0.8")
    r = hook.request("POST", "/v1/webhooks/telegram", body=b"{}", headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    run.check(r.status == 404, f"a webhook request in a reserved slot is served: {r!r}")
    for c in (hook, late, probe):
        c.close()
    for s in held:
        s.close()


def main():
    with h.Run("client_limits", __doc__.splitlines()[0], budget_seconds=90) as run:
        config = run.write_config(http_extra=f"rate_per_client = {RATE}\nmax_connections_per_client = {CAP}\n"
                                             "max_connections = 16")
        d = run.daemon(config=config).start()
        factory = events.EventFactory(run, "limits")
        check_rate(run, d, factory)
        check_connection_cap(run, d)
        check_reserved_slots(run, d)

        m = d.metrics()
        run.check(m.get('http_requests_refused_total{limit="rate"}', 0) >= 2 * RATE - 2, f"rate refusals: {m}")
        run.check(m.get("http_connections_refused_per_client_total", 0) >= 1, "per-client refusals counted")
        run.check(m.get('http_requests_refused_total{limit="reserved_connections"}', 0) >= 1, "reserved refusals")
        # One line at the first refusal, then one line with the count: not one per refusal.
        h.wait_until(lambda: "more request(s) in the last" in open(d.log_path).read(), 15,
                     "the refusals' summary line")
        with open(d.log_path) as f:
            lines = [line for line in f if "429" in line or "refused" in line]
        run.check(len(lines) <= 6, f"{len(lines)} log lines for {2 * RATE} refusals: {lines[:8]}")
        rc, _ = d.stop()
        run.check(rc == 0, f"SIGTERM: exit status {rc}")


if __name__ == "__main__":
    main()
