"""The console's two views as the browser test reads and drives them: what a person sees
(cards, countdowns, buttons, lists) found by the page's own ids and classes."""

import math
import re

from harness import log, now_ms, parse_rfc3339_ms
from harness.browser import Browser

# Every card ever shown in "my work", with when it first appeared (the page may re-render).
SEEN_HOOK = """
window.__seen = window.__seen || {};
const list = document.getElementById('my-list');
const note = () => { for (const c of list.querySelectorAll('.card'))
  if (!(c.dataset.id in window.__seen)) window.__seen[c.dataset.id] = Date.now(); };
new MutationObserver(note).observe(list, { childList: true, subtree: true });
note();
"""


def clock_seconds(text):
    """'Fast reply 4:59' -> 299, 'Timely reply 23:59:58' -> 86398, None if no time in it."""
    m = re.search(r"(?:(\d+):)?(\d+):(\d\d)\s*$", text)
    if not m:
        return None
    h, mm, ss = m.groups()
    return int(h or 0) * 3600 + int(mm) * 60 + int(ss)


class Page:
    """A signed-in console tab."""

    def __init__(self, browser: Browser, base, token):
        self.b, self.base, self.token = browser, base, token

    def sign_in(self, timeout=10):
        self.b.grant_notifications(self.base)
        self.b.open(self.base + "/console/")
        self.b.wait_js("document.getElementById('token')", 5, "the sign-in form")
        self.b.type("#token", self.token)
        self.b.click("#signin")
        self.wait_live(timeout)

    def wait_live(self, timeout=10):
        return self.b.wait_js("document.getElementById('live').dataset.state === 'live'", timeout, "the live stream")

    def live_state(self):
        return self.b.js("return document.getElementById('live').dataset.state || '';")

    def press(self, card_css, label, attempts=3):
        """Clicks the button of a card whose text starts with `label` (found again if the
        page replaced the card meanwhile)."""
        from selenium.common.exceptions import StaleElementReferenceException
        for attempt in range(attempts):
            try:
                return self.button(card_css, label).click()
            except StaleElementReferenceException:
                if attempt == attempts - 1:
                    raise

    def button(self, card_css, label):
        """The button of a card whose text starts with `label`."""
        el = self.b.js("""const card = document.querySelector(arguments[0]);
            if (!card) return null;
            return [...card.querySelectorAll('button')].find(b => b.textContent.startsWith(arguments[1])) || null;""",
                       card_css, label)
        if el is None:
            raise AssertionError(f"no button {label!r} in {card_css}")
        return el

    def dialog_choose(self, value=None, text=None, timeout=3):
        """Answers the page's dialog: picks `value` in its list, or types `text`, then OK."""
        self.b.wait_js("document.getElementById('dialog').open", timeout, "the dialog")
        if value is not None:
            self.b.js("const s = document.getElementById('dialog-select'); s.value = arguments[0];", value)
        if text is not None:
            self.b.type("#dialog-input", text)
        self.b.click("#dialog-ok")

    def alert_seqs(self, list_id):
        return self.b.js(f"return [...document.querySelectorAll('#{list_id} li')].map(li => Number(li.dataset.seq));")


class AgentPage(Page):
    def card_css(self, inquiry):
        return f'#my-list .card[data-id="{inquiry}"]'

    def has_card(self, inquiry):
        return bool(self.b.js("return !!document.querySelector(arguments[0]);", self.card_css(inquiry)))

    def wait_card(self, inquiry, timeout, present=True):
        want = "" if present else "!"
        return self.b.wait_js(f"{want}document.querySelector('{self.card_css(inquiry)}')", timeout,
                              f"inquiry {inquiry} {'on' if present else 'gone from'} the page")

    def card_ids(self):
        return self.b.js("return [...document.querySelectorAll('#my-list .card')].map(c => Number(c.dataset.id));")

    def clock(self, inquiry, kind):
        """(text, class) of a countdown of a card."""
        return self.b.js("""const c = document.querySelector(arguments[0] + ' .clock[data-kind="' + arguments[1] + '"]');
            return c ? [c.textContent, c.className] : null;""", self.card_css(inquiry), kind)

    def state_text(self, inquiry):
        return self.b.js("const s = document.querySelector(arguments[0] + ' .state'); return s ? s.textContent : '';",
                         self.card_css(inquiry))

    def select(self, inquiry):
        from selenium.common.exceptions import StaleElementReferenceException
        try:
            self.b.find(self.card_css(inquiry) + " .buyer").click()
        except StaleElementReferenceException:
            self.b.find(self.card_css(inquiry) + " .buyer").click()
        self.b.wait_js(f"document.querySelector('{self.card_css(inquiry)}.selected')", 2, f"{inquiry} selected")

    def install_seen_hook(self):
        self.b.js(SEEN_HOOK)

    def seen(self):
        return {int(k): v for k, v in (self.b.js("return window.__seen || {};") or {}).items()}

    def check_countdown(self, run, inquiry, clocks):
        """Each countdown of the card shows the time left to the server's deadline, rounded up
        to the second (within one second, for the time between reading and looking)."""
        for c in clocks:
            shown = self.clock(inquiry, c["kind"])
            now = now_ms()
            if not run.check(shown, f"inquiry {inquiry}: a {c['kind']} countdown on the card"):
                continue
            left = max(0, math.ceil((parse_rfc3339_ms(c["deadline"]) - now) / 1000))
            seconds = clock_seconds(shown[0])
            late = "breach" in shown[1]
            ok = seconds is not None and (late or abs(seconds - left) <= 1)
            run.check(ok, f"inquiry {inquiry} {c['kind']}: shows {shown[0]!r} ({shown[1]}), {left}s are left")
            log(f"inquiry {inquiry} {c['kind']} countdown: {shown[0]!r}, {left}s left by the server's deadline")


class SupervisorPage(Page):
    def escalation_for(self, inquiry):
        return self.b.js("return !!document.querySelector('#escalations li[data-inquiry=\"' + arguments[0] + '\"]');",
                         str(inquiry))

    def ranking_rows(self):
        """[(name, class)] of the ranking table's rows."""
        return self.b.js("""return [...document.querySelectorAll('#ranking tbody tr')]
            .map(tr => [tr.cells[0].textContent, tr.className]);""")

    def chart_points(self):
        return self.b.js("return document.querySelectorAll('#chart svg circle').length;")

    def risk_ids(self):
        return self.b.js("return [...document.querySelectorAll('#risk-list .card')].map(c => Number(c.dataset.id));")
