#pragma once
// What one policy's replay found. Shares are between 0 and 1 (0 when there is nothing to
// share). `within_fast` / `within_timely` of the overall and tier figures count buyer waits
// (every buyer message that started a reply clock) answered within the configured deadlines,
// an unanswered wait counting as missed; the agent and account figures are the platform's
// ranking (5 min, 24 h), computed by the same code as GET /v1/stats/replies.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "ir/routing/reply_report.hpp"
#include "ir/sla/time.hpp"

namespace ir::simulate {

struct Counts {
    std::size_t inquiries = 0;  // conversations opened (by their tier when they closed or the run ended)
    std::size_t waits = 0;      // buyer messages that started a reply clock
    std::size_t within_fast = 0;
    std::size_t within_timely = 0;
    std::size_t replies = 0;
    std::size_t fast_breaches = 0;
    std::size_t timely_breaches = 0;
    std::size_t escalations = 0;  // ESCALATION alerts: clock escalations and tier 1 notices
    std::size_t follow_ups_due = 0;
    double share_fast() const { return waits ? static_cast<double>(within_fast) / static_cast<double>(waits) : 0; }
    double share_timely() const { return waits ? static_cast<double>(within_timely) / static_cast<double>(waits) : 0; }
    std::size_t breaches() const { return fast_breaches + timely_breaches; }
};

struct AgentFigures {
    std::size_t assigned = 0;  // ASSIGNED to them (offers, and conversations coming back to them)
    routing::ReplyStats replies;
};

struct AccountFigures {
    std::size_t inquiries = 0;
    routing::ReplyStats replies;
};

struct PolicyReport {
    std::string policy;  // ours, round-robin, least-loaded, none
    std::uint64_t seed = 0;
    std::string people;           // simulated, recorded
    sla::TimePoint from{}, to{};  // the first input and the end of the run
    std::size_t inputs = 0;
    std::size_t ignored_outbound = 0;  // recorded replies in the traffic, left out for simulated people
    std::size_t missed_offers = 0;
    Counts overall;
    std::array<Counts, 4> tiers{};                   // tier 1 .. 4
    std::map<std::string, AgentFigures> agents;      // the roster, and anyone else who replied
    std::map<std::string, AccountFigures> accounts;  // every account with an inquiry
    sla::Duration longest_queue_wait{};              // one stretch in a queue before an agent took it
    std::uint64_t longest_queue_wait_inquiry = 0;
};

}  // namespace ir::simulate
