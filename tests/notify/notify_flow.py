#!/usr/bin/python3
"""End to end: the real inquiryd's notifier against local receivers (receivers.py) that
check each platform's payload and signature as documented.

With fast = 2s (warned 1s before) and one agent (lena, mobile and language zh), secrets
inline in a config only its owner may read and one as a systemd credential, it posts
fixture inquiries and checks that:
  * the DingTalk receiver refuses a wrong signature and a timestamp more than an hour off
    (asked directly), and a destination with a wrong secret is refused, counted in
    inquiryd_notify_dropped_total and listed in /healthz notify_failing;
  * every WARNING, BREACH and ESCALATION stored (GET /v1/alerts) reaches each of dingtalk
    (markdown, with @lena's mobile), dingtalk actionCard, wecom, feishu, slack and
    telegram exactly once, within 1 s of its moment, every request well formed and signed;
  * a receiver answering 500 for its first 10 s gets every alert afterwards, in seq order
    (its failures counted in inquiryd_notify_failed_total);
  * a receiver answering 429 with Retry-After: 1 to its first request is not asked again
    sooner, and then gets everything;
  * a kill -9 of the daemon between warnings and breaches of a second batch, and a restart,
    loses no alert to any destination (repeats are allowed there, with their delivery id);
  * `inquiryctl notify test dingtalk --config FILE` sends one signed sample and prints the
    receiver's answer.
"""

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

import harness as h  # noqa: E402
import receivers as rx  # noqa: E402

ev = h.events

NOTIFIED = ("WARNING", "BREACH", "ESCALATION")
ON_TIME_S = 1.0
MOBILE = "13800001111"


def destination(name, kind, url, secret=None, extra=""):
    lines = ["[[notify.destinations]]", f'name = "{name}"', f'kind = "{kind}"', f'url = "{url}"',
             "allow_plain_http = true", 'kinds = ["WARNING", "BREACH", "ESCALATION"]',
             'retry_initial = "200ms"', 'retry_max = "1s"', 'timeout = "3s"']
    if secret:
        lines.append(f'secret = "{secret}"')
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n\n"


def write_config(run, r):
    config = run.write_config(sla={"fast": "2s", "timely": "1h", "fast_warning": "1s", "timely_warning": "30m"})
    with open(config, "a") as f:
        f.write('\n[[agents]]\nid = "lena"\ncapacity = 50\n'
                f'mobile = "{MOBILE}"\nlanguage = "zh"\n\n')
        f.write('[notify]\nconsole_url = "https://console.example/"\npoll_interval = "500ms"\n\n')
        f.write(destination("dingtalk", "dingtalk", r["dingtalk"].url("/robot/send?access_token=t1"), "SECd1"))
        f.write(destination("dingtalk-card", "dingtalk", r["dingtalk-card"].url("/robot/send?access_token=t2"),
                            extra='secret_credential = "dingtalk-card"\nformat = "actionCard"'))
        f.write(destination("dingtalk-wrong", "dingtalk", r["dingtalk-wrong"].url("/robot/send?access_token=t3"),
                            "not-the-secret"))
        f.write(destination("wecom", "wecom", r["wecom"].url("/cgi-bin/webhook/send?key=k1")))
        f.write(destination("feishu", "feishu", r["feishu"].url("/open-apis/bot/v2/hook/h1"), "fs-secret"))
        f.write(destination("slack", "slack", r["slack"].url("/services/T/B/X"), extra='rate_limit = "off"'))
        f.write(destination("telegram", "telegram", r["telegram"].url(""), "123:tok",
                            'chat_id = "-100200300"\nrate_limit = "off"'))
        f.write(destination("flaky", "slack", r["flaky"].url("/flaky"), extra='rate_limit = "off"'))
        f.write(destination("limited", "slack", r["limited"].url("/limited"), extra='rate_limit = "off"'))
    os.chmod(config, 0o600)  # it holds secrets inline: refused while every user may read it
    return config


def credentials(run):
    """dingtalk-card's secret as a systemd credential (what LoadCredential= makes)."""
    folder = run.path("credentials")
    os.makedirs(folder, mode=0o700)
    with open(os.path.join(folder, "dingtalk-card"), "w") as f:
        f.write("SECd2\n")
    os.chmod(os.path.join(folder, "dingtalk-card"), 0o400)
    os.environ["CREDENTIALS_DIRECTORY"] = folder  # for the daemon and inquiryctl started after


def post_batch(run, client, factory, n):
    posted = []
    for _ in range(n):
        e = factory.new_thread()
        ev.stamp(e, run.rng)
        r = client.request("POST", "/v1/events", body=ev.encode_event(e))
        run.check(r.status == 202, f"POST /v1/events: {r!r}")
        if r.status == 202:
            posted.append(r.json["inquiry_id"])
    return posted


def stored_alerts(client):
    r = client.get("/v1/alerts?since=0&limit=10000")
    return [a for a in (r.json or {}).get("alerts", []) if a["kind"] in NOTIFIED]


def moment_of(alert):
    """When the alert was due: the warning's lead before the deadline, or the deadline."""
    deadline = h.parse_rfc3339_ns(alert["deadline"]) / 1e9
    stage = alert["escalates"] if alert["kind"] == "ESCALATION" else alert["kind"]
    return deadline - 1.0 if stage == "WARNING" else deadline


def check_signature_checks(run, receiver):
    """The DingTalk receiver itself refuses a wrong sign and a stale timestamp."""
    import http.client
    import json
    import urllib.parse
    now_ms = int(time.time() * 1000)
    body = json.dumps({"msgtype": "markdown", "markdown": {"title": "t", "text": "t"},
                       "at": {"atMobiles": [], "isAtAll": False}})
    for what, ts, secret, want in (("right", now_ms, "SECd1", 0), ("wrong sign", now_ms, "other", 310000),
                                   ("stale", now_ms - 3601 * 1000, "SECd1", 310000)):
        sign = urllib.parse.quote_plus(rx.dingtalk_sign(secret, ts))
        c = http.client.HTTPConnection("127.0.0.1", receiver.port, timeout=5)
        c.request("POST", f"/robot/send?access_token=x&timestamp={ts}&sign={sign}", body=body,
                  headers={"Content-Type": "application/json"})
        got = json.loads(c.getresponse().read())["errcode"]
        c.close()
        run.check(got == want, f"dingtalk receiver, {what} signature: errcode {got}, want {want}")
    with receiver.lock:
        receiver.requests.clear()


def check_requests(run, name, receiver):
    for req in receiver.snapshot():
        if req.answered == 200 or req.answered is None:
            run.check(not req.problems, f"{name}: {req.problems} in {req.body[:300]!r}")


def check_exactly_once(run, name, receiver, alerts, allow_repeats):
    got = receiver.accepted()
    seqs = [s for _, s, _ in got]
    want = sorted(a["seq"] for a in alerts)
    missing = sorted(set(want) - set(seqs))
    run.check(not missing, f"{name}: alerts never delivered: {missing}")
    extra = sorted(set(seqs) - set(want))
    run.check(not extra, f"{name}: delivered alerts that are not WARNING/BREACH/ESCALATION: {extra}")
    if not allow_repeats:
        repeats = sorted({s for s in seqs if seqs.count(s) > 1})
        run.check(not repeats, f"{name}: alerts delivered more than once: {repeats}")
    return got


def check_on_time(run, name, got, alerts):
    by_seq = {a["seq"]: a for a in alerts}
    for at, seq, _ in got:
        if seq in by_seq:
            delay = at - moment_of(by_seq[seq])
            run.check(delay <= ON_TIME_S, f"{name}: alert {seq} ({by_seq[seq]['kind']}) arrived {delay:.3f}s "
                                          f"after its moment")


def wait_delivered(run, receivers, client, names, timeout=40):
    def done():
        want = {a["seq"] for a in stored_alerts(client)}
        return all(want <= {s for _, s, _ in receivers[n].accepted()} for n in names)
    h.wait_until(done, timeout, f"every alert delivered to {', '.join(names)}", interval=0.2)


def main():
    with h.Run("notify_flow", __doc__, budget_seconds=150) as run:
        r = {"dingtalk": rx.Receiver("dingtalk", "SECd1"), "dingtalk-card": rx.Receiver("dingtalk", "SECd2"),
             "dingtalk-wrong": rx.Receiver("dingtalk", "SECd3"), "wecom": rx.Receiver("wecom"),
             "feishu": rx.Receiver("feishu", "fs-secret"), "slack": rx.Receiver("slack"),
             "telegram": rx.Receiver("telegram", "123:tok"), "flaky": rx.Receiver("slack", fail_for=10.0),
             "limited": rx.Receiver("slack", retry_after=1)}
        check_signature_checks(run, r["dingtalk"])
        credentials(run)
        d = run.daemon(run.path("state"), write_config(run, r)).start()
        client = d.client()
        factory = ev.EventFactory(run, f"n{run.seed}")

        # Batch 1: on time, exactly once, well formed.
        post_batch(run, client, factory, 3)
        on_time = ("dingtalk", "dingtalk-card", "wecom", "feishu", "slack", "telegram")
        h.wait_until(lambda: len(stored_alerts(client)) >= 6, 10, "the first batch's warnings and breaches")
        time.sleep(0.1)  # bounded: the last alerts of the batch are committed together
        wait_delivered(run, r, client, on_time, timeout=10)
        first = stored_alerts(client)
        kinds = sorted({a["kind"] for a in first})
        h.log(f"first batch: {len(first)} alerts, {kinds}")
        run.check(kinds == sorted(NOTIFIED), f"the first batch has warnings, breaches and escalations: {kinds}")
        for name in on_time:
            got = check_exactly_once(run, name, r[name], first, allow_repeats=False)
            check_on_time(run, name, got, first)
        texts = [q.json["markdown"]["text"] for q in r["dingtalk"].snapshot() if q.json and "markdown" in q.json]
        run.check(any(f"@{MOBILE}" in t for t in texts), "dingtalk: lena's alerts mention her mobile")
        run.check(any("询盘" in t for t in texts), "dingtalk: lena's alerts are in Chinese")
        mentioned = [q for q in r["wecom"].snapshot() if q.json and q.json.get("msgtype") == "text"]
        run.check(any(MOBILE in q.json["text"]["mentioned_mobile_list"] for q in mentioned),
                  "wecom: lena's alerts carry mentioned_mobile_list")

        # The flaky receiver's 500s so far, counted (the counters start again with the process).
        def flaky_failed():
            metrics = client.get("/metrics").body.decode()
            prefix = 'inquiryd_notify_failed_total{destination="flaky"}'
            return sum(float(ln.split()[-1]) for ln in metrics.splitlines() if ln.startswith(prefix))
        h.wait_until(lambda: flaky_failed() > 0, 5, "flaky's 500s in inquiryd_notify_failed_total")

        # Batch 2: kill -9 between its warnings and its breaches, then start again.
        post_batch(run, client, factory, 3)
        h.wait_until(lambda: sum(1 for a in stored_alerts(client) if a["kind"] == "WARNING") >= 6, 10,
                     "the second batch's warnings")
        d.signal(signal.SIGKILL)
        d.wait(10)
        h.log("inquiryd killed (-9); starting it again")
        d.start()
        client = d.client()
        all_names = on_time + ("flaky", "limited")
        h.wait_until(lambda: sum(1 for a in stored_alerts(client) if a["kind"] == "BREACH") >= 6, 15,
                     "the second batch's breaches (late, after the restart)")
        wait_delivered(run, r, client, all_names, timeout=40)
        alerts = stored_alerts(client)
        for name in all_names:
            check_exactly_once(run, name, r[name], alerts, allow_repeats=True)
            check_requests(run, name, r[name])

        # 500 for 10 s, then everything, in order.
        flaky = r["flaky"].accepted()
        run.check(all(at - r["flaky"].first_at >= 10.0 for at, _, _ in flaky), "flaky: accepted while failing?")
        firsts = []
        for _, s, _ in flaky:
            if s not in firsts:
                firsts.append(s)
        run.check(firsts == sorted(firsts), f"flaky: alerts out of order after recovery: {firsts}")
        # 429 + Retry-After: 1 (answered before the kill).
        reqs = r["limited"].snapshot()
        run.check(len(reqs) >= 2 and reqs[0].answered == 429, f"limited: {[q.answered for q in reqs]}")
        if len(reqs) >= 2:
            gap = reqs[1].at - reqs[0].at
            run.check(gap >= 0.98, f"limited: asked again {gap:.2f}s after a 429 with Retry-After: 1")
        # The wrong secret: refused by the receiver, dropped, reported.
        metrics = client.get("/metrics").body.decode()
        dropped = [ln for ln in metrics.splitlines() if ln.startswith('inquiryd_notify_dropped_total{destination="dingtalk-wrong"}')]
        run.check(dropped and float(dropped[0].split()[-1]) > 0, f"dingtalk-wrong dropped: {dropped}")
        sent = [ln for ln in metrics.splitlines() if ln.startswith('inquiryd_notify_sent_total{destination="slack"}')]
        run.check(sent and float(sent[0].split()[-1]) > 0, f"slack sent (since the restart): {sent}")
        run.check('inquiryd_notify_lag_seconds{destination="feishu"}' in metrics, "lag gauge on /metrics")
        health = client.get("/healthz")
        failing = [f["destination"] for f in (health.json or {}).get("notify_failing", [])]
        run.check(health.status == 200 and failing == ["dingtalk-wrong"], f"/healthz: {health!r}")
        rc, secs = d.terminate(timeout=15)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")
        if run.args.inquiryctl:
            before = len(r["dingtalk"].snapshot())
            out = subprocess.run([run.args.inquiryctl, "notify", "test", "dingtalk", "--config", d.config],
                                 capture_output=True, text=True, timeout=30)
            run.check(out.returncode == 0 and '"errcode": 0' in out.stdout and "delivered" in out.stdout,
                      f"inquiryctl notify test: {out.returncode} {out.stdout[-500:]} {out.stderr[-500:]}")
            sample = r["dingtalk"].snapshot()[before:]
            run.check(len(sample) == 1 and not sample[0].problems, f"notify test sample: {[q.problems for q in sample]}")
        for rec in r.values():
            rec.close()


if __name__ == "__main__":
    main()
