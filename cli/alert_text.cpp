#include "alert_text.hpp"

#include <cstdio>
#include <ctime>

#include "ir/adapters/event_json.hpp"

namespace ir::cli {
namespace json = boost::json;

namespace {

std::string_view string_field(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
}

std::optional<sla::TimePoint> time_field(const json::object& o, std::string_view key) {
    const auto text = string_field(o, key);
    if (text.empty()) return std::nullopt;
    return adapters::parse_rfc3339(text);
}

std::optional<std::int64_t> int_field(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    return std::nullopt;
}

std::string pad(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

}  // namespace

std::optional<std::uint64_t> alert_seq(const json::object& alert) {
    const auto seq = int_field(alert, "seq");
    if (!seq || *seq <= 0) return std::nullopt;
    return static_cast<std::uint64_t>(*seq);
}

std::string format_span(sla::Duration d) {
    const std::int64_t ms = d.count() < 0 ? -d.count() : d.count();
    char buf[48];
    if (ms < 1000) {
        std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
    } else if (ms < 10'000 && ms % 1000 >= 100) {
        std::snprintf(buf, sizeof buf, "%lld.%llds", static_cast<long long>(ms / 1000),
                      static_cast<long long>(ms % 1000 / 100));
    } else if (ms < 60'000) {
        std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(ms / 1000));
    } else if (ms < 3'600'000) {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                      static_cast<long long>(ms / 1000 % 60));
    } else if (ms < 86'400'000) {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(ms / 3'600'000),
                      static_cast<long long>(ms / 60'000 % 60));
    } else {
        std::snprintf(buf, sizeof buf, "%lldd%lldh", static_cast<long long>(ms / 86'400'000),
                      static_cast<long long>(ms / 3'600'000 % 24));
    }
    return buf;
}

std::string format_local_time(sla::TimePoint t, sla::TimePoint now) {
    auto local = [](sla::TimePoint p) {
        const std::time_t secs = std::chrono::floor<std::chrono::seconds>(p).time_since_epoch().count();
        std::tm tm{};
        localtime_r(&secs, &tm);
        return tm;
    };
    const std::tm at = local(t);
    const std::tm today = local(now);
    char buf[64];
    if (at.tm_year == today.tm_year && at.tm_yday == today.tm_yday) {
        std::strftime(buf, sizeof buf, "%H:%M:%S", &at);
        return buf;
    }
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &at);
    const long offset_min = at.tm_gmtoff / 60;
    const int abs_min = static_cast<int>((offset_min < 0 ? -offset_min : offset_min) % (24 * 60));
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_min < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
    return std::string(buf) + zone;
}

std::string format_alert_line(const json::object& alert, sla::TimePoint now) {
    const auto fired = time_field(alert, "fired_at");
    const auto deadline = time_field(alert, "deadline");
    std::string kind(string_field(alert, "kind"));
    if (const auto clock = string_field(alert, "clock"); !clock.empty()) kind.append(" ").append(clock);
    const auto tier = int_field(alert, "tier");
    const auto inquiry = int_field(alert, "inquiry_id");
    const auto agent = string_field(alert, "agent_id");
    const json::value* late = alert.if_contains("late");

    std::string line = pad(fired ? format_local_time(*fired, now) : "-", 8);
    line.append("  ").append(pad(kind, 18));
    line.append("  tier ").append(tier ? std::to_string(*tier) : "?");
    line.append("  inquiry ").append(inquiry ? std::to_string(*inquiry) : "?");
    line.append("  ").append(string_field(alert, "account"));
    line.append("  ").append(agent.empty() ? std::string_view("-") : agent);
    if (deadline && fired) {
        const auto left = *deadline - *fired;
        line.append("  ").append(left.count() > 0   ? format_span(left) + " left"
                                 : left.count() < 0 ? format_span(left) + " overdue"
                                                    : std::string("due now"));
    }
    if (late && late->is_bool() && late->as_bool()) line.append(" (late)");
    return line;
}

}  // namespace ir::cli
