#pragma once
// Our people as routing sees them: who they are, what they can answer, when they work.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ir::routing {

enum class Role : std::uint8_t { agent, senior, supervisor };
enum class Presence : std::uint8_t { available, away, offline };

std::string_view to_string(Role r);
std::string_view to_string(Presence p);
std::optional<Presence> parse_presence(std::string_view s);  // "available", "away", "offline"

// One stretch of work in local time: minutes since local midnight, [start, end), end <= 1440.
// A night shift is two spans (22:00-24:00 on one day, 00:00-06:00 on the next).
struct ShiftSpan {
    std::uint16_t start = 0;
    std::uint16_t end = 0;
    bool operator==(const ShiftSpan&) const = default;
};

// Working hours per weekday, ISO order: days[0] is Monday, days[6] Sunday. No span on any
// day means "always on shift"; otherwise a day without spans is a day off.
struct WeeklyHours {
    std::array<std::vector<ShiftSpan>, 7> days;

    bool always() const;
    // The same span Monday to Friday, e.g. weekdays(9 * 60, 18 * 60).
    static WeeklyHours weekdays(std::uint16_t start, std::uint16_t end);
    bool operator==(const WeeklyHours&) const = default;
};

struct AgentSpec {
    std::string id;
    std::string name;
    Role role = Role::agent;
    std::vector<std::string> accounts;        // store accounts answered; "*" = all
    std::vector<std::string> categories;      // product lines; empty = all
    std::vector<std::string> languages;       // ISO 639-1 codes spoken; empty = any
    std::uint32_t capacity = 10;              // unanswered inquiries held at once
    WeeklyHours hours;                        // empty = always on shift
    std::string time_zone;                    // IANA name for `hours`; "" = UTC
    Presence presence = Presence::available;  // at start, until set_presence or a restore
    bool operator==(const AgentSpec&) const = default;
};

}  // namespace ir::routing
