// English and Simplified Chinese: the browser's language chooses, the header's button
// switches (remembered in localStorage: a preference, not a secret).
const en = {
  title: "Inquiry Router", signin_title: "Sign in", paste: "Your access token", signin: "Sign in", logout: "Log out",
  token_hint: "Ask your administrator for a token (inquiryctl token create). It stays in this browser tab only.",
  presence: "Presence", available: "Available", away: "Away", offline: "Offline",
  live_live: "Live", live_connecting: "Reconnecting…", live_denied: "Signed out", live_off: "Not connected",
  my_work: "My work", team: "Team", count: "{n} open", queue_waiting: "{n} waiting in your queues",
  keys_hint: "Keys: j/k select · a accept · r replied · t transfer · d decline · x resolve · c customer",
  nothing: "Nothing waiting for you.", customer: "Customer", customer_hint: "Select an inquiry to see its buyer.",
  recent_alerts: "Recent alerts",
  accept: "Accept", replied: "Replied", transfer: "Transfer", decline: "Decline", resolve: "Resolve",
  reassign: "Reassign", cancel: "Cancel", ok: "OK", yes: "yes", no: "no",
  clock_fast: "Fast reply", clock_timely: "Timely reply", late: "late by", deadline_at: "Deadline:",
  accept_by: "accept within", accept_within: "accept within {left}", left: "{left} left", passed: "deadline passed",
  tier: "tier", suspect: "Suspect", large_order: "large order", unknown_buyer: "unknown buyer",
  state_open: "open", state_replied: "replied", state_resolved: "resolved", state_assigned: "assigned to you",
  state_accepted: "accepted",
  ch_email: "Email", ch_chat: "Chat", ch_marketplace: "Marketplace",
  scam_1: "large order without knowing our products", scam_2: "requests out of the ordinary",
  scam_3: "invites a visit or presses urgency", scam_4: "claims to be big, little trace of it",
  scam_5: "too terse for a company's letter",
  kind_ASSIGNED: "Assigned", kind_WARNING: "Warning", kind_BREACH: "Breach", kind_ESCALATION: "Escalation",
  kind_FOLLOW_UP_DUE: "Follow up", kind_RESOLVED: "Resolved", kind_UNASSIGNED: "Taken away", kind_RETIERED: "Re-tiered",
  transfer_title: "Transfer #{id} to", no_colleague: "No colleague of this account can take it now.",
  decline_title: "Decline #{id}", decline_text: "Spam, a scam, not ours? It counts as your response, then closes.",
  decline_placeholder: "reason (optional)", resolve_title: "Resolve #{id}?", resolve_text: "It closes and its clocks stop.",
  reassign_title: "Reassign #{id} to",
  done_accept: "#{id} accepted", done_reply: "#{id} marked replied: its clock stopped", done_transfer: "#{id} handed to {to}",
  done_decline: "#{id} declined", done_resolve: "#{id} resolved", presence_now: "You are now {p}",
  c_name: "Name", c_company: "Company", c_email: "Email", c_phone: "Phone", c_im: "IM", c_country: "Country",
  c_address: "Address", c_conversations: "Conversations", c_orders: "Orders", c_samples: "Sample orders",
  c_first_seen: "First seen", c_last_owner: "Last handled by", c_tier1: "Tier 1 because",
  c_unknown: "This buyer is not identified yet.",
  t1_none: "none of the signs", no_queue: "Nothing waits in a queue.",
  sum_warning: "{clock} due at {at}", sum_breach: "{clock} missed (due {at})",
  sum_esc_warning: "{clock} due at {at}: step in", sum_esc_breach: "{clock} missed (due {at}): step in",
  fired_late: "raised late",
  t1_orders: "{n} order(s)", t1_samples: "{n} sample order(s)", t1_visited: "visited us", t1_influence: "local influence",
  role_agent: "agent", role_senior: "senior", role_supervisor: "supervisor", role_admin: "admin",
  queues: "Queues", queue: "Queue", depth: "Waiting", oldest: "Oldest deadline", agents: "Agents", agent: "Agent",
  on_shift: "On shift", load: "Load", drag_hint: "Drag an inquiry onto an agent to reassign it.",
  at_risk: "At risk", nothing_risk: "No open inquiry is waiting for a reply.", waiting_in: "waiting in {q}",
  not_at_risk: "#{id} is no longer at risk.",
  escalations: "Escalations", no_escalations: "No escalation yet.",
  ranking: "Reply-time ranking (last 30 days)", who: "Agent / account", replies: "Replies", within_5m: "Within 5 min",
  within_24h: "Within 24 h", median: "Median", by_agent: "By agent", by_account: "By account",
  team_line: "Team: {fast} within 5 min, {timely} within 24 h",
  chart_label: "Share of replies within 5 minutes and within 24 hours, per day", chart_empty: "No replies in these days.",
  err_401: "Your token was not accepted (missing, unknown, revoked or expired).",
  err_403: "Not allowed by the rule \u201c{rule}\u201d:", err_404: "Not found:", err_409: "Refused:",
  err_503: "The server is busy or restarting; try again in a moment:", err_network: "The server cannot be reached.",
};

const zh = {
  title: "询盘路由", signin_title: "登录", paste: "您的访问令牌", signin: "登录", logout: "退出",
  token_hint: "请向管理员索取令牌（inquiryctl token create）。令牌只保存在当前浏览器标签页中。",
  presence: "在线状态", available: "在线", away: "离开", offline: "离线",
  live_live: "实时连接", live_connecting: "正在重新连接…", live_denied: "已退出", live_off: "未连接",
  my_work: "我的工作", team: "团队", count: "{n} 条待处理", queue_waiting: "您的队列中有 {n} 条在等待",
  keys_hint: "快捷键：j/k 选择 · a 接受 · r 已回复 · t 转交 · d 拒绝 · x 结束 · c 客户",
  nothing: "暂无需要您处理的询盘。", customer: "客户", customer_hint: "选择一条询盘查看买家信息。",
  recent_alerts: "最近提醒",
  accept: "接受", replied: "已回复", transfer: "转交", decline: "拒绝", resolve: "结束",
  reassign: "改派", cancel: "取消", ok: "确定", yes: "是", no: "否",
  clock_fast: "极速回复", clock_timely: "及时回复", late: "已超时", deadline_at: "截止时间：",
  accept_by: "接受剩余", accept_within: "请在 {left} 内接受", left: "剩余 {left}", passed: "已超过截止时间",
  tier: "等级", suspect: "可疑", large_order: "大单", unknown_buyer: "未知买家",
  state_open: "待回复", state_replied: "已回复", state_resolved: "已结束", state_assigned: "已分配给您",
  state_accepted: "已接受",
  ch_email: "邮件", ch_chat: "即时通讯", ch_marketplace: "平台站内信",
  scam_1: "不了解产品却要大量下单", scam_2: "要求或内容明显异常", scam_3: "邀请拜访或强调紧急",
  scam_4: "自称大公司但查无信息", scam_5: "格式过于简单，不像公司来信",
  kind_ASSIGNED: "新分配", kind_WARNING: "即将超时", kind_BREACH: "已超时", kind_ESCALATION: "升级",
  kind_FOLLOW_UP_DUE: "需要跟进", kind_RESOLVED: "已结束", kind_UNASSIGNED: "已收回", kind_RETIERED: "等级变更",
  transfer_title: "将 #{id} 转交给", no_colleague: "此账号暂无可接手的同事。",
  decline_title: "拒绝 #{id}", decline_text: "垃圾信息、诈骗或不属于我们？这会记为您的回应，然后结束。",
  decline_placeholder: "原因（可选）", resolve_title: "结束 #{id}？", resolve_text: "询盘将结束，计时停止。",
  reassign_title: "将 #{id} 改派给",
  done_accept: "已接受 #{id}", done_reply: "#{id} 已标记为已回复：计时已停止", done_transfer: "#{id} 已转交给 {to}",
  done_decline: "已拒绝 #{id}", done_resolve: "#{id} 已结束", presence_now: "您现在的状态：{p}",
  c_name: "姓名", c_company: "公司", c_email: "邮箱", c_phone: "电话", c_im: "即时通讯", c_country: "国家",
  c_address: "地址", c_conversations: "会话数", c_orders: "订单", c_samples: "样品单",
  c_first_seen: "首次联系", c_last_owner: "上次负责人", c_tier1: "一级客户原因",
  c_unknown: "尚未识别此买家。",
  t1_none: "无相关迹象", no_queue: "队列中没有等待的询盘。",
  sum_warning: "{clock}将于 {at} 截止", sum_breach: "{clock}已超时（截止 {at}）",
  sum_esc_warning: "{clock}将于 {at} 截止：请介入", sum_esc_breach: "{clock}已超时（截止 {at}）：请介入",
  fired_late: "延迟发出",
  t1_orders: "{n} 个订单", t1_samples: "{n} 个样品单", t1_visited: "曾来访", t1_influence: "当地有影响力",
  role_agent: "业务员", role_senior: "资深业务员", role_supervisor: "主管", role_admin: "管理员",
  queues: "队列", queue: "队列", depth: "等待数", oldest: "最早截止", agents: "业务员", agent: "业务员",
  on_shift: "当班", load: "负载", drag_hint: "把询盘拖到业务员上即可改派。",
  at_risk: "即将超时", nothing_risk: "没有等待回复的询盘。", waiting_in: "在 {q} 中等待",
  not_at_risk: "#{id} 已不在风险列表中。",
  escalations: "升级提醒", no_escalations: "暂无升级。",
  ranking: "回复时效排名（近 30 天）", who: "业务员 / 账号", replies: "回复数", within_5m: "5 分钟内",
  within_24h: "24 小时内", median: "中位数", by_agent: "按业务员", by_account: "按账号",
  team_line: "团队：5 分钟内 {fast}，24 小时内 {timely}",
  chart_label: "每日 5 分钟内与 24 小时内回复的比例", chart_empty: "这些天没有回复。",
  err_401: "令牌未被接受（缺失、未知、已吊销或已过期）。",
  err_403: "规则“{rule}”不允许此操作：", err_404: "未找到：", err_409: "被拒绝：",
  err_503: "服务器繁忙或正在重启，请稍后重试：", err_network: "无法连接服务器。",
};

const LANG_KEY = "inquiryd.lang";
const dictionaries = { en, zh };

function chosen() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && dictionaries[saved]) return saved;
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  for (const l of langs) {
    if (/^zh/i.test(l)) return "zh";
    if (/^en/i.test(l)) return "en";
  }
  return "en";
}

let current = chosen();

export const lang = () => current;

export function setLanguage(l) {
  current = dictionaries[l] ? l : "en";
  localStorage.setItem(LANG_KEY, current);
}

export function t(key, vars) {
  let s = dictionaries[current][key] ?? en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split("{" + k + "}").join(String(v));
  return s;
}

// The page's fixed texts (data-l) in the chosen language.
export function applyLanguage() {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-l]")) e.textContent = t(e.dataset.l);
  for (const e of document.querySelectorAll("[data-l-title]")) e.title = t(e.dataset.lTitle);
  document.title = t("title");
}
