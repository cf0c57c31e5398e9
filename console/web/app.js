// The console: token in sessionStorage, every call with `Authorization: Bearer`, the
// alert stream read with fetch (EventSource cannot send the header), resumed by seq.
"use strict";
const L = {
  en: { title: "Inquiry Router", paste: "Paste your token", signin: "Sign in", logout: "Log out", mine: "My inquiries",
        escalations: "Escalations", queues: "Queues", ranking: "Reply-time ranking", accept: "Accept",
        replied: "Replied", decline: "Decline", none: "Nothing waiting.", fast: "5 min", timely: "24 h",
        tier: "tier", depth: "depth", oldest: "oldest deadline", badtoken: "The token was refused: " },
  zh: { title: "询盘路由", paste: "粘贴您的令牌", signin: "登录", logout: "退出", mine: "我的询盘",
        escalations: "升级", queues: "队列", ranking: "回复时效排名", accept: "接受", replied: "已回复",
        decline: "拒绝", none: "暂无待处理。", fast: "5 分钟", timely: "24 小时", tier: "等级", depth: "数量",
        oldest: "最早截止", badtoken: "令牌被拒绝：" },
};
let lang = (sessionStorage.getItem("lang") || navigator.language || "en").startsWith("zh") ? "zh" : "en";
const t = (k) => L[lang][k] || k;
const $ = (id) => document.getElementById(id);
const state = { me: null, seq: 0, inquiries: new Map(), tiers: new Map(), escalations: [], stop: false };

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method, headers: { Authorization: "Bearer " + sessionStorage.getItem("token"),
                       ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(res.status + " " + (data.error || res.statusText) + (data.field ? " (" + data.field + ")" : ""));
  return data;
}

function notify(text) {
  const d = el("div", "", text);
  $("notice").append(d);
  setTimeout(() => d.remove(), 15000);
  if (window.Notification && Notification.permission === "granted") new Notification("Inquiry Router", { body: text });
}

function left(ms) {
  const s = Math.round(ms / 1000), a = Math.abs(s);
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), r = a % 60;
  const txt = (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(r).padStart(2, "0");
  return s < 0 ? "-" + txt : txt;
}

function clockView(c, stopped) {
  const span = el("span", "clock");
  const tick = () => {
    const now = Date.now(), dl = Date.parse(c.deadline), warn = Date.parse(c.warning_at);
    span.className = "clock" + (stopped ? " stopped" : now >= dl ? " breach" : now >= warn ? " warn" : "");
    span.textContent = t(c.kind) + " " + (stopped ? "✓ " + c.state : left(dl - now));
  };
  tick();
  span.tick = tick;
  return span;
}

function visible(q) {
  if (!state.me || state.me.role !== "agent") return q.state !== "resolved";
  return q.owner === state.me.id && q.state !== "resolved";
}

function renderInquiries() {
  const box = $("inquiries");
  box.replaceChildren();
  const rows = [...state.inquiries.values()].filter(visible);
  if (!rows.length) box.append(el("p", "", t("none")));
  for (const q of rows) {
    const card = el("div", "card");
    card.dataset.id = q.id;
    const top = el("div", "top");
    const tier = state.tiers.get(q.id);
    top.append(el("b", "", "#" + q.id + " " + q.channel + " · " + q.account),
               el("span", "", (tier ? t("tier") + " " + tier + " · " : "") + (q.owner || q.queue || "")),
               el("span", "state", q.state));
    const who = q.sender ? (q.sender.name || q.sender.display_name || q.sender.address || q.sender.id || "") : "";
    const clocks = el("div", "clocks");
    const stopped = q.state !== "open" && q.state !== "accepted" && q.state !== "offered";
    for (const c of q.clocks || []) clocks.append(clockView(c, stopped || c.state === "met" || c.state === "stopped"));
    const actions = el("div", "actions");
    for (const [k, path] of [["accept", "accept"], ["replied", "reply"], ["decline", "decline"]]) {
      const b = el("button", "", t(k));
      b.dataset.act = path;
      b.onclick = () => act(q.id, path);
      actions.append(b);
    }
    card.append(top, el("div", "", who + (q.buyer_messages ? " · " + q.buyer_messages + " msg" : "")), clocks, actions);
    box.append(card);
  }
}

async function act(id, path) {
  try {
    await api("POST", "/v1/inquiries/" + id + "/" + path, path === "decline" ? { reason: "busy" } : {});
    await refreshInquiry(id);
  } catch (e) { notify(e.message); }
}

async function refreshInquiry(id) {
  const q = await api("GET", "/v1/inquiries/" + id);
  state.inquiries.set(q.id, q.inquiry || q);
  renderInquiries();
}

async function loadAll() {
  const data = await api("GET", "/v1/inquiries?limit=200");
  state.inquiries.clear();
  for (const q of data.inquiries) state.inquiries.set(q.id, q);
  renderInquiries();
  if (state.me && state.me.role !== "agent") await loadSupervisor();
}

function table(rows) {
  const tb = el("table");
  if (!rows.length) return tb;
  const cols = Object.keys(rows[0]).filter((k) => typeof rows[0][k] !== "object");
  const head = el("tr");
  for (const c of cols) head.append(el("th", "", c));
  tb.append(head);
  for (const r of rows) {
    const tr = el("tr", r.below_team ? "below" : "");
    for (const c of cols) tr.append(el("td", "", typeof r[c] === "number" && !Number.isInteger(r[c]) ? r[c].toFixed(2) : String(r[c])));
    tb.append(tr);
  }
  return tb;
}

async function loadSupervisor() {
  $("sup").hidden = false;
  const [queues, stats] = await Promise.all([api("GET", "/v1/queues"), api("GET", "/v1/stats/replies")]);
  $("queues").replaceChildren(table(queues.queues));
  $("ranking").replaceChildren(table(stats.agents), table(stats.accounts));
  const ul = $("escalations");
  ul.replaceChildren(...state.escalations.slice(-20).reverse().map((a) => el("li", "", a.kind + " #" + a.inquiry_id + " " + a.account + " — " + a.text)));
}

function onAlert(a) {
  if (a.tier) state.tiers.set(a.inquiry_id, a.tier);
  if (a.kind === "WARNING" || a.kind === "BREACH" || a.kind === "ASSIGNED") {
    const mine = !state.me || state.me.role !== "agent" || a.agent_id === state.me.id;
    if (mine && !state.replaying) notify(a.kind + " #" + a.inquiry_id + ": " + a.text);
  }
  if (a.kind.startsWith("ESCALAT") || a.escalates) state.escalations.push(a);
  refreshInquiry(a.inquiry_id).catch(() => {});
  if (state.me && state.me.role !== "agent") loadSupervisor().catch(() => {});
}

function onEvent(ev) {
  if (ev.event === "hello") {
    const first = !state.me;
    state.me = JSON.parse(ev.data);
    $("who").textContent = state.me.id + " (" + state.me.role + ")";
    if (first) loadAll().catch((e) => notify(e.message));
  } else if (ev.event === "alert") {
    state.seq = Math.max(state.seq, Number(ev.id));
    sessionStorage.setItem("seq", String(state.seq));
    onAlert(JSON.parse(ev.data));
  }
}

// One pass over the stream: the backlog after state.seq; then reconnect after `retry`.
async function readStream() {
  const res = await fetch("/v1/stream", { headers: { Authorization: "Bearer " + sessionStorage.getItem("token"),
                                                    "Last-Event-ID": String(state.seq) } });
  if (res.status === 401 || res.status === 403) throw Object.assign(new Error((await res.json()).error), { auth: true });
  if (!res.ok) throw new Error("stream " + res.status);
  const reader = res.body.getReader(), dec = new TextDecoder();
  let buf = "", retry = 500;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i); buf = buf.slice(i + 2);
      const ev = { event: "message", data: "", id: null };
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const [k, ...rest] = line.split(":"); const v = rest.join(":").replace(/^ /, "");
        if (k === "retry") retry = Number(v); else if (k === "data") ev.data += v; else if (k) ev[k] = v;
      }
      if (ev.data) onEvent(ev);
    }
  }
  return retry;
}

async function streamLoop() {
  while (!state.stop) {
    let wait = 1000;
    try { wait = await readStream(); $("live").className = ""; }
    catch (e) {
      $("live").className = "off";
      if (e.auth) { $("loginerr").textContent = t("badtoken") + e.message; return logout(); }
    }
    state.replaying = false;
    await new Promise((r) => setTimeout(r, wait));
  }
}

function tickClocks() { for (const c of document.querySelectorAll(".clock")) c.tick && c.tick(); }

function start() {
  $("login").hidden = true; $("app").hidden = false; $("logout").hidden = false;
  state.stop = false;
  state.seq = Number(sessionStorage.getItem("seq") || 0);
  state.replaying = state.seq === 0;
  if (window.Notification && Notification.permission === "default") Notification.requestPermission().catch(() => {});
  streamLoop();
}

function logout() {
  state.stop = true; state.me = null;
  sessionStorage.removeItem("token"); sessionStorage.removeItem("seq");
  $("login").hidden = false; $("app").hidden = true; $("logout").hidden = true;
}

function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-l]")) e.textContent = t(e.dataset.l);
  $("lang").textContent = lang === "zh" ? "English" : "中文";
  renderInquiries();
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin").onclick = () => { sessionStorage.setItem("token", $("token").value.trim()); $("token").value = ""; start(); };
  $("logout").onclick = logout;
  $("lang").onclick = () => { lang = lang === "zh" ? "en" : "zh"; sessionStorage.setItem("lang", lang); applyLang(); };
  applyLang();
  setInterval(tickClocks, 1000);
  if (sessionStorage.getItem("token")) start();
});
