#pragma once
// A realistic traffic file for a replay: buyers in their own time zones (the Americas and
// Europe write during their day, which is Beijing's night), the channel, account, country
// and tier mix of the dev set, repeat buyers (some with orders our records know: tier 1),
// follow-up messages in the same conversation, bodies from templates in the six rule
// languages. The same options give the same bytes. docs/simulate.md says which figures come
// from the seeds and the dev set.
#include <cstdint>
#include <ostream>

#include "ir/router/catalog.hpp"
#include "ir/base/expected.hpp"
#include "ir/sla/time.hpp"

namespace ir::simulate {

struct TrafficOptions {
    int days = 7;
    int per_day = 100;  // new conversations a day on average (weekdays more, weekends less)
    std::uint64_t seed = 1;
    // 00:00 UTC of the first day: Monday 2 November 2026.
    sla::TimePoint start = sla::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 11 / 2}};
};

struct TrafficSummary {
    std::size_t lines = 0;
    std::size_t conversations = 0;
    std::size_t follow_ups = 0;
    std::size_t buyers = 0;
    std::size_t repeat_conversations = 0;
};

// Writes fixture-format lines ({"id", "event", "context"}) in received_at order.
Expected<TrafficSummary> generate_traffic(const router::Catalog& catalog, const TrafficOptions& options,
                                          std::ostream& out);

}  // namespace ir::simulate
