"""The test run: command line, temp dir, watchdog, failure list, and the registry of
everything started (daemons, helper processes, subscribers) that is stopped at the end."""

import argparse
import atexit
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from .util import log

SKIP_RETURN_CODE = 77
SETPRIV = "/usr/bin/setpriv"


class TestFailed(Exception):
    pass


class TestSkipped(Exception):
    pass


# Everything that must not outlive the test: objects with a kill() method, killed in
# reverse order of registration (subscribers and tails before the daemons they follow).
_live = []
_live_lock = threading.Lock()


def register(thing):
    with _live_lock:
        if thing not in _live:
            _live.append(thing)


def unregister(thing):
    with _live_lock:
        if thing in _live:
            _live.remove(thing)


def kill_everything():
    with _live_lock:
        things = list(reversed(_live))
    for t in things:
        try:
            t.kill()
        except Exception as e:  # best effort at exit
            print(f"cleanup: could not stop {t!r}: {e}", file=sys.stderr)


atexit.register(kill_everything)


def die_with_parent():
    """A command prefix that makes what follows die (SIGKILL) when this test process dies,
    even by SIGKILL: util-linux's setpriv sets the parent-death signal, then execs.
    Processes must be started from the main thread: the signal fires when the thread that
    forked exits."""
    if os.access(SETPRIV, os.X_OK):
        return [SETPRIV, "--pdeathsig", "KILL", "--"]
    return []


class Helper:
    """A helper process (e.g. `inquiryctl tail`) with its stdout and stderr in files of the
    temp dir (<name>.out, <name>.err); killed at the end of the run if still running."""

    def __init__(self, run, name, cmd):
        assert threading.current_thread() is threading.main_thread(), "start processes from the main thread"
        self.name, self.cmd = name, list(cmd)
        self.out_path, self.err_path = run.path(f"{name}.out"), run.path(f"{name}.err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(die_with_parent() + self.cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        register(self)

    @property
    def returncode(self):
        return self.proc.returncode

    def wait(self, timeout):
        """The exit status, or None if it is still running after `timeout` seconds."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        unregister(self)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        unregister(self)

    def stdout(self):
        with open(self.out_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def __repr__(self):
        return f"helper {self.name} (pid {self.proc.pid})"


class _Deferred:
    """A clean-up action (e.g. stopping an MTA the test started) run once, at the latest
    when the run ends."""

    def __init__(self, name, fn):
        self.name, self._fn, self._done = name, fn, False

    def kill(self):
        if not self._done:
            self._done = True
            unregister(self)
            self._fn()

    def __repr__(self):
        return self.name


class Run:
    """One test script's run. Use as `with Run(name, description, budget) as run:`.

    Every e2e script takes the same command line (CMake passes all of it): --inquiryd and
    --fixtures (required), --inquiryctl, --protoc and --proto-dir (for the tests that need
    them), --seed N to replay a run and --keep to keep the temp dir."""

    def __init__(self, name, description, budget_seconds=110, extra_args=None):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--inquiryd", required=True, help="path of the inquiryd binary")
        parser.add_argument("--fixtures", required=True, help="the shared fixtures folder")
        parser.add_argument("--inquiryctl", help="path of the inquiryctl binary")
        parser.add_argument("--protoc", help="protoc, to generate Python code from proto/")
        parser.add_argument("--proto-dir", help="the project's proto/ folder")
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
        self._done = threading.Event()
        self._daemons = 0

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

    # -- paths, files, processes -----------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def fixture(self, name):
        return os.path.join(self.args.fixtures, name)

    def need(self, *options):
        """The values of command-line options this test needs (e.g. "inquiryctl")."""
        values = [getattr(self.args, o) for o in options]
        missing = [f"--{o.replace('_', '-')}" for o, v in zip(options, values) if not v]
        if missing:
            self.abort(f"{self.name} needs {' '.join(missing)}")
        return values[0] if len(values) == 1 else values

    def write_config(self, name="inquiryd.toml", http_extra="", sla=None, log_level="info", extra=""):
        """A config on the fixtures' catalogue; `extra` (TOML tables) is appended."""
        sla = sla or {"fast": "5m", "timely": "24h", "fast_warning": "2m", "timely_warning": "4h"}
        lines = [f'catalog = "{self.fixture("catalog.json")}"', ""]
        # Every test's load comes from one address: no per-client limits unless it sets them.
        http = [http_extra] if http_extra else []
        for key in ("rate_per_client", "max_connections_per_client"):
            if key not in http_extra:
                http.append(f"{key} = 0")
        lines += ["[http]", *http, ""]
        lines += ["[log]", f'level = "{log_level}"', "", "[sla]"]
        lines += [f'{k} = "{v}"' for k, v in sla.items()]
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n" + extra)
        return path

    def daemon(self, state_dir=None, config=None, wrapper=(), tls_ca=None):
        """A Daemon (not started) on `state_dir` (default <tmp>/state) and `config`
        (default: write_config()); tls_ca: it speaks HTTPS, trust that CA certificate."""
        from .daemon import Daemon
        self._daemons += 1
        return Daemon(self, state_dir or self.path("state"), config or self.write_config(), wrapper,
                      number=self._daemons, tls_ca=tls_ca)

    def spawn(self, name, cmd):
        """Starts a helper process (see Helper); it never outlives the run."""
        return Helper(self, name, cmd)

    def defer(self, name, fn):
        """Runs `fn` when the run ends (or earlier, at the handle's kill()): the handle."""
        d = _Deferred(name, fn)
        register(d)
        return d

    def inquiryd_once(self, *args, timeout=20):
        """Runs inquiryd to completion (e.g. --check-config, or a start that must fail):
        a subprocess.CompletedProcess with text stdout and stderr."""
        return subprocess.run(die_with_parent() + [self.args.inquiryd, *args],
                              capture_output=True, text=True, timeout=timeout)

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self):
        for p in (self.args.inquiryd, self.fixture("catalog.json"), self.fixture("inquiries.dev.jsonl")):
            if not os.path.exists(p):
                log(f"{self.name}: FAILED: missing {p}")
                sys.exit(1)
        # Short: ipc:// endpoints live here and a socket path has at most 107 bytes.
        self.tmp = tempfile.mkdtemp(prefix=f"ir-e2e-{self.name[:10]}-")
        log(f"{self.name}: seed {self.seed} (rerun with --seed {self.seed}), temp dir {self.tmp}")
        threading.Thread(target=self._watch, daemon=True, name="watchdog").start()
        return self

    def _watch(self):
        if self._done.wait(self.budget):
            return
        log(f"WATCHDOG: {self.name} still running after {self.budget}s: killing inquiryd, failing")
        kill_everything()
        self._cleanup_tmp()
        os._exit(1)

    def _cleanup_tmp(self):
        if self.tmp and not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __exit__(self, exc_type, exc, tb):
        kill_everything()
        self._done.set()
        if exc_type is TestSkipped:
            log(f"SKIPPED: {exc}")
            self._cleanup_tmp()
            sys.exit(SKIP_RETURN_CODE)
        if exc_type is not None and exc_type is not TestFailed and not issubclass(exc_type, SystemExit):
            self.failures.append(f"exception: {exc_type.__name__}: {exc}")
            traceback.print_exception(exc_type, exc, tb)
        if self.failures and self.tmp:
            for name in sorted(os.listdir(self.tmp)):
                if name.endswith(".log") or name.endswith(".err"):
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
    if not data:
        return
    print(f"----- last lines of {path} -----", flush=True)
    for line in data:
        print(f"  | {line}")
    print("-----", flush=True)
