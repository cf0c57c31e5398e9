#!/usr/bin/python3
"""End to end: SIGTERM under load is a clean stop that keeps every acknowledged event.

The real inquiryd gets realistic inbound events from 16 concurrent keep-alive connections
while two more clients just hold connections (one idle keep-alive connection, one that
sent half a request header). At a random moment (between ~20% and ~60% of 4,000 events
acknowledged) it gets SIGTERM:
  * it exits with status 0 within STOP_BOUND_S seconds;
  * every answer it gave is 202, 200 duplicate or 503 with Retry-After (no 5xx errors);
  * every event answered 202 is in the SQLite file exactly once (read-only, after the
    exit), with its inquiry id and received_at; PRAGMA integrity_check is ok.
Then it is restarted on the same state dir: GET /v1/inquiries/{id} shows every
acknowledged conversation with its exact deadlines, re-posts are 200 duplicates with the
same inquiry id, the rest of the load (including what got no answer at the stop) is
accepted, and an idle SIGTERM also exits 0; at the end every event is stored exactly once.
"""

import socket
import threading

import harness as h
from harness import checks, events

TOTAL_EVENTS = 4000
CONNECTIONS = 16
STOP_BOUND_S = 10.0   # "within a few seconds"


def check_stage_metrics(run, d):
    """Every event accepted since the restart is counted in each stage of /metrics."""
    samples = d.metrics()
    accepted = samples.get("inquiryd_events_accepted_total", 0.0)
    run.check(accepted > 0, "no accepted events in /metrics after the restart")
    for stage in ("analysis", "commit", "answer"):
        count = samples.get(f'inquiryd_event_stage_seconds_count{{stage="{stage}"}}', -1.0)
        run.check(count >= accepted, f"/metrics: stage {stage} counted {count} events, {accepted} were accepted")


def main():
    with h.Run("sigterm", __doc__, budget_seconds=110) as run:
        config = run.write_config()
        d = run.daemon(run.path("state"), config).start()
        factory = events.EventFactory(run, tag=f"s{run.seed}")
        ledger = events.Ledger(run)
        units = events.plan_units(factory, TOTAL_EVENTS, run.rng)

        # Bystanders: an idle keep-alive connection and a stalled half request.
        idle = h.Client(d.port, timeout=5)
        r = idle.get("/healthz")
        run.check(r.status == 200, f"GET /healthz: {r!r}")
        stalled = socket.create_connection(("127.0.0.1", d.port), timeout=5)
        stalled.sendall(b"POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")

        load = events.LoadPhase(run, ledger, d.port, units, conns=CONNECTIONS, final=True).start()
        threshold = int(TOTAL_EVENTS * run.rng.uniform(0.2, 0.6))
        reached = ledger.wait_acks(threshold, threading.Event(), timeout=60)
        run.check(reached, f"only {ledger.n_acks} acks after 60s (wanted {threshold} before SIGTERM)")
        with ledger.lock:
            acks_before = ledger.n_acks
            statuses_before = dict(ledger.status_counts)
        rc, secs = d.stop(timeout=STOP_BOUND_S)
        h.log(f"SIGTERM after {acks_before} acks: exit status {rc} after {secs:.2f}s")
        run.check(rc == 0, f"SIGTERM under load: exit status {rc} after {secs:.1f}s "
                           f"(expected 0 within {STOP_BOUND_S:.0f}s)")
        load.stop.set()
        rest = load.join(30)
        idle.close()
        stalled.close()
        with ledger.lock:
            after = {s: n - statuses_before.get(s, 0) for s, n in ledger.status_counts.items()}
            after = {s: n for s, n in after.items() if n}
            acks_after = ledger.n_acks - acks_before
        h.log(f"answers after SIGTERM was sent: {after or 'none'} ({acks_after} acks); "
              f"unanswered requests: {ledger.unanswered}")
        unexpected = {s: n for s, n in ledger.status_counts.items() if s not in (200, 202, 503)}
        run.check(not unexpected, f"statuses other than 202/200/503 during the load: {unexpected}")
        checks.check_db(run, ledger, d.db_path, label="after SIGTERM under load")

        # Restart: everything is there, and the daemon takes the rest of the load.
        d.start()
        checks.check_inquiries(run, d.port, ledger, "after restart")
        checks.check_duplicates(run, d.port, ledger, 300, "after restart")
        load = events.LoadPhase(run, ledger, d.port, load.leftover + load.deferred + rest, conns=CONNECTIONS,
                           final=True).start()
        rest = load.join(60)
        run.check(not load.leftover and not rest, f"{len(load.leftover) + len(rest)} conversations unanswered "
                                                  f"after the restart")
        checks.check_inquiries(run, d.port, ledger, "after the rest of the load")
        check_stage_metrics(run, d)
        rc, secs = d.stop(timeout=STOP_BOUND_S)
        h.log(f"idle SIGTERM: exit status {rc} after {secs:.2f}s")
        run.check(rc == 0, f"idle SIGTERM: exit status {rc} after {secs:.1f}s (expected 0 within {STOP_BOUND_S:.0f}s)")
        checks.check_db(run, ledger, d.db_path, complete=True, label="at the end")
        with ledger.lock:
            n_events, n_acked = len(ledger.events), len(ledger.acked)
        run.check(n_events == TOTAL_EVENTS and n_acked == TOTAL_EVENTS,
                  f"sent {n_events} distinct events, {n_acked} acknowledged; planned {TOTAL_EVENTS}")


if __name__ == "__main__":
    main()
