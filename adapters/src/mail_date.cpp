// Date: against the receiving server's Received: time (mail_date.hpp).
#include "ir/adapters/mail_date.hpp"

#include "ir/adapters/event_json.hpp"

namespace ir::adapters {
namespace {

// "3d 2h", "15m", "40s": how far apart, for people.
std::string span(sla::Duration d) {
    using namespace std::chrono;
    const auto s = duration_cast<seconds>(d < sla::Duration::zero() ? -d : d).count();
    const long long days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60;
    if (days > 0) return std::to_string(days) + "d" + (hours ? " " + std::to_string(hours) + "h" : "");
    if (hours > 0) return std::to_string(hours) + "h" + (minutes ? " " + std::to_string(minutes) + "m" : "");
    if (minutes > 0) return std::to_string(minutes) + "m";
    return std::to_string(s) + "s";
}

}  // namespace

ReceivedTime received_time(std::optional<sla::TimePoint> date, std::optional<sla::TimePoint> top_received,
                           sla::TimePoint arrival, sla::Duration skew) {
    // A Received: time after the arrival (a server clock ahead, a forged header on a path
    // that adds none) cannot hold the clocks off either.
    const bool by_server = top_received && *top_received <= arrival + skew;
    const sla::TimePoint reference = by_server ? *top_received : arrival;
    const std::string what =
        std::string(by_server ? "the topmost Received: " : "its arrival ") + format_rfc3339(reference);
    if (!date) return {reference, "no readable Date:; " + what + " taken"};
    if (*date < reference - skew)
        return {reference, "Date: " + format_rfc3339(*date) + " is " + span(reference - *date) + " before " + what +
                               " (date_skew " + span(skew) + "): that time taken"};
    if (*date > reference + skew)
        return {reference, "Date: " + format_rfc3339(*date) + " is " + span(*date - reference) + " after " + what +
                               " (date_skew " + span(skew) + "): that time taken"};
    return {*date, ""};
}

}  // namespace ir::adapters
