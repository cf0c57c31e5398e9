#!/usr/bin/env python3
"""Who may do what, end to end: the real inquiryd with [access] require = true.

What it proves, over HTTP and real ZeroMQ CURVE sockets (python3-zmq):
  * no token: 401 with WWW-Authenticate; a malformed, revoked (within a second) or expired
    token: 401;
  * per role, a route it may call is answered and one it may not is refused with 403,
    naming the rule: agents act only on their own inquiries, read only their accounts',
    set only their own presence; a supervisor oversees the account; only an admin reads
    customers; posting events needs the ingest scope;
  * the reply-time ranking cannot be changed by an agent for another agent's inquiry, and
    an outbound event posted without the ingest scope cannot stop a clock;
  * a foreign Origin, a form content type and a foreign Host are refused;
  * the alert feed: an unregistered key receives nothing; an agent's key cannot subscribe
    to another agent's topic or to escalation/; a supervisor's can;
  * a network bind without access control refuses to start, saying what to add.
"""

import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import Run, TestSkipped, format_rfc3339, log, now_ms, wait_until  # noqa: E402

ACCOUNT = "alibaba-electronics"
AGENTS = f"""
[[agents]]
id = "alice"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "bob"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "carl"
accounts = ["alibaba-outdoor"]

[[agents]]
id = "sue"
role = "supervisor"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "root"
role = "admin"
"""


def write_config(run, name, listen="127.0.0.1:0", require=True):
    text = f"""state_dir = "{run.path('state')}"
catalog = "{run.fixture('catalog.json')}"
[http]
listen = "{listen}"
[zmq]
pub_endpoint = "ipc://{run.path('pub.sock')}"
[sla]
fast = "3s"
fast_warning = "1s"
[access]
require = {"true" if require else "false"}
{AGENTS}"""
    path = run.path(name)
    with open(path, "w") as f:
        f.write(text)
    return path


def ctl(run, *args, check=True):
    p = subprocess.run([run.args.inquiryctl, *args], capture_output=True, text=True, timeout=30)
    if check and p.returncode != 0:
        run.abort(f"inquiryctl {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p


def make_token(run, config, agent, *extra):
    out = ctl(run, "token", "create", "--config", config, "--agent", agent, *extra).stdout.splitlines()
    run.check(len(out) == 1 and out[0].startswith("irt_"), f"token create prints the token alone: {out}")
    return out[0]


class Caller:
    """Requests as one identity (or none) on one keep-alive connection."""

    def __init__(self, daemon, token=None):
        self.client = daemon.client()
        self.token = token

    def call(self, method, path, body=None, headers=None):
        h = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        h.update(headers or {})
        data = json.dumps(body).encode() if body is not None else None
        return self.client.request(method, path, body=data, headers=h)


def event(fixture, message_id, thread):
    e = dict(fixture["event"])
    e["message_id"] = message_id
    e["thread_id"] = thread
    e["received_at"] = format_rfc3339(now_ms())
    return e


def check_status(run, resp, status, what, field=None):
    ok = resp.status == status
    if ok and field is not None:
        ok = (resp.json or {}).get("field") == field
    run.check(ok, f"{what}: expected {status}{' ' + field if field else ''}, got {resp}")


def check_roles(run, d, tokens, fixtures):
    root, relay, alice, bob, carl, sue = (Caller(d, tokens[k]) for k in ("root", "relay", "alice", "bob", "carl", "sue"))
    check_status(run, Caller(d).call("GET", "/v1/agents"), 401, "no token")
    r = Caller(d).call("GET", "/v1/agents")
    run.check((r.header("WWW-Authenticate") or "").startswith("Bearer"), f"401 carries WWW-Authenticate: {r.headers}")
    check_status(run, Caller(d, "irt_nonsense").call("GET", "/v1/agents"), 401, "malformed token")

    posted = alice.call("POST", "/v1/events", event(fixtures["dev-0003"], "acl-a", "acl-t1"))
    check_status(run, posted, 403, "an agent's api token posting an event", "access.ingest")
    posted = relay.call("POST", "/v1/events", event(fixtures["dev-0003"], "acl-1", "acl-t1"))
    check_status(run, posted, 202, "the relay's ingest token posting an event")
    inquiry = posted.json["inquiry_id"]
    check_status(run, relay.call("GET", f"/v1/inquiries/{inquiry}"), 403, "an ingest token reading")
    owner = root.call("GET", f"/v1/inquiries/{inquiry}").json["owner"]
    run.check(owner in ("alice", "bob"), f"assigned to an agent of the account, got {owner}")
    holder, other = (alice, bob) if owner == "alice" else (bob, alice)
    other_id = "bob" if owner == "alice" else "alice"

    check_status(run, other.call("GET", f"/v1/inquiries/{inquiry}"), 200, "a colleague of the account reads it")
    check_status(run, carl.call("GET", f"/v1/inquiries/{inquiry}"), 403, "another account's agent reads it",
                 "access.read_inquiry")
    check_status(run, other.call("POST", f"/v1/inquiries/{inquiry}/reply", {}), 403,
                 "a colleague replies to someone else's inquiry", "access.act_on_inquiry")
    check_status(run, other.call("POST", f"/v1/inquiries/{inquiry}/transfer", {"agent_id": other_id}), 403,
                 "a colleague takes it by transfer", "access.act_on_inquiry")
    check_status(run, holder.call("POST", f"/v1/inquiries/{inquiry}/accept", {}), 200, "its owner accepts it")
    check_status(run, holder.call("POST", f"/v1/inquiries/{inquiry}/reply", {"agent_id": other_id}), 403,
                 "its owner replies in a colleague's name", "access.act_on_inquiry")
    check_status(run, holder.call("POST", f"/v1/inquiries/{inquiry}/reply", {}), 200, "its owner replies")
    stats = root.call("GET", "/v1/stats/replies").json
    ranked = {a["key"]: a["replies"] for a in stats["agents"]}
    run.check(ranked == {owner: 1}, f"the ranking holds the owner's one reply only: {ranked}")
    own = holder.call("GET", "/v1/stats/replies").json
    run.check([a["key"] for a in own["agents"]] == [owner], f"an agent sees their own stats line: {own}")

    # Presence: one's own, or overseen; customers: admins only.
    check_status(run, alice.call("PUT", "/v1/agents/alice/presence", {"presence": "away"}), 200, "own presence")
    check_status(run, alice.call("PUT", "/v1/agents/bob/presence", {"presence": "away"}), 403,
                 "a colleague's presence", "access.presence")
    check_status(run, sue.call("PUT", "/v1/agents/alice/presence", {"presence": "available"}), 200,
                 "a supervisor sets an agent's presence")
    customer = root.call("GET", f"/v1/inquiries/{inquiry}").json["customer_id"]
    check_status(run, alice.call("GET", f"/v1/customers/{customer}"), 403, "an agent reads a customer", "access.admin")
    check_status(run, root.call("GET", f"/v1/customers/{customer}"), 200, "an admin reads a customer")
    check_status(run, alice.call("DELETE", f"/v1/customers/{customer}"), 403, "an agent erases a customer",
                 "access.admin")
    check_status(run, sue.call("GET", f"/v1/inquiries/{inquiry}"), 200, "a supervisor reads the account's inquiry")
    check_status(run, carl.call("GET", f"/v1/alerts?since=0&topic=agent/{owner}/"), 403,
                 "catch-up on another agent's topic", "access.caller")
    return inquiry, owner


def check_no_outbound_without_ingest(run, d, tokens, fixtures):
    relay, alice, root = Caller(d, tokens["relay"]), Caller(d, tokens["alice"]), Caller(d, tokens["root"])
    inquiry = relay.call("POST", "/v1/events", event(fixtures["dev-0003"], "acl-2", "acl-t2")).json["inquiry_id"]
    reply = event(fixtures["dev-0003"], "acl-2-reply", "acl-t2")
    reply["direction"] = "outbound"
    reply["sender"] = {"name": "alice", "email": "alice@example.com"}
    check_status(run, alice.call("POST", "/v1/events", reply), 403, "an outbound event without the ingest scope")
    state = root.call("GET", f"/v1/inquiries/{inquiry}").json["state"]
    run.check(state == "open", f"its clock still runs: state {state}")


def check_browser_rules(run, d, tokens):
    alice = Caller(d, tokens["alice"])
    r = alice.call("PUT", "/v1/agents/alice/presence", {"presence": "away"}, {"Origin": "http://evil.example"})
    check_status(run, r, 403, "a foreign Origin", "Origin")
    r = alice.client.request("PUT", "/v1/agents/alice/presence", body=b"presence=away",
                             headers={"Authorization": f"Bearer {tokens['alice']}",
                                      "Content-Type": "application/x-www-form-urlencoded"})
    check_status(run, r, 403, "a form content type", "Content-Type")
    check_status(run, alice.call("GET", "/v1/agents", headers={"Host": "rebind.example:80"}), 403,
                 "a foreign Host", "Host")
    check_status(run, alice.call("GET", "/v1/agents", headers={"Host": f"localhost:{d.port}"}), 200, "localhost")


def check_revoke_and_expiry(run, d, config):
    token = make_token(run, config, "alice", "--label", "to revoke")
    check_status(run, Caller(d, token).call("GET", "/v1/agents"), 200, "a fresh token")
    token_id = token.split("_")[1]
    ctl(run, "token", "revoke", "--config", config, token_id)
    revoked_at = time.monotonic()
    wait_until(lambda: Caller(d, token).call("GET", "/v1/agents").status == 401, 1.0, "401 after revoke")
    log(f"revoked token refused after {(time.monotonic() - revoked_at) * 1000:.0f} ms")
    short = make_token(run, config, "bob", "--expires", "1s")
    time.sleep(1.2)  # the point: its lifetime passes
    r = Caller(d, short).call("GET", "/v1/agents")
    check_status(run, r, 401, "an expired token")
    run.check("expired" in (r.json or {}).get("error", ""), f"it says so: {r}")


class Feed(threading.Thread):
    """A CURVE SUB socket: collects the topics of what it receives."""

    def __init__(self, zmq, ctx, endpoint, server_key, keys, topics):
        super().__init__(daemon=True)
        self.sock = ctx.socket(zmq.SUB)
        self.sock.curve_publickey, self.sock.curve_secretkey = keys
        self.sock.curve_serverkey = server_key
        self.sock.setsockopt(zmq.LINGER, 0)
        for t in topics:
            self.sock.setsockopt(zmq.SUBSCRIBE, t.encode())
        self.sock.connect(endpoint)
        self.zmq, self.got, self.stop = zmq, [], threading.Event()
        self.start()

    def run(self):
        poller = self.zmq.Poller()
        poller.register(self.sock, self.zmq.POLLIN)
        while not self.stop.is_set():
            if poller.poll(50):
                topic, _ = self.sock.recv_multipart()
                self.got.append(topic.decode())
        self.sock.close()


def check_feed(run, d, config, tokens, fixtures):
    try:
        import zmq
    except ImportError:
        raise TestSkipped("python3-zmq is not installed")
    if not zmq.has("curve"):
        raise TestSkipped("this libzmq has no CURVE")
    ctx = zmq.Context()
    with open(run.path("state", "curve.pub")) as f:
        server_key = f.readline().strip().encode()
    keys = {}
    for who in ("alice", "sue"):
        pub, sec = zmq.curve_keypair()
        ctl(run, "token", "curve-key", "--config", config, "--agent", who, pub.decode())
        keys[who] = (pub, sec)
    endpoint = d.pub_endpoint
    feeds = {
        "stranger": Feed(zmq, ctx, endpoint, server_key, zmq.curve_keypair(), ["agent/alice/", "agent/bob/"]),
        "alice-own": Feed(zmq, ctx, endpoint, server_key, keys["alice"], ["agent/alice/"]),
        "alice-other": Feed(zmq, ctx, endpoint, server_key, keys["alice"], ["agent/bob/", "escalation/"]),
        "sue": Feed(zmq, ctx, endpoint, server_key, keys["sue"], ["agent/alice/", "agent/bob/",
                                                                    f"escalation/{ACCOUNT}/"]),
    }
    time.sleep(0.5)  # the subscriptions travel (the feed gives no acknowledgement to wait on)
    relay = Caller(d, tokens["relay"])
    for n in range(4):  # both agents get some; tier 2 escalates its fast breach (3 s)
        relay.call("POST", "/v1/events", event(fixtures["dev-0003"], f"feed-{n}", f"feed-t{n}"))
    wait_until(lambda: any(t.startswith("escalation/") for t in feeds["sue"].got), 10, "sue's escalation")
    time.sleep(0.3)
    for f in feeds.values():
        f.stop.set()
    got = {k: f.got for k, f in feeds.items()}
    log("feed: " + ", ".join(f"{k}={len(v)}" for k, v in got.items()))
    run.check(got["stranger"] == [], f"an unregistered key receives nothing: {got['stranger']}")
    run.check(got["alice-own"] and all(t == "agent/alice/" for t in got["alice-own"]),
              f"alice's key gets her own alerts: {got['alice-own']}")
    run.check(got["alice-other"] == [], f"alice's key gets nothing of bob's or escalation/: {got['alice-other']}")
    run.check({t.split("/")[0] for t in got["sue"]} >= {"agent", "escalation"}, f"sue's key gets both: {got['sue']}")
    metrics = Caller(d, tokens["root"]).call("GET", "/metrics").body.decode()
    for reason in ("subscription", "curve_key"):
        line = next((l for l in metrics.splitlines() if f'reason="{reason}"' in l), "")
        run.check(line and float(line.split()[-1]) >= 1, f"refused {reason}s are counted: {line!r}")


def check_exposure(run):
    config = write_config(run, "open.toml", listen="0.0.0.0:0", require=False)
    p = subprocess.run([run.args.inquiryd, "--config", config, "--check-config"], capture_output=True, text=True,
                       timeout=30)
    run.check(p.returncode != 0 and "[access] require = true" in p.stderr,
              f"a network bind without access control is refused, saying what to add: {p.returncode} {p.stderr}")


def main():
    with Run("access_control", __doc__, budget_seconds=120) as run:
        run.need("inquiryctl")
        fixtures = {}
        with open(run.fixture("inquiries.dev.jsonl")) as f:
            for line in f:
                d = json.loads(line)
                fixtures[d["id"]] = d
        os.makedirs(run.path("state"))
        config = write_config(run, "inquiryd.toml")
        tokens = {who: make_token(run, config, who) for who in ("root", "alice", "bob", "carl", "sue")}
        tokens["relay"] = make_token(run, config, "root", "--scope", "ingest", "--label", "relay")
        d = run.daemon(run.path("state"), config)
        d.start()
        check_roles(run, d, tokens, fixtures)
        check_no_outbound_without_ingest(run, d, tokens, fixtures)
        check_browser_rules(run, d, tokens)
        check_revoke_and_expiry(run, d, config)
        check_feed(run, d, config, tokens, fixtures)
        check_exposure(run)
        rc, _ = d.terminate(20)
        run.check(rc == 0, f"inquiryd exits 0 after SIGTERM (exit status {rc})")


if __name__ == "__main__":
    main()
