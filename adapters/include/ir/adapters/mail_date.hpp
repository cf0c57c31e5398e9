#pragma once
// When a mail was received, for its reply clocks. A sender writes any Date: they like:
// backdated by days, spam would arrive already breached and escalate; dated ahead, it
// would hold the clocks off. So Date: is taken only within `skew` of the time the
// receiving server stamped on the mail (its topmost Received:, which it adds above
// everything the mail already had), or of the mail's arrival here when there is no
// readable Received:; otherwise that time is taken instead. Pure: times are given.
#include <optional>
#include <string>

#include "ir/sla/time.hpp"

namespace ir::adapters {

inline constexpr sla::Duration kDefaultDateSkew = std::chrono::minutes(15);

struct ReceivedTime {
    sla::TimePoint at{};
    std::string clamped;  // why Date: was not taken ("" when it was), for the log
};

// `top_received`: the topmost Received: header's time, if it has one that parses;
// `arrival`: when the mail reached us (its file's mtime, or when it was read).
ReceivedTime received_time(std::optional<sla::TimePoint> date, std::optional<sla::TimePoint> top_received,
                           sla::TimePoint arrival, sla::Duration skew = kDefaultDateSkew);

}  // namespace ir::adapters
