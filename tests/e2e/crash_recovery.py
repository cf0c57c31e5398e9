#!/usr/bin/python3
"""End to end: SIGKILL under load loses nothing that was acknowledged.

The real inquiryd on one state dir gets 5,000 distinct, realistic inbound events (the
fixtures' inquiries with unique message and thread ids, received_at = now, UTC) from 16
concurrent keep-alive connections. It is SIGKILLed three times, at random moments during
the load (once about 10%, 50% and 90% of the events have been acknowledged), and
restarted on the same state dir each time; a last run finishes the load and stops with
SIGTERM. Like a real client, the test re-sends after each restart whatever got no answer.

After every kill (read-only SQLite, daemon stopped) and every restart (HTTP):
  * every event answered 202 (or 200 duplicate) is stored exactly once, with the inquiry
    id it was answered with and its received_at; nothing is duplicated or invented;
  * the events of one conversation share one inquiry, also when its second message is
    sent after a restart;
  * GET /v1/inquiries/{id} of every acknowledged conversation: state open, no owner, and
    both clocks started at the first buyer message's received_at with deadline
    received_at + 5 min / + 24 h exactly, the same before and after each restart;
  * re-posting acknowledged events answers 200 duplicate with the same inquiry id;
  * events sent but unanswered at a kill come back (when re-sent) 202 or 200 duplicate,
    and are stored at most once.
At the end every one of the 5,000 events is stored exactly once.

A second round does the same on a fresh state dir with 3,000 events and four kills at
random times (20-350 ms after each restart's load begins), uncorrelated with the answers.
"""

import signal
import threading
import time

import harness as h
from harness import checks, events

TOTAL_EVENTS = 5000
CONNECTIONS = 16
KILL_POINTS = ((0.07, 0.13), (0.45, 0.55), (0.85, 0.93))  # fractions of TOTAL_EVENTS acknowledged
TIMED_EVENTS = 3000
TIMED_KILLS = 4


def compare_clocks(run, before, after, label):
    changed = []
    for iid, clocks in before.items():
        now = after.get(iid)
        if now is None or clocks is None:
            continue
        for kind, (started, deadline, _state) in clocks.items():
            if kind in now and now[kind][:2] != (started, deadline):
                changed.append((iid, kind))
    run.check(not changed, f"{label}: clock start/deadline changed across the restart for {len(changed)} "
                           f"inquiries, e.g. {changed[:5]}")


def crash_round(run, name, total_events, kills):
    """Runs `total_events` through one state dir, SIGKILLing inquiryd once per entry of
    `kills` - ("acks", lo, hi): when between lo and hi of the events are acknowledged;
    ("time", lo, hi): lo..hi seconds after the load (re)starts - then a last run to the
    end and SIGTERM."""
    config = run.write_config()
    d = run.daemon(run.path(f"state-{name}"), config)
    factory = events.EventFactory(run, tag=f"{name}{run.seed}")
    ledger = events.Ledger(run)
    carried = events.plan_units(factory, total_events, run.rng)  # what the next run sends, in order
    prev_clocks = {}
    t_start = time.monotonic()
    crossing = 0  # second messages of a conversation sent after a restart

    for phase in range(len(kills) + 1):
        final = phase == len(kills)
        label = f"{name} run {phase + 1}"
        d.start()
        if phase > 0:
            clocks = checks.check_inquiries(run, d.port, ledger, f"{label} after restart")
            compare_clocks(run, prev_clocks, clocks, f"{label} after restart")
            prev_clocks = clocks
            checks.check_duplicates(run, d.port, ledger, 200, f"{label} after restart")

        load = events.LoadPhase(run, ledger, d.port, carried, conns=CONNECTIONS, final=final).start()
        if not final:
            how, lo, hi = kills[phase]
            if how == "acks":
                threshold = int(total_events * run.rng.uniform(lo, hi))
                reached = ledger.wait_acks(threshold, stop=threading.Event(), timeout=90)
                run.check(reached, f"{label}: only {ledger.n_acks} acks after 90s (wanted {threshold} before "
                                   f"the kill): daemon too slow or stuck")
                when = f"at {threshold} acks"
            else:
                # The crash moment is the test's input, not a wait for a condition.
                delay = run.rng.uniform(lo, hi)
                threading.Event().wait(delay)
                when = f"{delay * 1000:.0f} ms into the load"
            acks_at_kill = ledger.n_acks
            d.signal(signal.SIGKILL)  # mid-flight: up to 16 requests on the wire
            load.stop.set()
            d.kill()  # reap it
            rc = d.proc.returncode
            run.check(rc == -signal.SIGKILL, f"{label}: inquiryd exit status {rc} (expected SIGKILL); "
                                             f"did it die on its own before the kill?")
            rest = load.join(30)
            h.log(f"{label}: SIGKILL {when} ({acks_at_kill} acks); {len(load.leftover)} conversations "
                  f"unanswered, {len(load.deferred)} second messages kept for after the restart")
            checks.check_db(run, ledger, d.db_path, label=f"{label} after SIGKILL (on disk)")
            crossing += len(load.deferred)
        else:
            rest = load.join(120)
            run.check(not load.leftover and not rest,
                      f"{label}: {len(load.leftover) + len(rest)} conversations unanswered without any kill")
            clocks = checks.check_inquiries(run, d.port, ledger, f"{label} (end)")
            compare_clocks(run, prev_clocks, clocks, f"{label} (end)")
            checks.check_duplicates(run, d.port, ledger, 300, f"{label} (end)")
            checks.check_list(run, d.port, ledger, f"{label} (end)")
            rc, secs = d.stop(timeout=15)
            run.check(rc == 0, f"{label}: SIGTERM at the end: exit status {rc} after {secs:.1f}s (expected 0)")
            checks.check_db(run, ledger, d.db_path, complete=True, label=f"{label} after SIGTERM")
        # Next run: first what got no answer (a client re-sends it) and the second messages
        # kept back, then what was never sent.
        carried = load.leftover + load.deferred + rest

    with ledger.lock:
        n_events, n_acked = len(ledger.events), len(ledger.acked)
        statuses = dict(sorted(ledger.status_counts.items()))
    run.check(n_events == total_events, f"{name}: the test sent {n_events} distinct events, planned {total_events}")
    run.check(n_acked == total_events, f"{name}: {n_acked} of {total_events} events acknowledged at the end")
    h.log(f"{name}: statuses {statuses} (200: re-sent after a kill, had been stored without an answer); "
          f"{ledger.unanswered} requests unanswered at kills; {crossing} conversations continued after a "
          f"restart; {time.monotonic() - t_start:.1f}s")


def main():
    with h.Run("crash_recovery", __doc__, budget_seconds=170) as run:
        # Kills when ~10%, ~50%, ~90% of the events are acknowledged.
        crash_round(run, "acks", TOTAL_EVENTS, [("acks", lo, hi) for lo, hi in KILL_POINTS])
        # Kills at random times, uncorrelated with the answers (inside a commit, between two).
        crash_round(run, "timed", TIMED_EVENTS, [("time", 0.02, 0.35)] * TIMED_KILLS)


if __name__ == "__main__":
    main()
