"""Small utilities of the e2e harness: the log, bounded waits, RFC 3339 times."""

import calendar
import re
import time


def log(msg):
    now = time.time()
    print(f"[{time.strftime('%H:%M:%S', time.localtime(now))}.{int(now * 1000) % 1000:03d}] {msg}", flush=True)


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


def sleep_until_ms(moment_ms):
    """Lets time pass until a moment of the test's own timeline (wall clock, ms). Only for
    tests whose point is that time passes (SLA clocks firing, a daemon down past a
    deadline); to wait for something to happen, use wait_until or the waits."""
    delay = (moment_ms - now_ms()) / 1000
    if delay > 0:
        time.sleep(delay)


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


def parse_rfc3339_ms(text):
    """RFC 3339 text to ms since the epoch (rounded to the nearest ms), or None."""
    ns = parse_rfc3339_ns(text)
    return None if ns is None else (ns + 500_000) // 1_000_000


def is_utc_rfc3339(text):
    return isinstance(text, str) and parse_rfc3339_ns(text) is not None and text.endswith("Z")
