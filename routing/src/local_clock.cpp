// Local time through a LocalClock, and the working-hours arithmetic built on it.
#include "ir/routing/local_clock.hpp"

#include <algorithm>
#include <chrono>

namespace ir::routing {
namespace {

using std::chrono::days;
using std::chrono::minutes;

constexpr int minutes_per_day = 24 * 60;

bool in_span(const WeeklyHours& h, int weekday, int minute) {
    const auto& spans = h.days[static_cast<std::size_t>(weekday)];
    return std::any_of(spans.begin(), spans.end(),
                       [&](const ShiftSpan& s) { return s.start <= minute && minute < s.end; });
}

// Whether being on shift differs just before and at minute b of the day (touching spans
// and shifts across midnight are one shift).
bool changes_at(const WeeklyHours& h, int weekday, int b) {
    const bool before = b == 0 ? in_span(h, (weekday + 6) % 7, minutes_per_day - 1) : in_span(h, weekday, b - 1);
    const bool after = b >= minutes_per_day ? in_span(h, (weekday + 1) % 7, 0) : in_span(h, weekday, b);
    return before != after;
}

std::vector<int> boundaries(const WeeklyHours& h, int weekday) {
    std::vector<int> out;
    for (const ShiftSpan& s : h.days[static_cast<std::size_t>(weekday)]) {
        out.push_back(s.start);
        out.push_back(std::min<int>(s.end, minutes_per_day));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

LocalClock::~LocalClock() = default;

LocalTime LocalClock::local(std::string_view tz, sla::TimePoint t) const {
    const sla::Duration offset = utc_offset(tz, t);
    const auto local = t.time_since_epoch() + offset;
    const auto day = std::chrono::floor<days>(local);
    const auto weekday = ((day.count() % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday (3)
    const auto minute = std::chrono::duration_cast<minutes>(local - day).count();
    return {static_cast<int>(weekday), static_cast<int>(minute), offset};
}

sla::Duration FixedOffsetClock::utc_offset(std::string_view tz, sla::TimePoint /*t*/) const {
    const auto it = zones_.find(tz);
    return it == zones_.end() ? sla::Duration{0} : it->second;
}

bool FixedOffsetClock::knows(std::string_view tz) const {
    return tz.empty() || zones_.find(tz) != zones_.end();
}

bool on_shift(const WeeklyHours& hours, const LocalTime& at) {
    return hours.always() || in_span(hours, at.weekday, at.minute);
}

std::optional<sla::TimePoint> next_shift_change(const WeeklyHours& hours, std::string_view tz, const LocalClock& clock,
                                                sla::TimePoint t) {
    if (hours.always()) return std::nullopt;
    const sla::Duration offset = clock.utc_offset(tz, t);
    const auto local = t.time_since_epoch() + offset;
    const auto day = std::chrono::floor<days>(local);
    const sla::Duration into_day = local - day;
    const int weekday = clock.local(tz, t).weekday;
    for (int d = 0; d <= 7; ++d) {
        const int wd = (weekday + d) % 7;
        for (const int b : boundaries(hours, wd)) {
            const sla::Duration at = days{d} + minutes{b};
            if (at <= into_day || !changes_at(hours, wd, b)) continue;
            const sla::TimePoint naive = t + (at - into_day);
            // The offset may differ there (DST): the same local minute is that much earlier.
            const sla::TimePoint shifted = naive - (clock.utc_offset(tz, naive) - offset);
            return shifted > t ? shifted : naive;
        }
    }
    return std::nullopt;  // on shift around the clock, every day
}

}  // namespace ir::routing
