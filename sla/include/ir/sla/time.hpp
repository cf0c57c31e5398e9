#pragma once
// Time as the core sees it: wall-clock instants in milliseconds, handed in by the
// caller. The core never reads a clock itself.
#include <chrono>
#include <cstdint>

namespace ir::sla {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Duration>;

inline std::int64_t to_unix_ms(TimePoint t) {
    return t.time_since_epoch().count();
}
inline TimePoint from_unix_ms(std::int64_t ms) {
    return TimePoint{Duration{ms}};
}

}  // namespace ir::sla
