#pragma once
// Alerts as `inquiryctl tail` shows them: the JSON object of GET /v1/alerts (built the same
// way from a live inquiry.v1.Alert) and one readable line per alert.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "inquiry/v1/alert.pb.h"
#include "ir/adapters/alert_json.hpp"
#include "ir/sla/time.hpp"

namespace ir::cli {

// The same fields, names and order as the daemon's GET /v1/alerts: seq, topic, kind,
// clock, inquiry_id, account, agent_id, tier, deadline, fired_at, late, text.
using adapters::alert_to_json;

// The alert's "seq", if it is a positive whole number.
std::optional<std::uint64_t> alert_seq(const boost::json::object& alert);

// "1.5s", "850ms", "42s", "3m05s", "2h10m", "1d4h".
std::string format_span(sla::Duration d);

// The local time of day ("14:03:07") when `t` falls on the same local day as `now`,
// otherwise the local RFC 3339 time ("2026-11-20T09:15:00+01:00").
std::string format_local_time(sla::TimePoint t, sla::TimePoint now);

// One line: time fired, kind (and clock), tier, inquiry, account, who, time left or
// overdue against the deadline, "(late)" when it fired late. Example:
//   14:03:07  BREACH FAST        tier 1  inquiry 42  alibaba-electronics  -  2s overdue (late)
std::string format_alert_line(const boost::json::object& alert, sla::TimePoint now);

}  // namespace ir::cli
