"""The steps of the console's browser test (console_browser.py): what each person does on
their page, and what the page and the API must show after it."""

import http.client
import os
import time

from harness import log, now_ms, sleep_until_ms, wait_until

ALERT_FRESH_S = 1.0  # an inquiry posted over HTTP is on its owner's page within this


def timed(what, fn):
    t0 = time.monotonic()
    value = fn()
    log(f"{what}: {(time.monotonic() - t0) * 1000:.0f} ms")
    return value


def api_state(s, who, inquiry, predicate, what, timeout=3):
    return wait_until(lambda: (lambda q: predicate(q) and q)(s.api[who].inquiry(inquiry)), timeout, what)


def check_page_load(run, s, page):
    """The console's files: their size, how long they take on loopback (a fresh connection
    each, as a first visit), the browser's own timing, and the security headers."""
    names = page.b.js("""return performance.getEntriesByType('resource').map(e => e.name)
        .filter(n => n.includes('/console/')).map(n => new URL(n).pathname);""")
    names = ["/console/"] + sorted(set(names))
    total, t0 = 0, time.monotonic()
    for path in names:
        c = http.client.HTTPConnection("127.0.0.1", s.d.port, timeout=10)
        c.request("GET", path, headers={"Host": "127.0.0.1"})
        r = c.getresponse()
        body = r.read()
        c.close()
        run.check(r.status == 200, f"GET {path}: {r.status}")
        total += len(body)
        if path == "/console/":
            csp = r.getheader("Content-Security-Policy") or ""
            run.check("script-src 'self'" in csp and "unsafe-inline" not in csp, f"CSP of the page: {csp!r}")
    elapsed = (time.monotonic() - t0) * 1000
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    log(f"PAGE LOAD: {len(names)} files, {total} bytes ({total / 1024:.1f} KiB), fetched one after another "
        f"on fresh loopback connections in {elapsed:.1f} ms (load average {load})")
    run.check(total < 300 * 1024, f"the console's files weigh {total} bytes, more than 300 KiB")
    nav = page.b.js("""const n = performance.getEntriesByType('navigation')[0];
        const r = performance.getEntriesByType('resource').filter(e => e.name.includes('/console/'));
        return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.encodedBodySize +
                r.reduce((a, e) => a + e.encodedBodySize, 0), last: Math.max(...r.map(e => e.responseEnd))};""")
    log(f"PAGE LOAD in Chromium: DOMContentLoaded {nav['dom']:.1f} ms, load {nav['load']:.1f} ms, every file in "
        f"by {nav['last']:.1f} ms, {nav['bytes']} bytes of bodies")
    token_in_url = s.tokens["alice"] in page.b.driver.current_url
    stored = page.b.js("return [sessionStorage.getItem('inquiryd.token'), JSON.stringify(localStorage)];")
    run.check(not token_in_url and stored[0] == s.tokens["alice"] and s.tokens["alice"] not in stored[1],
              "the token is in sessionStorage only (not in the URL, not in localStorage)")


def agent_flow(run, s, alice):
    """Bob's two inquiries; alice's first: on her page within a second, the countdowns, the
    WARNING's notification, Accept and Replied (the clock stops); her second, accepted by key."""
    story = {"b1": s.post("dev-0007", expect_owner="bob"), "b2": s.post("dev-0007", expect_owner="bob")}
    for b in ("b1", "b2"):
        s.act("bob", story[b], "accept")  # else their reservations end and alice may get them
    e1 = story["e1"] = s.post("dev-0003", expect_owner="alice")
    posted = time.monotonic()
    try:
        alice.wait_card(e1, 5)
    except TimeoutError as e:
        run.abort(str(e))
    seen_after = time.monotonic() - posted
    log(f"inquiry {e1} on alice's page {seen_after * 1000:.0f} ms after the 202")
    run.check(seen_after <= ALERT_FRESH_S, f"inquiry {e1} took {seen_after:.2f}s to appear (more than 1 s)")
    alice.check_countdown(run, e1, s.api["alice"].inquiry(e1)["clocks"])
    check_notifications(run, alice, e1)
    card = alice.card_css(e1)
    timed("Accept, click to the page showing it", lambda: (alice.press(card, "Accept"), alice.b.wait_js(
        f"document.querySelector('{card} .state').textContent === 'accepted'", 3, "accepted on the page")))
    api_state(s, "alice", e1, lambda q: q["reserved_until"] is None and q["owner"] == "alice", "accepted over the API")
    breach = alice.b.wait_js(f"(window.__notes || []).find(n => n.title.startsWith('Breach #{e1}'))", 5,
                             "the BREACH notification")
    shown = alice.clock(e1, "fast")
    run.check(shown and "breach" in shown[1], f"past the deadline the countdown is red: {shown}")
    log(f"notification {breach['title']!r}: {breach['body']!r}; the card shows {shown}")
    timed("Replied, click to the page showing it", lambda: (alice.press(card, "Replied"), alice.b.wait_js(
        f"document.querySelector('{card} .clock.met, {card} .clock.missed')", 3, "the clock stopped on the page")))
    q = api_state(s, "alice", e1, lambda q: q["state"] == "replied", "replied over the API")
    run.check(q["last_reply_at"] and all(c["state"] != "running" for c in q["clocks"]),
              f"after Replied no clock runs (API): {q['clocks']}")
    check_clock_stopped(run, alice, e1)
    alice.select(e1)
    alice.b.wait_js("document.getElementById('customer-card').textContent.includes('Conversations')", 3,
                    "the customer card")
    check_presence(run, s, alice)
    e2 = story["e2"] = s.post("dev-0025", expect_owner="alice")
    alice.wait_card(e2, 3)
    alice.select(e2)
    alice.b.keys("a")
    api_state(s, "alice", e2, lambda q: q["reserved_until"] is None, "accepted by the key a")
    return story


def check_presence(run, s, alice):
    """The header's switch sets the agent's presence (over the API: away, then back)."""
    from selenium.webdriver.support.select import Select

    def presence():
        agents = s.api["alice"].call("GET", "/v1/agents").json["agents"]
        return next(a["presence"] for a in agents if a["id"] == "alice")

    for value in ("away", "available"):
        Select(alice.b.find("#presence")).select_by_value(value)
        wait_until(lambda: presence() == value, 3, f"alice {value} (API)")


def check_notifications(run, alice, inquiry):
    note = lambda kind: f"(window.__notes || []).find(n => n.title.startsWith('{kind} #{inquiry}'))"  # noqa: E731
    assigned = alice.b.wait_js(note("Assigned"), 3, "the ASSIGNED notification")
    warning = alice.b.wait_js(note("Warning"), 5, "the WARNING notification (fast = 3s)")
    log(f"notifications: {assigned['title']!r}: {assigned['body']!r}; {warning['title']!r}: {warning['body']!r}")
    run.check("left" in warning["body"] and "Fast reply" in warning["body"],
              f"the WARNING's notification says how long is left: {warning}")
    run.check("accept within" in assigned["body"], f"the ASSIGNED notification says how long to accept: {assigned}")
    shown = alice.clock(inquiry, "fast")
    run.check(shown and ("warn" in shown[1] or "breach" in shown[1]), f"from the warning the countdown is amber: {shown}")
    run.check(alice.b.js("return Notification.permission;") == "granted", "notifications are granted")
    run.check(alice.b.js("return window.__beeps;") > 0, "a sound was played with the notifications")


def check_clock_stopped(run, alice, inquiry):
    """The page's clocks of a replied inquiry do not move."""
    before = [alice.clock(inquiry, k) for k in ("fast", "timely")]
    sleep_until_ms(now_ms() + 1200)  # the point is that time passes
    after = [alice.clock(inquiry, k) for k in ("fast", "timely")]
    run.check(before == after and all(c and ("met" in c[1] or "missed" in c[1]) for c in after),
              f"the stopped clocks stay as they are: {before} then {after}")


def supervisor_flow(run, s, alice, sue, story, shots):
    """Sue sees the escalation of alice's first inquiry, the at-risk list and the ranking; she
    reassigns bob's first inquiry to alice, who sees it at once. Then the screenshots."""
    e1, b1 = story["e1"], story["b1"]
    # A reply raises no alert: the stream's change event takes it off the at-risk list.
    sue.b.wait_js(f"!document.querySelector('#risk-list .card[data-id=\"{e1}\"]')", 2, "E1 off the at-risk list")
    sue.b.wait_js(f"document.querySelector('#escalations li[data-inquiry=\"{e1}\"]')", 5, "E1's escalation")
    sue.b.wait_js(f"(window.__notes || []).find(n => n.title.startsWith('Escalation #{e1}'))", 2,
                  "the escalation's notification")
    rows = wait_until(lambda: (lambda r: len(r) > 3 and r)(sue.ranking_rows()), 5, "the ranking")
    by_name = {name: cls for name, cls in rows}
    run.check("alice" in by_name and "bob" in by_name, f"the ranking lists alice and bob: {rows}")
    run.check("below" in by_name.get("bob", "") and "below" not in by_name.get("alice", ""),
              f"bob (late replies) is marked below the team's average, alice is not: {rows}")
    run.check(sue.chart_points() >= 3, f"the chart has a point per day with replies: {sue.chart_points()}")
    sue.b.wait_js(f"document.querySelector('#risk-list .card[data-id=\"{b1}\"]')", 3, "bob's inquiry at risk")
    story["reassigned_at"] = int(time.time() * 1000)
    sue.press(f'#risk-list .card[data-id="{b1}"]', "Reassign")
    sue.dialog_choose(value="alice")
    api_state(s, "root", b1, lambda q: q["owner"] == "alice", "B1 reassigned to alice (API)")
    timed("a reassigned inquiry appearing on the new owner's page", lambda: alice.wait_card(b1, ALERT_FRESH_S))
    shoot(run, alice, sue, shots)


def shoot(run, alice, sue, shots):
    folder, docs = shots
    for page, view in ((alice, "agent"), (sue, "supervisor")):
        page.b.js("document.getElementById('toasts').hidden = true;")  # passing messages, not the view
        page.b.screenshot(os.path.join(folder, f"console-{view}-desktop.png"), docs, full_page=True)
        page.b.viewport(390, 844, mobile=True)
        page.b.wait_js("document.documentElement.clientWidth <= 390", 2, "the phone's width")
        page.b.screenshot(os.path.join(folder, f"console-{view}-phone.png"), docs)
        page.b.viewport(1280, 800)
        page.b.js("document.getElementById('toasts').hidden = false;")


def agent_keys(run, s, alice, story):
    """Transfer (t, a colleague from the dialog) and Resolve (x) from the keyboard."""
    e1, e2 = story["e1"], story["e2"]
    alice.select(e2)
    alice.b.keys("t")
    alice.dialog_choose(value="bob")
    api_state(s, "root", e2, lambda q: q["owner"] == "bob", "E2 transferred to bob (API)")
    alice.wait_card(e2, 2, present=False)
    alice.select(e1)
    alice.b.keys("x")
    alice.dialog_choose()
    api_state(s, "root", e1, lambda q: q["state"] == "resolved", "E1 resolved by the key x (API)")
    alice.wait_card(e1, 2, present=False)


def check_restart(run, s, alice, sue, story):
    """An inquiry whose alerts come due while the daemon restarts: the pages reconnect and
    catch up; a new one after the restart appears; every alert shows once."""
    agent_keys(run, s, alice, story)
    e3 = story["e3"] = s.post("dev-0064", expect_owner="alice")
    alice.wait_card(e3, 3)
    rc, secs = s.d.restart(keep_port=True)
    run.check(rc == 0, f"SIGTERM with two pages streaming: exit status {rc} after {secs:.2f}s")
    for page in (alice, sue):
        t0 = time.monotonic()
        page.wait_live(20)
        log(f"{page.b.name}'s page live again {time.monotonic() - t0:.2f}s after the daemon was ready")
    e4 = story["e4"] = s.post("dev-0056", expect_owner="alice")
    timed("an inquiry posted after the restart appearing", lambda: alice.wait_card(e4, 3))
    alice.select(e4)
    alice.b.keys("d")
    alice.dialog_choose(text="spam")
    api_state(s, "root", e4, lambda q: q["state"] == "resolved", "E4 declined by the key d (API)")
    check_every_alert_once(run, s, alice, "agent-alerts", lambda a: a["topic"] == "agent/alice/")
    check_every_alert_once(run, s, sue, "escalations", lambda a: a["kind"] == "ESCALATION" and (
        a["topic"].startswith("escalation/") or a["topic"] == "agent/sue/"))
    seen = alice.seen()
    run.check(story["b2"] not in seen, f"bob's inquiry {story['b2']} never appeared on alice's page: {seen}")
    first_b1 = seen.get(story["b1"])
    run.check(first_b1 is None or first_b1 >= story["reassigned_at"],
              f"bob's inquiry {story['b1']} appeared on alice's page only once it was hers")
    hers = {story[k] for k in ("e1", "e2", "e3", "e4", "b1")}
    run.check(set(seen) <= hers, f"alice's page showed only inquiries she held: {sorted(seen)}, hers {sorted(hers)}")


def check_every_alert_once(run, s, page, list_id, wanted):
    r = s.api["root"].call("GET", "/v1/alerts?since=0&limit=10000")
    expected = sorted(a["seq"] for a in r.json["alerts"] if wanted(a))
    got = wait_until(lambda: (lambda x: len(x) >= len(expected) and x)(page.alert_seqs(list_id)), 5,
                     f"{list_id}: {len(expected)} alerts")
    run.check(len(got) == len(set(got)), f"{list_id}: no alert twice: {sorted(got)}")
    run.check(sorted(got) == expected, f"{list_id}: every alert, none lost: page {sorted(got)}, API {expected}")
    log(f"{page.b.name}: {len(got)} alerts in {list_id}, across the restart, each once")


def check_words_and_language(run, s, alice, story, shots):
    """A refusal in words (the rule's name); Chinese by button and by the browser's language."""
    msg = alice.b.js_async("""const done = arguments[arguments.length - 1];
        import('/console/api.js').then(m => m.api('POST', '/v1/inquiries/' + arguments[0] + '/reply', {}))
          .then(() => done('accepted?'), e => done(e.message));""", story["b2"])
    run.check("act_on_inquiry" in msg and msg.startswith("Not allowed by the rule"), f"a 403 in words: {msg!r}")
    alice.b.click("#lang")
    alice.b.wait_js("document.querySelector('#agent-view h2').textContent === '我的工作'", 5, "the page in Chinese")
    alice.wait_live(10)
    alice.b.viewport(390, 844, mobile=True)
    alice.b.js("document.getElementById('toasts').hidden = true;")
    alice.b.screenshot(os.path.join(shots[0], "console-agent-phone-zh.png"), shots[1])
    alice.b.viewport(1280, 800)
    alice.b.click("#lang")
    alice.b.wait_js("document.querySelector('#agent-view h2').textContent === 'My work'", 5, "back in English")
    from harness.browser import Browser
    zh = Browser(s.run, "zh", lang="zh-CN")
    for visit in ("first visit", "visit again"):
        zh.open(s.base + "/console/")
        zh.wait_js("document.getElementById('signin').textContent === '登录'", 5, "Chinese for a Chinese browser")
        nav = zh.wait_js("""(() => { const n = performance.getEntriesByType('navigation')[0];
            return n && n.loadEventEnd > 0 && [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd]; })()""",
                         5, "the load event")
        log(f"PAGE LOAD ({visit}, signed out): response {nav[0]:.1f} ms, DOMContentLoaded {nav[1]:.1f} ms, "
            f"load {nav[2]:.1f} ms")
    zh.kill()
