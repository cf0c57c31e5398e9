#include "ir/adapters/webhook_json.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>

#include "ir/adapters/event_json.hpp"
#include "ir/adapters/webhook.hpp"

namespace ir::adapters::webhook_json {
namespace {

// 2000-01-01 and 2200-01-01 in unix seconds: anything outside is a unit mistake.
constexpr std::int64_t kMinUnix = 946'684'800;
constexpr std::int64_t kMaxUnix = 7'258'118'400;

sla::TimePoint checked_seconds(std::int64_t s, std::int64_t ms, std::string_view path) {
    if (s < kMinUnix || s >= kMaxUnix) fail("must be a unix time between 2000 and 2200", std::string(path), true);
    return sla::from_unix_ms(s * 1000 + ms);
}

std::optional<std::int64_t> digits_value(std::string_view s) {
    if (s.empty() || s.size() > 15) return std::nullopt;
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<std::int64_t> whole_number(const json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64())
        return v.get_uint64() > 1'000'000'000'000'000u ? std::nullopt
                                                       : std::optional(static_cast<std::int64_t>(v.get_uint64()));
    if (v.is_double()) {
        const double d = v.get_double();
        if (std::isfinite(d) && d >= 0 && d < 1e15 && d == std::floor(d)) return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}

}  // namespace

void fail(std::string message, std::string field, bool invalid_value) {
    throw WebhookFailure{Error{std::move(message), std::move(field), invalid_value}};
}

const json::object& parse_body(std::string_view raw, json::value& storage) {
    if (raw.size() > kMaxWebhookBodyBytes)
        fail("body larger than " + std::to_string(kMaxWebhookBodyBytes) + " bytes", "", true);
    json::parse_options opt;
    opt.max_depth = kMaxWebhookJsonDepth;
    boost::system::error_code ec;
    storage = json::parse(raw, ec, {}, opt);
    if (ec) fail("body is not valid JSON: " + ec.message(), "");
    if (!storage.is_object()) fail("body must be a JSON object", "");
    return storage.get_object();
}

std::string at(std::string_view path, std::string_view key) {
    if (path.empty()) return std::string(key);
    std::string out(path);
    out.append(".").append(key);
    return out;
}

std::string at(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

const json::object* opt_object(const json::object& o, std::string_view key, std::string_view path) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object()) fail("must be an object", at(path, key));
    return &v->get_object();
}

const json::array* opt_array(const json::object& o, std::string_view key, std::string_view path,
                             std::size_t max_items) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_array()) fail("must be an array", at(path, key));
    if (v->get_array().size() > max_items)
        fail("more than " + std::to_string(max_items) + " items", at(path, key), true);
    return &v->get_array();
}

const json::object& need_object(const json::value& v, std::string_view path) {
    if (!v.is_object()) fail("must be an object", std::string(path));
    return v.get_object();
}

std::string opt_string(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) fail("must be a string", at(path, key));
    if (v->get_string().size() > max_bytes)
        fail("longer than " + std::to_string(max_bytes) + " bytes", at(path, key), true);
    return std::string(v->get_string());
}

std::string need_string(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes) {
    std::string s = opt_string(o, key, path, max_bytes);
    if (s.empty()) fail(o.contains(key) ? "must not be empty" : "missing field", at(path, key));
    return s;
}

std::string scalar_text(const json::value& v, std::string_view path, std::size_t max_bytes) {
    std::string s;
    if (v.is_string()) {
        s = std::string(v.get_string());
    } else if (v.is_int64()) {
        s = std::to_string(v.get_int64());
    } else if (v.is_uint64()) {
        s = std::to_string(v.get_uint64());
    } else if (v.is_bool()) {
        s = v.get_bool() ? "true" : "false";
    } else if (v.is_double()) {
        s = format_number(v.get_double());
    } else if (!v.is_null()) {
        fail("must be a string or a number", std::string(path));
    }
    if (s.size() > max_bytes) fail("longer than " + std::to_string(max_bytes) + " bytes", std::string(path), true);
    return s;
}

std::string opt_id(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes) {
    const auto* v = o.if_contains(key);
    if (!v) return {};
    if (v->is_bool()) fail("must be a string or a number", at(path, key));
    return scalar_text(*v, at(path, key), max_bytes);
}

std::optional<double> opt_number(const json::object& o, std::string_view key, std::string_view path) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_number()) fail("must be a number", at(path, key));
    const double d = v->to_number<double>();
    if (!std::isfinite(d)) fail("must be a finite number", at(path, key), true);
    return d;
}

bool opt_bool(const json::object& o, std::string_view key, std::string_view path) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return false;
    if (!v->is_bool()) fail("must be true or false", at(path, key));
    return v->get_bool();
}

sla::TimePoint unix_seconds(const json::value& v, std::string_view path) {
    std::optional<std::int64_t> s;
    if (v.is_string()) {
        s = digits_value(v.get_string());
    } else if (v.is_number()) {
        s = whole_number(v);
    } else {
        fail(v.is_null() ? "missing field" : "must be unix seconds", std::string(path));
    }
    if (!s) fail("must be unix seconds (a whole number)", std::string(path), true);
    return checked_seconds(*s, 0, path);
}

sla::TimePoint any_time(const json::value& v, std::string_view path) {
    std::optional<std::int64_t> n;
    if (v.is_string()) {
        const std::string_view s = v.get_string();
        if (auto t = parse_rfc3339(s)) {
            checked_seconds(sla::to_unix_ms(*t) / 1000, 0, path);
            return *t;
        }
        n = digits_value(s);
        if (!n) fail("must be an RFC 3339 time or unix seconds or milliseconds", std::string(path), true);
    } else if (v.is_number()) {
        n = whole_number(v);
        if (!n) fail("must be a whole number of unix seconds or milliseconds", std::string(path), true);
    } else {
        fail(v.is_null() ? "missing field" : "must be a time (string or number)", std::string(path));
    }
    if (*n >= 100'000'000'000) return checked_seconds(*n / 1000, *n % 1000, path);  // 12+ digits: milliseconds
    return checked_seconds(*n, 0, path);
}

std::string format_number(double d) {
    char buf[64];
    const auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    if (ec != std::errc{}) return "?";
    return std::string(buf, p);
}

}  // namespace ir::adapters::webhook_json
