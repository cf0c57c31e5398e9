#!/usr/bin/env python3
"""End to end: a store at its size limit answers 503, keeps publishing alerts, and loses nothing.

The real inquiryd runs with [store] max_bytes = 32 MiB and reply clocks of seconds
(fast = "3s", warned 2 s before), a ZeroMQ subscriber listening from the start.
  1. Four connections post events until the daemon answers 503 "size limit" (Retry-After
     10); /healthz is then 503 "degraded" naming max_bytes; another event is refused too.
  2. Alerts keep coming (the accepted inquiries' warnings and breaches fall due): published
     live and stored, though events are refused.
  3. SIGHUP with max_bytes = 1 MiB, below the database's size in pages (most of the 32 MiB
     is the -wal file): SQLite may not grow the database any more, so the next commit of
     alerts fails. The alerts due then are still
     published, marked degraded, and /healthz says it refused a commit.
  4. SIGHUP with max_bytes = 64 MiB: what was held is stored; /healthz is ok again and a new
     event is accepted (202).
  5. SIGTERM (exit 0). In the SQLite file: every event answered 202 exactly once; the alerts'
     seqs are 1..N without a gap; every alert received live is stored with its seq, the
     degraded ones exactly as published but for the mark.
  6. A restart on the same store is ready and ok.
"""

import os
import sqlite3
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402
from harness import checks, events  # noqa: E402

MIB = 1 << 20
SLA = {"fast": "3s", "timely": "24h", "fast_warning": "2s", "timely_warning": "4h"}
FILL_CONNS = 4
FILL_BOUND_S = 60


def store_config(run, max_bytes):
    return run.write_config(sla=SLA, extra=f"[store]\nmax_bytes = {max_bytes}\n")


def reload(run, d, max_bytes):
    store_config(run, max_bytes)
    seen = open(d.log_path).read().count("SIGHUP:")
    d.signal(1)  # SIGHUP
    h.wait_until(lambda: open(d.log_path).read().count("SIGHUP:") > seen, 5, "the SIGHUP's log line")
    run.check(f"max_bytes {max_bytes}" in open(d.log_path).read().split("SIGHUP:")[-1], "max_bytes reloaded")


def fill(run, d, ledger, factory):
    """Posts events on FILL_CONNS connections until one is refused for the size limit."""
    full = threading.Event()
    first_refusal = []

    def worker():
        c = d.client()
        deadline = h.Deadline(FILL_BOUND_S)
        while not full.is_set() and not deadline.expired():
            ev = factory.new_thread()
            events.stamp(ev, run.rng)
            ledger.note_sent(ev)
            r = c.request("POST", "/v1/events", body=events.encode_event(ev))
            if r.status == 202:
                ledger.note_ack(ev, r.status, r.json)
            elif r.status == 503 and "size limit" in (r.json or {}).get("error", ""):
                first_refusal.append(r)
                full.set()
            elif r.status == 503:
                time.sleep(0.05)  # saturated: the writer is behind
            else:
                run.fail(f"filling the store: {r!r}")
                full.set()
        c.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(FILL_CONNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(FILL_BOUND_S + 10)
    if not first_refusal:
        run.abort(f"the store never reached its limit ({len(ledger.accepted)} events accepted)")
    return first_refusal[0]


def page_count(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("PRAGMA page_count").fetchone()[0]
    finally:
        db.close()


def stored_alerts(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return {seq: payload for seq, payload in db.execute("SELECT seq, payload FROM alerts ORDER BY seq")}
    finally:
        db.close()


def main():
    with h.Run("store_full", __doc__.splitlines()[0], budget_seconds=150) as run:
        d = run.daemon(config=store_config(run, 32 * MIB)).start()
        sub = d.subscribe()
        ledger, factory = events.Ledger(run), events.EventFactory(run, "full")

        # 1. Filled to the limit.
        refusal = fill(run, d, ledger, factory)
        full_ms = h.now_ms()
        h.log(f"full after {len(ledger.accepted)} events: {refusal!r}")
        run.check(refusal.header("Retry-After") == "10", f"Retry-After: {refusal.header('Retry-After')}")
        r = d.get("/healthz")
        run.check(r.status == 503 and r.json["status"] == "degraded" and "max_bytes" in r.json.get("reason", ""),
                  f"/healthz at the limit: {r!r}")
        ev = factory.new_thread()
        events.stamp(ev, run.rng)
        r = d.post_json("/v1/events", events.wire(ev))
        run.check(r.status == 503, f"an event at the limit: {r!r}")

        # 2. Alerts still published, and stored.
        h.wait_until(lambda: [a for a in sub.live() if a["arrived_ms"] > full_ms], 10, "an alert after the limit")

        # 3. The database may not grow any more: the alerts due are published from memory.
        pages = page_count(d.db_path)
        if pages * 4096 <= 1 * MIB:
            run.abort(f"the database holds only {pages} pages: a 1 MiB quota would not stop it")
        reload(run, d, 1 * MIB)
        degraded = h.wait_until(lambda: [a for a in sub.live() if a.get("degraded")], 15, "a degraded alert")
        h.log(f"degraded alerts: seq {degraded[0]['seq']}.. ({len(degraded)} so far)")
        r = d.get("/healthz")
        run.check(r.status == 503 and "refused a commit" in r.json.get("reason", ""), f"/healthz held: {r!r}")

        # 4. Room again: the held alerts are stored, events accepted.
        reload(run, d, 64 * MIB)
        h.wait_until(lambda: d.get("/healthz").status == 200, 10, "/healthz ok after the limit was raised",
                     interval=0.1)
        ev = factory.new_thread()
        events.stamp(ev, run.rng)
        ledger.note_sent(ev)
        r = d.post_json("/v1/events", events.wire(ev))
        run.check(r.status == 202, f"an event after the limit was raised: {r!r}")
        if r.status == 202:
            ledger.note_ack(ev, r.status, r.json)
        last_held = max(a["seq"] for a in sub.live() if a.get("degraded"))
        h.wait_until(lambda: [a for a in sub.live() if a["seq"] > last_held and not a.get("degraded")], 10,
                     "alerts stored and published as usual again")
        live = sub.live()
        sub.stop()
        rc, _ = d.stop()
        run.check(rc == 0, f"SIGTERM: exit status {rc}")

        # 5. Nothing acknowledged lost; the alerts gap-free, as published.
        checks.check_db(run, ledger, d.db_path, label="after the limit")
        stored = stored_alerts(d.db_path)
        seqs = sorted(stored)
        run.check(seqs == list(range(1, len(seqs) + 1)), f"stored alert seqs have gaps: {seqs[:5]}..{seqs[-5:]}")
        _, alert_pb2 = h.load_proto(run)
        held = [a for a in live if a.get("degraded")]
        for a in live:
            if a["seq"] not in stored:
                run.fail(f"alert seq {a['seq']} was published but not stored")
                continue
            pb = alert_pb2.Alert()
            pb.ParseFromString(stored[a["seq"]])
            as_stored = h.alert_dict(pb)
            as_published = {k: v for k, v in a.items() if k not in ("arrived_ms", "degraded")}
            run.check(as_stored == as_published, f"seq {a['seq']}: stored {as_stored} != published {as_published}")
        h.log(f"{len(ledger.accepted)} events accepted; {len(seqs)} alerts stored, {len(live)} received live, "
              f"{len(held)} of them degraded")
        run.check(sub.problems == [], f"the live stream: {sub.problems[:3]}")

        # 6. A restart on the same store.
        d.start()
        r = d.get("/healthz")
        run.check(r.status == 200, f"/healthz after a restart: {r!r}")
        rc, _ = d.stop()
        run.check(rc == 0, f"SIGTERM after the restart: exit status {rc}")


if __name__ == "__main__":
    main()
