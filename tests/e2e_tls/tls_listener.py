#!/usr/bin/env python3
"""TLS on the HTTP listener, end to end: the real inquiryd with [http] tls_cert/tls_key.

A self-signed certificate is made with `openssl req` in the temp dir (no key is committed).
What it proves:
  * `curl --cacert` gets /healthz over HTTPS; `inquiryctl stats --http https://...
    --cacert` works;
  * plain HTTP to the TLS port gets no HTTP answer, is counted as a failed handshake, and
    the daemon keeps serving;
  * a client that offers at most TLS 1.1 is refused;
  * SIGHUP loads a renewed certificate for new connections;
  * a key file that group or others may read (0644) refuses the start, naming the file.
"""

import os
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from harness import Run, TestSkipped, parse_metrics, raw_exchange, wait_until  # noqa: E402


def make_cert(run, name, cn):
    """A self-signed P-256 certificate for 127.0.0.1 and its key (mode 0600): the paths."""
    cert, key = run.path(f"{name}.crt"), run.path(f"{name}.key")
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", f"/CN={cn}", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cert], capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        run.abort(f"openssl req: {p.stderr}")
    os.chmod(key, 0o600)
    return cert, key


def curl(port, cacert, *extra):
    return subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", cacert, *extra,
                           f"https://127.0.0.1:{port}/healthz"], capture_output=True, text=True, timeout=30)


def handshake_failures(d):
    return parse_metrics(d.get("/metrics").body.decode()).get("http_tls_handshake_failures_total", 0)


def check_https_and_plain(run, d, cert):
    p = curl(d.port, cert)
    run.check(p.returncode == 0 and '"ok"' in p.stdout, f"curl --cacert: exit {p.returncode}: {p.stdout}{p.stderr}")
    before = handshake_failures(d)
    plain = raw_exchange(d.port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout=15, until_close=True)
    run.check(plain.closed and plain.status in (None, -1), f"plain HTTP to the TLS port: {plain!r}")
    run.check(d.alive(), "inquiryd keeps running after plain HTTP on its TLS port")
    wait_until(lambda: handshake_failures(d) >= before + 1, 10, "the plain request counted as a failed handshake")
    r = d.get("/healthz")
    run.check(r.status == 200, f"HTTPS after the plain request: {r!r}")


def check_old_tls_refused(run, d, cert):
    before = handshake_failures(d)
    # SECLEVEL=0 lets this curl offer TLS 1.0/1.1 at all: the refusal must be the daemon's.
    p = curl(d.port, cert, "--tlsv1.0", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0")
    run.check(p.returncode != 0, f"curl --tls-max 1.1 must fail: exit {p.returncode}: {p.stdout}")
    wait_until(lambda: handshake_failures(d) >= before + 1, 10, "the TLS 1.1 attempt refused by the daemon")


def check_stats_cli(run, d, cert):
    ctl = run.need("inquiryctl")
    p = subprocess.run([ctl, "stats", "--http", f"https://127.0.0.1:{d.port}", "--cacert", cert],
                       capture_output=True, text=True, timeout=30)
    run.check(p.returncode == 0, f"inquiryctl stats over https: exit {p.returncode}: {p.stdout}{p.stderr}")


def check_reload(run, d, cert, key):
    shutil.copy(cert, run.path("first.crt"))
    new_cert, new_key = make_cert(run, "renewed", "renewed.inquiry.test")
    os.replace(new_cert, cert)
    os.replace(new_key, key)
    d.signal(signal.SIGHUP)

    def renewed():
        with open(d.log_path, encoding="utf-8", errors="replace") as f:
            return "TLS certificate reloaded: /CN=renewed.inquiry.test" in f.read()
    wait_until(renewed, 10, "the log line of the reloaded certificate")
    p = curl(d.port, cert)
    run.check(p.returncode == 0, f"curl with the renewed certificate after SIGHUP: {p.stderr}")
    p = curl(d.port, run.path("first.crt"))
    run.check(p.returncode != 0, "a new connection no longer gets the first certificate")


def check_key_mode(run, config, key):
    os.chmod(key, 0o644)
    p = run.inquiryd_once("--config", config, "--state-dir", run.path("state-0644"), "--http-listen", "127.0.0.1:0",
                          "--pub-endpoint", f"ipc://{run.path('pub-0644.sock')}")
    out = p.stdout + p.stderr
    run.check(p.returncode != 0, f"a 0644 key must refuse the start: exit {p.returncode}")
    run.check(key in out and "group or others may read it" in out, f"the refusal names the key and why: {out}")


def main():
    with Run("e2e_tls_listener", __doc__, budget_seconds=120) as run:
        for tool in ("openssl", "curl"):
            if shutil.which(tool) is None:
                raise TestSkipped(f"{tool} is not installed")
        cert, key = make_cert(run, "server", "inquiry.test")
        config = run.write_config(http_extra=f'tls_cert = "{cert}"\ntls_key = "{key}"')
        d = run.daemon(config=config, tls_ca=cert).start()
        check_https_and_plain(run, d, cert)
        check_old_tls_refused(run, d, cert)
        check_stats_cli(run, d, cert)
        check_reload(run, d, cert, key)
        rc, _ = d.stop()
        run.check(rc == 0, f"SIGTERM: exit status {rc}")
        check_key_mode(run, config, key)


if __name__ == "__main__":
    main()
