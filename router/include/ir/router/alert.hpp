#pragma once
// An alert as the core decides it (mirrors inquiry.v1.Alert, without protobuf). The
// daemon stores it with the change that caused it, then publishes [topic][Alert].
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/sla/time.hpp"

namespace ir::router {

enum class AlertKind : std::uint8_t {
    warning = 1,
    breach,
    escalation,
    follow_up_due,
    assigned,
    resolved,
    unassigned,  // the inquiry was taken from this agent (reservation expired, offline, moved)
    retiered,    // new facts changed its tier (a first order makes tier 1)
};
enum class ClockKind : std::uint8_t { none = 0, fast, timely };

std::string_view to_string(AlertKind k);
std::string_view to_string(ClockKind k);

struct Alert {
    std::uint64_t seq = 0;  // durable, gap-free: one per published message
    std::string topic;      // "agent/<id>/", "escalation/<account>/", "queue/<queue>/"
    AlertKind kind = AlertKind::warning;
    ClockKind clock = ClockKind::none;
    std::uint64_t inquiry_id = 0;
    std::string account;
    std::string agent_id;
    int tier = 4;
    sla::TimePoint deadline{};  // zero when the alert has none
    sla::TimePoint fired_at{};
    bool late = false;
    std::string text;  // one readable line
    // escalation only: the stage it escalates (warning or breach); `clock` says which clock.
    std::optional<AlertKind> escalates;
    bool operator==(const Alert&) const = default;
};

}  // namespace ir::router
