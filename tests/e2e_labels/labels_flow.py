#!/usr/bin/python3
"""End to end: the team's labels on the real inquiryd, with [access] require = true.

  * POST /v1/inquiries/{id}/label: a supervisor of the inquiry's account, or an admin, gets
    200 with the label as stored; an agent, a supervisor of another account and an ingest
    token get 403 naming access.label_inquiry; no token 401;
  * a body that is not {"suspect": bool, "tier": 1-4} is 400 naming the field at fault;
    an unknown inquiry 404, an id that is no number 400;
  * a decline with the reason "scam" stores a label (suspect, the inquiry's tier, source
    decline, who declined and their role): by an agent, of an inquiry the rules did not
    flag, and of one they did; a decline for another reason stores none; a resolved inquiry
    may still be labelled; the latest label of an inquiry is the one exported;
  * `inquiryctl labels export` beside the running daemon writes one fixture line per
    labelled inquiry (the event as posted, the daemon's context, the label as `expect`),
    and `inquiryctl score` reads every line;
  * a buyer's erasure deletes the labels of their inquiries (read in the SQLite file
    afterwards), and the next export no longer has them.
"""

import json
import os
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import Run, format_rfc3339, log, now_ms  # noqa: E402

ACCOUNT = "alibaba-electronics"
ROLES = {"alice": "agent", "bob": "agent", "sue": "supervisor"}
AGENTS = f"""
[[agents]]
id = "alice"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "bob"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "sue"
role = "supervisor"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "carl"
role = "supervisor"
accounts = ["alibaba-outdoor"]

[[agents]]
id = "root"
role = "admin"
"""


def write_config(run):
    path = run.path("inquiryd.toml")
    with open(path, "w") as f:
        f.write(f"""state_dir = "{run.path('state')}"
catalog = "{run.fixture('catalog.json')}"
[http]
listen = "127.0.0.1:0"
[zmq]
pub_endpoint = "ipc://{run.path('pub.sock')}"
[access]
require = true
{AGENTS}""")
    return path


def ctl(run, *args):
    return subprocess.run([run.args.inquiryctl, *args], capture_output=True, text=True, timeout=60)


class Caller:
    """Requests as one identity (or none) on one keep-alive connection."""

    def __init__(self, daemon, token=None):
        self.client = daemon.client()
        self.token = token

    def call(self, method, path, body=None, raw=None):
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/json"
        return self.client.request(method, path, body=data, headers=headers)


def expect_status(run, resp, status, what, field=None):
    ok = resp.status == status and (field is None or (resp.json or {}).get("field") == field)
    run.check(ok, f"{what}: expected {status}{' ' + field if field else ''}, got {resp!r}")


def post_events(run, root, fixtures):
    """Derek twice (two conversations: one customer), a scam the rules see, one they miss
    (an agent's decline says it), Grace: their inquiry ids and events."""
    posted = {}
    for key, fixture, thread in (("derek", "dev-0003", "lab-t1"), ("derek2", "dev-0003", "lab-t2"),
                                 ("scam", "dev-0008", "lab-t3"), ("missed", "dev-0025", "lab-t4"),
                                 ("grace", "dev-0016", "lab-t5")):
        event = dict(fixtures[fixture]["event"])
        event.update(message_id=f"<lab-{key}@x>", thread_id=thread, received_at=format_rfc3339(now_ms()))
        r = root.call("POST", "/v1/events", event)
        expect_status(run, r, 202, f"POST /v1/events ({key})")
        posted[key] = (r.json["inquiry_id"], event)
    return posted


def check_who_may_label(run, d, who, inquiry):
    path = f"/v1/inquiries/{inquiry}/label"
    body = {"suspect": False, "tier": 3}
    expect_status(run, Caller(d).call("POST", path, body), 401, "a label without a token")
    for name in ("alice", "carl", "relay"):
        expect_status(run, who[name].call("POST", path, body), 403, f"a label by {name}", "access.label_inquiry")
    r = who["sue"].call("POST", path, body)
    expect_status(run, r, 200, "a label by the account's supervisor")
    got = r.json or {}
    run.check({k: got.get(k) for k in ("inquiry_id", "suspect", "tier", "labelled_by", "role", "source")}
              == {"inquiry_id": inquiry, "suspect": False, "tier": 3, "labelled_by": "sue", "role": "supervisor",
                  "source": "label"} and got.get("at", "").endswith("Z"), f"the stored label: {got}")


def check_bad_requests(run, sue, inquiry):
    path = f"/v1/inquiries/{inquiry}/label"
    for raw in (b"not json", b"[]", b'"suspect"'):
        r = sue.call("POST", path, raw=raw)
        run.check(r.status == 400 and "error" in (r.json or {}), f"body {raw!r}: {r!r}")
    for body, field in (({}, "suspect"), ({"suspect": "no", "tier": 2}, "suspect"), ({"tier": 2}, "suspect"),
                        ({"suspect": True}, "tier"), ({"suspect": True, "tier": 0}, "tier"),
                        ({"suspect": True, "tier": 5}, "tier"), ({"suspect": True, "tier": 2.5}, "tier"),
                        ({"suspect": True, "tier": "2"}, "tier"), ({"suspect": True, "tier": None}, "tier"),
                        ({"suspect": True, "tier": 2, "why": "x"}, "why")):
        expect_status(run, sue.call("POST", path, body), 400, f"body {body}", field)
    good = {"suspect": True, "tier": 2}
    expect_status(run, sue.call("POST", "/v1/inquiries/999999/label", good), 404, "an unknown inquiry", "id")
    expect_status(run, sue.call("POST", "/v1/inquiries/abc/label", good), 400, "an id that is no number", "id")


def decline(run, who, root, inquiry, reason):
    owner = root.call("GET", f"/v1/inquiries/{inquiry}").json["owner"]
    run.check(owner in ROLES, f"inquiry {inquiry} assigned to someone of the account, got {owner}")
    expect_status(run, who[owner].call("POST", f"/v1/inquiries/{inquiry}/accept", {}), 200, f"{owner} accepts")
    tier = root.call("GET", f"/v1/inquiries/{inquiry}").json["tier"]
    r = who[owner].call("POST", f"/v1/inquiries/{inquiry}/decline", {"reason": reason})
    expect_status(run, r, 200, f"{owner} declines {inquiry}: {reason}")
    run.check((r.json or {}).get("state") == "resolved", f"a decline closes it: {r.json}")
    return owner, tier


def export(run, name):
    out = run.path(name)
    p = ctl(run, "labels", "export", "--state-dir", run.path("state"), "--out", out)
    run.check(p.returncode == 0, f"labels export: exit {p.returncode}: {p.stderr}")
    with open(out) as f:
        lines = [json.loads(line) for line in f]
    log(f"export: {p.stderr.strip()}")
    return out, {line["id"]: line for line in lines}


def check_export(run, lines, posted, expected):
    run.check(sorted(lines) == sorted(f"inquiry-{posted[k][0]}" for k in expected), f"exported: {sorted(lines)}")
    for key, expect in expected.items():
        inquiry, event = posted[key]
        line = lines.get(f"inquiry-{inquiry}", {})
        got = line.get("event", {})
        run.check(all(got.get(k) == event[k] for k in ("channel", "account", "message_id", "thread_id", "subject",
                                                       "body", "received_at")),
                  f"{key}: the event as posted: {got}")
        run.check(sorted(line.get("context", {})) == ["customer_messages_in_thread", "local_influence", "orders",
                                                      "sample_orders", "visited_company"],
                  f"{key}: the context: {line.get('context')}")
        run.check(line.get("expect") == expect, f"{key}: expect {line.get('expect')}, want {expect}")


def check_score(run, path, count):
    p = ctl(run, "score", "--catalog", run.fixture("catalog.json"), path)
    run.check(p.returncode == 0 and len(p.stdout.splitlines()) == count and "tier accuracy:" in p.stderr,
              f"score reads the export: exit {p.returncode}, {len(p.stdout.splitlines())} lines, {p.stderr}")


def erase_derek(run, who, posted):
    root, sue = who["root"], who["sue"]
    derek = root.call("GET", f"/v1/inquiries/{posted['derek'][0]}").json["customer_id"]
    run.check(root.call("GET", f"/v1/inquiries/{posted['derek2'][0]}").json["customer_id"] == derek,
              "one email address: one customer")
    expect_status(run, sue.call("POST", f"/v1/inquiries/{posted['derek'][0]}/resolve", {}), 200, "resolve derek")
    r = root.call("DELETE", f"/v1/customers/{derek}")
    expect_status(run, r, 200, "erase derek")
    erased = (r.json or {}).get("erased", {})
    run.check(erased.get("inquiries") == 2 and erased.get("labels") == 3, f"what the erasure reports: {r.json}")


def label_count(db_path, inquiry):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM labels WHERE inquiry_id = ?", (inquiry,)).fetchone()[0]
    finally:
        db.close()


def check_rows(run, db_path, posted, declines):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT inquiry_id, suspect, tier, identity, role, source FROM labels ORDER BY seq")
        rows = rows.fetchall()
        audit = db.execute("SELECT identity, inquiry_id, detail FROM audit WHERE action = 'label' ORDER BY seq")
        audit = audit.fetchall()
    finally:
        db.close()
    want = [(posted[k][0], 1, tier, owner, ROLES[owner], "decline") for k, (owner, tier) in declines.items()]
    want.append((posted["grace"][0], 0, 4, "root", "admin", "label"))
    run.check(rows == want, f"the labels left after the erasure: {rows}, want {want}")
    derek, grace = posted["derek"][0], posted["grace"][0]
    run.check(audit == [("sue", derek, "genuine, tier 3"), ("sue", derek, "genuine, tier 2"),
                        ("sue", posted["derek2"][0], "genuine, tier 3"), ("root", grace, "genuine, tier 4")],
              f"the audit rows of the labels: {audit}")


def main():
    with Run("labels", __doc__, budget_seconds=100) as run:
        run.need("inquiryctl")
        with open(run.fixture("inquiries.dev.jsonl")) as f:
            fixtures = {d["id"]: d for d in map(json.loads, f)}
        os.makedirs(run.path("state"))
        config = write_config(run)
        tokens = {}
        for name, extra in (("root", ()), ("alice", ()), ("bob", ()), ("sue", ()), ("carl", ()),
                            ("relay", ("--scope", "ingest"))):
            p = ctl(run, "token", "create", "--config", config, "--agent", "root" if name == "relay" else name, *extra)
            run.check(p.returncode == 0, f"token create {name}: {p.stderr}")
            tokens[name] = p.stdout.strip()
        d = run.daemon(run.path("state"), config).start()
        who = {name: Caller(d, token) for name, token in tokens.items()}
        posted = post_events(run, who["root"], fixtures)

        derek = posted["derek"][0]
        check_who_may_label(run, d, who, derek)
        check_bad_requests(run, who["sue"], derek)
        expect_status(run, who["sue"].call("POST", f"/v1/inquiries/{derek}/label", {"suspect": False, "tier": 2}),
                      200, "a second label: the latest wins")
        declines = {k: decline(run, who, who["root"], posted[k][0], reason)
                    for k, reason in (("scam", "scam"), ("missed", " Scam "))}
        run.check(ROLES[declines["missed"][0]] == "agent", f"an agent holds the one the rules missed: {declines}")
        derek2 = posted["derek2"][0]
        decline(run, who, who["root"], derek2, "not ours")
        run.check(label_count(d.db_path, derek2) == 0, "a decline for another reason stores no label")
        expect_status(run, who["sue"].call("POST", f"/v1/inquiries/{derek2}/label", {"suspect": False, "tier": 3}),
                      200, "a label of a resolved inquiry")
        grace = posted["grace"][0]
        expect_status(run, who["root"].call("POST", f"/v1/inquiries/{grace}/label", {"suspect": False, "tier": 4}),
                      200, "a label by an admin")

        path, lines = export(run, "labels.jsonl")
        declined = {k: {"tier": tier, "suspect": True} for k, (_, tier) in declines.items()}
        genuine = {"derek": {"tier": 2, "suspect": False}, "derek2": {"tier": 3, "suspect": False}}
        check_export(run, lines, posted, {"grace": {"tier": 4, "suspect": False}, **genuine, **declined})
        check_score(run, path, 5)

        erase_derek(run, who, posted)
        _, lines = export(run, "after.jsonl")
        check_export(run, lines, posted, {"grace": {"tier": 4, "suspect": False}, **declined})
        for c in who.values():
            c.client.close()
        rc, _ = d.stop()
        run.check(rc == 0, f"exit status {rc}")
        check_rows(run, d.db_path, posted, declines)


if __name__ == "__main__":
    main()
