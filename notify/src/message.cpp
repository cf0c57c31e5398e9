#include "ir/notify/message.hpp"

#include <cstdio>

#include "ir/notify/destination.hpp"
#include "phrases.hpp"

namespace ir::notify {
namespace {

namespace v1 = inquiry::v1;

sla::TimePoint time_of(const google::protobuf::Timestamp& t) {
    return sla::from_unix_ms(t.seconds() * 1000 + t.nanos() / 1'000'000);
}

bool has_time(const google::protobuf::Timestamp& t) {
    return t.seconds() != 0 || t.nanos() != 0;
}

Severity severity_of(const v1::Alert& a) {
    switch (a.kind()) {
        case v1::ALERT_KIND_BREACH:
            return Severity::critical;
        case v1::ALERT_KIND_ESCALATION:
            return a.escalates() == v1::ALERT_KIND_WARNING ? Severity::warning : Severity::critical;
        case v1::ALERT_KIND_WARNING:
        case v1::ALERT_KIND_FOLLOW_UP_DUE:
        case v1::ALERT_KIND_UNASSIGNED:
            return Severity::warning;
        default:
            return Severity::info;
    }
}

std::string buyer_text(const AlertItem& item, const Phrases& p) {
    if (!item.facts || (item.facts->buyer.empty() && item.facts->company.empty())) return std::string(p.unknown_buyer);
    const auto& f = *item.facts;
    if (f.buyer.empty()) return f.company;
    if (f.company.empty()) return f.buyer;
    return f.buyer + " (" + f.company + ")";
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
}

std::string tier_text(const AlertItem& item, const Phrases& p) {
    std::string t = std::string(p.tier_word) + " " + std::to_string(item.alert.tier());
    if (item.facts && item.facts->suspect) t += std::string(p.sep) + std::string(p.suspect);
    if (item.facts && !item.facts->reasons.empty()) t += std::string(p.because) + join(item.facts->reasons, "; ");
    return t;
}

// "due in 1m 05s", "overdue by 30s": against `now`, when the message is written.
std::optional<std::string> time_text(const v1::Alert& a, const Phrases& p, sla::TimePoint now) {
    if (!has_time(a.deadline())) return std::nullopt;
    const auto left = time_of(a.deadline()) - now;
    if (left.count() > 0)
        return std::string(p.left_prefix) + format_span(left, p.language) + std::string(p.left_suffix);
    return std::string(p.overdue_prefix) + format_span(-left, p.language) + std::string(p.overdue_suffix);
}

std::string what_happened(const v1::Alert& a, const Phrases& p) {
    const std::string clock(p.clock(a.clock()));
    switch (a.kind()) {
        case v1::ALERT_KIND_WARNING:
            return p.fill(p.warning_sentence, clock);
        case v1::ALERT_KIND_BREACH:
            return p.fill(p.breach_sentence, clock);
        case v1::ALERT_KIND_ESCALATION:
            return p.fill(a.escalates() == v1::ALERT_KIND_WARNING ? p.escalate_warning : p.escalate_breach, clock);
        default:
            return a.text();  // the daemon's own line: who it was assigned to, which queue, ...
    }
}

std::string title_of(const v1::Alert& a, const Phrases& p) {
    std::string t = std::string(p.open_bracket) + std::string(p.kind(a.kind())) + std::string(p.close_bracket);
    if (a.clock() != v1::CLOCK_KIND_UNSPECIFIED) t += std::string(p.clock(a.clock())) + std::string(p.sep);
    return t + std::string(p.inquiry_word) + " #" + std::to_string(a.inquiry_id());
}

std::string digest_line(const AlertItem& item, const Phrases& p, sla::TimePoint now) {
    const auto& a = item.alert;
    std::string line = std::string(p.kind(a.kind()));
    if (a.clock() != v1::CLOCK_KIND_UNSPECIFIED) line += " " + std::string(p.clock(a.clock()));
    line += " · #" + std::to_string(a.inquiry_id()) + " · " + buyer_text(item, p) + " · " + a.account() + " · " +
            std::string(p.tier_word) + " " + std::to_string(a.tier());
    if (!a.agent_id().empty()) line += " · " + a.agent_id();
    if (auto t = time_text(a, p, now)) line += " · " + *t;
    return line;
}

}  // namespace

std::string inquiry_link(const std::string& console_url, std::uint64_t inquiry_id) {
    if (console_url.empty()) return {};
    std::string base = console_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/inquiries/" + std::to_string(inquiry_id);
}

std::string format_span(sla::Duration d, std::string_view language) {
    const Phrases& p = phrases(language);
    const long long s = std::max<long long>(0, d.count() / 1000);
    char buf[64];
    if (s < 60)
        std::snprintf(buf, sizeof buf, p.span_s.data(), s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, p.span_ms.data(), s / 60, s % 60);
    else if (s < 86400)
        std::snprintf(buf, sizeof buf, p.span_hm.data(), s / 3600, s / 60 % 60);
    else
        std::snprintf(buf, sizeof buf, p.span_dh.data(), s / 86400, s / 3600 % 24);
    return buf;
}

Message single_message(const AlertItem& item, const MessageContext& ctx, const std::string& fallback_language,
                       sla::TimePoint now) {
    const auto& a = item.alert;
    std::string language = fallback_language;
    std::vector<std::string> mobiles;
    if (auto it = ctx.agents.find(a.agent_id()); it != ctx.agents.end()) {
        if (!it->second.language.empty()) language = it->second.language;
        if (!it->second.mobile.empty()) mobiles.push_back(it->second.mobile);
    }
    const Phrases& p = phrases(language);
    Message m;
    m.language = p.language;
    m.severity = severity_of(a);
    m.title = title_of(a, p);
    m.summary = what_happened(a, p);
    if (a.late()) m.summary += std::string(p.late_note);
    m.facts.emplace_back(p.buyer_label, buyer_text(item, p));
    m.facts.emplace_back(p.account_label, a.account());
    m.facts.emplace_back(p.tier_label, tier_text(item, p));
    if (!a.agent_id().empty()) m.facts.emplace_back(p.agent_label, a.agent_id());
    if (auto t = time_text(a, p, now)) m.facts.emplace_back(p.time_label, *t);
    m.link = inquiry_link(ctx.console_url, a.inquiry_id());
    m.link_label = p.open_in_console;
    m.footer = "inquiryd · " + std::string(p.alert_word) + " " + std::to_string(a.seq());
    m.mobiles = std::move(mobiles);
    return m;
}

Message digest_message(const std::vector<AlertItem>& items, const MessageContext& ctx, const std::string& language,
                       sla::TimePoint now) {
    const Phrases& p = phrases(language);
    Message m;
    m.language = p.language;
    m.title = p.fill(p.digest_title, std::to_string(items.size()));
    m.summary = std::string(p.digest_summary);
    for (const auto& item : items) {
        m.severity = std::max(m.severity, severity_of(item.alert));
        m.lines.push_back(digest_line(item, p, now));
        if (auto it = ctx.agents.find(item.alert.agent_id()); it != ctx.agents.end() && !it->second.mobile.empty())
            if (std::find(m.mobiles.begin(), m.mobiles.end(), it->second.mobile) == m.mobiles.end())
                m.mobiles.push_back(it->second.mobile);
    }
    if (!items.empty()) {
        m.footer = "inquiryd · " + std::string(p.alert_word) + " " + std::to_string(items.front().alert.seq()) + "-" +
                   std::to_string(items.back().alert.seq());
        if (!ctx.console_url.empty()) {
            std::string base = ctx.console_url;
            while (!base.empty() && base.back() == '/') base.pop_back();
            m.link = base + "/inquiries";
            m.link_label = p.open_in_console;
        }
    }
    return m;
}

}  // namespace ir::notify
