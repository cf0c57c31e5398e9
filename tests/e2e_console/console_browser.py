#!/usr/bin/env python3
"""The web console in headless Chromium against the real inquiryd ([access] require = true,
fast = "3s").

What it proves, in the browser and checked over the API:
  * an agent signs in with a token (kept in sessionStorage, never in the URL); an inquiry
    posted over HTTP appears on their page within 1 s, its countdowns matching the server's
    deadlines to the second;
  * a WARNING fires a browser notification (with the time left) and a sound; Accept and
    Replied change the inquiry's state, and the clock stops (over the API); the keyboard
    accepts, transfers (to a colleague chosen in a dialog), declines and resolves;
  * the supervisor's page shows the escalation, the at-risk inquiries, the ranking (below the
    team's average in red) with its chart, and reassigns an inquiry to another agent;
  * an agent's page never shows another agent's inquiry; a refusal reads in words, naming
    the rule;
  * a restart of the daemon in the middle loses nothing on either page: every alert of the
    page's topics is shown once;
  * Chinese for a Chinese browser, switchable; a Content-Security-Policy and no script error.
Screenshots of both views (1280x800 and a 390x844 phone) go to --screenshots; with
IR_UPDATE_DOC_IMAGES=1 they are also copied to docs/img/. The page's size and load time on
loopback are printed.
"""

import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import Run, TestSkipped, format_rfc3339, log, now_ms  # noqa: E402
from harness import browser as hb  # noqa: E402
from console_pages import AgentPage, SupervisorPage  # noqa: E402
from console_steps import (agent_flow, check_page_load, check_restart, check_words_and_language,  # noqa: E402
                           supervisor_flow)

ACCOUNT = "alibaba-electronics"
AGENTS = f"""
[[agents]]
id = "alice"
name = "Alice Wang"
accounts = ["{ACCOUNT}"]
languages = ["en"]

[[agents]]
id = "bob"
name = "Bob Li"
accounts = ["{ACCOUNT}"]
languages = ["pt"]

[[agents]]
id = "sue"
name = "Sue Chen"
role = "supervisor"
accounts = ["{ACCOUNT}"]

[[agents]]
id = "root"
role = "admin"
"""


class Api:
    """Requests as one identity, on one keep-alive connection (renewed after a restart)."""

    def __init__(self, daemon, token):
        self.daemon, self.token = daemon, token

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        return self.daemon.http.request(method, path, body=data, headers={"Authorization": f"Bearer {self.token}"})

    def inquiry(self, inquiry):
        r = self.call("GET", f"/v1/inquiries/{inquiry}")
        if r.status != 200:
            raise AssertionError(f"GET /v1/inquiries/{inquiry}: {r!r}")
        return r.json


class Scene:
    """The daemon, the identities' API clients, the fixtures and the posting of events."""

    def __init__(self, run, daemon, tokens):
        self.run, self.d, self.tokens = run, daemon, tokens
        self.api = {who: Api(daemon, tok) for who, tok in tokens.items()}
        self.fixtures = {}
        with open(run.fixture("inquiries.dev.jsonl")) as f:
            for line in f:
                x = json.loads(line)
                self.fixtures[x["id"]] = x
        self.posted = 0

    @property
    def base(self):
        return f"http://127.0.0.1:{self.d.port}"

    def post(self, fixture, ago_ms=0, expect_owner=None):
        """Posts a fixture's event as a new message (received `ago_ms` before now): its id."""
        self.posted += 1
        e = dict(self.fixtures[fixture]["event"])
        e["message_id"] = f"console-{self.posted}"
        e["thread_id"] = f"console-thread-{self.posted}"
        e["received_at"] = format_rfc3339(now_ms() - ago_ms)
        r = self.api["ingest"].call("POST", "/v1/events", e)
        if r.status != 202:
            self.run.abort(f"POST /v1/events {fixture}: {r!r}")
        inquiry = r.json["inquiry_id"]
        if expect_owner:
            owner = self.api["root"].inquiry(inquiry)["owner"]
            self.run.check(owner == expect_owner, f"inquiry {inquiry} ({fixture}) goes to {expect_owner}, not {owner}")
        return inquiry

    def act(self, who, inquiry, action, body=None):
        r = self.api[who].call("POST", f"/v1/inquiries/{inquiry}/{action}", body or {})
        self.run.check(r.status == 200, f"{who} {action} {inquiry}: {r!r}")
        return r.json


def write_config(run):
    text = f"""state_dir = "{run.path('state')}"
catalog = "{run.fixture('catalog.json')}"
[sla]
fast = "3s"
fast_warning = "2s"
[access]
require = true
{AGENTS}"""
    path = run.path("inquiryd.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def make_token(run, config, agent, *extra):
    p = subprocess.run([run.args.inquiryctl, "token", "create", "--config", config, "--agent", agent, *extra],
                       capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        run.abort(f"token create {agent}: {p.stderr}")
    return p.stdout.splitlines()[0]


def seed_history(s):
    """Replies of earlier days, so the ranking has a line below the team's average (bob's,
    late) and the chart has points: then resolved, off the agents' lists."""
    for fixture, ago, who in (("dev-0046", 4 * 60_000, "alice"), ("dev-0056", 23 * 3600_000, "alice"),
                              ("dev-0007", 30 * 3600_000, "bob"), ("dev-0007", 5 * 86400_000, "bob")):
        inquiry = s.post(fixture, ago_ms=ago, expect_owner=who)
        s.act(who, inquiry, "reply")
        s.act(who, inquiry, "resolve")


def screenshot_dirs(run):
    shots = run.args.screenshots or run.path("screenshots")
    os.makedirs(shots, exist_ok=True)
    docs = None
    if os.environ.get("IR_UPDATE_DOC_IMAGES") == "1":
        docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "img")
    return shots, docs


def main():
    extra = lambda p: p.add_argument("--screenshots", help="folder for the screenshots")  # noqa: E731
    with Run("console_browser", __doc__, budget_seconds=200, extra_args=extra) as run:
        run.need("inquiryctl")
        why_not = hb.available()
        if why_not:
            raise TestSkipped(why_not)
        os.makedirs(run.path("state"))
        config = write_config(run)
        tokens = {who: make_token(run, config, who) for who in ("root", "alice", "bob", "sue")}
        tokens["ingest"] = make_token(run, config, "root", "--scope", "ingest", "--label", "relay")
        d = run.daemon(run.path("state"), config).start()
        s = Scene(run, d, tokens)
        seed_history(s)
        shots = screenshot_dirs(run)
        alice = AgentPage(hb.Browser(run, "alice"), s.base, tokens["alice"])
        sue = SupervisorPage(hb.Browser(run, "sue"), s.base, tokens["sue"])
        t0 = time.monotonic()
        alice.sign_in()
        sue.sign_in()
        log(f"both pages signed in and live in {time.monotonic() - t0:.2f}s")
        alice.install_seen_hook()
        check_page_load(run, s, alice)
        story = agent_flow(run, s, alice)
        supervisor_flow(run, s, alice, sue, story, shots)
        check_restart(run, s, alice, sue, story)
        check_words_and_language(run, s, alice, story, shots)
        for page in (alice, sue):
            errors = [e for e in page.b.console_errors() if "Content Security Policy" in e or "Uncaught" in e]
            run.check(not errors, f"{page.b.name}: no script error or CSP violation: {errors}")
        rc, _ = d.terminate(20)
        run.check(rc == 0, f"inquiryd exits 0 after SIGTERM with pages connected (exit status {rc})")


if __name__ == "__main__":
    main()
