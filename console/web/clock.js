// Countdowns to the server's deadlines, on the server's clock: the remaining time is
// shown rounded up to the second (0:00 exactly at the deadline), amber from the warning,
// red from the breach; once replied, the time the reply took.
import { serverNow } from "./api.js";
import { t } from "./i18n.js";
import { el } from "./view.js";

export function fmtDuration(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
}

// The clock's look now: {cls, text}; `inquiry` tells whether a reply stopped it.
export function clockLook(c, inquiry, now) {
  const name = t(c.kind === "fast" ? "clock_fast" : "clock_timely");
  const deadline = Date.parse(c.deadline), warning = Date.parse(c.warning_at);
  const stopped = inquiry.state !== "open" || c.state === "met";
  if (stopped) {
    const replied = inquiry.last_reply_at ? Date.parse(inquiry.last_reply_at) : now;
    const took = replied - Date.parse(c.started_at);
    const ok = replied <= deadline;
    return { cls: ok ? "met" : "missed", text: name + " " + (ok ? "✓ " : "✗ ") + fmtDuration(took) };
  }
  if (now >= deadline) return { cls: "breach", text: name + " " + t("late") + " " + fmtDuration(now - deadline) };
  return { cls: now >= warning ? "warn" : "ok", text: name + " " + fmtDuration(deadline - now) };
}

// A live element: the ticker below updates every one on the page.
export function clockView(c, inquiry) {
  const span = el("span", "clock");
  span.dataset.kind = c.kind;
  span.dataset.deadline = c.deadline;
  span.title = t("deadline_at") + " " + new Date(c.deadline).toLocaleString(document.documentElement.lang);
  span.clockData = c;
  span.inquiry = inquiry;
  paint(span, serverNow());
  return span;
}

function paint(span, now) {
  const look = clockLook(span.clockData, span.inquiry, now);
  const cls = "clock " + look.cls;
  if (span.className !== cls) span.className = cls;
  if (span.textContent !== look.text) span.textContent = look.text;
}

// Queue order, as the router orders its queues: tier, then the fast deadline (passed or
// not) while unanswered, then id; answered ones last.
export function queueOrder(a, b) {
  return (a.tier - b.tier) || (fastDeadline(a) - fastDeadline(b)) || (a.id - b.id);
}

function fastDeadline(q) {
  const c = q.state === "open" && (q.clocks || []).find((x) => x.kind === "fast");
  return c ? Date.parse(c.deadline) : Infinity;
}

// The next deadline still running (the at-risk list), or Infinity.
export function nextDeadline(q) {
  if (q.state !== "open") return Infinity;
  let best = Infinity;
  for (const c of q.clocks || []) {
    if (c.state !== "running") continue;
    best = Math.min(best, Date.parse(c.deadline));
  }
  return best;
}


// How long until the display of a deadline changes: its text flips when the time left
// (or past it) crosses a whole second.
function untilFlip(deadline, now) {
  const r = ((deadline - now) % 1000 + 1000) % 1000;
  return r === 0 ? 1000 : r;
}

// Repaints every countdown on the page, and sleeps until the next one's text changes,
// so each changes within a few milliseconds of the second it shows. Called again after a
// render, it starts over with the new countdowns.
let timer = 0;
export function startTicker() {
  clearTimeout(timer);
  const tick = () => {
    const now = serverNow();
    let wait = 1000;
    for (const span of document.querySelectorAll("span.clock")) {
      if (!span.clockData) continue;
      paint(span, now);
      wait = Math.min(wait, untilFlip(Date.parse(span.clockData.deadline), now));
    }
    for (const span of document.querySelectorAll("[data-until]")) {
      const until = Date.parse(span.dataset.until);
      span.textContent = fmtDuration(until - now);
      wait = Math.min(wait, untilFlip(until, now));
    }
    timer = setTimeout(tick, Math.max(wait + 2, 20));
  };
  tick();
}
