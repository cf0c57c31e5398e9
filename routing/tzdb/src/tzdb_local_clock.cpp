#include "ir/routing/tzdb_local_clock.hpp"

#include <date/tz.h>

#include <string>

namespace ir::routing {
namespace {

// nullptr for "" (UTC) and for names the database does not know.
const date::time_zone* zone(std::string_view tz) {
    if (tz.empty()) return nullptr;
    try {
        return date::locate_zone(std::string(tz));
    } catch (const std::runtime_error&) {
        return nullptr;
    }
}

}  // namespace

TzdbLocalClock::TzdbLocalClock() {
    (void)date::get_tzdb();
}

sla::Duration TzdbLocalClock::utc_offset(std::string_view tz, sla::TimePoint t) const {
    const date::time_zone* z = zone(tz);
    if (!z) return sla::Duration{0};
    return std::chrono::duration_cast<sla::Duration>(z->get_info(t).offset);
}

bool TzdbLocalClock::knows(std::string_view tz) const {
    return tz.empty() || zone(tz) != nullptr;
}

}  // namespace ir::routing
