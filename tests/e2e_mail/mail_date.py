#!/usr/bin/python3
"""End to end: a backdated mail does not arrive already breached.

Real Maildir folders and the real inquiryd with an [[adapters.email]] table (date_skew left
at its default, 15 minutes) and reply clocks of 5 minutes and 24 hours. Into new/, each with
a topmost Received: of now, as the receiving server stamps it:
  * A, Date: three days ago: clamped to the Received: time: its inquiry opens now, its
    clocks run from now, and no WARNING, BREACH or ESCALATION comes for it;
  * B, Date: two days ahead: clamped the same way, so it cannot hold the clocks off;
  * C, Date: ten minutes ago, within the skew: taken as the buyer's time, so its fast
    clock is breached at once. Its BREACH is the sentinel: A and B were committed before
    it, and a breach of theirs would have come before it too.
The daemon logs why each Date: was not taken; SIGTERM ends it cleanly.
"""

import email.utils
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

ACCOUNT = "alibaba-electronics"
DAY = 86400


def deliver(run, name, text):
    tmp = run.path("Maildir", "tmp", name)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text.replace("\n", "\r\n"))
    os.rename(tmp, run.path("Maildir", "new", name))


def mail(message_id, date_s, received_s):
    return (f"Received: from mail.weber-handel.de (mail.weber-handel.de [192.0.2.7])\n"
            f"\tby mx.seller.example with ESMTPS id {message_id[1:9]};\n\t{email.utils.formatdate(received_s)}\n"
            f"From: Jonas Weber <j.weber@weber-handel.de>\nTo: sales@seller.example\n"
            f"Subject: X9 smart watch - 500 pcs\nMessage-ID: {message_id}\n"
            f"Date: {email.utils.formatdate(date_s)}\n\nPrice for 500 pcs of the X9 smart watch?\n")


def main():
    with h.Run("mail_date", __doc__, budget_seconds=120) as run:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(run.path("Maildir", sub))
        config = run.write_config(extra="\n[[adapters.email]]\n"
                                         f'account = "{ACCOUNT}"\n'
                                         f'maildir = "{run.path("Maildir")}"\n'
                                         f'quarantine = "{run.path("quarantine")}"\n')
        d = run.daemon(run.path("state"), config).start()
        now = int(time.time())
        mails = {"A": (f"<a-{run.seed}@weber-handel.de>", now - 3 * DAY),
                 "B": (f"<b-{run.seed}@weber-handel.de>", now + 2 * DAY),
                 "C": (f"<c-{run.seed}@weber-handel.de>", now - 600)}
        for n, (key, (message_id, date_s)) in enumerate(mails.items()):
            deliver(run, f"{now}.{n}.{key}", mail(message_id, date_s, now))
        inquiries = {}
        for key, (message_id, _) in mails.items():
            inquiries[key] = h.wait_for_inquiries(d, lambda i, m=message_id: i.get("thread_id") == m,
                                                  query=f"state=open&account={ACCOUNT}", timeout=20,
                                                  what=f"mail {key} as an open inquiry")
        ids = {key: inq["id"] for key, inq in inquiries.items()}
        d.wait_for_alerts(1, timeout=20, what="the sentinel: C's fast clock breached at once", kind="BREACH",
                          clock="FAST", inquiry_id=ids["C"])

        for key, want_s in (("A", now), ("B", now), ("C", now - 600)):
            opened = h.parse_rfc3339_ms(inquiries[key]["opened_at"])
            run.check(opened == want_s * 1000,
                      f"mail {key}: opened_at {inquiries[key]['opened_at']}, want {h.format_rfc3339(want_s * 1000)}")
            fast = next(c for c in inquiries[key]["clocks"] if c["kind"] == "fast")
            run.check(h.parse_rfc3339_ms(fast["deadline"]) == (want_s + 300) * 1000,
                      f"mail {key}: fast deadline {fast['deadline']}, want 5 minutes after {want_s}")
        for key in ("A", "B"):
            got = [a for a in d.alerts() if a["inquiry_id"] == ids[key]
                   and a["kind"] in ("WARNING", "BREACH", "ESCALATION")]
            run.check(not got, f"mail {key}, clamped, still alerted at once: {got}")
            got = d.get(f"/v1/inquiries/{ids[key]}").json
            run.check(all(c["state"] == "running" for c in got["clocks"]), f"mail {key}: clocks {got['clocks']}")

        log_text = open(d.log_path, encoding="utf-8", errors="replace").read()
        run.check("is 3d before the topmost Received:" in log_text, "no log line says why A's Date: was not taken")
        run.check("is 2d after the topmost Received:" in log_text, "no log line says why B's Date: was not taken")
        rc, secs = d.stop(timeout=10)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")


if __name__ == "__main__":
    main()
