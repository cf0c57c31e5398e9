// The supervisor's view: queues (depth, oldest deadline), agents (presence, shift,
// load/capacity), the inquiries at risk across agents (next deadlines first), reassigning
// by drag or button, the live escalations, and the platform's ranking with its chart.
import { api, listAll, serverNow } from "./api.js";
import { drawChart } from "./chart.js";
import { clockView, fmtDuration, nextDeadline, startTicker } from "./clock.js";
import { t } from "./i18n.js";
import { $, alertSummary, ask, batcher, button, el, fmtTime, notify, pct, renderKeyed, showError, toast } from "./view.js";

const AT_RISK = 30;

export class SupervisorView {
  constructor(me) {
    this.me = me;
    this.open = new Map();
    this.agents = [];
    this.escalations = 0;
    this.pending = 0;
    this.later = batcher((id) => this.refresh(id).catch(showError));
  }

  async show() {
    $("sup-view").hidden = false;
    await this.reload();
  }

  hide() {
    $("sup-view").hidden = true;
  }

  async reload() {
    const accounts = this.me.accounts.includes("*") ? [""] : this.me.accounts;
    const lists = await Promise.all(accounts.map((a) =>
      listAll("/v1/inquiries?state=open" + (a ? "&account=" + encodeURIComponent(a) : ""))));
    this.open = new Map(lists.flat().map((q) => [q.id, q]));
    await Promise.all([this.loadTeam(), this.loadRanking()]);
    this.renderRisk();
  }

  async loadTeam() {
    const [{ queues }, { agents }] = await Promise.all([api("GET", "/v1/queues"), api("GET", "/v1/agents")]);
    this.agents = agents.filter((a) => a.role !== "admin");
    const none = el("tr", "", el("td", "muted", t("no_queue")));
    none.cells[0].colSpan = 3;
    $("queues").tBodies[0].replaceChildren(...(queues.length ? [] : [none]), ...queues.map((q) => {
      const oldest = el("td", "num");
      if (q.oldest_deadline) {
        const left = el("span", "until");
        left.dataset.until = q.oldest_deadline;
        left.title = new Date(q.oldest_deadline).toLocaleString(document.documentElement.lang);
        oldest.append(left);
      }
      return el("tr", q.depth ? "busy" : "", el("td", "", q.name), el("td", "num", q.depth), oldest);
    }));
    $("agents").tBodies[0].replaceChildren(...this.agents.map((a) => this.agentRow(a)));
    startTicker();
  }

  agentRow(a) {
    const tr = el("tr", "agent presence-" + a.presence,
                  el("td", "", a.name || a.id), el("td", "", el("span", "dot " + a.presence), t(a.presence)),
                  el("td", "", a.on_shift ? t("yes") : t("no")),
                  el("td", "num" + (a.load >= a.capacity ? " full" : ""), a.load + "/" + a.capacity));
    tr.dataset.agent = a.id;
    tr.addEventListener("dragover", (e) => { e.preventDefault(); tr.classList.add("drop"); });
    tr.addEventListener("dragleave", () => tr.classList.remove("drop"));
    tr.addEventListener("drop", (e) => {
      e.preventDefault();
      tr.classList.remove("drop");
      const id = Number(e.dataTransfer.getData("text/plain"));
      if (id) this.reassign(id, a.id).catch(showError);
    });
    return tr;
  }

  async loadRanking() {
    const r = await api("GET", "/v1/stats/replies");
    const row = (s, kind) => el("tr", (s.below_team_average ? "below " : "") + kind,
      el("td", "", kind === "team" ? t("team") : s.key), el("td", "num", s.replies),
      el("td", "num", pct(s.share_within_5m)), el("td", "num", pct(s.share_within_24h)),
      el("td", "num", fmtDuration(s.median_seconds * 1000)));
    const head = (text) => el("tr", "section", el("th", "", text), el("th"), el("th"), el("th"), el("th"));
    $("ranking").tBodies[0].replaceChildren(row(r.team, "team"), head(t("by_agent")),
      ...r.agents.map((s) => row(s, "agent")), head(t("by_account")), ...r.accounts.map((s) => row(s, "account")));
    $("team-line").textContent = t("team_line", { fast: pct(r.team.share_within_5m), timely: pct(r.team.share_within_24h) });
    drawChart($("chart"), r.daily || []);
  }

  // An alert from the stream; `live`: it happened after the page loaded its lists.
  onAlert(a, live) {
    if (a.kind === "ESCALATION") this.logEscalation(a, live);
    if (!live) return;
    if (a.inquiry_id) this.later(a.inquiry_id);
    this.soon();
  }

  onChanged(c) {
    this.later(c.inquiry_id);
    this.soon();
    if (c.state !== "open") this.rankSoon();  // a reply (or a decline) counts in the ranking
  }

  rankSoon() {
    clearTimeout(this.rankTimer);
    this.rankTimer = setTimeout(() => this.loadRanking().catch(showError), 1000);
  }

  // Queues and agents change with every alert: read them again, at most every 300 ms.
  soon() {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = 0;
      this.loadTeam().catch(showError);
    }, 300);
  }

  async refresh(id) {
    try {
      const q = await api("GET", "/v1/inquiries/" + id);
      if (q.state === "open") this.open.set(id, q);
      else this.open.delete(id);
    } catch (e) {
      if (e.status !== 403 && e.status !== 404) throw e;
      this.open.delete(id);
    }
    this.renderRisk();
  }

  logEscalation(a, live) {
    const clock = t(a.clock === "TIMELY" ? "clock_timely" : "clock_fast");
    const what = t("kind_" + (a.escalates || "BREACH"));
    const li = el("li", "alert esc-" + (a.escalates || "").toLowerCase(),
                  el("span", "time", fmtTime(a.fired_at)), " ", el("b", "", "#" + a.inquiry_id),
                  " T" + a.tier + " · " + a.account + (a.agent_id ? " · " + a.agent_id : ""),
                  el("div", "muted", alertSummary(a)));
    li.dataset.seq = a.seq;
    li.dataset.inquiry = a.inquiry_id;
    li.addEventListener("click", () => this.highlight(a.inquiry_id));
    const list = $("escalations");
    list.prepend(li);
    while (list.children.length > 100) list.lastChild.remove();
    $("esc-empty").hidden = true;
    const fresh = a.fired_at && serverNow() - Date.parse(a.fired_at) < 10 * 60 * 1000;
    if (live && fresh) notify(t("kind_ESCALATION") + " #" + a.inquiry_id, a.account + " · T" + a.tier + " · " + clock + " " + what,
                              { tag: "esc-" + a.seq, urgent: a.escalates === "BREACH" });
  }

  highlight(id) {
    const card = document.querySelector(`#risk-list .card[data-id="${id}"]`);
    if (!card) return toast(t("not_at_risk", { id }));
    card.scrollIntoView({ block: "center" });
    card.classList.add("flash");
    setTimeout(() => card.classList.remove("flash"), 1500);
  }

  renderRisk() {
    const rows = [...this.open.values()].filter((q) => nextDeadline(q) < Infinity)
      .sort((a, b) => (nextDeadline(a) - nextDeadline(b)) || (a.tier - b.tier) || (a.id - b.id)).slice(0, AT_RISK);
    renderKeyed($("risk-list"), rows, (q) => this.riskCard(q));
    $("risk-empty").hidden = rows.length > 0;
    startTicker();
  }

  riskCard(q) {
    const li = el("li", "card" + (q.suspect ? " suspect" : ""));
    li.dataset.id = q.id;
    li.draggable = true;
    li.addEventListener("dragstart", (e) => e.dataTransfer.setData("text/plain", String(q.id)));
    const s = q.sender || {};
    li.append(el("div", "top", el("span", "tier tier" + q.tier, "T" + q.tier), el("b", "", "#" + q.id),
                 el("span", "", t("ch_" + q.channel) + " · " + q.account),
                 el("span", "owner", q.owner ? "→ " + q.owner : t("waiting_in", { q: q.queue || "" }))),
              el("div", "buyer", [s.name, s.company].filter(Boolean).join(", ") || s.email || ""),
              el("div", "clocks", ...(q.clocks || []).map((c) => clockView(c, q))),
              el("div", "actions", button(t("reassign"), "", () => this.pickAgent(q).catch(showError))));
    return li;
  }

  async pickAgent(q) {
    const can = this.agents.filter((a) => a.id !== q.owner && a.presence !== "offline" &&
      (!a.accounts || a.accounts.includes("*") || a.accounts.includes(q.account)));
    const to = await ask({ title: t("reassign_title", { id: q.id }),
                           options: can.map((a) => [a.id, `${a.name || a.id} · ${t(a.presence)} · ${a.load}/${a.capacity}`]) });
    if (to) await this.reassign(q.id, to);
  }

  async reassign(id, to) {
    const q = await api("POST", `/v1/inquiries/${id}/transfer`, { agent_id: to });
    this.open.set(id, q);
    this.renderRisk();
    this.soon();
    toast(t("done_transfer", { id, to }));
  }
}
