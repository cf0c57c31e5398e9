#pragma once
// The generic JSON inquiry event (the `event` object of fixtures/FORMAT.md) and the
// fixtures' `context` object, to and from the core's plain structs. Strict: wrong
// types, missing or unknown fields are errors that name the field.
#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>

#include "ir/router/assessment.hpp"
#include "ir/router/event.hpp"
#include "ir/base/expected.hpp"

namespace ir::adapters {

// Limits on single fields, so one event cannot carry unbounded metadata.
inline constexpr std::size_t kMaxIdBytes = 512;
inline constexpr std::size_t kMaxSenderFieldBytes = 1024;
inline constexpr std::size_t kMaxSubjectBytes = 4096;

Expected<router::Event> parse_event(const boost::json::value& v);
Expected<router::CustomerContext> parse_context(const boost::json::value& v);

// RFC 3339 ("2026-11-20T08:15:00Z", "2026-11-20T10:15:00.250+02:00") to UTC milliseconds.
std::optional<sla::TimePoint> parse_rfc3339(std::string_view s);
std::string format_rfc3339(sla::TimePoint t);  // always UTC, "Z", milliseconds if any

boost::json::object to_json(const router::Event& e);
boost::json::object to_json(const router::Sender& s);
boost::json::object to_json(const router::CustomerContext& c);  // the fixtures' `context`
// `memory`: where the JSON lives (e.g. a monotonic_resource freed at once, for an answer).
boost::json::object to_json(const router::Assessment& a, boost::json::storage_ptr memory = {});

}  // namespace ir::adapters
