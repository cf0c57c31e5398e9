#pragma once
// How long an agent has to accept an assignment before it moves on, and how the agent is
// chosen.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ir/sla/time.hpp"

namespace ir::routing {

// Who gets an inquiry. `ours` is the dispatcher's rules (dispatcher.hpp) and what the daemon
// runs. The others exist to measure ours against (`inquiryctl simulate`): they ignore tier,
// suspicion, skills, languages and the customer's previous owner, and differ only in whom
// they pick among the free agents of the inquiry's account.
enum class Strategy : std::uint8_t {
    ours,
    round_robin,   // the free agent whose last turn is longest ago (Chatwoot's default)
    least_loaded,  // the free agent holding the fewest unanswered (Freshdesk's load-balanced)
    none,          // nobody is assigned: each agent takes the best waiting inquiry, one at a time
};

std::string_view to_string(Strategy s);
std::optional<Strategy> parse_strategy(std::string_view s);  // "ours", "round-robin", ...

struct RoutingPolicy {
    sla::Duration reserve = std::chrono::minutes{2};
    sla::Duration min_reserve = std::chrono::seconds{20};
    Strategy strategy = Strategy::ours;
    bool operator==(const RoutingPolicy&) const = default;
};

// The time allowed to accept, which shrinks as the fast deadline nears:
// min(reserve, max(min_reserve, (fast_deadline - now) / 2)).
sla::Duration reservation_window(const RoutingPolicy& p, sla::TimePoint fast_deadline, sla::TimePoint now);

}  // namespace ir::routing
