#include <cstdio>
#include <functional>
#include <ostream>
#include <set>

#include "ir/adapters/event_json.hpp"
#include "ir/simulate/report_format.hpp"

namespace ir::simulate {
namespace {

constexpr int kLabel = 30;
constexpr int kColumn = 14;

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
    return buf;
}

// 0s, 45s, 12m05s, 3h02m, 2d04h: enough to compare policies at a glance.
std::string span(sla::Duration d) {
    const long long s = d.count() / 1000;
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%llds", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    else if (s < 86400)
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    else
        std::snprintf(buf, sizeof buf, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
    return buf;
}

class Table {
public:
    Table(const std::vector<PolicyReport>& reports, std::ostream& out) : reports_(reports), out_(out) {}

    void heading(const std::string& text) { out_ << "\n" << text << "\n"; }

    void row(const std::string& label, const std::function<std::string(const PolicyReport&)>& value) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "  %-*s", kLabel, label.c_str());
        out_ << buf;
        for (const auto& r : reports_) {
            std::snprintf(buf, sizeof buf, "%*s", kColumn, value(r).c_str());
            out_ << buf;
        }
        out_ << "\n";
    }

    void counts(const std::function<const Counts&(const PolicyReport&)>& of, bool full) {
        row("inquiries", [&](const PolicyReport& r) { return std::to_string(of(r).inquiries); });
        row("buyer waits (reply clocks)", [&](const PolicyReport& r) { return std::to_string(of(r).waits); });
        row("within fast deadline", [&](const PolicyReport& r) { return percent(of(r).share_fast()); });
        row("within timely deadline", [&](const PolicyReport& r) { return percent(of(r).share_timely()); });
        row("breaches fast / timely", [&](const PolicyReport& r) {
            return std::to_string(of(r).fast_breaches) + " / " + std::to_string(of(r).timely_breaches);
        });
        if (!full) return;
        row("replies", [&](const PolicyReport& r) { return std::to_string(of(r).replies); });
        row("escalations", [&](const PolicyReport& r) { return std::to_string(of(r).escalations); });
        row("follow-ups due", [&](const PolicyReport& r) { return std::to_string(of(r).follow_ups_due); });
    }

private:
    const std::vector<PolicyReport>& reports_;
    std::ostream& out_;
};

template <class Figures>
std::set<std::string> keys(const std::vector<PolicyReport>& reports, std::map<std::string, Figures> PolicyReport::*m) {
    std::set<std::string> out;
    for (const auto& r : reports)
        for (const auto& [k, v] : r.*m) out.insert(k);
    return out;
}

}  // namespace

void print_side_by_side(const std::vector<PolicyReport>& reports, std::ostream& out) {
    if (reports.empty()) return;
    Table t(reports, out);
    out << "replay of " << reports.front().inputs << " inputs, " << adapters::format_rfc3339(reports.front().from)
        << " .. " << adapters::format_rfc3339(reports.front().to) << " (" << reports.front().people << " people)\n";
    t.row("policy", [](const PolicyReport& r) { return r.policy; });
    t.row("seed", [](const PolicyReport& r) { return std::to_string(r.seed); });
    t.heading("overall");
    t.counts([](const PolicyReport& r) -> const Counts& { return r.overall; }, true);
    t.row("longest wait in a queue", [](const PolicyReport& r) { return span(r.longest_queue_wait); });
    t.row("offers missed (timed out)", [](const PolicyReport& r) { return std::to_string(r.missed_offers); });
    for (std::size_t i = 0; i < 4; ++i) {
        t.heading("tier " + std::to_string(i + 1));
        t.counts([i](const PolicyReport& r) -> const Counts& { return r.tiers[i]; }, false);
    }
    const auto find = [](const auto& m, const std::string& k) {
        const auto it = m.find(k);
        return it == m.end() ? nullptr : &it->second;
    };
    t.heading("per account (the platform's ranking: replies within 5 min / 24 h)");
    for (const auto& k : keys(reports, &PolicyReport::accounts)) {
        t.row(k, [&](const PolicyReport& r) {
            const auto* f = find(r.accounts, k);
            return f ? std::to_string(f->inquiries) + " inq" : "-";
        });
        t.row("  within 5 min / 24 h", [&](const PolicyReport& r) {
            const auto* f = find(r.accounts, k);
            return f ? percent(f->replies.share_fast) + " " + percent(f->replies.share_timely) : "-";
        });
    }
    t.heading("per agent (assigned, replies, replies within 5 min, median)");
    for (const auto& k : keys(reports, &PolicyReport::agents)) {
        t.row(k, [&](const PolicyReport& r) {
            const auto* f = find(r.agents, k);
            return f ? std::to_string(f->assigned) + " / " + std::to_string(f->replies.replies) : "-";
        });
        t.row("  within 5 min, median", [&](const PolicyReport& r) {
            const auto* f = find(r.agents, k);
            return f ? percent(f->replies.share_fast) + " " + span(f->replies.median) : "-";
        });
    }
}

}  // namespace ir::simulate
