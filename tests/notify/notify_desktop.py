#!/usr/bin/python3
"""End to end: `inquiryctl tail --notify` shows a desktop notification per alert.

A private D-Bus session bus (dbus-daemon) carries a notification server
(notification_server.py, owning org.freedesktop.Notifications as a desktop's would), and
inquiryctl's libnotify talks to it through DBUS_SESSION_BUS_ADDRESS. With fast = 2s and
one agent, three inquiries give lena assignments, warnings and breaches; `inquiryctl tail
--agent lena --since 0 --notify` prints each, and for each line the server receives one
notification, in the same order: summary "KIND clock · inquiry N · account", the printed
line as its body, critical urgency for a BREACH, normal otherwise.
Skipped (77) without dbus-daemon or Python's dbus and gi modules.
"""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

import harness as h  # noqa: E402

ev = h.events
HERE = os.path.dirname(os.path.abspath(__file__))
TAIL_SECONDS = 9.0


def start_bus(run):
    if not shutil.which("dbus-daemon"):
        raise h.TestSkipped("dbus-daemon not installed")
    try:
        import dbus  # noqa: F401
        import gi  # noqa: F401
    except ImportError as e:
        raise h.TestSkipped(f"python3-dbus / python3-gi: {e}")
    bus = run.spawn("dbus", ["dbus-daemon", "--session", "--nofork", "--print-address=1",
                             f"--address=unix:path={run.path('bus')}"])
    h.wait_until(lambda: bus.stdout().strip(), 10, "dbus-daemon's address")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout().splitlines()[0]  # for the processes started after
    server = run.spawn("notifications", [sys.executable, os.path.join(HERE, "notification_server.py")])
    h.wait_until(lambda: server.stdout().startswith("ready"), 10, "the notification server on the bus")
    return server


def notifications(server):
    return [json.loads(line) for line in server.stdout().splitlines()[1:] if line.strip()]


def main():
    with h.Run("notify_desktop", __doc__, budget_seconds=90) as run:
        inquiryctl = run.need("inquiryctl")
        server = start_bus(run)
        config = run.write_config(sla={"fast": "2s", "timely": "1h", "fast_warning": "1s", "timely_warning": "30m"},
                                  extra='[[agents]]\nid = "lena"\ncapacity = 50\n')
        d = run.daemon(run.path("state"), config).start()
        client = d.client()
        tail = run.spawn("tail", [inquiryctl, "tail", "--http", f"127.0.0.1:{d.port}", "--sub", d.pub_endpoint,
                                  "--agent", "lena", "--since", "0", "--notify", "--for", str(TAIL_SECONDS)])
        factory = ev.EventFactory(run, f"d{run.seed}")
        for _ in range(3):  # the first is for the verify queue (tier 3, suspect), the others lena's
            e = factory.new_thread()
            ev.stamp(e, run.rng)
            r = client.request("POST", "/v1/events", body=ev.encode_event(e))
            run.check(r.status == 202, f"POST /v1/events: {r!r}")

        def stored():
            r = client.get("/v1/alerts?since=0&topic=agent/lena/")
            return (r.json or {}).get("alerts", [])

        h.wait_until(lambda: any(a["kind"] == "BREACH" for a in stored()), 15, "a breach of lena's")
        rc = tail.wait(TAIL_SECONDS + 10)
        run.check(rc == 0, f"inquiryctl tail --for: exit status {rc}; {tail.stderr()[-500:]}")
        run.check("--notify" not in tail.stderr(), f"tail warned about --notify: {tail.stderr()[-500:]}")
        want = stored()  # everything lena's was due while the tail ran (the next, a reservation's end, is later)
        kinds = {a["kind"] for a in want}
        run.check({"ASSIGNED", "WARNING", "BREACH"} <= kinds, f"lena's alerts: {sorted(kinds)}")
        h.wait_until(lambda: len(notifications(server)) >= len(want), 5, f"{len(want)} desktop notifications")
        got = notifications(server)
        lines = [ln for ln in tail.stdout().splitlines() if ln.strip()]
        run.check(len(got) == len(want) == len(lines),
                  f"{len(got)} notifications, {len(lines)} lines printed, {len(want)} alerts stored")
        for a, n, line in zip(want, got, lines):
            run.check(n["app"] == "inquiryctl", f"app name {n['app']!r}")
            run.check(n["summary"].startswith(a["kind"]) and f"· inquiry {a['inquiry_id']}" in n["summary"],
                      f"alert {a['seq']} ({a['kind']}): summary {n['summary']!r}")
            run.check(n["body"] == line, f"alert {a['seq']}: body {n['body']!r}, printed {line!r}")
            urgency = 2 if a["kind"] in ("BREACH", "ESCALATION") else 1
            run.check(n["urgency"] == urgency, f"alert {a['seq']} ({a['kind']}): urgency {n['urgency']}")
        rc, secs = d.terminate(timeout=15)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")


if __name__ == "__main__":
    main()
