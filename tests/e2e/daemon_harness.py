"""Shared helpers for the end-to-end tests of the real inquiryd (standard library only).

What lives here:
  * Run: the command line, a temp dir removed at the end, a watchdog that kills every
    daemon and fails the test before CTest's own timeout, and a failure list that lets a
    test report every problem it found instead of only the first one.
  * Daemon: starts the real inquiryd (optionally under a wrapper such as strace) on a
    state dir, waits - bounded - for `<state-dir>/http.port` and GET /healthz, signals it,
    and never leaves it running (finally + atexit + parent-death signal).
  * Client: one keep-alive HTTP/1.1 connection with bounded timeouts.
  * raw_exchange: one raw connection for what http.client will not send (garbage, huge
    bodies, slow clients).
Events and load live in e2e_events.py, the checks of what must be stored in e2e_checks.py.

Daemons must be started from the main thread: the parent-death signal (setpriv
--pdeathsig) fires when the thread that forked exits.
"""

import argparse
import atexit
import calendar
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP_RETURN_CODE = 77

# ---------------------------------------------------------------------------------------
# Small utilities


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Deadline:
    """A bounded wait: remaining() seconds until the deadline, never negative."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def remaining(self):
        return max(0.0, self.end - time.monotonic())

    def expired(self):
        return time.monotonic() >= self.end


def wait_until(predicate, timeout, what, interval=0.02):
    """Polls `predicate` until it returns a truthy value or `timeout` seconds pass.
    Returns the value; raises TimeoutError naming `what` otherwise."""
    deadline = Deadline(timeout)
    while True:
        value = predicate()
        if value:
            return value
        if deadline.expired():
            raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what}")
        time.sleep(min(interval, deadline.remaining()) or interval)


def now_ms():
    return time.time_ns() // 1_000_000


def format_rfc3339(ms, with_millis=True):
    secs, millis = divmod(ms, 1000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs))
    if with_millis:
        text += f".{millis:03d}"
    return text + "Z"


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$")


def parse_rfc3339_ns(text):
    """RFC 3339 text to integer nanoseconds since the epoch (exact), or None."""
    if not isinstance(text, str):
        return None
    m = _RFC3339.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
            and hour < 24 and minute < 60 and second < 60):
        return None
    frac = (m.group(7) or "").ljust(9, "0")
    ns = calendar.timegm((year, month, day, hour, minute, second)) * 1_000_000_000 + int(frac or 0)
    zone = m.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        ns -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60) * 1_000_000_000
    return ns


def is_utc_rfc3339(text):
    return isinstance(text, str) and parse_rfc3339_ns(text) is not None and text.endswith("Z")


# ---------------------------------------------------------------------------------------
# The test run: arguments, temp dir, watchdog, failures

_live_daemons = set()
_live_lock = threading.Lock()


def _kill_all_daemons():
    with _live_lock:
        daemons = list(_live_daemons)
    for d in daemons:
        try:
            d.kill()
        except Exception as e:  # best effort at exit
            print(f"cleanup: could not kill inquiryd: {e}", file=sys.stderr)


atexit.register(_kill_all_daemons)


class TestFailed(Exception):
    pass


class TestSkipped(Exception):
    pass


class Run:
    """One test script's run. Use as `with Run(name, description, budget) as run:`."""

    def __init__(self, name, description, budget_seconds=110, extra_args=None):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--inquiryd", required=True, help="path of the inquiryd binary")
        parser.add_argument("--fixtures", required=True, help="the shared fixtures folder")
        parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
        parser.add_argument("--keep", action="store_true", help="keep the temp dir for debugging")
        if extra_args:
            extra_args(parser)
        self.args = parser.parse_args()
        self.name = name
        self.seed = self.args.seed if self.args.seed is not None else int(time.time() * 1000) % 1_000_000
        self.rng = random.Random(self.seed)
        self.failures = []
        self._fail_lock = threading.Lock()
        self.budget = budget_seconds
        self.tmp = None
        self._watchdog = None
        self._done = threading.Event()

    # -- failures --------------------------------------------------------------------
    def fail(self, msg):
        """Records a failure and goes on (so that the report lists every problem)."""
        with self._fail_lock:
            self.failures.append(msg)
            count = len(self.failures)
        if count <= 50:
            log(f"FAIL: {msg}")
        elif count == 51:
            log("FAIL: (more failures, not printed)")

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return bool(cond)

    def abort(self, msg):
        """A failure after which the test cannot go on."""
        self.fail(msg)
        raise TestFailed(msg)

    # -- paths -----------------------------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def fixture(self, name):
        return os.path.join(self.args.fixtures, name)

    def write_config(self, name="inquiryd.toml", http_extra="", sla=None, log_level="info"):
        sla = sla or {"fast": "5m", "timely": "24h", "fast_warning": "2m", "timely_warning": "4h"}
        lines = [f'catalog = "{self.fixture("catalog.json")}"', ""]
        if http_extra:
            lines += ["[http]", http_extra, ""]
        lines += ["[log]", f'level = "{log_level}"', "", "[sla]"]
        lines += [f'{k} = "{v}"' for k, v in sla.items()]
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def daemon(self, state_dir, config, wrapper=()):
        return Daemon(self, state_dir, config, wrapper)

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self):
        for p in (self.args.inquiryd, self.fixture("catalog.json"), self.fixture("inquiries.dev.jsonl")):
            if not os.path.exists(p):
                log(f"{self.name}: FAILED: missing {p}")
                sys.exit(1)
        # Short: ipc:// endpoints live here and a socket path has at most 107 bytes.
        self.tmp = tempfile.mkdtemp(prefix=f"ir-e2e-{self.name[:10]}-")
        log(f"{self.name}: seed {self.seed} (rerun with --seed {self.seed}), temp dir {self.tmp}")
        self._watchdog = threading.Thread(target=self._watch, daemon=True, name="watchdog")
        self._watchdog.start()
        return self

    def _watch(self):
        if self._done.wait(self.budget):
            return
        log(f"WATCHDOG: {self.name} still running after {self.budget}s: killing inquiryd, failing")
        _kill_all_daemons()
        self._cleanup_tmp()
        os._exit(1)

    def _cleanup_tmp(self):
        if self.tmp and not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __exit__(self, exc_type, exc, tb):
        _kill_all_daemons()
        self._done.set()
        if exc_type is TestSkipped:
            log(f"SKIPPED: {exc}")
            self._cleanup_tmp()
            sys.exit(SKIP_RETURN_CODE)
        if exc_type is not None and exc_type is not TestFailed and not issubclass(exc_type, SystemExit):
            import traceback
            self.failures.append(f"exception: {exc_type.__name__}: {exc}")
            traceback.print_exception(exc_type, exc, tb)
        if self.failures and self.tmp:
            for name in sorted(os.listdir(self.tmp)):
                if name.endswith(".log"):
                    print_tail(os.path.join(self.tmp, name))
        if self.args.keep:
            log(f"temp dir kept: {self.tmp}")
        self._cleanup_tmp()
        if self.failures:
            log(f"{self.name}: FAILED ({len(self.failures)} problem(s)):")
            for f in self.failures[:50]:
                print(f"  - {f}", flush=True)
            sys.exit(1)
        log(f"{self.name}: PASSED")
        sys.exit(0)


def print_tail(path, lines=40):
    try:
        with open(path, "rb") as f:
            data = f.read()[-20000:].decode("utf-8", "replace").splitlines()[-lines:]
    except OSError:
        return
    print(f"----- last lines of {path} -----", flush=True)
    for line in data:
        print(f"  | {line}")
    print("-----", flush=True)


# ---------------------------------------------------------------------------------------
# The daemon


SETPRIV = "/usr/bin/setpriv"


def _die_with_parent():
    """A command prefix that makes what follows die (SIGKILL) when this test process dies,
    even by SIGKILL: util-linux's setpriv sets the parent-death signal, then execs."""
    if os.access(SETPRIV, os.X_OK):
        return [SETPRIV, "--pdeathsig", "KILL", "--"]
    return []


class DaemonDied(Exception):
    pass


class Daemon:
    """One inquiryd process (restartable on the same state dir with start())."""

    _count = 0

    def __init__(self, run, state_dir, config, wrapper=()):
        self.run = run
        self.state_dir = state_dir
        self.config = config
        self.wrapper = list(wrapper)
        self.proc = None
        self.daemon_pid = None
        self.port = None
        self.log_path = None
        os.makedirs(state_dir, exist_ok=True)

    @property
    def db_path(self):
        return os.path.join(self.state_dir, "inquiryd.db")

    def start(self, wrapper=None, timeout=30):
        """Starts inquiryd and waits until it is ready; returns self."""
        assert threading.current_thread() is threading.main_thread(), "start daemons from the main thread"
        if wrapper is not None:
            self.wrapper = list(wrapper)
        Daemon._count += 1
        n = Daemon._count
        port_file = os.path.join(self.state_dir, "http.port")
        if os.path.exists(port_file):
            os.remove(port_file)  # a previous run's port: not a sign of readiness
        self.log_path = self.run.path(f"inquiryd-{n}.log")
        cmd = _die_with_parent()
        if self.wrapper:
            # Under a tracer the daemon is the tracer's child: it dies with the tracer.
            cmd += self.wrapper + _die_with_parent()
        cmd += [self.run.args.inquiryd, "--config", self.config, "--state-dir", self.state_dir,
                "--http-listen", "127.0.0.1:0", "--pub-endpoint", f"ipc://{self.run.path(f'pub-{n}.sock')}"]
        with open(self.log_path, "ab") as logf:
            logf.write((" ".join(cmd) + "\n").encode())
            logf.flush()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT)
        self.daemon_pid = None if self.wrapper else self.proc.pid
        self.port = None
        with _live_lock:
            _live_daemons.add(self)
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
            c = Client(port, timeout=2)
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
            print_tail(self.log_path)
            self.kill()
            self.run.abort(f"inquiryd did not become ready: {e}")
        log(f"inquiryd ready on port {self.port} (pid {self.daemon_pid}, {time.monotonic() - t0:.2f}s)")

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
        """SIGKILL the daemon (and its wrapper) and reap it."""
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
        with _live_lock:
            _live_daemons.discard(self)

    def terminate(self, timeout):
        """SIGTERM; returns (exit status, seconds) or (None, timeout) if it did not exit."""
        t0 = time.monotonic()
        self.signal(signal.SIGTERM)
        rc = self.wait(timeout)
        elapsed = time.monotonic() - t0
        if rc is not None:
            with _live_lock:
                _live_daemons.discard(self)
        return rc, elapsed

    def client(self, timeout=30):
        return Client(self.port, timeout=timeout)


# ---------------------------------------------------------------------------------------
# HTTP


class ConnectionFailed(Exception):
    """No complete response: refused, reset, closed, or timed out."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body.decode("utf-8")) if body else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after a failure.

    A POST is never retried here: the caller decides what an unanswered request means.
    A GET on a reused connection that the server had closed is retried once."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                hdrs = {"Host": "127.0.0.1"}
                if body is not None:
                    hdrs["Content-Type"] = "application/json"
                hdrs.update(headers or {})
                self.conn.request(method, path, body=body, headers=hdrs)
                r = self.conn.getresponse()
                data = r.read()
                resp = Response(r.status, r.getheaders(), data)
                if r.will_close:
                    self.close()
                return resp
            except (OSError, http.client.HTTPException) as e:
                self.close()
                if method == "GET" and reused and attempt == 0 and not isinstance(e, socket.timeout):
                    continue
                raise ConnectionFailed(f"{method} {path}: {type(e).__name__}: {e}") from None

    def get(self, path):
        return self.request("GET", path)

    def post_json(self, path, obj):
        return self.request("POST", path, body=json.dumps(obj, ensure_ascii=False).encode("utf-8"))


# ---------------------------------------------------------------------------------------
# Raw sockets: for what http.client will not send (garbage, huge bodies, slow clients)


class RawResult:
    def __init__(self):
        self.data = bytearray()
        self.closed = False       # the daemon closed (EOF or reset)
        self.reset = False
        self.send_error = None    # the daemon stopped reading (EPIPE / reset while sending)
        self.sent = 0
        self.elapsed = 0.0        # until the response was complete, or the close
        self.status = None
        self.headers = {}
        self.body = b""

    def parse(self):
        """Parses the first response in `data`; True once it is complete."""
        end = self.data.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self.data[:end]).decode("latin-1").split("\r\n")
        m = re.match(r"^HTTP/1\.[01] (\d{3})", head[0])
        self.status = int(m.group(1)) if m else -1
        self.headers = {}
        for line in head[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        length = int(self.headers.get("content-length", "0") or 0)
        self.body = bytes(self.data[end + 4:end + 4 + length])
        return len(self.data) >= end + 4 + length

    @property
    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def __repr__(self):
        what = f"{self.status} {self.body[:200]!r}" if self.status is not None else f"no response ({bytes(self.data[:80])!r})"
        return f"{what}, closed={self.closed}, sent={self.sent}, {self.elapsed:.2f}s"


def raw_exchange(port, data, timeout=10.0, until_close=False, sock=None):
    """Sends `data` on a new connection (or `sock`) while reading what comes back, until the
    response is complete (or, with until_close, until the daemon closes), or `timeout`."""
    import select
    s = sock or socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    res = RawResult()
    t0 = time.monotonic()
    deadline = Deadline(timeout)
    complete = False
    try:
        while not deadline.expired():
            want_write = res.send_error is None and res.sent < len(data)
            r, w, _ = select.select([s], [s] if want_write else [], [], min(0.2, deadline.remaining()))
            if r:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    res.closed = res.reset = True
                    break
                except BlockingIOError:
                    chunk = None
                if chunk == b"":
                    res.closed = True
                    break
                if chunk:
                    res.data += chunk
                    if not complete and res.parse():
                        complete = True
                        res.elapsed = time.monotonic() - t0
                        if not until_close:
                            break
            if w and want_write:
                try:
                    res.sent += s.send(data[res.sent:res.sent + 65536])
                except BlockingIOError:
                    pass
                except (BrokenPipeError, ConnectionResetError) as e:
                    res.send_error = e
    finally:
        if not complete:
            res.parse()
            res.elapsed = time.monotonic() - t0
        elif res.closed:
            res.elapsed = time.monotonic() - t0
        s.close()
    return res
