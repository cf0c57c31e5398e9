#!/usr/bin/python3
"""End to end: a FIFO and a symlink in new/ are quarantined, and shutdown still completes.

Real Maildir folders and the real inquiryd with an [[adapters.email]] table (inotify, the
fallback poll left at 30 s). A FIFO in new/ would block a plain open() until a writer came;
a symbolic link would make the daemon read (and copy) whatever it points to. So:
  * a FIFO there before the start, and a symlink to a file outside the Maildir and a second
    FIFO made while it runs, are each moved to the quarantine as themselves (the link still
    a link to its target, which is left untouched) with a .reason naming what they are;
  * a buyer's mail delivered after them still becomes an inquiry;
  * a last FIFO made just before SIGTERM does not hold up the shutdown: inquiryd exits 0
    within 5 seconds.
"""

import email.utils
import os
import stat
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

ACCOUNT = "alibaba-electronics"


def deliver(run, name, text):
    tmp = run.path("Maildir", "tmp", name)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text.replace("\n", "\r\n"))
    os.rename(tmp, run.path("Maildir", "new", name))


def buyer_mail(message_id):
    return (f"From: Jonas Weber <j.weber@weber-handel.de>\nTo: sales@seller.example\n"
            f"Subject: X9 smart watch - 500 pcs\nMessage-ID: {message_id}\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\n\nPrice for 500 pcs of the X9 smart watch?\n")


def reason_of(run, name):
    path = run.path("quarantine", name + ".reason")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    with h.Run("maildir_special", __doc__, budget_seconds=120) as run:
        for sub in ("new", "cur", "tmp"):
            os.makedirs(run.path("Maildir", sub))
        secret = run.path("secret.txt")
        with open(secret, "w") as f:
            f.write("not for the quarantine\n")
        os.mkfifo(run.path("Maildir", "new", "1.fifo-before-start"))
        config = run.write_config(extra="\n[[adapters.email]]\n"
                                        f'account = "{ACCOUNT}"\n'
                                        f'maildir = "{run.path("Maildir")}"\n'
                                        f'quarantine = "{run.path("quarantine")}"\n')
        d = run.daemon(run.path("state"), config).start()
        h.wait_until(lambda: reason_of(run, "1.fifo-before-start"), 20, "the first FIFO quarantined")
        os.symlink(secret, run.path("Maildir", "new", "2.link"))
        os.mkfifo(run.path("Maildir", "new", "3.fifo-while-running"))
        h.wait_until(lambda: reason_of(run, "2.link") and reason_of(run, "3.fifo-while-running"), 20,
                     "the link and the second FIFO quarantined (inotify, not the 30 s poll)")
        question = f"<q-{run.seed}@weber-handel.de>"
        deliver(run, "4.buyer", buyer_mail(question))
        h.wait_for_inquiries(d, lambda i: i.get("thread_id") == question, query=f"state=open&account={ACCOUNT}",
                             timeout=20, what="the buyer's mail after them as an open inquiry")

        for name in ("1.fifo-before-start", "3.fifo-while-running"):
            run.check(reason_of(run, name).startswith("reason: not a regular file: a FIFO, never opened"),
                      f"{name}: reason {reason_of(run, name)!r}")
            run.check(os.path.exists(run.path("quarantine", name)) and
                      stat.S_ISFIFO(os.lstat(run.path("quarantine", name)).st_mode),
                      f"{name}: not in the quarantine as a FIFO")
        run.check(reason_of(run, "2.link").startswith("reason: not a regular file: a symbolic link, never opened"),
                  f"2.link: reason {reason_of(run, '2.link')!r}")
        link = run.path("quarantine", "2.link")
        run.check(os.path.islink(link) and os.readlink(link) == secret, "2.link: not in the quarantine as the link")
        with open(secret) as f:
            run.check(f.read() == "not for the quarantine\n", "the link's target was changed")
        quarantined = d.metrics().get(f'inquiryd_mail_messages_total{{account="{ACCOUNT}",outcome="quarantined"}}')
        run.check(quarantined == 3, f"/metrics: {quarantined} quarantined, want 3")

        os.mkfifo(run.path("Maildir", "new", "5.fifo-at-shutdown"))
        t0 = time.monotonic()
        rc, secs = d.stop(timeout=5)
        run.check(rc == 0 and secs < 5, f"SIGTERM with a FIFO in new/: exit status {rc} after {secs:.1f}s "
                                        f"(want 0 within 5 s)")
        h.log(f"SIGTERM to exit: {time.monotonic() - t0:.2f}s")
        run.check(os.path.exists(run.path("Maildir", "new", "5.fifo-at-shutdown")) or
                  reason_of(run, "5.fifo-at-shutdown"), "the last FIFO is neither in new/ nor quarantined")


if __name__ == "__main__":
    main()
