#!/usr/bin/python3
"""Renders docs/img/notify-messages.png: the sample message of `inquiryctl notify test` as a
Slack incoming webhook (en) and a DingTalk markdown robot (zh) show it.

The payloads are the real ones: inquiryctl posts them to a receiver on 127.0.0.1 started
here. Their Slack mrkdwn and DingTalk markdown are turned into HTML styled like the two
apps, and headless Chromium (Debian's chromium and chromium-driver, python3-selenium)
takes the picture.

    scripts/notify_screenshot.py --inquiryctl build-x/bin/inquiryctl [--out docs/img/notify-messages.png]
"""

import argparse
import html
import http.server
import json
import os
import re
import subprocess
import tempfile
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


class Receiver(http.server.ThreadingHTTPServer):
    """Answers every POST as the platform would on success and keeps the bodies by path."""

    def __init__(self):
        self.bodies = {}
        super().__init__(("127.0.0.1", 0), self.Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.server.bodies[self.path.split("?")[0]] = json.loads(body)
            answer = b'{"errcode":0,"errmsg":"ok"}' if "robot" in self.path else b"ok"
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass


def payloads(inquiryctl, receiver):
    base = f"http://127.0.0.1:{receiver.server_port}"
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "inquiryd.toml")
        with open(config, "w") as f:
            f.write(f'state_dir = "{tmp}/state"\n[notify]\nconsole_url = "https://console.example/"\n\n'
                    f'[[notify.destinations]]\nname = "slack"\nkind = "slack"\nurl = "{base}/slack"\n'
                    'allow_plain_http = true\n\n'
                    f'[[notify.destinations]]\nname = "dingtalk"\nkind = "dingtalk"\n'
                    f'url = "{base}/robot/send?access_token=x"\nsecret = "SECsample"\nlanguage = "zh"\n'
                    'allow_plain_http = true\n')
        os.chmod(config, 0o600)  # a secret inline: refused while every user may read the file
        for name in ("slack", "dingtalk"):
            subprocess.run([inquiryctl, "notify", "test", name, "--config", config], check=True,
                           capture_output=True, timeout=30)
    return receiver.bodies["/slack"], receiver.bodies["/robot/send"]


def slack_html(payload):
    """Slack's header block, then its mrkdwn section: *bold*, _italic_, <url|text>."""
    title = html.escape(payload["blocks"][0]["text"]["text"])
    text = html.escape(payload["blocks"][1]["text"]["text"], quote=False)
    text = re.sub(r"&lt;(https?://[^|]+)\|([^&]+)&gt;", r'<a href="\1">\2</a>', text)
    text = re.sub(r"\*([^*\n]+)\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w/])_([^_\n]+)_(?!\w)", r'<span class="context">\1</span>', text)
    return f'<div class="header">{title}</div><div class="mrkdwn">{text.replace(chr(10), "<br>")}</div>'


def dingtalk_html(payload):
    """The markdown DingTalk renders: headings, list items, **bold**, [text](url)."""
    out, items = [], []

    def inline(s):
        s = html.escape(s, quote=False)
        s = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", s)
        return re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r'<a href="\2">\1</a>', s)

    for line in payload["markdown"]["text"].split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{inline(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        heading = re.match(r"^(#{1,6}) (.*)", line)
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif line.strip():
            out.append(f"<p>{inline(line)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #fff; font-family: Lato, "Noto Sans", "Noto Sans CJK SC", sans-serif; }}
#shot {{ display: flex; gap: 16px; padding: 16px; width: 960px; box-sizing: border-box; background: #eceff3; }}
.pane {{ flex: 1; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 3px rgba(0,0,0,.15); }}
.bar {{ font-size: 12px; color: #fff; padding: 6px 12px; }}
.slack .bar {{ background: #3f0e40; }} .dingtalk .bar {{ background: #1677ff; }}
.slack .body {{ background: #fff; padding: 12px 14px; display: flex; gap: 10px; font-size: 15px; color: #1d1c1d; }}
.avatar {{ width: 36px; height: 36px; border-radius: 6px; background: #1a7f64; color: #fff; font-weight: bold;
           display: flex; align-items: center; justify-content: center; font-size: 13px; flex: none; }}
.who b {{ font-weight: 900; }} .who .app {{ font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px;
           border-radius: 2px; margin: 0 4px; }} .who .time {{ color: #616061; font-size: 12px; }}
.header {{ font-weight: 900; font-size: 17px; margin: 6px 0 4px; }}
.mrkdwn {{ line-height: 1.45; }} .context {{ color: #616061; font-size: 13px; }}
a {{ color: #1264a3; text-decoration: none; }}
.dingtalk .body {{ background: #f2f3f5; padding: 12px 14px; display: flex; gap: 10px; }}
.dingtalk .avatar {{ background: #1677ff; border-radius: 50%; }}
.bubble {{ background: #fff; border-radius: 8px; padding: 4px 14px 8px; font-size: 14px; color: #171a1d;
           line-height: 1.6; max-width: 390px; }}
.bubble h4 {{ font-size: 16px; margin: 8px 0 4px; }} .bubble h6 {{ font-size: 12px; color: #8f959e; margin: 6px 0 0; }}
.bubble ul {{ margin: 4px 0; padding-left: 20px; }} .bubble p {{ margin: 4px 0; }}
.name {{ font-size: 12px; color: #8f959e; margin-bottom: 3px; }}
</style></head><body><div id="shot">
<div class="pane slack"><div class="bar">Slack · #sales-alerts (incoming webhook, en)</div><div class="body">
<div class="avatar">IR</div><div><div class="who"><b>inquiryd</b><span class="app">APP</span>
<span class="time">10:42</span></div>{slack}</div></div></div>
<div class="pane dingtalk"><div class="bar">钉钉 · 销售群 (custom robot, markdown, zh)</div><div class="body">
<div class="avatar">IR</div><div><div class="name">inquiryd 机器人</div><div class="bubble">{dingtalk}</div></div>
</div></div></div></body></html>"""


def screenshot(page, out):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,800",
                "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        driver.get("file://" + page)
        driver.find_element(By.ID, "shot").screenshot(out)
    finally:
        driver.quit()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inquiryctl", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "docs", "img",
                                                  "notify-messages.png"))
    args = ap.parse_args()
    receiver = Receiver()
    slack, dingtalk = payloads(args.inquiryctl, receiver)
    receiver.shutdown()
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "messages.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(PAGE.format(slack=slack_html(slack), dingtalk=dingtalk_html(dingtalk)))
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        screenshot(page, os.path.abspath(args.out))
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
