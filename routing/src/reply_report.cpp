// Shares within 5 min / 24 h and reply-time percentiles, per agent, per account, team.
#include "ir/routing/reply_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace ir::routing {
namespace {

// Nearest rank: the smallest value with at least q of the samples at or below it.
sla::Duration rank(const std::vector<sla::Duration>& sorted, double q) {
    if (sorted.empty()) return {};
    const auto n = static_cast<double>(sorted.size());
    const auto i = static_cast<std::size_t>(std::max(1.0, std::ceil(q * n))) - 1;
    return sorted[std::min(i, sorted.size() - 1)];
}

ReplyStats stats(std::string key, std::vector<sla::Duration> times, const ReplyThresholds& t) {
    std::sort(times.begin(), times.end());
    ReplyStats s;
    s.key = std::move(key);
    s.replies = times.size();
    if (times.empty()) return s;
    const auto within = [&](sla::Duration limit) {
        const auto n = std::upper_bound(times.begin(), times.end(), limit) - times.begin();
        return static_cast<double>(n) / static_cast<double>(times.size());
    };
    s.share_fast = within(t.fast);
    s.share_timely = within(t.timely);
    s.median = rank(times, 0.5);
    s.p90 = rank(times, 0.9);
    return s;
}

std::vector<ReplyStats> grouped(const std::map<std::string, std::vector<sla::Duration>>& groups,
                                const ReplyThresholds& t, double team_share) {
    std::vector<ReplyStats> out;
    for (const auto& [key, times] : groups) {
        out.push_back(stats(key, times, t));
        out.back().below_team_average = out.back().share_fast < team_share;
    }
    return out;
}

}  // namespace

ReplyReport reply_report(std::span<const ReplyRow> rows, const ReplyThresholds& thresholds) {
    std::vector<sla::Duration> all;
    std::map<std::string, std::vector<sla::Duration>> by_agent;
    std::map<std::string, std::vector<sla::Duration>> by_account;
    for (const ReplyRow& r : rows) {
        const sla::Duration d = std::max(sla::Duration{0}, r.replied_at - r.buyer_at);
        all.push_back(d);
        by_agent[r.agent].push_back(d);
        by_account[r.account].push_back(d);
    }
    ReplyReport report;
    report.team = stats("", all, thresholds);
    report.agents = grouped(by_agent, thresholds, report.team.share_fast);
    report.accounts = grouped(by_account, thresholds, report.team.share_fast);
    return report;
}

}  // namespace ir::routing
