"""What the SQLite file and the HTTP API of inquiryd must show for the events that the
test knows were acknowledged (see events.Ledger)."""

import sqlite3
import threading
import time

from . import events
from .httpclient import Client, ConnectionFailed
from .util import Deadline, format_rfc3339, is_utc_rfc3339, log, parse_rfc3339_ns


# ---------------------------------------------------------------------------------------
# What must be stored


def read_db(path):
    """Reads the daemon's SQLite file read-only (the daemon must be stopped).
    Returns dict with 'events': key -> row dict, 'inquiries': id -> row dict, 'integrity'."""
    uri = f"file:{path}?mode=ro"
    db = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        db.row_factory = sqlite3.Row
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        events = {}
        dups = []
        for r in db.execute("SELECT seq, channel, account, message_id, thread_id, received_at_ms, direction, "
                            "accepted_at_ms, inquiry_id FROM events"):
            key = (r["channel"], r["account"], r["message_id"])
            if key in events:
                dups.append(key)
            events[key] = dict(r)
        inquiries = {r["id"]: dict(r) for r in db.execute("SELECT id, account, state, updated_at_ms FROM inquiries")}
        return {"events": events, "inquiries": inquiries, "integrity": integrity, "duplicates": dups}
    finally:
        db.close()


def check_db(run, ledger, db_path, complete=False, label="", expect_state="open"):
    """The stored events against the ledger:
      * every acknowledged event is there exactly once, with the inquiry id it was answered
        with, its received_at and its direction, and no other event of ours is duplicated;
      * nothing is there that the test never sent;
      * the events of one conversation share one inquiry, every inquiry row is referenced,
        has its events' account and (only buyer messages were sent) `expect_state`;
      * with `complete`, every event sent is there (all were acknowledged at the end).
    Returns the db dict."""
    t0 = time.monotonic()
    try:
        db = read_db(db_path)
    except sqlite3.Error as e:
        run.abort(f"{label}: cannot read {db_path} read-only: {e}")
    run.check(db["integrity"] == "ok", f"{label}: PRAGMA integrity_check = {db['integrity']!r}")
    run.check(not db["duplicates"], f"{label}: events stored more than once: {db['duplicates'][:5]}")
    rows = db["events"]
    with ledger.lock:
        acked = dict(ledger.acked)
        sent = dict(ledger.events)
    missing = [k for k in acked if k not in rows]
    run.check(not missing, f"{label}: {len(missing)} acknowledged events are not in the events table "
                           f"(lost after a 202/200), e.g. {missing[:3]}")
    bad = 0
    for k, iid in acked.items():
        r = rows.get(k)
        if r is None:
            continue
        ev = sent[k]
        problems = []
        if r["inquiry_id"] != iid:
            problems.append(f"inquiry_id {r['inquiry_id']} (answered {iid})")
        if r["received_at_ms"] != ev["_received_ms"]:
            problems.append(f"received_at_ms {r['received_at_ms']} (sent {ev['received_at']} = {ev['_received_ms']})")
        if r["direction"] != "inbound":
            problems.append(f"direction {r['direction']!r}")
        if r["thread_id"] != ev["thread_id"]:
            problems.append(f"thread_id {r['thread_id']!r}")
        if problems:
            bad += 1
            if bad <= 5:
                run.fail(f"{label}: stored event {k}: " + ", ".join(problems))
    run.check(bad <= 5, f"{label}: {bad} stored events differ from what was sent and acknowledged")
    foreign = [k for k in rows if k not in sent]
    run.check(not foreign, f"{label}: {len(foreign)} stored events were never sent by this test: {foreign[:3]}")
    by_thread = {}
    for k, r in rows.items():
        by_thread.setdefault((r["account"], r["channel"], r["thread_id"]), set()).add(r["inquiry_id"])
    split = {t: ids for t, ids in by_thread.items() if len(ids) != 1}
    run.check(not split, f"{label}: {len(split)} conversations are split over several inquiries, e.g. "
                         f"{list(split.items())[:3]}")
    referenced = {r["inquiry_id"] for r in rows.values()}
    unknown_ref = referenced - set(db["inquiries"])
    run.check(not unknown_ref, f"{label}: events reference inquiries that are not stored: {sorted(unknown_ref)[:5]}")
    orphans = set(db["inquiries"]) - referenced
    run.check(not orphans, f"{label}: {len(orphans)} inquiries have no event: {sorted(orphans)[:5]}")
    accounts = {}
    for r in rows.values():
        accounts.setdefault(r["inquiry_id"], set()).add(r["account"])
    wrong = [(iid, inq["account"], inq["state"]) for iid, inq in db["inquiries"].items()
             if inq["state"] != expect_state or accounts.get(iid, {inq["account"]}) != {inq["account"]}]
    run.check(not wrong, f"{label}: {len(wrong)} inquiry rows with another state than {expect_state!r} or "
                         f"another account than their events: {wrong[:5]}")
    if complete:
        unsent = [k for k in sent if k not in rows]
        run.check(not unsent, f"{label}: {len(unsent)} sent events are not stored at the end: {unsent[:3]}")
    log(f"{label}: db has {len(rows)} events, {len(db['inquiries'])} inquiries; {len(acked)} acknowledged "
        f"events checked ({time.monotonic() - t0:.1f}s)")
    return db


FAST_MS = 5 * 60 * 1000
TIMELY_MS = 24 * 3600 * 1000
WARNINGS_MS = {"fast": 2 * 60 * 1000, "timely": 4 * 3600 * 1000}  # write_config()'s warnings


def expected_threads(ledger):
    """thread key -> (inquiry id, first received_at ms) for every acknowledged conversation."""
    with ledger.lock:
        out = {}
        for k, iid in ledger.acked.items():
            ev = ledger.events[k]
            tk = events.thread_key(ev)
            first = out.get(tk, (iid, ev["_received_ms"]))[1]
            out[tk] = (iid, min(first, ev["_received_ms"]))
        return out


def check_inquiry(run, body, tk, iid, first_ms, label, budgets=None):
    """One GET /v1/inquiries/{id} body against what the test sent. Returns the clocks as
    {kind: (started_at ns, deadline ns)} for comparisons across restarts."""
    budgets = budgets or {"fast": FAST_MS, "timely": TIMELY_MS}
    account, channel, thread_id = tk
    p = []
    if not isinstance(body, dict):
        run.fail(f"{label}: GET /v1/inquiries/{iid}: body is not a JSON object")
        return None
    for field, want in (("id", iid), ("account", account), ("channel", channel), ("thread_id", thread_id),
                        ("state", "open"), ("owner", None)):
        if body.get(field, "<missing>") != want:
            p.append(f"{field}={body.get(field, '<missing>')!r} (expected {want!r})")
    if body.get("tier") not in (1, 2, 3, 4):
        p.append(f"tier={body.get('tier')!r}")
    if not isinstance(body.get("suspect"), bool):
        p.append(f"suspect={body.get('suspect')!r}")
    for field in ("reasons", "queue", "sender"):
        if field not in body:
            p.append(f"no {field!r}")
    clocks = body.get("clocks")
    got = {}
    if not isinstance(clocks, list):
        p.append(f"clocks={clocks!r}")
    else:
        kinds = [c.get("kind") for c in clocks if isinstance(c, dict)]
        if sorted(kinds) != ["fast", "timely"]:
            p.append(f"clock kinds {kinds} (expected one fast and one timely)")
        for c in clocks:
            if not isinstance(c, dict) or c.get("kind") not in budgets:
                continue
            kind = c["kind"]
            started, deadline = parse_rfc3339_ns(c.get("started_at")), parse_rfc3339_ns(c.get("deadline"))
            if not is_utc_rfc3339(c.get("started_at")) or not is_utc_rfc3339(c.get("deadline")):
                p.append(f"{kind} clock times not RFC 3339 UTC: {c.get('started_at')!r} {c.get('deadline')!r}")
                continue
            if started != first_ms * 1_000_000:
                p.append(f"{kind}.started_at {c['started_at']} (expected {format_rfc3339(first_ms)})")
            want = (first_ms + budgets[kind]) * 1_000_000
            if deadline != want:
                p.append(f"{kind}.deadline {c['deadline']} (expected {format_rfc3339(first_ms + budgets[kind])})")
            if "warning_at" in c and kind in WARNINGS_MS and c["warning_at"] is not None:
                want_warn = want - WARNINGS_MS[kind] * 1_000_000
                if parse_rfc3339_ns(c["warning_at"]) != want_warn:
                    p.append(f"{kind}.warning_at {c['warning_at']} (expected "
                             f"{format_rfc3339(first_ms + budgets[kind] - WARNINGS_MS[kind])})")
            if not isinstance(c.get("state"), str):
                p.append(f"{kind}.state={c.get('state')!r}")
            got[kind] = (started, deadline, c.get("state"))
    if p:
        run.fail(f"{label}: GET /v1/inquiries/{iid} (conversation {tk}): " + "; ".join(p))
    return got


def check_inquiries(run, port, ledger, label, conns=8, budgets=None):
    """GET /v1/inquiries/{id} for every acknowledged conversation, on `conns` keep-alive
    connections; checks fields, state and both clocks' exact deadlines.
    Returns {inquiry id: clocks}."""
    t0 = time.monotonic()
    todo = list(expected_threads(ledger).items())
    results = {}
    lock = threading.Lock()
    errors = []

    def worker(part):
        c = Client(port, timeout=30)
        try:
            for tk, (iid, first_ms) in part:
                try:
                    r = c.get(f"/v1/inquiries/{iid}")
                except ConnectionFailed as e:
                    with lock:
                        errors.append(str(e))
                    continue
                if r.status != 200:
                    run.fail(f"{label}: GET /v1/inquiries/{iid} (conversation {tk}): {r.status} {r.body[:200]!r}")
                    continue
                clocks = check_inquiry(run, r.json, tk, iid, first_ms, label, budgets)
                with lock:
                    results[iid] = clocks
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(todo[i::conns],), daemon=True) for i in range(conns)]
    for t in threads:
        t.start()
    deadline = Deadline(60)
    for t in threads:
        t.join(deadline.remaining())
    if any(t.is_alive() for t in threads):
        run.fail(f"{label}: GET /v1/inquiries/{{id}} hanging after 60s")
    run.check(not errors, f"{label}: {len(errors)} GET /v1/inquiries/{{id}} got no answer, e.g. {errors[:2]}")
    log(f"{label}: {len(results)} inquiries checked over HTTP ({time.monotonic() - t0:.1f}s)")
    return results


def check_duplicates(run, port, ledger, sample, label):
    """Re-posts acknowledged events: each must be 200 duplicate with its inquiry id."""
    c = Client(port, timeout=30)
    try:
        with ledger.lock:
            items = [(k, ledger.events[k], iid) for k, iid in ledger.acked.items()]
        run.rng.shuffle(items)
        for k, ev, iid in items[:sample]:
            try:
                r = c.request("POST", "/v1/events", body=events.encode_event(ev))
            except ConnectionFailed as e:
                run.fail(f"{label}: re-post of {k}: no answer ({e})")
                continue
            ok = (r.status == 200 and isinstance(r.json, dict) and r.json.get("duplicate") is True
                  and r.json.get("inquiry_id") == iid)
            run.check(ok, f"{label}: re-post of acknowledged {k}: expected 200 "
                          f"{{\"inquiry_id\": {iid}, \"duplicate\": true}}, got {r!r}")
        log(f"{label}: re-posted {min(sample, len(items))} acknowledged events")
    finally:
        c.close()


def check_list(run, port, ledger, label):
    """GET /v1/inquiries?state=open&account=X&limit=N returns open inquiries of X only."""
    threads = expected_threads(ledger)
    ours = {}
    for (account, _, _), (iid, _) in threads.items():
        ours.setdefault(account, set()).add(iid)
    c = Client(port, timeout=30)
    try:
        for account, ids in sorted(ours.items()):
            limit = 100
            path = f"/v1/inquiries?state=open&account={account}&limit={limit}"
            try:
                r = c.get(path)
            except ConnectionFailed as e:
                run.fail(f"{label}: GET {path}: no answer ({e})")
                continue
            if not (r.status == 200 and isinstance(r.json, dict) and isinstance(r.json.get("inquiries"), list)):
                run.fail(f"{label}: GET {path}: expected 200 {{\"inquiries\": [...]}}, got {r!r}")
                continue
            got = r.json["inquiries"]
            wrong = [i.get("id") for i in got if not isinstance(i, dict) or i.get("account") != account
                     or i.get("state") != "open" or i.get("id") not in ids]
            run.check(not wrong, f"{label}: GET {path}: entries not open inquiries of {account} sent by the "
                                 f"test: {wrong[:5]}")
            run.check(len(got) == min(limit, len(ids)),
                      f"{label}: GET {path}: {len(got)} inquiries, expected {min(limit, len(ids))} "
                      f"({len(ids)} open ones exist)")
    finally:
        c.close()
