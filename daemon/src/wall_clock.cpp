#include "ir/daemon/wall_clock.hpp"

#include <chrono>

namespace ir::daemon {

sla::TimePoint SystemClock::now() const {
    return std::chrono::time_point_cast<sla::Duration>(std::chrono::system_clock::now());
}

}  // namespace ir::daemon
