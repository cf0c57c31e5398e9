"""The alert feed: ONE ZeroMQ subscriber for every e2e test (Debian's python3-zmq and
python3-protobuf, Python code generated from proto/ at test time), with gap detection and
catch-up over GET /v1/alerts?since=, and waits on alerts.

Alerts are plain dicts with the fields of GET /v1/alerts (seq, topic, kind, clock,
inquiry_id, account, agent_id, tier, deadline, fired_at, late, escalates, text), whether
they came live or over HTTP; the subscriber adds "arrived_ms" (wall clock, float ms) to
the ones it received live (None for those it only fetched)."""

import os
import subprocess
import sys
import threading
import time

from .httpclient import Client, ConnectionFailed
from .run import TestSkipped, register, unregister
from .util import Deadline, format_rfc3339, log

TOPICS = ("agent/", "queue/", "escalation/")  # every topic the daemon publishes on
_proto = {}


def load_proto(run):
    """(zmq, alert_pb2): Debian's python3-zmq and the Python code protoc generates from the
    project's proto/ (once per run, into <tmp>/gen). Skips the test without python3-zmq."""
    if "alert_pb2" in _proto:
        return _proto["zmq"], _proto["alert_pb2"]
    try:
        import zmq
        import google.protobuf  # noqa: F401 (python3-protobuf: the generated code needs it)
    except ImportError as e:
        raise TestSkipped(f"python3-zmq or python3-protobuf is not installed ({e})")
    protoc, proto_dir = run.need("protoc", "proto_dir")
    gen = run.path("gen")
    os.makedirs(gen, exist_ok=True)
    protos = sorted(os.path.join("inquiry", "v1", p)
                    for p in os.listdir(os.path.join(proto_dir, "inquiry", "v1")) if p.endswith(".proto"))
    cmd = [protoc, f"-I{os.path.abspath(proto_dir)}", f"--python_out={gen}"] + protos
    if os.path.isdir("/usr/include/google/protobuf"):
        cmd.insert(2, "-I/usr/include")
    subprocess.run(cmd, check=True, cwd=proto_dir, timeout=60)
    sys.path.insert(0, gen)
    from inquiry.v1 import alert_pb2  # generated just now
    _proto.update(zmq=zmq, alert_pb2=alert_pb2)
    return zmq, alert_pb2


def _enum_name(msg, field, prefix):
    """"ALERT_KIND_BREACH" -> "BREACH"; None for the unspecified value (as the daemon)."""
    value = getattr(msg, field)
    name = msg.DESCRIPTOR.fields_by_name[field].enum_type.values_by_number[value].name
    if name.endswith("_UNSPECIFIED"):
        return None
    return name[len(prefix):] if name.startswith(prefix) else name


def _time_text(ts):
    if ts.seconds == 0 and ts.nanos == 0:
        return None
    ms = ts.seconds * 1000 + ts.nanos // 1_000_000
    return format_rfc3339(ms, with_millis=ms % 1000 != 0)


def alert_dict(alert):
    """A protobuf Alert as GET /v1/alerts shows it (the daemon's alert_to_json); one
    published from memory while the store refused writes also has "degraded": True."""
    d = _alert_fields(alert)
    if getattr(alert, "degraded", False):
        d["degraded"] = True
    return d


def _alert_fields(alert):
    return {"seq": alert.seq, "topic": alert.topic, "kind": _enum_name(alert, "kind", "ALERT_KIND_") or "",
            "clock": _enum_name(alert, "clock", "CLOCK_KIND_"), "inquiry_id": alert.inquiry_id,
            "account": alert.account, "agent_id": alert.agent_id or None, "tier": alert.tier,
            "deadline": _time_text(alert.deadline), "fired_at": _time_text(alert.fired_at), "late": alert.late,
            "escalates": _enum_name(alert, "escalates", "ALERT_KIND_"), "text": alert.text}


def matches(alert, **match):
    """True if every key=value of `match` holds: equality, or a callable that returns True
    for the value; topic_prefix="agent/" matches a topic that starts with it."""
    for k, v in match.items():
        if k == "topic_prefix":
            if not alert.get("topic", "").startswith(v):
                return False
        elif callable(v):
            if not v(alert.get(k)):
                return False
        elif alert.get(k) != v:
            return False
    return True


def fetch_alerts(client, since=0, topic="", page=1000):
    """Every stored alert after `since` on `topic` (GET /v1/alerts, page by page):
    (alerts oldest first, the daemon's last_seq). Raises ConnectionFailed, or RuntimeError
    for an answer that is not 200."""
    out = []
    while True:
        r = client.get(f"/v1/alerts?since={since}&limit={page}&topic={topic}")
        if r.status != 200 or not isinstance(r.json, dict):
            raise RuntimeError(f"GET /v1/alerts?since={since}: {r!r}")
        batch = r.json["alerts"]
        out += batch
        if len(batch) < page:
            return out, r.json.get("last_seq", out[-1]["seq"] if out else since)
        since = batch[-1]["seq"]


class Subscriber:
    """A ZeroMQ SUB socket on the daemon's pub_endpoint, on `prefixes` (default: every
    topic), reading in a thread of its own; reconnects by itself across restarts.

    start() returns once the ZeroMQ handshake is done (no slow-joiner sleep). With
    catch_up, a seq gap on the live stream (a message lost while (re)connecting, or at the
    high-water mark) is filled over GET /v1/alerts?since=, and the waits ask the API too, so
    that an alert missed live is still found; `since` back-fills from that seq first
    (default: only alerts after the start). Without catch_up it only records the live
    stream. `problems` lists what the live stream got wrong (malformed messages, a seq
    twice, out of order, a topic frame that differs from the alert's topic)."""

    def __init__(self, daemon, prefixes=None, since=None, catch_up=True):
        self.daemon = daemon
        self.zmq, self.alert_pb2 = load_proto(daemon.run)
        self.prefixes = tuple(prefixes or TOPICS)
        self.since = since
        self.catch_up_enabled = catch_up
        self.problems = []
        self.handshakes = 0
        self._cv = threading.Condition()
        self._live = []          # alert dicts in arrival order
        self._live_seqs = set()
        self._by_seq = {}        # seq -> alert dict: live and fetched, merged
        self._complete_to = None  # every alert on our topics up to this seq is in _by_seq
        self._fetch_lock = threading.Lock()
        self._fetch_wanted = threading.Event()
        self._stopping = threading.Event()
        self._error = None
        self._threads = [threading.Thread(target=self._receive, daemon=True, name="alerts-sub"),
                         threading.Thread(target=self._fetch_loop, daemon=True, name="alerts-catch-up")]

    def __repr__(self):
        return f"alert subscriber on {self.daemon.pub_endpoint} {self.prefixes}"

    # -- lifecycle ---------------------------------------------------------------------
    def start(self, timeout=10):
        register(self)
        for t in self._threads:
            t.start()
        self.wait_connected(1, timeout)
        if self.since is not None:
            self._complete_to = self.since
            self.catch_up()
        elif self.catch_up_enabled:
            c = self._client()
            try:
                _, last = fetch_alerts(c, since=2**63 - 1, page=1)
            finally:
                c.close()
            with self._cv:
                self._complete_to = last if self._complete_to is None else self._complete_to
        return self

    def stop(self):
        self._stopping.set()
        self._fetch_wanted.set()
        for t in self._threads:
            t.join(5)
        unregister(self)

    kill = stop

    def wait_connected(self, count=1, timeout=10):
        """Waits until the subscriber has completed `count` ZeroMQ handshakes in all (a
        restarted daemon is a new handshake)."""
        deadline = Deadline(timeout)
        with self._cv:
            while self.handshakes < count and self._error is None and not deadline.expired():
                self._cv.wait(deadline.remaining())
            if self._error is not None:
                raise RuntimeError(f"alert subscriber: {self._error}")
            if self.handshakes < count:
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for ZeroMQ handshake {count} with "
                                   f"{self.daemon.pub_endpoint}")

    # -- the live stream (its own thread) -------------------------------------------
    def _receive(self):
        zmq = self.zmq
        ctx = zmq.Context()
        sock = ctx.socket(zmq.SUB)
        try:
            sock.setsockopt(zmq.LINGER, 0)
            sock.setsockopt(zmq.RCVHWM, 100_000)
            for p in self.prefixes:
                sock.setsockopt(zmq.SUBSCRIBE, p.encode())
            monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
            sock.connect(self.daemon.pub_endpoint)
        except Exception as e:
            with self._cv:
                self._error = f"{type(e).__name__}: {e}"
                self._cv.notify_all()
            sock.close()
            ctx.term()
            return
        from zmq.utils.monitor import recv_monitor_message
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        poller.register(monitor, zmq.POLLIN)
        try:
            while not self._stopping.is_set():
                ready = dict(poller.poll(20))
                if monitor in ready:
                    event = recv_monitor_message(monitor)
                    if event["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                        with self._cv:
                            self.handshakes += 1
                            self._cv.notify_all()
                if sock in ready:
                    self._drain(sock)
        finally:
            sock.disable_monitor()
            monitor.close()
            sock.close()
            ctx.term()

    def _drain(self, sock):
        while True:
            try:
                frames = sock.recv_multipart(self.zmq.NOBLOCK)
            except self.zmq.Again:
                return
            arrived = time.time_ns() / 1e6
            if len(frames) != 2:
                self._problem(f"a message of {len(frames)} frames")
                continue
            pb = self.alert_pb2.Alert()
            try:
                pb.ParseFromString(frames[1])
            except Exception as e:
                self._problem(f"a payload that is not an inquiry.v1.Alert: {e}")
                continue
            a = alert_dict(pb)
            a["arrived_ms"] = arrived
            frame = frames[0].decode("utf-8", "replace")
            if frame != a["topic"]:
                self._problem(f"seq {a['seq']}: topic frame {frame!r}, alert topic {a['topic']!r}")
            self._take_live(a)

    def _take_live(self, a):
        seq = a["seq"]
        with self._cv:
            if seq in self._live_seqs:
                self._problem(f"seq {seq} received twice on the live stream")
                return
            if self._live and seq < self._live[-1]["seq"]:
                self._problem(f"live seq {seq} arrived after seq {self._live[-1]['seq']}")
            self._live.append(a)
            self._live_seqs.add(seq)
            known = self._by_seq.get(seq)
            if known is None:
                self._by_seq[seq] = dict(a)
            else:
                known["arrived_ms"] = a["arrived_ms"]
            if self._complete_to is not None:
                if seq == self._complete_to + 1:
                    self._complete_to = seq
                elif seq > self._complete_to + 1 and self.catch_up_enabled:
                    self._fetch_wanted.set()  # a gap: fetched in the catch-up thread
            self._cv.notify_all()

    def _problem(self, msg):
        self.problems.append(msg)
        log(f"alert subscriber: {msg}")

    # -- catch-up over HTTP ----------------------------------------------------------
    def _client(self):
        if not self.daemon.port:
            raise ConnectionFailed("the daemon is not running")
        return Client(self.daemon.port, timeout=5)

    def _fetch_loop(self):
        while not self._stopping.is_set():
            self._fetch_wanted.wait()
            self._fetch_wanted.clear()
            if self._stopping.is_set():
                return
            try:
                self.catch_up()
            except (ConnectionFailed, RuntimeError):
                pass  # the daemon is restarting: the next gap, or a wait, asks again

    def catch_up(self):
        """Fetches over HTTP what the live stream has not brought since the last complete
        seq (raises ConnectionFailed if the daemon does not answer)."""
        if self._complete_to is None:
            return
        with self._fetch_lock:
            topic = self.prefixes[0] if len(self.prefixes) == 1 else ""
            c = self._client()
            try:
                fetched, last = fetch_alerts(c, self._complete_to, topic)
            finally:
                c.close()
            with self._cv:
                for a in fetched:
                    if a["topic"].startswith(self.prefixes) and a["seq"] not in self._by_seq:
                        self._by_seq[a["seq"]] = dict(a, arrived_ms=None)
                self._complete_to = max(self._complete_to, last)
                self._cv.notify_all()

    # -- what was received -----------------------------------------------------------
    def live(self):
        """The alerts received live, in arrival order (copies)."""
        with self._cv:
            return [dict(a) for a in self._live]

    def alerts(self, **match):
        """Every alert known (live or fetched), in seq order, that `matches` `match`."""
        with self._cv:
            return [dict(a) for s, a in sorted(self._by_seq.items()) if matches(a, **match)]

    def missed_live(self):
        """Seqs known only over HTTP although they came after the first live alert: lost on
        the live stream (the daemon was restarting, or the high-water mark)."""
        with self._cv:
            if not self._live:
                return []
            first = min(self._live_seqs)
            return sorted(s for s in self._by_seq if s > first and s not in self._live_seqs)

    def wait_for(self, count=1, timeout=10, what=None, poll_http=0.5, **match):
        """Waits until at least `count` known alerts match `match` (see matches(), e.g.
        kind="ASSIGNED", topic="agent/amy/", inquiry_id=7) and returns them all. With
        catch_up it asks the API every `poll_http` seconds too. Raises TimeoutError."""
        deadline = Deadline(timeout)
        next_poll = time.monotonic() + poll_http
        while True:
            found = self.alerts(**match)
            if len(found) >= count:
                return found
            if deadline.expired():
                raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {what or f'{count} alert(s) {match}'}"
                                   f" ({len(found)} so far)")
            if self.catch_up_enabled and time.monotonic() >= next_poll:
                next_poll = time.monotonic() + poll_http
                try:
                    self.catch_up()
                except (ConnectionFailed, RuntimeError):
                    pass
                continue
            wait = deadline.remaining()
            if self.catch_up_enabled:
                wait = min(wait, max(0.0, next_poll - time.monotonic()))
            with self._cv:
                self._cv.wait(wait or 0.01)

    def wait_for_alert(self, kind, topic=None, timeout=10, **match):
        """The first alert of `kind` (on `topic`, if given) that matches `match`."""
        if topic is not None:
            match["topic"] = topic
        return self.wait_for(1, timeout, f"a {kind} alert {match}", kind=kind, **match)[0]
