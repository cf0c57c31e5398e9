#!/usr/bin/python3
"""End to end: a mail sent with swaks through a real MTA becomes an inquiry and an alert.

exim4 (Debian's exim4-daemon-light) runs as an unprivileged daemon on a free loopback port
with its own config, spool and logs in the temp dir, and delivers every recipient into
<tmp>/Maildir (maildir_format, as its exim user: exim drops root for a -C config). swaks
sends a buyer's inquiry; once the file is in Maildir/new/, the real inquiryd starts with
an [[adapters.email]] table for that Maildir and:
  * GET /v1/inquiries?state=open shows the mail as an open email inquiry of the account,
    with the sender and subject of the mail;
  * the file has moved to Maildir/cur/ (with the seen flag), new/ is empty, nothing is
    quarantined;
  * it is assigned to the one agent configured, with an ASSIGNED alert on agent/lena/, and
    the 2-second "fast" clock then warns her (GET /v1/alerts).
Skipped (77) when exim4 or swaks is missing or the test does not run as root.
"""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness as h  # noqa: E402

ACCOUNT = "alibaba-electronics"
OWN = "sales@seller.example"
BUYER = "j.weber@weber-handel.de"

EXIM_CONF = """\
primary_hostname = mail.test
qualify_domain = mail.test
spool_directory = {tmp}/exim/spool
log_file_path = {tmp}/exim/log/%slog
pid_file_path = {tmp}/exim/exim.pid
local_interfaces = 127.0.0.1
keep_environment =
tls_advertise_hosts =
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = acl_rcpt
begin acl
acl_rcpt:
  accept
begin routers
to_maildir:
  driver = accept
  transport = maildir_delivery
begin transports
maildir_delivery:
  driver = appendfile
  directory = {tmp}/Maildir
  maildir_format
  create_directory
  delivery_date_add
  envelope_to_add
  return_path_add
  user = {user}
  mode = 0644
begin retry
*   *   F,1m,10s
"""


def find_tools():
    exim = shutil.which("exim4") or shutil.which("exim", path="/usr/sbin:/usr/bin")
    swaks = shutil.which("swaks")
    if not exim or not swaks:
        raise h.TestSkipped("exim4 (exim4-daemon-light) or swaks not installed")
    if os.geteuid() != 0:
        raise h.TestSkipped("exim's -bd with a private config needs root")
    return exim, swaks


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exim_user(exim, conf):
    out = subprocess.run([exim, "-C", conf, "-bP", "exim_user"], capture_output=True, text=True, timeout=10)
    name = out.stdout.split("=", 1)[-1].strip() or "Debian-exim"
    return pwd.getpwnam(name)


def start_exim(run, exim):
    tmp = run.tmp
    os.chmod(tmp, 0o755)  # the exim user must reach the Maildir inside
    for d in ("exim/spool", "exim/log", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        os.makedirs(os.path.join(tmp, d), exist_ok=True)
    conf = run.path("exim", "exim.conf")
    with open(conf, "w") as f:
        f.write(EXIM_CONF.format(tmp=tmp, user="root"))
    user = exim_user(exim, conf)
    with open(conf, "w") as f:
        f.write(EXIM_CONF.format(tmp=tmp, user=user.pw_name))
    for d in ("exim/spool", "exim/log", "Maildir", "Maildir/new", "Maildir/cur", "Maildir/tmp"):
        os.chown(os.path.join(tmp, d), user.pw_uid, user.pw_gid)
    port = free_port()
    subprocess.run([exim, "-C", conf, "-bd", "-oX", f"127.0.0.1:{port}", "-oP", run.path("exim", "exim.pid")],
                   check=True, timeout=10)
    stopper = run.defer("exim", lambda: stop_exim(run))  # exim -bd detaches: stopped by its pid file

    def listening():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    h.wait_until(listening, 10, f"exim listening on 127.0.0.1:{port}", interval=0.05)
    return port, stopper


def stop_exim(run):
    try:
        with open(run.path("exim", "exim.pid")) as f:
            os.kill(int(f.read().strip()), signal.SIGTERM)
    except (OSError, ValueError) as e:
        h.log(f"could not stop exim: {e}")


def send(run, swaks, port, message_id):
    body = ("Hello,\n\nwe would like to order 500 pcs of the X9 Smart Watch.\n"
            "What is your best price and the carton size?\n\n"
            "Best regards,\nJonas Weber\nWeber Handel GmbH\nTel: +49 30 1234567\n")
    out = subprocess.run([swaks, "--server", f"127.0.0.1:{port}", "--from", BUYER, "--to", OWN,
                          "--header", "Subject: X9 smart watch - 500 pcs, carton size?",
                          "--header", f"Message-Id: {message_id}",
                          "--header", "From: Jonas Weber <j.weber@weber-handel.de>",
                          "--body", body], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        run.abort(f"swaks failed ({out.returncode}): {out.stdout[-2000:]} {out.stderr[-2000:]}")


def write_config(run):
    return run.write_config(sla={"fast": "2s", "timely": "24h", "fast_warning": "1s", "timely_warning": "4h"},
                            extra="\n[[adapters.email]]\n"
                                  f'account = "{ACCOUNT}"\n'
                                  f'maildir = "{run.path("Maildir")}"\n'
                                  f'quarantine = "{run.path("quarantine")}"\n'
                                  f'own_addresses = ["{OWN}"]\n'
                                  "\n[[agents]]\n"
                                  'id = "lena"\n'
                                  "capacity = 5\n")


def files(run, sub):
    return h.list_dir(run.path("Maildir", sub))


def main():
    with h.Run("mta_delivery", __doc__, budget_seconds=120) as run:
        exim, swaks = find_tools()
        port, exim_stopper = start_exim(run, exim)
        message_id = f"<e2e-{run.seed}@weber-handel.de>"
        send(run, swaks, port, message_id)
        h.wait_for_entries(run.path("Maildir", "new"), 1, timeout=20)  # exim's delivery
        exim_stopper.kill()
        h.log(f"exim delivered {files(run, 'new')}")

        d = run.daemon(run.path("state"), write_config(run)).start()
        client = d.client()
        inq = h.wait_for_inquiries(
            d, lambda i: i.get("thread_id") == message_id or (i.get("sender") or {}).get("email") == BUYER,
            query=f"state=open&account={ACCOUNT}", timeout=20, what="the mail as an open inquiry")
        run.check(inq.get("channel") == "email", f"channel: {inq!r}")
        run.check(inq.get("account") == ACCOUNT, f"account: {inq!r}")
        run.check(inq.get("thread_id") == message_id, f"thread_id {inq.get('thread_id')!r}, want {message_id!r}")
        sender = inq.get("sender") or {}
        run.check(sender.get("email") == BUYER, f"sender: {sender!r}")
        h.wait_until(lambda: not files(run, "new") and files(run, "cur"), 10, "the mail moved to Maildir/cur/")
        cur = files(run, "cur")
        run.check(len(cur) == 1 and cur[0].endswith(":2,S"), f"Maildir/cur: {cur!r}")
        want = f'inquiryd_mail_messages_total{{account="{ACCOUNT}",outcome="committed"}} 1'
        run.check(want in client.get("/metrics").body.decode().splitlines(), f"/metrics has {want}")
        run.check(not os.path.exists(run.path("quarantine")) or not os.listdir(run.path("quarantine")),
                  "something was quarantined")

        run.check(inq.get("owner") == "lena", f"assigned to lena: {inq.get('owner')!r}")
        d.wait_for_alerts(1, 20, what=f"a WARNING for inquiry {inq.get('id')}", kind="WARNING",
                          inquiry_id=inq.get("id"))
        alerts = [a for a in d.alerts() if a.get("inquiry_id") == inq.get("id")]
        kinds = [(a.get("kind"), a.get("topic")) for a in alerts]
        run.check(("ASSIGNED", "agent/lena/") in kinds and ("WARNING", "agent/lena/") in kinds, f"alerts: {kinds}")
        h.log(f"alerts for inquiry {inq.get('id')}: {kinds}")
        rc, secs = d.stop(timeout=10)
        run.check(rc == 0, f"SIGTERM: exit status {rc} after {secs:.1f}s")


if __name__ == "__main__":
    main()
