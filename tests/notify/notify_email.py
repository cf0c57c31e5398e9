#!/usr/bin/python3
"""End to end: the e-mail kind through a real MTA into a Maildir.

exim4 (Debian's exim4-daemon-light) runs with a private config in the temp dir, as
tests/e2e_mail/mta_delivery.py sets it up, delivering every recipient into <tmp>/Maildir.
The notifier's `sendmail` is that exim (`exim4 -C <config> -odf`, plus the -t -oi it
always adds), so each mail takes the MTA's own submission path. With fast = 2s and two
inquiries, every WARNING and BREACH stored arrives as one mail (To, Subject, Message-ID
from the delivery id, Auto-Submitted, UTF-8 body with the console link), exactly once.
Skipped (77) when exim4 is missing or the test does not run as root.
"""

import email
import email.policy
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e_mail"))

import harness as h  # noqa: E402
import mta_delivery as mta  # noqa: E402

ev = h.events

TO = "supervisors@seller.test"


def prepare_exim(run):
    exim = shutil.which("exim4") or shutil.which("exim", path="/usr/sbin:/usr/bin")
    if not exim:
        raise h.TestSkipped("exim4 (exim4-daemon-light) not installed")
    if os.geteuid() != 0:
        raise h.TestSkipped("exim with a private config (-C) needs root")
    os.chmod(run.tmp, 0o755)
    for d in ("exim/spool", "exim/log", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        os.makedirs(run.path(d), exist_ok=True)
    conf = run.path("exim", "exim.conf")
    with open(conf, "w") as f:
        f.write(mta.EXIM_CONF.format(tmp=run.tmp, user="root"))
    user = mta.exim_user(exim, conf)
    with open(conf, "w") as f:
        f.write(mta.EXIM_CONF.format(tmp=run.tmp, user=user.pw_name))
    for d in ("exim/spool", "exim/log", "Maildir", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        os.chown(run.path(d), user.pw_uid, user.pw_gid)
    return [exim, "-C", conf, "-odf"]


def mails(run):
    out = []
    for name in sorted(os.listdir(run.path("Maildir", "new"))):
        with open(run.path("Maildir", "new", name), "rb") as f:
            out.append(email.message_from_binary_file(f, policy=email.policy.default))
    return out


def main():
    with h.Run("notify_email", __doc__, budget_seconds=120) as run:
        sendmail = prepare_exim(run)
        config = run.write_config(sla={"fast": "2s", "timely": "1h", "fast_warning": "1s", "timely_warning": "30m"})
        with open(config, "a") as f:
            f.write('\n[notify]\nconsole_url = "https://console.example"\n\n[[notify.destinations]]\n'
                    'name = "mail"\nkind = "email"\n'
                    f'to = ["{TO}"]\nfrom = "inquiryd <inquiryd@seller.test>"\n'
                    f"sendmail = {sendmail!r}\n".replace("'", '"') +
                    'kinds = ["WARNING", "BREACH"]\nrate_limit = "off"\n')
        d = run.daemon(run.path("state"), config).start()
        client = d.client()
        factory = ev.EventFactory(run, f"m{run.seed}")
        for _ in range(2):
            e = factory.new_thread()
            ev.stamp(e, run.rng)
            r = client.request("POST", "/v1/events", body=ev.encode_event(e))
            run.check(r.status == 202, f"POST /v1/events: {r!r}")

        def stored():
            r = client.get("/v1/alerts?since=0")
            return [a for a in (r.json or {}).get("alerts", []) if a["kind"] in ("WARNING", "BREACH")]

        h.wait_until(lambda: len(stored()) >= 4, 15, "two warnings and two breaches")
        want = stored()
        h.wait_until(lambda: len(mails(run)) >= len(want), 20, f"{len(want)} mails in Maildir/new/")
        got = mails(run)
        run.check(len(got) == len(want), f"{len(got)} mails for {len(want)} alerts")
        ids = [m["X-Inquiry-Delivery-Id"] for m in got]
        run.check(sorted(ids) == sorted(f"mail:{a['seq']}" for a in want), f"delivery ids {ids}")
        for m in got:
            run.check(m["To"] == TO, f"To: {m['To']}")
            run.check(m["Auto-Submitted"] == "auto-generated", "Auto-Submitted")
            run.check(m["Message-ID"] and "mail." in m["Message-ID"], f"Message-ID {m['Message-ID']}")
            run.check(m["Subject"].startswith(("[WARNING]", "[BREACH]")), f"Subject {m['Subject']!r}")
            body = m.get_content()
            run.check("https://console.example/inquiries/" in body, f"no console link in {body!r}")
            run.check("Buyer:" in body and "Tier:" in body, f"body: {body!r}")
        rc, secs = d.terminate(timeout=15)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")


if __name__ == "__main__":
    main()
