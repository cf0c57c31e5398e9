"""The real inquiryd: started on a state dir and a config, ready when <state-dir>/http.port
is written and GET /healthz answers 200; signalled, killed, restarted; never left running."""

import http.client
import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time

from . import run as _run
from .httpclient import Client, ConnectionFailed
from .util import log, wait_until

_starts = itertools.count(1)


class DaemonDied(Exception):
    pass


class Daemon:
    """One inquiryd on one state dir, restartable (start() again). Its ZeroMQ endpoint
    (pub_endpoint) stays the same across restarts, so that subscribers reconnect; its HTTP
    port is a new free one at each start unless start(keep_port=True). tls_ca: the daemon
    speaks HTTPS with a certificate that CA (PEM) signed; every client here trusts it."""

    def __init__(self, run, state_dir, config, wrapper=(), number=1, tls_ca=None):
        self.run = run
        self.tls_ca = tls_ca
        self.state_dir = state_dir
        self.config = config
        self.wrapper = list(wrapper)
        self.pub_endpoint = f"ipc://{run.path(f'pub-{number}.sock')}"
        self.proc = None
        self.daemon_pid = None
        self.port = None
        self.log_path = None
        self._http = None
        os.makedirs(state_dir, exist_ok=True)

    def __repr__(self):
        return f"inquiryd on {self.state_dir} (pid {self.daemon_pid or (self.proc and self.proc.pid)})"

    @property
    def db_path(self):
        return os.path.join(self.state_dir, "inquiryd.db")

    # -- start -----------------------------------------------------------------------
    def start(self, wrapper=None, timeout=30, keep_port=False):
        """Starts inquiryd (under `wrapper`, e.g. strace, if given) and waits until it is
        ready; returns self. keep_port: listen on the port of the previous start."""
        assert threading.current_thread() is threading.main_thread(), "start daemons from the main thread"
        if wrapper is not None:
            self.wrapper = list(wrapper)
        listen = f"127.0.0.1:{self.port if keep_port and self.port else 0}"
        port_file = os.path.join(self.state_dir, "http.port")
        if os.path.exists(port_file):
            os.remove(port_file)  # a previous run's port: not a sign of readiness
        self.log_path = self.run.path(f"inquiryd-{next(_starts)}.log")
        cmd = _run.die_with_parent()
        if self.wrapper:
            # Under a tracer the daemon is the tracer's child: it dies with the tracer.
            cmd += self.wrapper + _run.die_with_parent()
        cmd += [self.run.args.inquiryd, "--config", self.config, "--state-dir", self.state_dir,
                "--http-listen", listen, "--pub-endpoint", self.pub_endpoint]
        self._close_http()
        with open(self.log_path, "ab") as logf:
            logf.write((" ".join(cmd) + "\n").encode())
            logf.flush()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT)
        self.daemon_pid = None if self.wrapper else self.proc.pid
        self.port = None
        _run.register(self)
        self.wait_ready(timeout)
        return self

    def _find_daemon_pid(self):
        # The wrapped daemon is a descendant of the wrapper: strace forks it, setpriv execs it.
        binary = os.path.realpath(self.run.args.inquiryd)
        todo = [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    kids = [int(x) for x in f.read().split()]
            except OSError:
                kids = []
            for kid in kids:
                try:
                    if os.path.realpath(f"/proc/{kid}/exe") == binary:
                        return kid
                    with open(f"/proc/{kid}/cmdline", "rb") as f:
                        argv = f.read().split(b"\0")
                    # A script (interpreter + path) counts too; setpriv's own argv does not.
                    if os.fsencode(self.run.args.inquiryd) in argv[:2] and b"setpriv" not in argv[0]:
                        return kid
                except OSError:
                    pass
                todo.append(kid)
        return None

    def _ready(self):
        if self.proc.poll() is not None:
            raise DaemonDied(f"inquiryd exited with {self.proc.returncode} before it was ready "
                             f"(log: {self.log_path})")
        if self.daemon_pid is None:
            self.daemon_pid = self._find_daemon_pid()
            if self.daemon_pid is None:
                return False
        try:
            with open(os.path.join(self.state_dir, "http.port")) as f:
                text = f.read()
        except FileNotFoundError:
            return False
        if not text.endswith("\n") or not text.strip().isdigit():
            return False  # not completely written yet
        port = int(text)
        try:
            c = Client(port, timeout=2, cafile=self.tls_ca)
            r = c.get("/healthz")
            c.close()
        except (OSError, http.client.HTTPException, ConnectionFailed):
            return False
        if r.status == 200 and isinstance(r.json, dict) and r.json.get("status") == "ok":
            self.port = port
            return True
        return False

    def wait_ready(self, timeout=30):
        t0 = time.monotonic()
        try:
            wait_until(self._ready, timeout, "inquiryd's http.port and GET /healthz 200")
        except (TimeoutError, DaemonDied) as e:
            _run.print_tail(self.log_path)
            self.kill()
            self.run.abort(f"inquiryd did not become ready: {e}")
        log(f"inquiryd ready on port {self.port} (pid {self.daemon_pid}, {time.monotonic() - t0:.2f}s)")

    # -- signals and stopping --------------------------------------------------------
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        pid = self.daemon_pid or self.proc.pid
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    def wait(self, timeout):
        """The exit status (negative: killed by that signal), or None if still running."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        """SIGKILL the daemon (and its wrapper) and reap it. The exit status stays in
        proc.returncode (-9 when it was still running)."""
        self._close_http()
        if self.proc is None:
            return
        if self.proc.poll() is None:
            for pid in (self.daemon_pid, self.proc.pid):
                if pid:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"inquiryd (pid {self.proc.pid}) did not die after SIGKILL", file=sys.stderr)
        _run.unregister(self)

    def terminate(self, timeout):
        """SIGTERM; returns (exit status, seconds) or (None, timeout) if it did not exit
        (then it is still running: see stop())."""
        t0 = time.monotonic()
        self._close_http()
        self.signal(signal.SIGTERM)
        rc = self.wait(timeout)
        elapsed = time.monotonic() - t0
        if rc is not None:
            _run.unregister(self)
        return rc, elapsed

    def stop(self, timeout=15):
        """SIGTERM, and SIGKILL if it has not exited after `timeout` seconds: returns
        (exit status or None if it had to be killed, seconds)."""
        rc, secs = self.terminate(timeout)
        if rc is None:
            self.kill()
        return rc, secs

    def restart(self, timeout=15, keep_port=False):
        """stop() then start() on the same state dir: returns the stop's (status, seconds)."""
        result = self.stop(timeout)
        self.start(keep_port=keep_port)
        return result

    # -- HTTP --------------------------------------------------------------------------
    def client(self, timeout=30, source=None):
        """A new keep-alive connection (the caller closes it); source: see Client."""
        return Client(self.port, timeout=timeout, cafile=self.tls_ca, source=source)

    @property
    def http(self):
        """A shared keep-alive connection of the main thread, renewed at each start."""
        if self._http is None:
            self._http = Client(self.port, timeout=30, cafile=self.tls_ca)
        return self._http

    def _close_http(self):
        if self._http is not None:
            self._http.close()
            self._http = None

    def get(self, path):
        return self.http.get(path)

    def post_json(self, path, obj):
        return self.http.post_json(path, obj)

    def metrics(self):
        """GET /metrics as {sample name with its labels: value}."""
        return parse_metrics(self.get("/metrics").body.decode())

    def alerts(self, since=0, topic="", page=1000):
        """Every stored alert after `since` (GET /v1/alerts, page by page), oldest first."""
        from .alerts import fetch_alerts
        return fetch_alerts(self.http, since, topic, page)[0]

    def wait_for_inquiry(self, inquiry_id, state=None, timeout=10, **fields):
        """See waits.wait_for_inquiry."""
        from .waits import wait_for_inquiry
        return wait_for_inquiry(self, inquiry_id, state, timeout, **fields)

    def wait_for_alerts(self, count=1, timeout=10, since=0, what=None, **match):
        """See waits.wait_for_stored_alerts (GET /v1/alerts, no subscriber needed)."""
        from .waits import wait_for_stored_alerts
        return wait_for_stored_alerts(self, count, timeout, since, what, **match)

    def subscribe(self, prefixes=None, since=None, catch_up=True, timeout=10):
        """A started alert Subscriber on this daemon (see alerts.Subscriber)."""
        from .alerts import Subscriber
        return Subscriber(self, prefixes, since=since, catch_up=catch_up).start(timeout)


_SAMPLE = re.compile(r"^([^\s#]+) (\S+)$")


def parse_metrics(text):
    out = {}
    for line in text.splitlines():
        m = _SAMPLE.match(line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out
