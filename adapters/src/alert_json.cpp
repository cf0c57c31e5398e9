#include "ir/adapters/alert_json.hpp"

#include <google/protobuf/util/time_util.h>

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"

namespace ir::adapters {
namespace json = boost::json;

namespace {

json::value time_json(const google::protobuf::Timestamp& t) {
    if (t.seconds() == 0 && t.nanos() == 0) return nullptr;  // the alert has no such instant
    const auto ms = google::protobuf::util::TimeUtil::TimestampToMilliseconds(t);
    const std::string text = format_rfc3339(sla::from_unix_ms(ms));
    return json::value(std::string_view(text));
}

// "ALERT_KIND_BREACH" -> "BREACH"; empty for the unspecified value.
std::string short_name(const std::string& name, std::string_view prefix) {
    if (name.ends_with("_UNSPECIFIED")) return {};
    return name.starts_with(prefix) ? name.substr(prefix.size()) : name;
}

json::value string_or_null(const std::string& s) {
    return s.empty() ? json::value(nullptr) : json::value(s);
}

}  // namespace

json::object alert_to_json(const inquiry::v1::Alert& a) {
    return {{"seq", a.seq()},
            {"topic", a.topic()},
            {"kind", short_name(inquiry::v1::AlertKind_Name(a.kind()), "ALERT_KIND_")},
            {"clock", string_or_null(short_name(inquiry::v1::ClockKind_Name(a.clock()), "CLOCK_KIND_"))},
            {"inquiry_id", a.inquiry_id()},
            {"account", a.account()},
            {"agent_id", string_or_null(a.agent_id())},
            {"tier", a.tier()},
            {"deadline", time_json(a.deadline())},
            {"fired_at", time_json(a.fired_at())},
            {"late", a.late()},
            {"escalates", string_or_null(short_name(inquiry::v1::AlertKind_Name(a.escalates()), "ALERT_KIND_"))},
            {"text", a.text()}};
}

}  // namespace ir::adapters
