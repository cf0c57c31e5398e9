#!/usr/bin/env python3
"""inquiryctl simulate agrees with the real inquiryd on the reply-time ranking.

The real daemon (short budgets: fast 2 s, timely 6 s) gets the dev set's buyer messages
over HTTP, stamped a little in the past, and our replies at recorded times: as outbound
messages (the channel shows our reply: one account), through POST /v1/inquiries/{id}/reply
and as a decline (every other account). Some buyers write again after our reply and get a
second one; some get none. Then, with "recorded replies" people:
  * `simulate --from-store STATE_DIR` replays the daemon's journal and stored replies, and
    its per-agent and per-account figures equal GET /v1/stats/replies exactly;
  * `simulate --traffic FILE` replays the same account's messages as a traffic file, and
    equals GET /v1/stats/replies?account=ACCOUNT; twice, byte for byte.
The daemon also accepts (and ignores) the config's [simulate] table.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402
from harness import format_rfc3339, log, now_ms, wait_until  # noqa: E402

TRAFFIC_ACCOUNT = "alibaba-outdoor"  # replies as outbound messages; the others through the API
AGENTS = """
[routing]
reserve = "10m"

[[agents]]
id = "amy"
role = "agent"
languages = ["en"]
capacity = 100
addresses = ["amy@seller.example"]

[[agents]]
id = "bob"
role = "senior"
capacity = 100
addresses = ["bob@seller.example"]

[[agents]]
id = "zed"
role = "supervisor"
capacity = 100

[simulate]
seed = 7
miss_rate = 0.0
"""
# GET /v1/stats/replies names -> inquiryctl simulate --json names
FIGURES = {"replies": "replies", "share_within_5m": "within_fast", "share_within_24h": "within_timely",
           "median_seconds": "median_seconds", "p90_seconds": "p90_seconds",
           "below_team_average": "below_team_average"}


def simulate(run, *args):
    cmd = [run.need("inquiryctl"), "simulate", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        run.abort(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stderr}")
    return p.stdout


def compare(run, what, stats, report):
    run.check(stats["team"]["replies"] == report["overall"]["replies"],
              f"{what}: {stats['team']['replies']} replies in the daemon, {report['overall']['replies']} replayed")
    """Every agent and account row of GET /v1/stats/replies against the replay's figures."""
    for group in ("agents", "accounts"):
        theirs = {row["key"]: row for row in stats[group]}
        ours = {key: row for key, row in report[group].items() if row["replies"] > 0}
        run.check(set(theirs) == set(ours), f"{what}: {group} with replies: daemon {sorted(theirs)}, "
                                            f"replay {sorted(ours)}")
        for key, row in theirs.items():
            mine = ours.get(key, {})
            for daemon_name, replay_name in FIGURES.items():
                run.check(mine.get(replay_name) == row[daemon_name],
                          f"{what}: {group} {key} {daemon_name}: daemon {row[daemon_name]}, "
                          f"replay {mine.get(replay_name)}")


class Traffic:
    """Posts messages to the daemon and keeps the ones of TRAFFIC_ACCOUNT as traffic lines."""

    def __init__(self, run, client):
        self.run, self.client, self.lines = run, client, []

    def post(self, ev):
        r = self.client.post_json("/v1/events", ev)
        self.run.check(r.status == 202, f"POST /v1/events {ev['message_id']}: {r}")
        if ev["account"] == TRAFFIC_ACCOUNT:
            self.lines.append(ev)
        return r.json["inquiry_id"] if r.status == 202 else None

    def reply_as_message(self, ev, agent, at_ms, n):
        reply = {"channel": ev["channel"], "account": ev["account"], "message_id": f"{ev['message_id']}-re{n}",
                 "thread_id": ev["thread_id"], "received_at": format_rfc3339(at_ms), "direction": "outbound",
                 "sender": {"name": agent, "email": f"{agent}@seller.example"}, "subject": "Re", "body": "Thank you"}
        self.post(reply)

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            for ev in sorted(self.lines, key=lambda e: e["received_at"]):  # same-ms ties keep posting order
                f.write(json.dumps({"event": ev}, ensure_ascii=False) + "\n")


def main():
    with h.Run("simulate_agreement", __doc__, budget_seconds=150) as run:
        run.need("inquiryctl")
        config = run.write_config(sla={"fast": "2s", "timely": "6s", "fast_warning": "1s", "timely_warning": "2s"},
                                  extra=AGENTS)
        state = run.path("state")
        daemon = run.daemon(state, config).start()
        c = daemon.client()
        traffic = Traffic(run, c)
        with open(run.fixture("inquiries.dev.jsonl"), encoding="utf-8") as f:
            events = [dict(json.loads(line)["event"]) for line in f]
        agents = ["amy", "bob", "zed"]
        for n, ev in enumerate(events):
            ev["message_id"] = f"{ev['message_id']}-sim-{n}"
            ev["thread_id"] = f"{ev['thread_id']}-sim-{n}"
            waited = run.rng.randint(0, 7000)  # how long the buyer has waited already: some within 2 s, some not
            now = now_ms()
            ev["received_at"] = format_rfc3339(now - waited)
            inquiry = traffic.post(ev)
            if inquiry is None or n % 9 == 4:
                continue  # never answered
            agent = agents[n % 3]
            if ev["account"] == TRAFFIC_ACCOUNT:
                traffic.reply_as_message(ev, agent, now_ms(), 1)
            elif n % 11 == 5:
                r = c.post_json(f"/v1/inquiries/{inquiry}/decline", {"agent_id": agent})
                run.check(r.status == 200, f"decline #{inquiry}: {r}")
                continue
            else:
                r = c.post_json(f"/v1/inquiries/{inquiry}/reply", {"agent_id": agent})
                run.check(r.status == 200, f"reply #{inquiry}: {r}")
            if n % 4 == 1:  # the buyer writes again, after our reply; another of us answers
                replied = now_ms()
                wait_until(lambda: now_ms() > replied, 1, "the clock to pass our reply")
                again = dict(ev, message_id=ev["message_id"] + "-again", received_at=format_rfc3339(now_ms()),
                             body="Thanks, and the price for 500 more?")
                traffic.post(again)
                later = agents[(n + 1) % 3]
                if ev["account"] == TRAFFIC_ACCOUNT:
                    traffic.reply_as_message(ev, later, now_ms(), 2)
                else:
                    r = c.post_json(f"/v1/inquiries/{inquiry}/reply", {"agent_id": later})
                    run.check(r.status == 200, f"second reply #{inquiry}: {r}")
        stats = c.get("/v1/stats/replies").json
        account_stats = c.get(f"/v1/stats/replies?account={TRAFFIC_ACCOUNT}").json
        run.check(stats["team"]["replies"] > 40, f"the daemon recorded replies: {stats['team']}")
        c.close()
        rc, _ = daemon.terminate(20)
        run.check(rc == 0, f"SIGTERM exit status {rc}")

        # The store, replayed with the recorded people.
        stored = json.loads(simulate(run, "--config", config, "--from-store", state, "--people", "recorded",
                                     "--json"))["policies"][0]
        compare(run, "--from-store", stats, stored)
        run.check(stored["accounts"][TRAFFIC_ACCOUNT]["inquiries"] == sum(
            1 for e in events if e["account"] == TRAFFIC_ACCOUNT), f"inquiries of {TRAFFIC_ACCOUNT}: {stored}")

        # The same account's messages as a traffic file.
        path = run.path("traffic.jsonl")
        traffic.write(path)
        out = simulate(run, "--config", config, "--traffic", path, "--people", "recorded", "--json")
        compare(run, "--traffic", account_stats, json.loads(out)["policies"][0])
        again = simulate(run, "--config", config, "--traffic", path, "--people", "recorded", "--json")
        run.check(out == again, "the same traffic replays to the same bytes")
        log(f"{stats['team']['replies']} replies agree ({account_stats['team']['replies']} in {TRAFFIC_ACCOUNT})")


if __name__ == "__main__":
    main()
