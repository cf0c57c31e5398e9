// What both views share on the page: building elements (text only, never HTML from
// data), messages, the dialog, browser notifications with a sound.
import { t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, ...children) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

export function button(label, key, onClick, cls) {
  const b = el("button", cls || "", label);
  b.type = "button";
  if (key) {
    b.append(el("kbd", "", key));
    b.setAttribute("aria-keyshortcuts", key);
  }
  b.addEventListener("click", onClick);
  return b;
}

// Calls fn(id) once for each id given within `ms`: the alerts and the change of one step
// arrive together, one read of the inquiry answers them all.
export function batcher(fn, ms = 20) {
  const due = new Set();
  let timer = 0;
  return (id) => {
    due.add(id);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const ids = [...due];
      due.clear();
      ids.forEach(fn);
    }, ms);
  };
}

// Puts one element per item in `list`, in order: an item whose data did not change keeps
// its element (and the button under a finger or a pointer), a changed one gets a new one.
export function renderKeyed(list, items, make) {
  const old = new Map([...list.children].map((e) => [e.dataset.key, e]));
  const wanted = items.map((item) => {
    const key = String(item.id), sig = JSON.stringify(item);
    const e = old.get(key);
    if (e && e.sig === sig) return e;
    const fresh = make(item);
    fresh.dataset.key = key;
    fresh.sig = sig;
    return fresh;
  });
  wanted.forEach((e, i) => {
    if (list.children[i] !== e) list.insertBefore(e, list.children[i] || null);
  });
  while (list.children.length > wanted.length) list.lastChild.remove();
}

// ---- messages ----
let bannerTimer = 0;
export function showError(err) {
  const box = $("banner");
  box.textContent = err && err.message ? err.message : String(err);
  box.hidden = false;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => { box.hidden = true; }, 12000);
}

export function toast(text, cls) {
  const d = el("div", "toast " + (cls || ""), text);
  $("toasts").append(d);
  setTimeout(() => d.remove(), 10000);
  while ($("toasts").children.length > 4) $("toasts").firstChild.remove();
}

// ---- the dialog: a choice, a text, or a confirmation; resolves to the value or null ----
export function ask({ title, text, options, input, placeholder }) {
  const dialog = $("dialog");
  $("dialog-title").textContent = title;
  $("dialog-text").textContent = text || "";
  const select = $("dialog-select");
  const field = $("dialog-input");
  select.hidden = !options;
  field.hidden = !input;
  if (options) {
    select.replaceChildren(...options.map(([value, label]) => {
      const o = el("option", "", label);
      o.value = value;
      return o;
    }));
  }
  if (input) {
    field.value = "";
    field.placeholder = placeholder || "";
  }
  $("dialog-ok").disabled = options !== undefined && options.length === 0;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "ok") return resolve(null);
      resolve(options ? select.value : input ? field.value.trim() : true);
    }, { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    (options ? select : input ? field : $("dialog-ok")).focus();
  });
}

// ---- browser notifications and a sound ----
let audio = null;

// Called from a click (browsers allow sound and the permission prompt only after one).
export function enableAlerts() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch (e) {
    audio = null;
  }
  if (window.Notification && Notification.permission === "default") Notification.requestPermission();
}

function beep(times) {
  if (!audio) return;
  for (let i = 0; i < times; i++) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    const at = audio.currentTime + i * 0.25;
    osc.frequency.value = times > 1 ? 988 : 784;
    gain.gain.setValueAtTime(0.15, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.2);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + 0.2);
  }
}

// A notification (when allowed) and a sound; the page shows it too, in any case.
export function notify(title, body, { tag, urgent } = {}) {
  toast(title + ": " + body, urgent ? "urgent" : "");
  beep(urgent ? 3 : 1);
  if (!window.Notification || Notification.permission !== "granted") return;
  try {
    const n = new Notification(title, { body, tag, requireInteraction: !!urgent, lang: document.documentElement.lang });
    n.onclick = () => { window.focus(); n.close(); };
  } catch (e) {
    // Some browsers allow notifications only from a service worker: the toast remains.
  }
}

export function notificationsState() {
  if (!window.Notification) return "unsupported";
  return Notification.permission;
}

export function fmtTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// An alert in a line of words: deadlines as times of day, the router's reason otherwise.
export function alertSummary(a) {
  const clock = t(a.clock === "TIMELY" ? "clock_timely" : "clock_fast");
  const at = fmtTime(a.deadline);
  let text = a.text;
  if (a.kind === "WARNING") text = t("sum_warning", { clock, at });
  if (a.kind === "BREACH") text = t("sum_breach", { clock, at });
  if (a.kind === "ESCALATION") text = t(a.escalates === "WARNING" ? "sum_esc_warning" : "sum_esc_breach", { clock, at });
  return a.late ? text + " · " + t("fired_late") : text;
}

export function pct(x) {
  return (Math.round(x * 1000) / 10).toFixed(1) + "%";
}

export function label(key, fallback) {
  const v = t(key);
  return v === key ? fallback : v;
}
