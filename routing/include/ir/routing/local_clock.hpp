#pragma once
// Working hours are local time; the core asks this interface for a zone's UTC offset so it
// never reads the tz database (or any file) itself. TzdbLocalClock (ir_routing_tz) is the
// real one; FixedOffsetClock serves tests.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ir/routing/agent.hpp"
#include "ir/sla/time.hpp"

namespace ir::routing {

// A wall-clock instant seen in a time zone.
struct LocalTime {
    int weekday = 0;             // 0 = Monday ... 6 = Sunday
    int minute = 0;              // minutes since local midnight, 0..1439
    sla::Duration utc_offset{};  // local = UTC + offset
    bool operator==(const LocalTime&) const = default;
};

class LocalClock {
public:
    virtual ~LocalClock();
    // Local = UTC + offset at instant t in zone tz ("" = UTC). Unknown zones read as UTC.
    virtual sla::Duration utc_offset(std::string_view tz, sla::TimePoint t) const = 0;
    // Whether tz names a zone this clock knows ("" always does): for config checks.
    virtual bool knows(std::string_view tz) const = 0;

    LocalTime local(std::string_view tz, sla::TimePoint t) const;
};

// Zones with one constant offset each; unknown names (and "") are UTC.
class FixedOffsetClock final : public LocalClock {
public:
    FixedOffsetClock() = default;
    explicit FixedOffsetClock(std::map<std::string, sla::Duration, std::less<>> zones) : zones_(std::move(zones)) {}
    sla::Duration utc_offset(std::string_view tz, sla::TimePoint t) const override;
    bool knows(std::string_view tz) const override;

private:
    std::map<std::string, sla::Duration, std::less<>> zones_;
};

// Working-hours arithmetic over a LocalClock.
bool on_shift(const WeeklyHours& hours, const LocalTime& at);
// The next instant after t at which a span of `hours` starts or ends in zone tz (nullopt for
// "always"). DST is accounted for; the caller re-checks at that instant anyway.
std::optional<sla::TimePoint> next_shift_change(const WeeklyHours& hours, std::string_view tz, const LocalClock& clock,
                                                sla::TimePoint t);

}  // namespace ir::routing
