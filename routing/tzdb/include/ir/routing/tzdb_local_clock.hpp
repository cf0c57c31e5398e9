#pragma once
// The real LocalClock: IANA zones from the system's tz database (/usr/share/zoneinfo, via
// Howard Hinnant's date/tz). The database is read once, the first time any TzdbLocalClock
// is constructed; this is the only file access on routing's side, kept out of the core.
#include "ir/routing/local_clock.hpp"

namespace ir::routing {

class TzdbLocalClock final : public LocalClock {
public:
    TzdbLocalClock();  // loads the database (throws std::runtime_error if it cannot)
    sla::Duration utc_offset(std::string_view tz, sla::TimePoint t) const override;
    bool knows(std::string_view tz) const override;
};

}  // namespace ir::routing
