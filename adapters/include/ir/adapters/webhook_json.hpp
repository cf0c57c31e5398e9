#pragma once
// Helpers shared by the webhook parsers (internal to ir_adapters): strict reads of the
// fields a parser needs, tolerant of fields it does not know, with errors that name the
// path ("entry[0].changes[0].value.messages[2].id"). They throw WebhookFailure, which
// each parser's entry point turns into an ir::Error: no exception leaves the parsers.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "ir/base/expected.hpp"
#include "ir/base/text.hpp"
#include "ir/sla/time.hpp"

namespace ir::adapters::webhook_json {

namespace json = boost::json;

struct WebhookFailure {
    Error error;
};

[[noreturn]] void fail(std::string message, std::string field, bool invalid_value = false);

// The body as JSON: at most kMaxWebhookBodyBytes, nesting at most kMaxWebhookJsonDepth,
// valid UTF-8 (the parser rejects anything else), an object at the top.
const json::object& parse_body(std::string_view raw, json::value& storage);

std::string at(std::string_view path, std::string_view key);  // "a.b"
std::string at(std::string_view path, std::size_t index);     // "a[3]"

const json::object* opt_object(const json::object& o, std::string_view key, std::string_view path);
const json::array* opt_array(const json::object& o, std::string_view key, std::string_view path, std::size_t max_items);
const json::object& need_object(const json::value& v, std::string_view path);

// A string field (null or missing -> ""); longer than max_bytes -> 422.
std::string opt_string(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes);
// The same, but missing, null or empty is an error.
std::string need_string(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes);
// A string or a whole number, as text (ids are either, depending on the sender).
std::string opt_id(const json::object& o, std::string_view key, std::string_view path, std::size_t max_bytes);
std::string scalar_text(const json::value& v, std::string_view path, std::size_t max_bytes);
std::optional<double> opt_number(const json::object& o, std::string_view key, std::string_view path);
bool opt_bool(const json::object& o, std::string_view key, std::string_view path);

// Unix seconds as a number or a string of digits; rejects times before 2000 or after 2200.
sla::TimePoint unix_seconds(const json::value& v, std::string_view path);
// A time that is RFC 3339, or unix seconds, or unix milliseconds (numbers of 12+ digits).
sla::TimePoint any_time(const json::value& v, std::string_view path);

std::string format_number(double d);  // shortest form: "52.5200066", "13"
using ir::utf8_prefix;                // ir/base/text.hpp

}  // namespace ir::adapters::webhook_json
