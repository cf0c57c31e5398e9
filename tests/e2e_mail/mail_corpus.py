#!/usr/bin/python3
"""End to end: CPython's email test corpus dropped into a Maildir of the real inquiryd.

Every msg_*.txt of the Python on this machine (test/test_email/data, Debian package
libpython3.11-testsuite) is written into Maildir/new/ before inquiryd starts. Then:
  * new/ empties: every file ends in cur/ (an event, or a bounce / auto-reply) or in the
    quarantine folder with a .reason file beside it; none is lost, none is deleted;
  * the number of inquiries matches what the mails can carry, and the daemon stays healthy
    (GET /healthz 200) throughout: no mail crashes or hangs it.
Skipped (77) when the corpus is not installed.
"""

import glob
import os
import re
import shutil
import sys
import sysconfig

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402


def find_corpus():
    candidates = [os.environ.get("IR_EMAIL_CORPUS", "")]
    candidates.append(os.path.join(sysconfig.get_paths()["stdlib"], "test", "test_email", "data"))
    candidates += sorted(glob.glob("/usr/lib/python3*/test/test_email/data"))
    for c in candidates:
        if c and glob.glob(os.path.join(c, "msg_*.txt")):
            return c
    return None


def mail_counts(metrics_text):
    """{outcome: n} from inquiryd_mail_messages_total in the /metrics text."""
    counts = {}
    for m in re.finditer(r'^inquiryd_mail_messages_total\{account="[^"]*",outcome="([a-z_]+)"\} (\d+)$', metrics_text,
                         re.M):
        counts[m.group(1)] = counts.get(m.group(1), 0) + int(m.group(2))
    return counts


def main():
    with h.Run("mail_corpus", __doc__, budget_seconds=120) as run:
        corpus = find_corpus()
        if not corpus:
            raise h.TestSkipped("CPython's test_email corpus not found (libpython3.11-testsuite)")
        mails = sorted(glob.glob(os.path.join(corpus, "msg_*.txt")))
        maildir = run.path("Maildir")
        for sub in ("new", "cur", "tmp"):
            os.makedirs(os.path.join(maildir, sub))
        for n, path in enumerate(mails):
            shutil.copy(path, os.path.join(maildir, "new", f"1700000000.{n}.corpus"))
        config = run.write_config(extra=f'\n[[adapters.email]]\naccount = "alibaba-electronics"\n'
                                        f'maildir = "{maildir}"\nquarantine = "{run.path("quarantine")}"\n'
                                        'parse_timeout = "5s"\n')
        d = run.daemon(run.path("state"), config).start()
        c = d.client()

        def healthy():
            run.check(c.get("/healthz").status == 200, "inquiryd stays healthy while reading the corpus")

        h.wait_for_empty_dir(os.path.join(maildir, "new"), 90, also=healthy, interval=0.2)
        cur = os.listdir(os.path.join(maildir, "cur"))
        quarantine = os.listdir(run.path("quarantine")) if os.path.isdir(run.path("quarantine")) else []
        kept = [q for q in quarantine if not q.endswith(".reason")]
        reasons = [q for q in quarantine if q.endswith(".reason")]
        run.check(len(cur) + len(kept) == len(mails),
                  f"{len(mails)} mails: {len(cur)} in cur/, {len(kept)} quarantined: some were lost")
        run.check(sorted(r[:-len(".reason")] for r in reasons) == sorted(kept), "every quarantined mail has a .reason")
        for r in reasons:
            with open(run.path("quarantine", r)) as f:
                run.check(f.read().strip(), f"{r} says why")
        counts = mail_counts(c.get("/metrics").body.decode())
        run.check(counts.get("quarantined") == len(kept), f"/metrics mail counts {counts}: {len(kept)} quarantined")
        taken = sum(counts.get(k, 0) for k in ("committed", "duplicate", "not_inquiry"))
        run.check(taken == len(cur), f"/metrics mail counts {counts}: {len(cur)} read into cur/")
        inquiries = c.get("/v1/inquiries?limit=1000").json["inquiries"]
        run.check(0 < len(inquiries) <= len(cur), f"{len(inquiries)} inquiries from {len(cur)} mails read")
        rc, _ = d.stop(timeout=10)
        run.check(rc == 0, f"SIGTERM: exit status {rc}")
        h.log(f"corpus {corpus}: {len(mails)} mails, {len(cur)} read ({len(inquiries)} inquiries), "
              f"{len(kept)} quarantined; /metrics: {counts}")


if __name__ == "__main__":
    sys.exit(main())
