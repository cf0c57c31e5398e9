// The console's start: sign in with a token (kept in this tab's sessionStorage only), ask
// who it is, open the view for that role, and follow the live stream. The lists are read
// after the last alert seq is known, and the stream starts a little before it: older
// alerts only fill the logs, newer ones update the lists (and notify).
import { AgentView } from "./agent.js";
import { api, syncClock, token } from "./api.js";
import { applyLanguage, lang, setLanguage, t } from "./i18n.js";
import { LiveStream } from "./live.js";
import { SupervisorView } from "./supervisor.js";
import { $, el, enableAlerts, showError } from "./view.js";

const HISTORY = 200;        // alerts before the page's start shown in its logs
const RELOAD_MS = 60000;    // what changes without an alert (a reply by mail) shows within a minute

const app = { me: null, views: [], stream: null, loadedSeq: 0, reloadTimer: 0, wasLive: false };

async function whoami() {
  const sent = Date.now();
  const me = await api("GET", "/v1/whoami");
  syncClock(me.now, sent, Date.now());
  return me;
}

async function signIn(value) {
  $("login-error").textContent = "";
  if (value !== undefined) token.set(value);
  try {
    app.me = await whoami();
  } catch (e) {
    token.clear();
    $("login-error").textContent = e.message;
    return false;
  }
  $("login").hidden = true;
  $("logout").hidden = false;
  $("who").textContent = app.me.name + " · " + t("role_" + app.me.role);
  await openViews();
  startStream();
  return true;
}

async function openViews() {
  const role = app.me.role;
  const tabs = [];
  if (role !== "admin" && app.me.id) tabs.push(["my_work", new AgentView(app.me)]);
  if (role !== "agent") tabs.push(["team", new SupervisorView(app.me)]);
  app.views = tabs.map(([, v]) => v);
  app.loadedSeq = app.me.last_seq;
  const active = role === "supervisor" || role === "admin" ? tabs.length - 1 : 0;
  renderTabs(tabs, active);
  await Promise.all(app.views.map((v) => v.show()));
  tabs.forEach(([, v], i) => { if (i !== active) hideOnly(v); });
  document.body.dataset.role = role;
}

// A senior or supervisor who also takes inquiries switches between their work and the team.
function renderTabs(tabs, active) {
  const nav = $("tabs") || el("nav", "tabs");
  nav.id = "tabs";
  nav.replaceChildren();
  if (tabs.length > 1) {
    tabs.forEach(([key, view], i) => {
      const b = el("button", i === active ? "on" : "", t(key));
      b.type = "button";
      b.dataset.l = key;
      b.addEventListener("click", () => {
        for (const [, v] of tabs) (v === view ? showOnly : hideOnly)(v);
        for (const x of nav.children) x.classList.toggle("on", x === b);
      });
      nav.append(b);
    });
    document.querySelector("header").after(nav);
  }
}

function showOnly(v) { $(v instanceof AgentView ? "agent-view" : "sup-view").hidden = false; }
function hideOnly(v) { $(v instanceof AgentView ? "agent-view" : "sup-view").hidden = true; }

function startStream() {
  app.stream = new LiveStream({
    since: Math.max(0, app.me.last_seq - HISTORY),
    onAlert: (a) => {
      const live = a.seq > app.loadedSeq;
      for (const v of app.views) v.onAlert(a, live);
    },
    onChanged: (c) => { for (const v of app.views) v.onChanged(c); },
    onStatus: (s) => setLive(s),
  });
  app.stream.start();
  clearInterval(app.reloadTimer);
  app.reloadTimer = setInterval(() => reloadAll(), RELOAD_MS);
}

async function reloadAll() {
  try {
    const me = await whoami();
    app.loadedSeq = Math.max(app.loadedSeq, me.last_seq);
    for (const v of app.views) await v.reload();
  } catch (e) {
    if (e.status === 401) return signOut(e.message);
    showError(e);
  }
}

function setLive(s) {
  const dot = $("live");
  dot.className = s === "live" ? "on" : s === "denied" ? "off" : "wait";
  dot.title = t("live_" + s);
  dot.dataset.state = s;
  if (s === "denied") return signOut(t("err_401"));
  if (s === "live" && app.wasLive) reloadAll();  // back after a break: the lists again too
  if (s === "live") app.wasLive = true;
}

function signOut(message) {
  token.clear();
  if (app.stream) app.stream.stop();
  clearInterval(app.reloadTimer);
  sessionStorage.setItem("inquiryd.signout", message || "");
  location.reload();
}

function init() {
  applyLanguage();
  $("lang").textContent = lang() === "zh" ? "English" : "中文";
  $("lang").addEventListener("click", () => {
    setLanguage(lang() === "zh" ? "en" : "zh");
    location.reload();  // every text again, in the other language; the token stays
  });
  $("logout").addEventListener("click", () => signOut(""));
  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    enableAlerts();
    signIn($("token").value.trim()).catch(showError);
  });
  const why = sessionStorage.getItem("inquiryd.signout");
  if (why) $("login-error").textContent = why;
  sessionStorage.removeItem("inquiryd.signout");
  document.addEventListener("click", () => enableAlerts(), { once: true });
  // Signed in already in this tab, or a daemon without access control (loopback): go on.
  if (token.get()) return signIn().catch(showError);
  api("GET", "/healthz").then((h) => { if (h.tokens_required === false) signIn(""); }).catch(() => {});
}

init();
