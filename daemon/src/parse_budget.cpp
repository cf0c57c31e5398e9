// The fast and slow lanes' bookkeeping (parse_budget.hpp).
#include "ir/daemon/parse_budget.hpp"

#include <algorithm>

namespace ir::daemon {

void ParseBudget::forget_before(std::deque<Clock::time_point>& times, Clock::time_point now) {
    while (!times.empty() && times.front() <= now - kWindow) times.pop_front();
}

ParseBudget::Ms ParseBudget::fast_budget(Clock::time_point now) {
    forget_before(set_asides_, now);
    Ms b = limits_.budget;
    if (set_asides_.size() >= limits_.per_minute) b = std::min(b, std::max(b / 10, kStrictFloor));
    return std::min(b, limits_.timeout);
}

void ParseBudget::set_aside(Clock::time_point now) {
    forget_before(set_asides_, now);
    set_asides_.push_back(now);
}

std::optional<ParseBudget::Clock::time_point> ParseBudget::slow_wait(Clock::time_point now) {
    forget_before(slow_starts_, now);
    if (slow_starts_.size() < limits_.per_minute) return std::nullopt;
    return slow_starts_.front() + kWindow;
}

void ParseBudget::slow_started(Clock::time_point now) {
    forget_before(slow_starts_, now);
    slow_starts_.push_back(now);
}

}  // namespace ir::daemon
