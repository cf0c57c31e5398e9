"""Bounded waits on what a test can observe: files and folders, an inquiry's state, the
stored alerts. Each raises TimeoutError naming what it waited for."""

import os

from .alerts import fetch_alerts, matches
from .util import wait_until


def wait_for_file(path, timeout=10):
    """Waits until `path` exists."""
    return wait_until(lambda: os.path.exists(path), timeout, f"{path} to appear")


def wait_for_no_file(path, timeout=10):
    """Waits until `path` no longer exists."""
    return wait_until(lambda: not os.path.exists(path), timeout, f"{path} to disappear")


def list_dir(path):
    """The names in a folder, sorted ([] if it does not exist)."""
    try:
        return sorted(os.listdir(path))
    except FileNotFoundError:
        return []


def wait_for_entries(path, count=1, timeout=10):
    """Waits until the folder `path` holds at least `count` entries; returns their names."""
    return wait_until(lambda: len(list_dir(path)) >= count and list_dir(path), timeout,
                      f"{count} entr{'y' if count == 1 else 'ies'} in {path}")


def wait_for_empty_dir(path, timeout=10, also=None, interval=0.02):
    """Waits until the folder `path` is empty (or gone). `also` is called at every poll
    (e.g. to check that the daemon stays healthy meanwhile)."""
    def empty():
        if also is not None:
            also()
        return not list_dir(path)
    return wait_until(empty, timeout, f"{path} to empty", interval=interval)


def read_lines(path):
    """The complete, non-empty lines of a text file ([] if it does not exist)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    if not text.endswith("\n"):
        text = text[:text.rfind("\n") + 1]  # a line still being written does not count
    return [line for line in text.splitlines() if line.strip()]


def wait_for_lines(path, count, timeout=10):
    """Waits until the text file `path` has at least `count` complete non-empty lines."""
    return wait_until(lambda: len(read_lines(path)) >= count and read_lines(path), timeout,
                      f"{count} line(s) in {path}")


def wait_for_inquiry(daemon, inquiry_id, state=None, timeout=10, **fields):
    """Waits until GET /v1/inquiries/{id} answers 200 with `state` (if given) and every
    field=value of `fields` (a callable value is a predicate); returns the body."""
    want = dict(fields)
    if state is not None:
        want["state"] = state

    def reached():
        r = daemon.get(f"/v1/inquiries/{inquiry_id}")
        return r.status == 200 and isinstance(r.json, dict) and matches(r.json, **want) and r.json

    return wait_until(reached, timeout, f"inquiry {inquiry_id} with {want}", interval=0.05)


def wait_for_inquiries(daemon, pred, query="state=open&limit=1000", timeout=10, what="an inquiry"):
    """Waits until an inquiry of GET /v1/inquiries?`query` satisfies `pred`; returns it."""
    def found():
        r = daemon.get(f"/v1/inquiries?{query}")
        if r.status != 200 or not isinstance(r.json, dict):
            return None
        return next((i for i in r.json.get("inquiries", []) if pred(i)), None)

    return wait_until(found, timeout, what, interval=0.05)


def wait_for_stored_alerts(daemon, count=1, timeout=10, since=0, what=None, **match):
    """Waits until at least `count` alerts stored after `since` (GET /v1/alerts) match
    `match` (see alerts.matches); returns them all. For tests without a subscriber."""
    def found():
        got = [a for a in fetch_alerts(daemon.http, since)[0] if matches(a, **match)]
        return len(got) >= count and got

    return wait_until(found, timeout, what or f"{count} stored alert(s) {match}", interval=0.05)
