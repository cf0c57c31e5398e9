#!/usr/bin/python3
"""End to end: only a mail we can trust is our reply.

Real Maildir folders and the real inquiryd with an [[adapters.email]] table whose
trusted_authserv_id is "mx.example.com". A buyer's mail opens an inquiry; then, in the inbox:
  * a mail From our own address without Authentication-Results, and one whose
    dmarc=pass header (added by the sender) sits below the trusted server's dmarc=fail,
    are taken as inbound mail: GET /v1/inquiries/{id} still shows the inquiry open, no
    reply, its clocks running;
  * a mail From our own address with the trusted server's topmost dmarc=pass is our reply:
    the inquiry is replied and its clocks met.
"""

import email.utils
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

ACCOUNT = "alibaba-electronics"
OWN = "sales@seller.example"
BUYER = "j.weber@weber-handel.de"


def deliver(run, name, text):
    tmp = run.path("Maildir", "tmp", name)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text.replace("\n", "\r\n"))
    os.rename(tmp, run.path("Maildir", "new", name))


def mail(sender, message_id, extra_headers="", in_reply_to=None, body="Price for 500 pcs of the X9 smart watch?"):
    lines = [extra_headers.rstrip("\n")] if extra_headers else []
    lines += [f"From: {sender}", f"To: {OWN}", "Subject: X9 smart watch - 500 pcs",
              f"Message-ID: {message_id}", f"Date: {email.utils.formatdate(usegmt=True)}"]
    if in_reply_to:
        lines.append(f"In-Reply-To: {in_reply_to}")
    return "\n".join(lines) + "\n\n" + body + "\n"


def write_config(run):
    return run.write_config(sla={"fast": "1h", "timely": "24h", "fast_warning": "30m", "timely_warning": "4h"},
                            extra="\n[[adapters.email]]\n"
                                  f'account = "{ACCOUNT}"\n'
                                  f'maildir = "{run.path("Maildir")}"\n'
                                  f'quarantine = "{run.path("quarantine")}"\n'
                                  f'own_addresses = ["{OWN}"]\n'
                                  'trusted_authserv_id = "mx.example.com"\n'
                                  'poll_interval = "100ms"\n')


def committed(d):
    return d.metrics().get(f'inquiryd_mail_messages_total{{account="{ACCOUNT}",outcome="committed"}}', 0)


def clocks_state(inq):
    return [c.get("state") for c in inq.get("clocks") or []]


def main():
    with h.Run("mail_trust", __doc__, budget_seconds=120) as run:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(run.path("Maildir", sub))
        d = run.daemon(run.path("state"), write_config(run)).start()
        question = f"<q-{run.seed}@weber-handel.de>"
        deliver(run, "1.buyer", mail(f"Jonas Weber <{BUYER}>", question))
        inq = h.wait_for_inquiries(d, lambda i: i.get("thread_id") == question, query=f"state=open&account={ACCOUNT}",
                                   timeout=20, what="the buyer's mail as an open inquiry")
        inq_id = inq["id"]

        forged = [("2.forged-bare", ""),
                  ("3.forged-below", "Authentication-Results: mx.example.com; dmarc=fail header.from=seller.example\n"
                                     "Authentication-Results: mx.example.com; dmarc=pass header.from=seller.example"),
                  ("4.forged-other", "Authentication-Results: mx.attacker.example; dmarc=pass")]
        for n, (name, headers) in enumerate(forged):
            deliver(run, name, mail(f"Sales <{OWN}>", f"<{name}-{run.seed}@seller.example>", headers, question,
                                    "Here is our quote: 9.50 USD."))
        h.wait_until(lambda: committed(d) >= 1 + len(forged), 20, "the forged mails committed")
        got = d.get(f"/v1/inquiries/{inq_id}").json
        run.check(got.get("state") == "open", f"forged own mail: state {got.get('state')!r}, want open")
        run.check(got.get("last_reply_at") is None, f"forged own mail counted as a reply: {got!r}")
        run.check(clocks_state(got) and all(s == "running" for s in clocks_state(got)),
                  f"forged own mail: clocks {clocks_state(got)}, want running")
        log_text = open(d.log_path, encoding="utf-8", errors="replace").read()
        run.check(f"inq={inq_id} " in log_text and "taken as an inbound mail" in log_text,
                  "no warning with inq= names the forged mail")

        deliver(run, "5.trusted", mail(f"Sales <{OWN}>", f"<trusted-{run.seed}@seller.example>",
                                       "Authentication-Results: mx.example.com;\n dkim=pass header.d=seller.example;"
                                       "\n dmarc=pass (p=reject) header.from=seller.example", question,
                                       "Here is our quote: 9.50 USD."))
        got = d.wait_for_inquiry(inq_id, state="replied", timeout=20)
        run.check(got.get("last_reply_at") is not None, f"trusted reply: {got!r}")
        run.check(clocks_state(got) and all(s == "met" for s in clocks_state(got)),
                  f"trusted reply: clocks {clocks_state(got)}, want met")
        rc, secs = d.stop(timeout=10)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")


if __name__ == "__main__":
    main()
