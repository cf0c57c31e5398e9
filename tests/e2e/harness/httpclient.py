"""HTTP for the e2e tests: one keep-alive HTTP/1.1 connection with bounded timeouts
(Client), and raw exchanges for what http.client will not send (garbage, huge bodies,
slow clients)."""

import http.client
import json
import re
import select
import socket
import ssl
import time

from .util import Deadline


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

    def __init__(self, port, timeout=30, cafile=None, source=None):
        """cafile: speak HTTPS, trusting that CA certificate (PEM). source: the local address
        to connect from (e.g. "127.0.0.9": every 127/8 address is loopback), so that the
        daemon's per-client limits see another client."""
        self.port = port
        self.timeout = timeout
        self.source = (source, 0) if source else None
        self.conn = None
        self.tls = ssl.create_default_context(cafile=cafile) if cafile else None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            reused = self.conn is not None
            if self.conn is None and self.tls is not None:
                self.conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=self.timeout,
                                                        context=self.tls, source_address=self.source)
            elif self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                                       source_address=self.source)
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
