#!/usr/bin/python3
"""End to end: when the disk stops syncing, nothing is acknowledged, nothing hangs, nothing
acknowledged before is lost.

The real inquiryd runs under strace, which makes every fdatasync and fsync of each thread
fail with EIO from its FAULT_FROM-th call on (`-e inject=fdatasync,fsync:error=EIO:when=N+`);
before that, commits are durable as usual.
  1. Scenario "sequential": one client posts events one at a time: the first ones are
     answered 202; from the first answer that is not a 202 on (the fault has reached a
     commit), the daemon must answer 503 (with Retry-After) or drop the connection - never
     202, never 500, never hang. Scenario "concurrent" (fresh state dir, random FAULT_FROM):
     8 connections post from the start so that the fault hits group commits in flight; on
     each connection no 202 may follow a refusal.
  2. Then 8 connections post 10 events each at once under the fault: same rule;
     GET /healthz must answer or be refused, not hang.
  3. SIGTERM: the daemon must exit within STOP_BOUND_S (with any status: its disk is failing).
  4. Restarted without the fault on the same state dir: every event answered 202 is stored
     exactly once (read-only SQLite after the stop, then GET /v1/inquiries/{id} with exact
     deadlines, and re-posts that answer 200 duplicate with the same inquiry id); every event
     that was refused is accepted now (202, or 200 duplicate if it had been stored after
     all), and at the end every event is stored exactly once.
Skipped (exit 77) when strace cannot inject faults here (e.g. ptrace not permitted).
"""

import os
import shutil
import subprocess
import threading
import time

import harness as h
from harness import checks, events

FAULT_FROM = 30          # per thread: the 30th fdatasync (and 30th fsync) and all after fail
SEQUENTIAL_MAX = 400     # events posted one by one until the fault shows
REQUEST_BOUND_S = 15.0   # an answer (or a dropped connection) must come within this
STOP_BOUND_S = 15.0


def strace_can_inject(run):
    """True if strace can run a child and fail its fdatasync with EIO here."""
    strace = shutil.which("strace")
    if not strace:
        return False, "strace is not installed"
    probe = run.path("probe")
    code = ("import os, sys\n"
            f"fd = os.open({probe!r}, os.O_CREAT | os.O_WRONLY)\n"
            "try:\n    os.fdatasync(fd); print('synced')\n"
            "except OSError as e:\n    print('errno', e.errno)\n")
    try:
        p = subprocess.run([strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=fdatasync",
                            "-e", "inject=fdatasync:error=EIO:when=1+", "/usr/bin/python3", "-c", code],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"strace could not run: {e}"
    if p.stdout.strip() == "errno 5":
        return True, ""
    return False, f"strace could not inject EIO (exit {p.returncode}): {(p.stdout + p.stderr).strip()[:300]}"


class Poster:
    """Posts events during the fault and classifies the answers."""

    def __init__(self, run, ledger):
        self.run = run
        self.ledger = ledger
        self.lock = threading.Lock()
        self.refused = []        # events answered 503 or without an answer
        self.acked_in_fault = []
        self.outcomes = {}

    def note(self, what):
        with self.lock:
            self.outcomes[what] = self.outcomes.get(what, 0) + 1

    def post(self, client, ev, in_fault):
        """One attempt; returns '202', '503', 'dropped', 'hang' or 'other'."""
        run = self.run
        events.stamp(ev, run.rng)
        self.ledger.note_sent(ev)
        t0 = time.monotonic()
        try:
            r = client.request("POST", "/v1/events", body=events.encode_event(ev))
        except h.ConnectionFailed as e:
            elapsed = time.monotonic() - t0
            if "timed out" in str(e) or elapsed >= REQUEST_BOUND_S - 0.5:
                run.fail(f"POST /v1/events during the disk fault: no answer within {REQUEST_BOUND_S:.0f}s (hang)")
                what = "hang"
            else:
                what = "dropped"
            with self.lock:
                self.refused.append(ev)
            self.note(what)
            return what
        self.ledger.note_status(r.status)
        if r.status in (200, 202):
            self.ledger.note_ack(ev, r.status, r.json)
            if in_fault:
                with self.lock:
                    self.acked_in_fault.append(ev)
                run.fail(f"POST /v1/events {events.event_key(ev)}: {r.status} while the disk fails every sync "
                         f"(acknowledged without a durable commit): {r!r}")
            self.note(str(r.status))
            return str(r.status)
        if r.status == 503:
            retry = r.header("Retry-After")
            run.check(retry is not None and retry.strip().isdigit(),
                      f"POST /v1/events during the fault: 503 without a numeric Retry-After ({retry!r})")
            with self.lock:
                self.refused.append(ev)
            self.note("503")
            return "503"
        run.fail(f"POST /v1/events during the disk fault: expected 503 or a dropped connection, got {r!r}")
        with self.lock:
            self.refused.append(ev)
        self.note(str(r.status))
        return "other"


def sequential_until_fault(run, d, poster, factory):
    """Posts one event at a time until the fault shows. Returns the 202s before it."""
    client = h.Client(d.port, timeout=REQUEST_BOUND_S)
    before_fault = 0
    fault_seen = False
    try:
        for _ in range(SEQUENTIAL_MAX):
            what = poster.post(client, factory.new_thread(), in_fault=fault_seen)
            if what == "202" and not fault_seen:
                before_fault += 1
                continue
            if not fault_seen:
                fault_seen = True
                h.log(f"fault reached a commit after {before_fault} events acknowledged: first answer {what}")
            if what == "hang" or (what == "dropped" and not d.alive()) or len(poster.refused) >= 10:
                break
    finally:
        client.close()
    return fault_seen, before_fault


def concurrent_until_fault(run, d, poster, factory, conns=8):
    """`conns` connections post from the start, so that the fault hits group commits in
    flight. On each connection, once a request has been refused, no later one may be
    acknowledged (the fault never ends). Returns (fault seen, 202s)."""
    seen = []

    def worker():
        c = h.Client(d.port, timeout=REQUEST_BOUND_S)
        fault_seen, refused, acked = False, 0, 0
        try:
            for _ in range(SEQUENTIAL_MAX // conns * 2):
                what = poster.post(c, factory.new_thread(), in_fault=fault_seen)
                if what == "202":
                    acked += 1
                    continue
                fault_seen = True
                refused += 1
                if what == "hang" or (what == "dropped" and not d.alive()) or refused >= 5:
                    break
        finally:
            c.close()
        seen.append((fault_seen, acked))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(conns)]
    for t in threads:
        t.start()
    deadline = h.Deadline(REQUEST_BOUND_S * 6 + 10)
    for t in threads:
        t.join(deadline.remaining())
    run.check(not any(t.is_alive() for t in threads), "posting during the fault not finished: the daemon hangs")
    n_acked = sum(a for _, a in seen)
    h.log(f"{conns} connections: {n_acked} acknowledged before the fault, "
          f"{sum(1 for f, _ in seen if f)} connections saw it")
    return any(f for f, _ in seen), n_acked


def more_under_fault(run, d, poster, factory, conns=8, per_conn=10):
    """More posts on several connections while the fault lasts: never a 202, never a hang."""
    def worker():
        c = h.Client(d.port, timeout=REQUEST_BOUND_S)
        try:
            for _ in range(per_conn):
                what = poster.post(c, factory.new_thread(), in_fault=True)
                if what == "hang" or (what == "dropped" and not d.alive()):
                    return
        finally:
            c.close()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(conns)]
    for t in threads:
        t.start()
    deadline = h.Deadline(REQUEST_BOUND_S * 6 + 5)
    for t in threads:
        t.join(deadline.remaining())
    run.check(not any(t.is_alive() for t in threads), "posting during the fault still not finished: the daemon hangs")
    try:
        c = h.Client(d.port, timeout=REQUEST_BOUND_S)
        r = c.get("/healthz")
        c.close()
        h.log(f"GET /healthz during the fault: {r!r}")
    except h.ConnectionFailed as e:
        run.check("timed out" not in str(e), f"GET /healthz during the fault: no answer ({e})")
        h.log(f"GET /healthz during the fault: {e}")


def scenario(run, name, fault_from, concurrent):
    h.log(f"--- {name}: sync calls fail with EIO from the {fault_from}th per thread on")
    config = run.write_config()
    state = run.path(f"state-{name}")
    strace_log = run.path(f"strace-{name}.out")
    wrapper = ["strace", "-f", "-qq", "--seccomp-bpf", "-o", strace_log,
               "-e", "trace=fdatasync,fsync",
               "-e", f"inject=fdatasync,fsync:error=EIO:when={fault_from}+"]
    d = run.daemon(state, config, wrapper=wrapper).start()
    factory = events.EventFactory(run, tag=f"f{name[0]}{run.seed}")
    ledger = events.Ledger(run)
    poster = Poster(run, ledger)

    # 1. Until the fault reaches a commit.
    if concurrent:
        fault_seen, before_fault = concurrent_until_fault(run, d, poster, factory)
    else:
        fault_seen, before_fault = sequential_until_fault(run, d, poster, factory)
    if not fault_seen:
        injected = count_injected(strace_log)
        d.kill()
        run.abort(f"{name}: every event was acknowledged although strace injected EIO into "
                  f"{injected} sync calls (from the {fault_from}th per thread on)")
    run.check(before_fault > 0, f"{name}: no event was acknowledged before the fault")

    # 2. More under the fault: group commits must fail as a whole.
    if d.alive():
        more_under_fault(run, d, poster, factory)
    h.log(f"{name}: answers: {poster.outcomes}; daemon "
          + ("still running" if d.alive() else f"exited with {d.proc.returncode}"))

    # 3. Stop it: it must not hang on its failing disk.
    if d.alive():
        rc, secs = d.terminate(timeout=STOP_BOUND_S)
        h.log(f"{name}: SIGTERM during the fault: exit status {rc} after {secs:.2f}s")
        if rc is None:
            run.fail(f"{name}: SIGTERM during the disk fault: still running after {STOP_BOUND_S:.0f}s (hang)")
            d.kill()
    else:
        d.kill()  # reap
    h.log(f"{name}: strace injected EIO into {count_injected(strace_log)} sync calls")

    # 4. Without the fault: what was acknowledged is there, the rest is accepted now.
    label = f"{name}, restarted without the fault"
    checks.check_db(run, ledger, d.db_path, label=f"{name}, after the fault (on disk)")
    d.start(wrapper=[])
    checks.check_inquiries(run, d.port, ledger, label)
    checks.check_duplicates(run, d.port, ledger, 1000, label)
    c = h.Client(d.port, timeout=REQUEST_BOUND_S)
    stored_anyway = 0
    for ev in poster.refused:
        try:
            r = c.request("POST", "/v1/events", body=events.encode_event(ev))
        except h.ConnectionFailed as e:
            run.fail(f"{label}: re-post of {events.event_key(ev)} (refused during the fault): no answer ({e})")
            continue
        ledger.note_status(r.status)
        if r.status in (200, 202):
            ledger.note_ack(ev, r.status, r.json)
            stored_anyway += r.status == 200
        else:
            run.fail(f"{label}: re-post of {events.event_key(ev)} (refused during the fault): {r!r}")
    c.close()
    h.log(f"{label}: {len(poster.refused)} events refused during the fault re-posted: "
          f"{stored_anyway} had been stored after all (200 duplicate), the rest 202")
    checks.check_inquiries(run, d.port, ledger, f"{name}, at the end")
    rc, secs = d.stop(timeout=STOP_BOUND_S)
    run.check(rc == 0, f"{name}: SIGTERM without the fault: exit status {rc} after {secs:.1f}s (expected 0)")
    checks.check_db(run, ledger, d.db_path, complete=True, label=f"{name}, at the end")


def main():
    with h.Run("fsync_fault", __doc__, budget_seconds=110) as run:
        ok, why = strace_can_inject(run)
        if not ok:
            raise h.TestSkipped(f"fault injection with strace is not available here: {why}")
        scenario(run, "sequential", FAULT_FROM, concurrent=False)
        scenario(run, "concurrent", run.rng.randint(10, 60), concurrent=True)


def count_injected(path):
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if "INJECTED" in line)
    except OSError:
        return 0


if __name__ == "__main__":
    main()
