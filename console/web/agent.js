// The agent's view, "my work": their own open and replied inquiries in queue order (tier,
// then deadline), each with its buyer, why it was tiered, suspect signs in red, products,
// live countdowns and the buttons; the customer card of the selected one; keyboard
// shortcuts. It shows only inquiries the agent holds: the server lists them by owner.
import { api, listAll, serverNow } from "./api.js";
import { clockView, fmtDuration, queueOrder, startTicker } from "./clock.js";
import { t } from "./i18n.js";
import { $, alertSummary, ask, batcher, button, el, fmtTime, notify, renderKeyed, showError, toast } from "./view.js";

export class AgentView {
  constructor(me) {
    this.me = me;
    this.inquiries = new Map();
    this.selected = null;
    this.alerts = [];
    this.onKey = (e) => this.key(e);
    this.later = batcher((id) => this.refresh(id).catch(showError));
  }

  async show() {
    $("agent-view").hidden = false;
    $("presence-box").hidden = !this.me.id;
    $("presence").onchange = () => this.setPresence($("presence").value);
    document.addEventListener("keydown", this.onKey);
    await this.reload();
  }

  hide() {
    $("agent-view").hidden = true;
    $("presence-box").hidden = true;
    document.removeEventListener("keydown", this.onKey);
  }

  // Everything again from the API (start, reconnect, every minute).
  async reload() {
    const owner = encodeURIComponent(this.me.id || "");
    const accounts = this.me.accounts.includes("*") ? [""] : this.me.accounts;
    const lists = [];
    for (const a of accounts)
      for (const state of ["open", "replied"])
        lists.push(listAll(`/v1/inquiries?state=${state}&owner=${owner}` + (a ? "&account=" + encodeURIComponent(a) : "")));
    const rows = (await Promise.all(lists)).flat();
    this.inquiries = new Map(rows.filter((q) => this.mine(q)).map((q) => [q.id, q]));
    await Promise.all([this.loadPresence(), this.loadQueues()]);
    this.render();
  }

  mine(q) {
    return q.owner === this.me.id && q.state !== "resolved";
  }

  async loadPresence() {
    const { agents } = await api("GET", "/v1/agents");
    this.colleagues = agents;
    const self = agents.find((a) => a.id === this.me.id);
    if (self) $("presence").value = self.presence;
  }

  async loadQueues() {
    const { queues } = await api("GET", "/v1/queues");
    const waiting = queues.filter((q) => !q.name.startsWith("verify/")).reduce((n, q) => n + q.depth, 0);
    $("queue-wait").textContent = waiting ? t("queue_waiting", { n: waiting }) : "";
  }

  onChanged(c) {
    if (c.owner === this.me.id || this.inquiries.has(c.inquiry_id)) this.later(c.inquiry_id);
  }

  // One inquiry again, after an alert about it or an action on it.
  async refresh(id) {
    try {
      const q = await api("GET", "/v1/inquiries/" + id);
      this.upsert(q);
    } catch (e) {
      if (e.status === 403 || e.status === 404) this.inquiries.delete(id);
      else throw e;
    }
    this.render();
  }

  upsert(q) {
    if (this.mine(q)) this.inquiries.set(q.id, q);
    else this.inquiries.delete(q.id);
  }

  // An alert from the stream; `live`: it happened after the page loaded its lists.
  onAlert(a, live) {
    if (a.topic.startsWith("agent/")) this.logAlert(a);
    if (!live) return;
    if (a.topic.startsWith("queue/")) {  // nobody's yet: only the count of what waits changes
      clearTimeout(this.queueTimer);
      this.queueTimer = setTimeout(() => this.loadQueues().catch(showError), 300);
      return;
    }
    if (a.inquiry_id) this.later(a.inquiry_id);
    if (!a.topic.startsWith("agent/" + this.me.id + "/")) return;
    if (a.kind === "ASSIGNED" || a.kind === "WARNING" || a.kind === "BREACH") this.notifyAlert(a);
  }

  notifyAlert(a) {
    const fired = a.fired_at ? Date.parse(a.fired_at) : serverNow();
    if (serverNow() - fired > 10 * 60 * 1000) return;  // long past (the page was away)
    const left = a.deadline ? Date.parse(a.deadline) - serverNow() : 0;
    const clock = t(a.clock === "TIMELY" ? "clock_timely" : "clock_fast");
    const title = t("kind_" + a.kind) + " #" + a.inquiry_id;
    let body = a.account + " · " + t("tier") + " " + a.tier;
    if (a.kind === "ASSIGNED" && a.deadline) body += " · " + t("accept_within", { left: fmtDuration(left) });
    if (a.kind === "WARNING") body += " · " + clock + ": " + t("left", { left: fmtDuration(left) });
    if (a.kind === "BREACH") body += " · " + clock + ": " + t("passed");
    notify(title, body, { tag: "inq-" + a.inquiry_id + "-" + a.kind, urgent: a.kind === "BREACH" });
  }

  logAlert(a) {
    this.alerts.unshift(a);
    this.alerts.length = Math.min(this.alerts.length, 50);
    const li = el("li", "alert kind-" + a.kind.toLowerCase(),
                  el("span", "time", fmtTime(a.fired_at)), " ", el("b", "", t("kind_" + a.kind)),
                  " #" + a.inquiry_id + " ", el("span", "muted", alertSummary(a)));
    li.dataset.seq = a.seq;
    const list = $("agent-alerts");
    list.prepend(li);
    while (list.children.length > 50) list.lastChild.remove();
  }

  sorted() {
    return [...this.inquiries.values()].sort(queueOrder);
  }

  render() {
    const list = $("my-list");
    const rows = this.sorted();
    const before = this.selected;
    if (this.selected && !this.inquiries.has(this.selected)) this.selected = null;
    if (!this.selected && rows.length) this.selected = rows[0].id;
    renderKeyed(list, rows, (q) => this.card(q));
    for (const c of list.children) c.classList.toggle("selected", Number(c.dataset.id) === this.selected);
    if (this.selected !== before || !this.shownCustomer) this.showCustomer(this.selected).catch(showError);
    $("my-empty").hidden = rows.length > 0;
    $("my-count").textContent = rows.length ? t("count", { n: rows.length }) : "";
    startTicker();
  }

  card(q) {
    const li = el("li", "card" + (q.suspect ? " suspect" : ""));
    li.dataset.id = q.id;
    li.tabIndex = -1;
    li.addEventListener("click", (e) => {
      if (e.target.closest("button")) return;
      this.select(q.id);
    });
    li.append(cardTop(q), buyerLine(q), whyLine(q));
    if (q.products && q.products.length) li.append(el("div", "products", ...q.products.map((p) => el("span", "chip", p))));
    li.append(el("div", "clocks", ...(q.clocks || []).map((c) => clockView(c, q))), this.actions(q));
    return li;
  }

  actions(q) {
    const box = el("div", "actions");
    const act = (name, key, fn, cls) => box.append(button(t(name), key, () => fn.call(this, q).catch(showError), cls));
    if (q.state === "open" && q.reserved_until) act("accept", "a", this.accept, "primary");
    if (q.state === "open") act("replied", "r", this.replied, q.reserved_until ? "" : "primary");
    if (q.state === "open") act("transfer", "t", this.transfer);
    if (q.state === "open") act("decline", "d", this.decline);
    act("resolve", "x", this.resolve);
    return box;
  }

  select(id) {
    this.selected = id;
    for (const c of document.querySelectorAll("#my-list .card"))
      c.classList.toggle("selected", Number(c.dataset.id) === id);
    const card = document.querySelector(`#my-list .card[data-id="${id}"]`);
    if (card) card.scrollIntoView({ block: "nearest" });
    this.showCustomer(id).catch(showError);
  }

  async post(q, action, body) {
    const updated = await api("POST", `/v1/inquiries/${q.id}/${action}`, body || {});
    this.upsert(updated);
    this.render();
    return updated;
  }

  async accept(q) { await this.post(q, "accept"); toast(t("done_accept", { id: q.id })); }
  async replied(q) { await this.post(q, "reply"); toast(t("done_reply", { id: q.id })); }

  async transfer(q) {
    const { agents } = await api("GET", "/v1/agents");
    const can = agents.filter((a) => a.id !== this.me.id && a.role !== "admin" && a.presence === "available" &&
                                     a.on_shift && a.load < a.capacity &&
                                     (!a.accounts || a.accounts.includes("*") || a.accounts.includes(q.account)));
    const options = can.map((a) => [a.id, `${a.name || a.id} (${a.load}/${a.capacity})`]);
    const to = await ask({ title: t("transfer_title", { id: q.id }), text: options.length ? "" : t("no_colleague"),
                           options });
    if (!to) return;
    await this.post(q, "transfer", { agent_id: to });
    toast(t("done_transfer", { id: q.id, to }));
  }

  async decline(q) {
    const reason = await ask({ title: t("decline_title", { id: q.id }), text: t("decline_text"), input: true,
                               placeholder: t("decline_placeholder") });
    if (reason === null) return;
    await this.post(q, "decline", reason ? { reason } : {});
    toast(t("done_decline", { id: q.id }));
  }

  async resolve(q) {
    if (!(await ask({ title: t("resolve_title", { id: q.id }), text: t("resolve_text") }))) return;
    await this.post(q, "resolve");
    toast(t("done_resolve", { id: q.id }));
  }

  async setPresence(value) {
    try {
      await api("PUT", `/v1/agents/${encodeURIComponent(this.me.id)}/presence`, { presence: value });
      toast(t("presence_now", { p: t(value) }));
    } catch (e) {
      showError(e);
      await this.loadPresence().catch(() => {});
    }
  }

  async showCustomer(id) {
    this.shownCustomer = id;
    const q = this.inquiries.get(id);
    const box = $("customer-card");
    if (!q) return box.replaceChildren(el("p", "muted", t("customer_hint")));
    const s = q.sender || {};
    const facts = el("dl", "facts");
    const fact = (k, v) => { if (v !== "" && v !== null && v !== undefined) facts.append(el("dt", "", t(k)), el("dd", "", v)); };
    fact("c_name", s.name); fact("c_company", s.company); fact("c_email", s.email); fact("c_phone", s.phone);
    fact("c_im", s.im); fact("c_country", s.country); fact("c_address", s.address);
    box.replaceChildren(el("h3", "", "#" + q.id + " " + (s.name || s.email || "")), facts);
    if (!q.customer_id) return box.append(el("p", "muted", t("c_unknown")));
    try {
      const c = await api("GET", `/v1/inquiries/${id}/customer`);
      if (this.selected !== id) return;
      box.append(customerFacts(c));
    } catch (e) {
      box.append(el("p", "muted", e.message));
    }
  }

  key(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || $("dialog").open || $("agent-view").hidden) return;
    if (e.target.closest("input, select, textarea")) return;
    const rows = this.sorted();
    const at = rows.findIndex((q) => q.id === this.selected);
    const q = rows[at];
    const move = (d) => rows.length && this.select(rows[Math.max(0, Math.min(rows.length - 1, at + d))].id);
    const run = (fn) => q && fn.call(this, q).catch(showError);
    const keys = {
      j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
      a: () => q && q.reserved_until && run(this.accept), r: () => q && q.state === "open" && run(this.replied),
      t: () => q && q.state === "open" && run(this.transfer), d: () => q && q.state === "open" && run(this.decline),
      x: () => run(this.resolve), c: () => q && this.showCustomer(q.id).catch(showError),
    };
    if (!keys[e.key]) return;
    e.preventDefault();
    keys[e.key]();
  }
}

function cardTop(q) {
  const status = q.state !== "open" ? t("state_" + q.state)
    : q.reserved_until ? t("state_assigned") : t("state_accepted");
  const top = el("div", "top",
                 el("span", "tier tier" + q.tier, "T" + q.tier),
                 el("b", "", "#" + q.id), el("span", "", t("ch_" + q.channel) + " · " + q.account),
                 el("span", "state state-" + q.state, status));
  if (q.reserved_until && q.state === "open") {
    const until = el("span", "reserve", t("accept_by") + " ");
    const left = el("span", "", "");
    left.dataset.until = q.reserved_until;
    until.append(left);
    top.append(until);
  }
  return top;
}

function buyerLine(q) {
  const s = q.sender || {};
  const who = [s.name, s.company].filter(Boolean).join(", ") || s.email || s.im || t("unknown_buyer");
  return el("div", "buyer", el("span", "", who),
            s.country ? el("span", "muted", " · " + s.country) : null,
            q.language ? el("span", "muted", " · " + q.language) : null,
            q.large_order ? el("span", "badge", t("large_order")) : null);
}

function whyLine(q) {
  const box = el("div", "why");
  if (q.suspect) {
    box.append(el("span", "suspect-flag", t("suspect")),
               ...(q.scam_signs || []).map((k) => el("span", "scam", t("scam_" + k))));
  }
  if (q.reasons && q.reasons.length) box.append(el("span", "reasons", q.reasons.join("; ")));
  return box;
}

function customerFacts(c) {
  const box = el("dl", "facts");
  const fact = (k, v) => box.append(el("dt", "", t(k)), el("dd", "", String(v)));
  fact("c_conversations", c.conversations);
  fact("c_orders", c.orders);
  fact("c_samples", c.sample_orders);
  fact("c_first_seen", new Date(c.first_seen).toLocaleDateString(document.documentElement.lang));
  if (c.last_owner) fact("c_last_owner", c.last_owner);
  const why = [];
  if (c.orders) why.push(t("t1_orders", { n: c.orders }));
  if (c.sample_orders) why.push(t("t1_samples", { n: c.sample_orders }));
  if (c.visited_company) why.push(t("t1_visited"));
  if (c.local_influence) why.push(t("t1_influence"));
  fact("c_tier1", why.length ? why.join(", ") : t("t1_none"));
  return box;
}
