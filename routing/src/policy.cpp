#include "ir/routing/policy.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ir::routing {
namespace {

constexpr std::array<std::pair<Strategy, std::string_view>, 4> kStrategies = {{
    {Strategy::ours, "ours"},
    {Strategy::round_robin, "round-robin"},
    {Strategy::least_loaded, "least-loaded"},
    {Strategy::none, "none"},
}};

}  // namespace

sla::Duration reservation_window(const RoutingPolicy& p, sla::TimePoint fast_deadline, sla::TimePoint now) {
    const sla::Duration half = (fast_deadline - now) / 2;
    const sla::Duration allowed = std::min(p.reserve, std::max(p.min_reserve, half));
    return std::max(allowed, sla::Duration{1});  // never zero: an expiry must be in the future
}

std::string_view to_string(Strategy s) {
    for (const auto& [strategy, name] : kStrategies)
        if (strategy == s) return name;
    return "ours";
}

std::optional<Strategy> parse_strategy(std::string_view s) {
    for (const auto& [strategy, name] : kStrategies)
        if (name == s) return strategy;
    return std::nullopt;
}

}  // namespace ir::routing
