"""Local webhook receivers for the notifier's end-to-end tests (standard library only).

Each Receiver is an HTTP server on 127.0.0.1:0 that checks one platform's payload and
signature the way that platform documents them, answers as the platform does, and records
every request (arrival time, the alert seqs it carries, what was wrong with it):
  * dingtalk: POST ?timestamp=<ms>&sign=<urlencoded base64(HMAC-SHA256(secret,
    timestamp + "\\n" + secret))>; a wrong sign or a timestamp more than an hour off gets
    {"errcode": 310000}; body msgtype markdown {title, text} + at {atMobiles, isAtAll} or
    actionCard {title, text, singleTitle, singleURL};
  * wecom: msgtype markdown {content} or text {content, mentioned_mobile_list};
  * feishu: body timestamp (seconds, a string) and sign = base64(HMAC-SHA256(key =
    timestamp + "\\n" + secret, message = "")); msg_type interactive {card} or text;
    a bad one gets {"code": 19021};
  * slack: {"text": ..., "blocks": [...]}, answered "ok";
  * telegram: POST /bot<token>/sendMessage {chat_id, text, parse_mode}.
A receiver can also answer 500 for its first `fail_for` seconds, or 429 with Retry-After
to its first request.
"""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.parse


def dingtalk_sign(secret, timestamp_ms):
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def feishu_sign(secret, timestamp_s):
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def seqs_of(header):
    """X-Inquiry-Alert-Seqs: "3-5,9" is 3, 4, 5 and 9."""
    out = []
    for part in filter(None, header.split(",")):
        first, _, last = part.partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


class Request:
    def __init__(self, at, path, headers, body):
        self.at = at
        self.path = path
        self.headers = headers
        self.body = body
        self.json = None
        self.problems = []
        self.seqs = seqs_of(headers.get("X-Inquiry-Alert-Seqs") or "")
        self.delivery_id = headers.get("X-Inquiry-Delivery-Id")
        self.answered = None


def _is_str(v):
    return isinstance(v, str) and v != ""


def check_dingtalk(req, secret):
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(req.path).query)
    ts, sign = (q.get("timestamp") or [""])[0], (q.get("sign") or [""])[0]
    if not ts.isdigit() or not sign:
        return ["no timestamp/sign in the query"], 310000
    if abs(int(ts) - time.time() * 1000) > 3600 * 1000:
        return [f"timestamp {ts} more than an hour off"], 310000
    if not hmac.compare_digest(sign, dingtalk_sign(secret, ts)):  # parse_qs has url-decoded it
        return [f"sign {sign!r} does not match"], 310000
    b, p = req.json, []
    if b.get("msgtype") == "markdown":
        md = b.get("markdown") or {}
        if not (_is_str(md.get("title")) and _is_str(md.get("text"))):
            p.append(f"markdown needs title and text: {b!r}")
        at = b.get("at") or {}
        if not isinstance(at.get("atMobiles"), list) or not isinstance(at.get("isAtAll"), bool):
            p.append(f"at needs atMobiles and isAtAll: {b!r}")
        for m in at.get("atMobiles") or []:
            if f"@{m}" not in md.get("text", ""):
                p.append(f"@{m} is not in the text: DingTalk would not notify")
    elif b.get("msgtype") == "actionCard":
        card = b.get("actionCard") or {}
        for k in ("title", "text", "singleTitle", "singleURL"):
            if not _is_str(card.get(k)):
                p.append(f"actionCard needs {k}: {b!r}")
    else:
        p.append(f"msgtype {b.get('msgtype')!r}")
    return p, 0 if not p else 40035


def check_wecom(req, _secret):
    b, p = req.json, []
    if b.get("msgtype") == "markdown":
        if not _is_str((b.get("markdown") or {}).get("content")):
            p.append(f"markdown needs content: {b!r}")
    elif b.get("msgtype") == "text":
        t = b.get("text") or {}
        if not _is_str(t.get("content")) or not isinstance(t.get("mentioned_mobile_list"), list):
            p.append(f"text needs content and mentioned_mobile_list: {b!r}")
    else:
        p.append(f"msgtype {b.get('msgtype')!r}")
    return p, 0 if not p else 40008


def check_feishu(req, secret):
    b, p = req.json, []
    ts, sign = b.get("timestamp"), b.get("sign")
    if not isinstance(ts, str) or not ts.isdigit() or abs(int(ts) - time.time()) > 3600:
        return [f"timestamp {ts!r} missing or more than an hour off"], 19021
    if not isinstance(sign, str) or not hmac.compare_digest(sign, feishu_sign(secret, ts)):
        return [f"sign {sign!r} does not match"], 19021
    if b.get("msg_type") == "interactive":
        card = b.get("card") or {}
        title = ((card.get("header") or {}).get("title") or {})
        if title.get("tag") != "plain_text" or not _is_str(title.get("content")):
            p.append(f"card header title: {card!r}")
        if not isinstance(card.get("elements"), list) or not card["elements"]:
            p.append("card has no elements")
    elif b.get("msg_type") == "text":
        if not _is_str((b.get("content") or {}).get("text")):
            p.append(f"text needs content.text: {b!r}")
    else:
        p.append(f"msg_type {b.get('msg_type')!r}")
    return p, 0 if not p else 9499 + 1


def check_slack(req, _secret):
    b, p = req.json, []
    if not _is_str(b.get("text")):
        p.append(f"no text: {b!r}")
    if "blocks" in b and not all(isinstance(x, dict) and _is_str(x.get("type")) for x in b["blocks"]):
        p.append(f"blocks: {b['blocks']!r}")
    return p, 0 if not p else 400


def check_telegram(req, token):
    b, p = req.json, []
    if urllib.parse.urlsplit(req.path).path != f"/bot{token}/sendMessage":
        p.append(f"path {req.path!r}")
    if not _is_str(b.get("chat_id")) or not _is_str(b.get("text")) or b.get("parse_mode") != "HTML":
        p.append(f"sendMessage needs chat_id, text, parse_mode HTML: {b!r}")
    return p, 0 if not p else 400


CHECKS = {"dingtalk": check_dingtalk, "wecom": check_wecom, "feishu": check_feishu, "slack": check_slack,
          "telegram": check_telegram}


class Receiver:
    def __init__(self, kind, secret="", fail_for=0.0, retry_after=None):
        self.kind = kind
        self.secret = secret
        self.fail_for = fail_for
        self.retry_after = retry_after
        self.requests = []
        self.lock = threading.Lock()
        self.first_at = None
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers, answer = receiver.handle(self.path, self.headers, body)
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()

    def handle(self, path, headers, body):
        now = time.time()
        req = Request(now, path, {k: v for k, v in headers.items()}, body)
        with self.lock:
            if self.first_at is None:
                self.first_at = now
            first = len(self.requests) == 0
            self.requests.append(req)
        if self.fail_for and now - self.first_at < self.fail_for:
            req.answered = 500
            return 500, [], b"temporarily broken"
        if self.retry_after is not None and first:
            req.answered = 429
            return 429, [("Retry-After", str(self.retry_after))], b'{"ok":false,"error_code":429}'
        try:
            req.json = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            req.problems.append("body is not UTF-8 JSON")
            req.answered = 400
            return 400, [], b"invalid_payload"
        problems, code = CHECKS[self.kind](req, self.secret)
        req.problems += problems
        req.answered = 200 if not problems else 400
        if self.kind in ("dingtalk", "wecom"):
            msg = "ok" if not problems else "; ".join(problems)
            return 200, [("Content-Type", "application/json")], json.dumps({"errcode": code, "errmsg": msg}).encode()
        if self.kind == "feishu":
            return 200, [("Content-Type", "application/json")], json.dumps(
                {"code": code, "msg": "success" if not problems else "; ".join(problems), "data": {}}).encode()
        if self.kind == "telegram":
            if problems:
                return 400, [], json.dumps({"ok": False, "error_code": 400, "description": problems[0]}).encode()
            return 200, [], b'{"ok":true,"result":{"message_id":1}}'
        return (200, [], b"ok") if not problems else (400, [], b"invalid_payload")

    def accepted(self):
        """(arrival time, seq, delivery id) of every alert in an accepted request."""
        with self.lock:
            return [(r.at, s, r.delivery_id) for r in self.requests if r.answered == 200 for s in r.seqs]

    def snapshot(self):
        with self.lock:
            return list(self.requests)
