#!/usr/bin/env python3
"""Routing end to end: the real inquiryd with three agents and the dev-set events.

What it proves, over HTTP and a real ZeroMQ subscriber (python3-zmq, python3-protobuf,
Python code generated from proto/ at test time):
  * every dev-set inquiry is assigned to an agent who may take it (suspects and tier 1
    only to the senior or the supervisor; nobody above capacity), and each assignment is
    published once as ASSIGNED on agent/<owner>/;
  * accept ends the reservation; transfer moves it (ASSIGNED to the new agent);
  * an order re-tiers the customer's inquiry to tier 1: RETIERED, a senior owner, and the
    supervisor is told;
  * an agent going offline hands back their unanswered inquiries at once (UNASSIGNED);
  * a restart keeps owners, reservations and presence exactly;
  * a reply shows in GET /v1/stats/replies for that agent.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

AGENTS = """
[routing]
reserve = "10m"

[[agents]]
id = "amy"
role = "agent"
languages = ["en"]
capacity = 40

[[agents]]
id = "bob"
role = "senior"
languages = ["en", "es", "de"]
capacity = 40

[[agents]]
id = "zed"
role = "supervisor"
capacity = 40
"""
CAPACITY = {"amy": 40, "bob": 40, "zed": 40}
ROLES = {"amy": "agent", "bob": "senior", "zed": "supervisor"}


def open_inquiries(c):
    r = c.get("/v1/inquiries?state=open&limit=1000")
    assert r.status == 200, r
    return {i["id"]: i for i in r.json["inquiries"]}


def main():
    with h.Run("routing_flow", __doc__.splitlines()[0], budget_seconds=150) as run:
        inquiryctl = run.need("inquiryctl")
        daemon = run.daemon(run.path("state"), run.write_config(extra=AGENTS)).start()
        # Returns once connected to the daemon; what the live stream misses is fetched over
        # HTTP (and listed by missed_live(), checked before the restart).
        sub = daemon.subscribe()
        c = daemon.client()

        # 1. The dev set, one conversation each, as buyers send them now.
        ids = []
        with open(run.fixture("inquiries.dev.jsonl"), encoding="utf-8") as f:
            events = [dict(json.loads(line)["event"]) for line in f]
        for n, ev in enumerate(events):
            ev["message_id"] = f"{ev['message_id']}-route-{n}"
            ev["thread_id"] = f"{ev['thread_id']}-route-{n}"
            ev["received_at"] = h.format_rfc3339(h.now_ms())
            r = c.post_json("/v1/events", ev)
            if run.check(r.status == 202, f"POST /v1/events {ev['message_id']}: {r}"):
                ids.append(r.json["inquiry_id"])
        inquiries = open_inquiries(c)
        run.check(len(inquiries) == len(events), f"{len(inquiries)} open inquiries for {len(events)} events")

        # 2. Who got what.
        for i in inquiries.values():
            owner = i["owner"]
            if not run.check(owner in ROLES, f"#{i['id']} has an owner: {owner!r} (queue {i['queue']!r})"):
                continue
            if i["suspect"] or i["tier"] == 1:
                run.check(ROLES[owner] in ("senior", "supervisor"),
                          f"#{i['id']} (tier {i['tier']}, suspect {i['suspect']}) went to {owner}, a {ROLES[owner]}")
            else:
                run.check(ROLES[owner] != "supervisor", f"#{i['id']} went to the supervisor while others were free")
        agents = {a["id"]: a for a in c.get("/v1/agents").json["agents"]}
        for a in agents.values():
            run.check(a["load"] <= CAPACITY[a["id"]], f"{a['id']} above capacity: {a}")
        run.check(sum(a["load"] for a in agents.values()) == len(inquiries), f"loads add up: {agents}")

        sub.wait_for(len(inquiries), 5, "an ASSIGNED alert per inquiry", kind="ASSIGNED", topic_prefix="agent/")
        got = {}
        for a in sub.alerts(kind="ASSIGNED", topic_prefix="agent/"):
            got.setdefault(a["inquiry_id"], []).append(a["topic"])
        for i in inquiries.values():
            run.check(got.get(i["id"]) == [f"agent/{i['owner']}/"],
                      f"#{i['id']}: ASSIGNED on {got.get(i['id'])}, owner {i['owner']}")

        # 3. Accept and transfer.
        plain = [i for i in inquiries.values() if i["owner"] == "amy"]
        first, second = plain[0], plain[1]
        r = c.post_json(f"/v1/inquiries/{first['id']}/accept", {"agent_id": "bob"})
        run.check(r.status == 409, f"accept by someone else is refused: {r}")
        r = c.post_json(f"/v1/inquiries/{first['id']}/accept", {"agent_id": "amy"})
        run.check(r.status == 200 and r.json["owner"] == "amy", f"accept: {r}")
        r = c.post_json(f"/v1/inquiries/{second['id']}/transfer", {"agent_id": "zed"})
        run.check(r.status == 200 and r.json["owner"] == "zed", f"transfer to zed: {r}")
        r = c.post_json(f"/v1/inquiries/{second['id']}/transfer", {"agent_id": "nobody"})
        run.check(r.status == 404, f"transfer to an unknown agent: {r}")

        # 4. A first order: tier 1, a senior owner, the supervisor told.
        target = next(i for i in inquiries.values() if i["owner"] == "amy" and i["id"] not in (first["id"], second["id"])
                      and i["tier"] != 1)
        r = c.post_json(f"/v1/customers/{target['customer_id']}/orders", {"order_id": "PO-1"})
        run.check(r.status == 200 and r.json["orders"] == 1, f"order: {r}")
        r2 = c.post_json(f"/v1/customers/{target['customer_id']}/orders", {"order_id": "PO-1"})
        run.check(r2.status == 200 and r2.json["duplicate"] and r2.json["orders"] == 1, f"the same order again: {r2}")
        after = c.get(f"/v1/inquiries/{target['id']}").json
        run.check(after["tier"] == 1 and ROLES.get(after["owner"]) in ("senior", "supervisor"),
                  f"re-tiered: tier {after['tier']}, owner {after['owner']}")

        sub.wait_for_alert("RETIERED", topic="agent/amy/", inquiry_id=target["id"], timeout=5)
        sub.wait_for_alert("ESCALATION", topic="agent/zed/", inquiry_id=target["id"], timeout=5)  # the supervisor

        # 5. amy goes offline: her unanswered inquiries leave her at once.
        r = c.request("PUT", "/v1/agents/amy/presence", body=b'{"presence": "offline"}')
        run.check(r.status == 200 and r.json["presence"] == "offline" and r.json["load"] == 0, f"amy offline: {r}")
        now_open = open_inquiries(c)
        run.check(not any(i["owner"] == "amy" for i in now_open.values()), "nothing unanswered stays with amy")
        sub.wait_for_alert("UNASSIGNED", topic="agent/amy/", timeout=5)

        # 6. A reply, for the report.
        held_by_bob = next(i for i in now_open.values() if i["owner"] == "bob")
        r = c.post_json(f"/v1/inquiries/{held_by_bob['id']}/reply", {"agent_id": "bob"})
        run.check(r.status == 200 and r.json["state"] == "replied", f"reply: {r}")
        stats = c.get("/v1/stats/replies").json
        bob = [s for s in stats["agents"] if s["key"] == "bob"]
        run.check(bob and bob[0]["replies"] == 1 and bob[0]["share_within_5m"] == 1.0, f"stats: {stats}")
        table = subprocess.run([inquiryctl, "stats", "--http", f"127.0.0.1:{daemon.port}"],
                               capture_output=True, text=True, timeout=20)
        run.check(table.returncode == 0 and "bob" in table.stdout and "100.0%" in table.stdout,
                  f"inquiryctl stats: {table.returncode} {table.stdout} {table.stderr}")

        # 7. Restart: owners, queues and presence exactly as they were.
        before = open_inquiries(c)
        agents_before = c.get("/v1/agents").json["agents"]
        c.close()
        # Every alert came on the live stream, once, in order (the API only filled in none).
        run.check(sub.live() and not sub.missed_live(), f"alerts lost on the live stream: {sub.missed_live()}")
        run.check(not sub.problems, f"live stream problems: {sub.problems}")
        n_alerts = len(sub.alerts())
        sub.stop()
        rc, _ = daemon.stop(20)
        run.check(rc == 0, f"SIGTERM exit status {rc}")
        daemon.start()
        c = daemon.client()
        after = open_inquiries(c)
        for id_, i in before.items():
            j = after.get(id_)
            run.check(j is not None and (j["owner"], j["queue"], j["tier"]) == (i["owner"], i["queue"], i["tier"]),
                      f"#{id_} after restart: {j and (j['owner'], j['queue'], j['tier'])} vs "
                      f"{(i['owner'], i['queue'], i['tier'])}")
        agents_after = c.get("/v1/agents").json["agents"]
        run.check(agents_after == agents_before, f"agents after restart {agents_after} vs {agents_before}")
        h.log(f"{len(ids)} inquiries routed; {n_alerts} alerts seen")


if __name__ == "__main__":
    main()
