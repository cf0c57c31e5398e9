// Names of roles and presences, and working-hours helpers.
#include "ir/routing/agent.hpp"

#include <algorithm>

namespace ir::routing {

std::string_view to_string(Role r) {
    switch (r) {
        case Role::agent:
            return "agent";
        case Role::senior:
            return "senior";
        case Role::supervisor:
            return "supervisor";
    }
    return "agent";
}

std::string_view to_string(Presence p) {
    switch (p) {
        case Presence::available:
            return "available";
        case Presence::away:
            return "away";
        case Presence::offline:
            return "offline";
    }
    return "offline";
}

std::optional<Presence> parse_presence(std::string_view s) {
    for (auto p : {Presence::available, Presence::away, Presence::offline})
        if (to_string(p) == s) return p;
    return std::nullopt;
}

bool WeeklyHours::always() const {
    return std::all_of(days.begin(), days.end(), [](const auto& d) { return d.empty(); });
}

WeeklyHours WeeklyHours::weekdays(std::uint16_t start, std::uint16_t end) {
    WeeklyHours h;
    for (std::size_t d = 0; d < 5; ++d) h.days[d].push_back({start, end});
    return h;
}

}  // namespace ir::routing
