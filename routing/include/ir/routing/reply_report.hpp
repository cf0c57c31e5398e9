#pragma once
// The response-time ranking the platform shows, computed over reply rows the daemon reads
// from its store. Pure: the same rows give the same report.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::routing {

// One buyer message and our first reply to it.
struct ReplyRow {
    std::string agent;
    std::string account;
    sla::TimePoint buyer_at;
    sla::TimePoint replied_at;  // before buyer_at counts as an instant reply
};

struct ReplyThresholds {
    sla::Duration fast = std::chrono::minutes{5};
    sla::Duration timely = std::chrono::hours{24};
};

struct ReplyStats {
    std::string key;  // agent id or account; "" for the team
    std::size_t replies = 0;
    double share_fast = 0;            // replies within `fast` (inclusive), 0..1
    double share_timely = 0;          // replies within `timely` (inclusive), 0..1
    sla::Duration median{};           // nearest rank
    sla::Duration p90{};              // nearest rank
    bool below_team_average = false;  // share_fast below the team's share (the platform's red)
    bool operator==(const ReplyStats&) const = default;
};

struct ReplyReport {
    ReplyStats team;
    std::vector<ReplyStats> agents;    // sorted by key
    std::vector<ReplyStats> accounts;  // sorted by key
    bool operator==(const ReplyReport&) const = default;
};

ReplyReport reply_report(std::span<const ReplyRow> rows, const ReplyThresholds& thresholds = {});

}  // namespace ir::routing
