#!/usr/bin/python3
"""End to end: an online backup under steady load, and its restore.

The real inquiryd takes realistic inbound events from 8 keep-alive connections without
pause. While they go on, `inquiryctl backup --state-dir STATE DEST` copies the store:
  * it exits 0 and reports PRAGMA integrity_check ok and the events it copied, no fewer
    than were acknowledged before it began; the load is acknowledged before, during and
    after it (the daemon never stops taking events);
  * `inquiryd --restore DEST --state-dir STATE` is refused (exit 1) while the daemon runs
    there, and the daemon goes on;
  * `inquiryd --restore DEST --state-dir NEW` puts the copy in a fresh folder; an inquiryd
    started there has every event acknowledged before the backup began, with its inquiry
    id (in its SQLite file, and re-posts are 200 duplicates of the same inquiry), nothing
    the test never sent, and it takes new events;
  * restoring over the first daemon's folder once it is stopped keeps the old store aside
    (with every event ever acknowledged in it) and puts the backup in its place.
"""

import os
import re
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402
from harness import checks, events  # noqa: E402

PRELOAD_EVENTS = 3000
LOAD_EVENTS = 40000   # more than the load needs: it is stopped once the checks are done
CONNECTIONS = 8


def run_backup(run, state, dest):
    inquiryctl = run.need("inquiryctl")
    return subprocess.run([inquiryctl, "backup", "--state-dir", state, dest],
                          capture_output=True, text=True, timeout=120)


def reported(run, out, name):
    m = re.search(rf"^\s*{name} (\d+)", out, re.M)
    run.check(m is not None, f"backup output has no '{name} N' line: {out!r}")
    return int(m.group(1)) if m else -1


def check_restored(run, ledger, db_path, acked_before, label, what="acknowledged before the backup began"):
    """Every event of `acked_before` is in the file, with its inquiry id."""
    db = checks.read_db(db_path)
    run.check(db["integrity"] == "ok", f"{label}: integrity_check {db['integrity']!r}")
    rows = db["events"]
    missing = [k for k in acked_before if k not in rows]
    run.check(not missing, f"{label}: {len(missing)} of {len(acked_before)} events {what} are missing, "
                           f"e.g. {missing[:3]}")
    wrong = [k for k, iid in acked_before.items() if k in rows and rows[k]["inquiry_id"] != iid]
    run.check(not wrong, f"{label}: {len(wrong)} events with another inquiry id, e.g. {wrong[:3]}")
    with ledger.lock:
        sent = set(ledger.events)
    foreign = [k for k in rows if k not in sent]
    run.check(not foreign, f"{label}: {len(foreign)} events the test never sent: {foreign[:3]}")
    h.log(f"{label}: {len(rows)} events; all {len(acked_before)} {what} are there")
    return db


def repost(run, port, ledger, acked_before, sample, label):
    c = h.Client(port, timeout=30)
    try:
        items = list(acked_before.items())
        run.rng.shuffle(items)
        for k, iid in items[:sample]:
            with ledger.lock:
                ev = ledger.events[k]
            r = c.request("POST", "/v1/events", body=events.encode_event(ev))
            run.check(r.status == 200 and isinstance(r.json, dict) and r.json.get("duplicate") is True
                      and r.json.get("inquiry_id") == iid,
                      f"{label}: re-post of {k}: expected 200 duplicate of inquiry {iid}, got {r!r}")
    finally:
        c.close()


def main():
    with h.Run("backup_restore", __doc__, budget_seconds=220) as run:
        config = run.write_config()
        state = run.path("state")
        d = run.daemon(state, config).start()
        factory = events.EventFactory(run, tag=f"b{run.seed}")
        ledger = events.Ledger(run)

        pre = events.LoadPhase(run, ledger, d.port, events.plan_units(factory, PRELOAD_EVENTS, run.rng),
                               conns=CONNECTIONS, final=True).start()
        pre.join(120)
        load = events.LoadPhase(run, ledger, d.port, events.plan_units(factory, LOAD_EVENTS, run.rng),
                                conns=CONNECTIONS, final=True).start()
        run.check(ledger.wait_acks(PRELOAD_EVENTS + 500, threading.Event(), timeout=60), "the load is not acked")

        with ledger.lock:
            acked_before = dict(ledger.acked)
            acks_at_start = ledger.n_acks
        dest = run.path("backup.db")
        b = run_backup(run, state, dest)
        with ledger.lock:
            acks_during = ledger.n_acks - acks_at_start
        h.log(f"inquiryctl backup: exit {b.returncode}, {acks_during} acks while it ran\n{b.stdout}{b.stderr}")
        run.check(b.returncode == 0, f"inquiryctl backup failed: {b.returncode} {b.stderr!r}")
        run.check("PRAGMA integrity_check: ok" in b.stdout, f"backup output without the integrity check: {b.stdout!r}")
        copied = reported(run, b.stdout, "events")
        run.check(copied >= len(acked_before), f"backup copied {copied} events, {len(acked_before)} were acked before")
        run.check(os.stat(dest).st_mode & 0o077 == 0, f"{dest}: mode {oct(os.stat(dest).st_mode)}: others may read it")

        # Refused while the daemon holds the folder; the daemon goes on taking events.
        r = run.inquiryd_once("--restore", dest, "--state-dir", state)
        run.check(r.returncode == 1 and "another inquiryd is running" in r.stderr,
                  f"--restore on a running daemon's folder: exit {r.returncode}, {r.stderr!r}")
        run.check(ledger.wait_acks(ledger.n_acks + 200, threading.Event(), timeout=30),
                  "the load stopped being acked after the refused restore")
        run.check(d.alive(), "inquiryd died during the backup or the refused restore")
        load.stop.set()
        load.join(60)
        rc, _ = d.stop()
        run.check(rc == 0, f"inquiryd exit status {rc}")
        with ledger.lock:
            acked_first = dict(ledger.acked)  # by the first daemon, up to its stop

        # Into a fresh folder: everything acked before the backup began, and it goes on.
        fresh = run.path("restored")
        r = run.inquiryd_once("--restore", dest, "--state-dir", fresh)
        run.check(r.returncode == 0, f"--restore into a new folder: exit {r.returncode} {r.stderr!r}")
        h.log(r.stdout)
        d2 = run.daemon(fresh, config).start()
        repost(run, d2.port, ledger, acked_before, 300, "restored daemon")
        more = events.LoadPhase(run, ledger, d2.port, events.plan_units(factory, 200, run.rng),
                                conns=4, final=True).start()
        more.join(60)
        run.check(more.done_units > 0, "the restored daemon takes no new events")
        d2.stop()
        check_restored(run, ledger, d2.db_path, acked_before, "restored store")

        # Over the first folder: the old store (every event ever acked) is kept aside.
        r = run.inquiryd_once("--restore", dest, "--state-dir", state)
        run.check(r.returncode == 0, f"--restore over the stopped daemon's folder: {r.returncode} {r.stderr!r}")
        aside = [n for n in os.listdir(state) if n.startswith("inquiryd.db.before-restore-") and "-wal" not in n]
        run.check(len(aside) == 1, f"expected one store kept aside in {state}: {os.listdir(state)}")
        if aside:
            check_restored(run, ledger, os.path.join(state, aside[0]), acked_first, "kept aside",
                           "acknowledged by the first daemon")
        check_restored(run, ledger, os.path.join(state, "inquiryd.db"), acked_before, "restored in place")


if __name__ == "__main__":
    main()
