#!/usr/bin/python3
"""End to end: a buyer's erasure request, DELETE /v1/customers/{id}, on the real inquiryd.

Ann writes twice (two conversations, one email address), Dora once:
  * while one of Ann's inquiries is open, the request is refused with 409 and nothing goes;
  * once both are resolved it answers 200 naming what it erased: her record, both inquiries
    (GET answers 404 for them and for her), their details and their events' payloads (read
    in the SQLite file afterwards), with an audit row; Dora's inquiry and record stay;
  * a channel delivering Ann's old message again gets 200 duplicate; a new message from
    her opens a new inquiry with a new customer id;
  * the reply-time ranking still counts the reply to Ann; a second request answers 404.
"""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402
from harness import events  # noqa: E402
from harness.util import format_rfc3339, now_ms  # noqa: E402

JSON = {"Content-Type": "application/json"}


def event(message_id, thread, email, name):
    return {"channel": "email", "account": "alibaba-electronics", "message_id": message_id, "thread_id": thread,
            "received_at": format_rfc3339(now_ms()), "direction": "inbound",
            "sender": {"name": name, "email": email},
            "subject": "Quotation", "body": "Hello, price for 500 pcs of the X9 smart watch, shipping to Hamburg?"}


def main():
    with h.Run("erase_customer", __doc__, budget_seconds=100) as run:
        d = run.daemon().start()
        c = d.client()

        def post(ev):
            r = c.request("POST", "/v1/events", body=json.dumps(ev).encode())
            run.check(r.status in (200, 202), f"POST /v1/events: {r!r}")
            return r.json

        first = event("<ann-1@x.com>", "ann-t1", "ann@weber-handel.de", "Ann Weber")
        a1 = post(first)["inquiry_id"]
        a2 = post(event("<ann-2@x.com>", "ann-t2", "Ann@Weber-Handel.de", "Ann Weber"))["inquiry_id"]
        d1 = post(event("<dora-1@x.com>", "dora-t1", "dora@example.org", "Dora"))["inquiry_id"]
        ann = d.get(f"/v1/inquiries/{a1}").json["customer_id"]
        run.check(d.get(f"/v1/inquiries/{a2}").json["customer_id"] == ann, "one email address: one customer")
        dora = d.get(f"/v1/inquiries/{d1}").json["customer_id"]
        run.check(c.request("POST", f"/v1/inquiries/{a1}/reply", body=b'{"agent_id": "alice"}').status == 200,
                  "reply to Ann")
        run.check(c.request("POST", f"/v1/inquiries/{a1}/resolve", body=b"{}").status == 200, "resolve a1")
        since = format_rfc3339(now_ms() - now_ms() % 3_600_000 - 86_400_000)  # a whole hour, as a month's start is
        ranking = d.get(f"/v1/stats/replies?since={since}").json
        run.check(ranking["team"]["replies"] == 1, f"the ranking before: {ranking}")

        r = c.request("DELETE", f"/v1/customers/{ann}", headers=JSON)
        run.check(r.status == 409 and r.json.get("field") == "id", f"erasure with an open inquiry: {r!r}")
        run.check(d.get(f"/v1/customers/{ann}").status == 200, "a refused erasure keeps the customer")

        run.check(c.request("POST", f"/v1/inquiries/{a2}/resolve", body=b"{}").status == 200, "resolve a2")
        r = c.request("DELETE", f"/v1/customers/{ann}", headers=JSON)
        run.check(r.status == 200, f"DELETE /v1/customers/{ann}: {r!r}")
        erased = (r.json or {}).get("erased", {})
        run.check(erased.get("customers") == [ann] and erased.get("inquiries") == 2 and erased.get("events") == 2
                  and erased.get("details") == 2 and erased.get("replies_kept_as_aggregates") == 1,
                  f"what the erasure reports: {r.json}")
        for path in (f"/v1/customers/{ann}", f"/v1/inquiries/{a1}", f"/v1/inquiries/{a2}"):
            run.check(d.get(path).status == 404, f"GET {path} after the erasure: {d.get(path)!r}")
        run.check(d.get(f"/v1/inquiries/{d1}").status == 200 and d.get(f"/v1/customers/{dora}").status == 200,
                  "Dora's inquiry and record stay")
        after = d.get(f"/v1/stats/replies?since={since}").json
        run.check(after == ranking, f"the ranking after the erasure: {after}, before: {ranking}")
        again = c.request("POST", "/v1/events", body=json.dumps(first).encode())
        run.check(again.status == 200 and again.json.get("duplicate") is True and again.json.get("inquiry_id") == a1,
                  f"Ann's old message delivered again: {again!r}")
        new = post(event("<ann-3@x.com>", "ann-t3", "ann@weber-handel.de", "Ann Weber"))["inquiry_id"]
        run.check(d.get(f"/v1/inquiries/{new}").json["customer_id"] not in (ann, dora), "a new customer id for her")
        r = c.request("DELETE", f"/v1/customers/{ann}", headers=JSON)
        run.check(r.status == 404, f"a second erasure: {r!r}")
        m = d.metrics()
        run.check(m.get('inquiryd_erased_total{what="customers",why="request"}') == 1.0
                  and m.get('inquiryd_erased_total{what="inquiries",why="request"}') == 2.0
                  and m.get("inquiryd_store_bytes", 0) > 0,
                  f"/metrics: {[(k, v) for k, v in m.items() if 'erased' in k or 'store_' in k]}")
        c.close()
        rc, _ = d.stop()
        run.check(rc == 0, f"exit status {rc}")

        db = sqlite3.connect(f"file:{d.db_path}?mode=ro", uri=True)
        try:
            left = db.execute("SELECT count(*) FROM inquiries WHERE id IN (?, ?)", (a1, a2)).fetchone()[0]
            details = db.execute("SELECT count(*) FROM inquiry_details WHERE id IN (?, ?)", (a1, a2)).fetchone()[0]
            payloads = db.execute("SELECT count(*) FROM events WHERE inquiry_id IN (?, ?) AND length(payload) > 0",
                                  (a1, a2)).fetchone()[0]
            names = db.execute("SELECT count(*) FROM customers WHERE id = ?", (ann,)).fetchone()[0]
            audit = db.execute("SELECT action, detail FROM audit WHERE action = 'erase_customer'").fetchall()
            text = b"".join(row[0] for row in db.execute("SELECT payload FROM events") if row[0])
        finally:
            db.close()
        run.check((left, details, payloads, names) == (0, 0, 0, 0),
                  f"rows left of Ann: inquiries {left}, details {details}, event payloads {payloads}, customers {names}")
        run.check(audit == [("erase_customer", f"customer {ann}")], f"the audit row: {audit}")
        run.check(b"ann-1@x.com" not in text and text.count(b"ann@weber-handel.de") == 1,
                  "Ann's old messages are in no payload; her new one is")
        h.log(f"erased customer {ann}: {erased}")


if __name__ == "__main__":
    main()
