#include "ir/routing/policy.hpp"

#include <algorithm>

namespace ir::routing {

sla::Duration reservation_window(const RoutingPolicy& p, sla::TimePoint fast_deadline, sla::TimePoint now) {
    const sla::Duration half = (fast_deadline - now) / 2;
    const sla::Duration allowed = std::min(p.reserve, std::max(p.min_reserve, half));
    return std::max(allowed, sla::Duration{1});  // never zero: an expiry must be in the future
}

}  // namespace ir::routing
