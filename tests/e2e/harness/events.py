"""Events for the end-to-end tests: realistic inbound events built from the fixtures, and
the load that posts them on many keep-alive connections while recording every answer."""

import copy
import json
import random
import threading

from .httpclient import Client, ConnectionFailed
from .util import Deadline, format_rfc3339, now_ms


# ---------------------------------------------------------------------------------------
# Events


def event_key(ev):
    return (ev["channel"], ev["account"], ev["message_id"])


def thread_key(ev):
    return (ev["account"], ev["channel"], ev["thread_id"])


FOLLOW_UP_BODIES = [
    "Hello again, any news about my inquiry above? We need the quotation this week.",
    "Hi, just following up: could you also send the carton size and the lead time?",
    "Guten Tag, haben Sie meine Anfrage erhalten? Bitte um kurze Rückmeldung.",
    "您好，请问上面的询价有结果了吗？谢谢。",
]


class EventFactory:
    """Realistic inbound events built from the fixtures' labelled inquiries, each with a
    unique message_id and (for a new conversation) a unique thread_id."""

    def __init__(self, run, tag):
        self.run = run
        self.tag = tag
        with open(run.fixture("inquiries.dev.jsonl"), encoding="utf-8") as f:
            self.templates = [json.loads(line)["event"] for line in f if line.strip()]
        with open(run.fixture("catalog.json"), encoding="utf-8") as f:
            self.accounts = [a["id"] for a in json.load(f)["accounts"]]
        self.n = 0
        self._lock = threading.Lock()

    def _next(self):
        with self._lock:
            self.n += 1
            return self.n

    def _unique(self, original, n):
        if original.startswith("<") and original.endswith(">"):
            return f"<e2e{self.tag}.{n}.{original[1:]}"
        return f"{original}#e2e{self.tag}.{n}"

    def new_thread(self):
        """The first message of a new conversation (received_at is stamped when sent)."""
        n = self._next()
        template = self.templates[n % len(self.templates)]
        ev = copy.deepcopy(template)
        ev["message_id"] = self._unique(template["message_id"], n)
        ev["thread_id"] = self._unique(template["thread_id"], n)
        ev["direction"] = "inbound"
        ev["received_at"] = None
        ev["_template_message_id"] = template["message_id"]
        return ev

    def follow_up(self, first):
        """Another buyer message in the same conversation, received after `first`."""
        n = self._next()
        ev = {k: copy.deepcopy(v) for k, v in first.items() if not k.startswith("_")}
        ev["message_id"] = self._unique(first["_template_message_id"], n)
        ev["subject"] = "Re: " + (first.get("subject") or "")
        ev["body"] = FOLLOW_UP_BODIES[n % len(FOLLOW_UP_BODIES)]
        ev["attachments"] = 0
        ev["received_at"] = None
        ev["_after"] = first
        return ev


def stamp(ev, rng):
    """Sets received_at to now (UTC) the first time the event is sent; a retry of the same
    message keeps it. Returns the received_at in ms."""
    if ev.get("received_at") is None:
        ms = now_ms()
        with_millis = rng.random() < 0.5
        if not with_millis:
            ms -= ms % 1000
        before = ev.get("_after")
        if before is not None and before.get("_received_ms") is not None and ms <= before["_received_ms"]:
            # A later message of the conversation: strictly after the first one.
            ms, with_millis = before["_received_ms"] + 1, True
        ev["received_at"] = format_rfc3339(ms, with_millis)
        ev["_received_ms"] = ms
    return ev["_received_ms"]


def wire(ev):
    """The event as sent: exactly the fields of FORMAT.md (no test bookkeeping)."""
    return {k: v for k, v in ev.items() if not k.startswith("_")}


def encode_event(ev):
    """The request body for an event: UTF-8 JSON, non-ASCII text as is."""
    return json.dumps(wire(ev), ensure_ascii=False).encode("utf-8")


class Unit:
    """Events of one conversation, sent in order on one connection. With `defer_tail`,
    the messages after the first one are kept for a later phase (after a restart)."""

    def __init__(self, events, defer_tail=False):
        self.events = events
        self.defer_tail = defer_tail


def plan_units(factory, total_events, rng, follow_up_share=0.08, deferred_share=0.5):
    """Units with `total_events` events in all: most conversations have one message, some
    two (half of those with the second message deferred to a later phase)."""
    units, count = [], 0
    while count < total_events:
        first = factory.new_thread()
        if total_events - count >= 2 and rng.random() < follow_up_share:
            units.append(Unit([first, factory.follow_up(first)], defer_tail=rng.random() < deferred_share))
            count += 2
        else:
            units.append(Unit([first]))
            count += 1
    return units


# ---------------------------------------------------------------------------------------
# Load: many connections posting events, every answer recorded


class Ledger:
    """Everything the test knows about the events it sent (thread-safe)."""

    def __init__(self, run):
        self.run = run
        self.lock = threading.Lock()
        self.cv = threading.Condition(self.lock)
        self.events = {}       # key -> event (as sent, with _received_ms)
        self.acked = {}        # key -> inquiry_id: answered 202 or 200 duplicate
        self.accepted = set()  # keys answered 202 at least once
        self.thread_inquiry = {}  # thread key -> inquiry_id
        self.unanswered = 0    # requests sent that got no answer
        self.status_counts = {}
        self.n_acks = 0        # 202 + 200 answers, including duplicates re-posted on purpose

    def note_sent(self, ev):
        with self.lock:
            self.events[event_key(ev)] = ev

    def note_status(self, status):
        with self.lock:
            self.status_counts[status] = self.status_counts.get(status, 0) + 1

    def note_unanswered(self):
        with self.lock:
            self.unanswered += 1

    def note_ack(self, ev, status, body):
        """Checks a 202 / 200 body and records it; returns the inquiry id or None."""
        key = event_key(ev)
        run = self.run
        if not isinstance(body, dict):
            run.fail(f"POST /v1/events {key}: {status} without a JSON object body")
            return None
        iid = body.get("inquiry_id")
        if not isinstance(iid, int) or isinstance(iid, bool) or iid <= 0:
            run.fail(f"POST /v1/events {key}: {status} with inquiry_id {iid!r} (expected a positive integer)")
            return None
        if status == 202:
            run.check(body.get("duplicate") is False,
                      f"POST /v1/events {key}: 202 with duplicate={body.get('duplicate')!r} (expected false)")
            a = body.get("assessment")
            run.check(isinstance(a, dict) and a.get("tier") in (1, 2, 3, 4) and isinstance(a.get("suspect"), bool),
                      f"POST /v1/events {key}: 202 with assessment {a!r} (expected tier 1-4 and suspect bool)")
        else:
            run.check(body.get("duplicate") is True,
                      f"POST /v1/events {key}: 200 with duplicate={body.get('duplicate')!r} (expected true)")
        with self.cv:
            if status == 202 and key in self.accepted:
                run.fail(f"POST /v1/events {key}: a second 202 for the same message (inquiry {iid}); "
                         f"expected 200 duplicate")
            old = self.acked.get(key)
            if old is not None and old != iid:
                run.fail(f"POST /v1/events {key}: inquiry_id {iid}, earlier answered {old}")
            tk = thread_key(ev)
            told = self.thread_inquiry.get(tk)
            if told is not None and told != iid:
                run.fail(f"POST /v1/events {key}: inquiry_id {iid}, but its conversation {tk} is inquiry {told}")
            self.acked.setdefault(key, iid)
            self.thread_inquiry.setdefault(tk, iid)
            if status == 202:
                self.accepted.add(key)
            self.n_acks += 1
            self.cv.notify_all()
        return iid

    def wait_acks(self, n, stop, timeout):
        """Waits until at least n acks were recorded, or `stop` is set, or the timeout."""
        deadline = Deadline(timeout)
        with self.cv:
            while self.n_acks < n and not stop.is_set() and not deadline.expired():
                self.cv.wait(min(0.1, deadline.remaining()) or 0.01)
            return self.n_acks >= n


def post_event(client, ledger, ev, rng, stop, max_503=200):
    """Posts one event until it gets a final answer. Returns 'acked', 'unanswered' or
    'rejected'. 503 is retried after its Retry-After (at most 1 s)."""
    run = ledger.run
    stamp(ev, rng)
    ledger.note_sent(ev)
    body = encode_event(ev)
    for _ in range(max_503):
        try:
            r = client.request("POST", "/v1/events", body=body)
        except ConnectionFailed:
            ledger.note_unanswered()
            return "unanswered"
        ledger.note_status(r.status)
        if r.status in (200, 202):
            return "acked" if ledger.note_ack(ev, r.status, r.json) is not None else "rejected"
        if r.status == 503:
            retry = r.header("Retry-After")
            run.check(retry is not None and retry.strip().isdigit(),
                      f"POST /v1/events: 503 without a numeric Retry-After header ({retry!r})")
            if stop.is_set():
                return "unanswered"
            # The daemon asked for a pause: honour it, bounded.
            stop.wait(min(1.0, float(retry) if retry and retry.strip().isdigit() else 0.2))
            continue
        run.fail(f"POST /v1/events {event_key(ev)}: unexpected {r.status} {r.body[:300]!r}")
        return "rejected"
    run.fail(f"POST /v1/events {event_key(ev)}: still 503 after {max_503} tries")
    return "unanswered"


class LoadPhase:
    """`conns` keep-alive connections take units from a shared list and post them."""

    def __init__(self, run, ledger, port, units, conns=16, final=False, timeout=30):
        self.run = run
        self.ledger = ledger
        self.port = port
        self.units = list(units)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.final = final          # no later phase: deferred messages are sent now
        self.leftover = []          # units not (completely) answered: for the next phase
        self.deferred = []          # second messages kept for the next phase
        self.done_units = 0
        self.timeout = timeout
        self.threads = [threading.Thread(target=self._worker, name=f"load-{i}", daemon=True)
                        for i in range(conns)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def _take(self):
        with self.lock:
            return self.units.pop(0) if self.units else None

    def _worker(self):
        client = Client(self.port, timeout=self.timeout)
        rng = random.Random(self.run.rng.random())
        try:
            while not self.stop.is_set():
                unit = self._take()
                if unit is None:
                    return
                if not self._send_unit(client, unit, rng):
                    return
        except Exception as e:  # a bug in the test itself: report it, do not hang
            self.run.fail(f"load worker crashed: {type(e).__name__}: {e}")
        finally:
            client.close()

    def _send_unit(self, client, unit, rng):
        """Posts a unit's events in order; False when this worker should stop."""
        events = unit.events
        for i, ev in enumerate(events):
            if i > 0 and unit.defer_tail and not self.final:
                with self.lock:
                    self.deferred.append(Unit(events[i:]))
                return True
            if self.stop.is_set():
                with self.lock:
                    self.leftover.append(Unit(events[i:], unit.defer_tail))
                return False
            outcome = post_event(client, self.ledger, ev, rng, self.stop)
            if outcome == "rejected":
                return True
            if outcome == "unanswered":
                with self.lock:
                    self.leftover.append(Unit(events[i:], unit.defer_tail))
                # The daemon is going (or gone): this connection stops here, so that
                # the units it has not taken stay unsent instead of failing one by one.
                return False
        with self.lock:
            self.done_units += 1
        return True

    def join(self, timeout):
        deadline = Deadline(timeout)
        for t in self.threads:
            t.join(deadline.remaining())
        alive = [t.name for t in self.threads if t.is_alive()]
        if alive:
            self.run.fail(f"load threads still running after {timeout}s: {alive} (requests hanging?)")
        # Units never taken go back to the next phase too.
        with self.lock:
            rest, self.units = self.units, []
        return rest
