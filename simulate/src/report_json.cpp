#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/simulate/report_format.hpp"

namespace ir::simulate {
namespace json = boost::json;
namespace {

double seconds(sla::Duration d) {
    return static_cast<double>(d.count()) / 1000.0;
}

json::object counts_json(const Counts& c) {
    return {{"inquiries", c.inquiries},
            {"waits", c.waits},
            {"within_fast", c.share_fast()},
            {"within_timely", c.share_timely()},
            {"breaches", c.breaches()},
            {"fast_breaches", c.fast_breaches},
            {"timely_breaches", c.timely_breaches},
            {"replies", c.replies},
            {"escalations", c.escalations},
            {"follow_ups_due", c.follow_ups_due}};
}

// The platform's ranking figures, named as GET /v1/stats/replies names them where they are
// the same (replies, median_seconds, p90_seconds).
void add_ranking(json::object& o, const routing::ReplyStats& s) {
    o["within_fast"] = s.share_fast;
    o["within_timely"] = s.share_timely;
    o["replies"] = s.replies;
    o["median_seconds"] = seconds(s.median);
    o["p90_seconds"] = seconds(s.p90);
    o["below_team_average"] = s.below_team_average;
}

json::object policy_json(const PolicyReport& r) {
    json::object tiers;
    for (std::size_t t = 0; t < r.tiers.size(); ++t) tiers[std::to_string(t + 1)] = counts_json(r.tiers[t]);
    json::object agents;
    for (const auto& [id, f] : r.agents) {
        json::object a{{"assigned", f.assigned}};
        add_ranking(a, f.replies);
        agents[id] = std::move(a);
    }
    json::object accounts;
    for (const auto& [id, f] : r.accounts) {
        json::object a{{"inquiries", f.inquiries}};
        add_ranking(a, f.replies);
        accounts[id] = std::move(a);
    }
    return {{"policy", r.policy},
            {"seed", r.seed},
            {"people", r.people},
            {"from", adapters::format_rfc3339(r.from)},
            {"to", adapters::format_rfc3339(r.to)},
            {"inputs", r.inputs},
            {"ignored_outbound", r.ignored_outbound},
            {"missed_offers", r.missed_offers},
            {"overall", counts_json(r.overall)},
            {"tiers", std::move(tiers)},
            {"agents", std::move(agents)},
            {"accounts", std::move(accounts)},
            {"longest_queue_wait_seconds", seconds(r.longest_queue_wait)},
            {"longest_queue_wait_inquiry", r.longest_queue_wait_inquiry}};
}

}  // namespace

std::string report_json(const std::vector<PolicyReport>& reports) {
    json::array policies;
    for (const auto& r : reports) policies.push_back(policy_json(r));
    return json::serialize(json::object{{"policies", std::move(policies)}});
}

}  // namespace ir::simulate
