#pragma once
// How long an agent has to accept an assignment before it moves on.
#include <chrono>

#include "ir/sla/time.hpp"

namespace ir::routing {

struct RoutingPolicy {
    sla::Duration reserve = std::chrono::minutes{2};
    sla::Duration min_reserve = std::chrono::seconds{20};
    bool operator==(const RoutingPolicy&) const = default;
};

// The time allowed to accept, which shrinks as the fast deadline nears:
// min(reserve, max(min_reserve, (fast_deadline - now) / 2)).
sla::Duration reservation_window(const RoutingPolicy& p, sla::TimePoint fast_deadline, sla::TimePoint now);

}  // namespace ir::routing
