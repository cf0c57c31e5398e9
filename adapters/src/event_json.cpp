#include "ir/adapters/event_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace ir::adapters {
namespace json = boost::json;
using router::CustomerContext;
using router::Event;

namespace {

Error bad(std::string message, std::string field, bool invalid_value = false) {
    return Error{std::move(message), std::move(field), invalid_value};
}

std::optional<Error> only_keys(const json::object& o, std::string_view where,
                               std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o)
        if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
            return bad("unknown field", std::string(where) + std::string(kv.key()));
    return std::nullopt;
}

// Reads an optional string field (null or missing -> empty) of at most max_bytes.
std::optional<Error> read_string(const json::object& o, std::string_view key, std::string_view where,
                                 std::size_t max_bytes, std::string& out, bool required = false) {
    // Named only on failure: this runs for every field of every event.
    const auto field = [&] { return std::string(where) + std::string(key); };
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) {
        if (required) return bad("missing field", field());
        return std::nullopt;
    }
    if (!v->is_string()) return bad("must be a string", field());
    if (v->get_string().size() > max_bytes)
        return bad("longer than " + std::to_string(max_bytes) + " bytes", field(), true);
    out.assign(v->get_string().data(), v->get_string().size());
    return std::nullopt;
}

std::optional<Error> read_sender(const json::object& o, router::Sender& s) {
    const auto* v = o.if_contains("sender");
    if (!v || v->is_null()) return bad("missing field", "sender");
    if (!v->is_object()) return bad("must be an object", "sender");
    const auto& so = v->get_object();
    if (auto e = only_keys(so, "sender.", {"name", "email", "company", "phone", "address", "country", "im"})) return e;
    const std::size_t m = kMaxSenderFieldBytes;
    for (auto [key, out] : {std::pair{"name", &s.name},
                            {"email", &s.email},
                            {"company", &s.company},
                            {"phone", &s.phone},
                            {"address", &s.address},
                            {"country", &s.country},
                            {"im", &s.im}})
        if (auto e = read_string(so, key, "sender.", m, *out)) return e;
    return std::nullopt;
}

std::optional<Error> read_enums_and_time(const json::object& o, Event& e) {
    std::string channel, direction, received_at;
    if (auto err = read_string(o, "channel", "", kMaxIdBytes, channel, true)) return err;
    if (auto err = read_string(o, "direction", "", kMaxIdBytes, direction, true)) return err;
    if (auto err = read_string(o, "received_at", "", kMaxIdBytes, received_at, true)) return err;
    auto c = router::parse_channel(channel);
    if (!c) return bad("must be one of email, chat, marketplace", "channel", true);
    auto d = router::parse_direction(direction);
    if (!d) return bad("must be inbound or outbound", "direction", true);
    auto t = parse_rfc3339(received_at);
    if (!t) return bad("must be an RFC 3339 time such as 2026-11-20T08:15:00Z", "received_at", true);
    e.channel = *c;
    e.direction = *d;
    e.received_at = *t;
    return std::nullopt;
}

std::optional<Error> read_attachments(const json::object& o, Event& e) {
    const auto* v = o.if_contains("attachments");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_int64() && !v->is_uint64()) return bad("must be a whole number", "attachments");
    const auto n =
        v->is_int64() ? v->get_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), 1u << 30));
    if (n < 0 || n > 10'000) return bad("must be between 0 and 10000", "attachments", true);
    e.attachments = static_cast<std::uint32_t>(n);
    return std::nullopt;
}

}  // namespace

Expected<Event> parse_event(const json::value& v) {
    if (!v.is_object()) return bad("the event must be a JSON object", "");
    const auto& o = v.get_object();
    if (auto e = only_keys(o, "",
                           {"channel", "account", "message_id", "thread_id", "received_at", "direction", "sender",
                            "subject", "body", "attachments"}))
        return *e;
    Event e;
    if (auto err = read_enums_and_time(o, e)) return *err;
    if (auto err = read_string(o, "account", "", kMaxIdBytes, e.account, true)) return *err;
    if (auto err = read_string(o, "message_id", "", kMaxIdBytes, e.message_id, true)) return *err;
    if (auto err = read_string(o, "thread_id", "", kMaxIdBytes, e.thread_id)) return *err;
    if (auto err = read_string(o, "subject", "", kMaxSubjectBytes, e.subject)) return *err;
    if (auto err = read_string(o, "body", "", std::size_t{16} << 20, e.body, true)) return *err;
    if (auto err = read_sender(o, e.sender)) return *err;
    if (auto err = read_attachments(o, e)) return *err;
    if (e.account.empty()) return bad("must not be empty", "account", true);
    if (e.message_id.empty()) return bad("must not be empty", "message_id", true);
    if (e.thread_id.empty()) e.thread_id = e.message_id;  // a conversation of its own
    return e;
}

Expected<CustomerContext> parse_context(const json::value& v) {
    CustomerContext c;
    if (v.is_null()) return c;
    if (!v.is_object()) return bad("must be an object", "context");
    const auto& o = v.get_object();
    if (auto e =
            only_keys(o, "context.",
                      {"customer_messages_in_thread", "orders", "sample_orders", "visited_company", "local_influence"}))
        return *e;
    for (auto [key, out] : {std::pair{"customer_messages_in_thread", &c.customer_messages_in_thread},
                            {"orders", &c.orders},
                            {"sample_orders", &c.sample_orders}}) {
        const auto* n = o.if_contains(key);
        if (!n || n->is_null()) continue;
        if (!(n->is_int64() && n->get_int64() >= 0 && n->get_int64() <= 1'000'000) && !n->is_uint64())
            return bad("must be a non-negative whole number", "context." + std::string(key));
        *out = static_cast<std::uint32_t>(std::min<std::uint64_t>(n->to_number<std::uint64_t>(), 1'000'000));
    }
    for (auto [key, out] :
         {std::pair{"visited_company", &c.visited_company}, {"local_influence", &c.local_influence}}) {
        const auto* b = o.if_contains(key);
        if (!b || b->is_null()) continue;
        if (!b->is_bool()) return bad("must be true or false", "context." + std::string(key));
        *out = b->get_bool();
    }
    return c;
}

json::object to_json(const router::Sender& s) {
    return {{"name", s.name},   {"email", s.email},     {"company", s.company},
            {"phone", s.phone}, {"address", s.address}, {"country", s.country},
            {"im", s.im}};
}

json::object to_json(const CustomerContext& c) {
    return {{"customer_messages_in_thread", c.customer_messages_in_thread},
            {"orders", c.orders},
            {"sample_orders", c.sample_orders},
            {"visited_company", c.visited_company},
            {"local_influence", c.local_influence}};
}

json::object to_json(const Event& e) {
    return {{"channel", router::to_string(e.channel)},
            {"account", e.account},
            {"message_id", e.message_id},
            {"thread_id", e.thread_id},
            {"received_at", format_rfc3339(e.received_at)},
            {"direction", router::to_string(e.direction)},
            {"sender", to_json(e.sender)},
            {"subject", e.subject},
            {"body", e.body},
            {"attachments", e.attachments}};
}

json::object to_json(const router::Assessment& a, json::storage_ptr memory) {
    json::array products(a.products.begin(), a.products.end(), memory);
    json::array reasons(a.reasons.begin(), a.reasons.end(), memory);
    json::array signs(memory);
    for (auto s : a.scam_signs) signs.emplace_back(static_cast<int>(s));
    json::object out(8, memory);
    out.emplace("tier", a.tier);
    out.emplace("suspect", a.suspect);
    // The score is a whole number 0..100: printed as one ("79", not "7.9E1").
    out.emplace("score", static_cast<std::int64_t>(std::llround(a.score)));
    out.emplace("language", a.language);
    out.emplace("products", std::move(products));
    out.emplace("reasons", std::move(reasons));
    out.emplace("scam_signs", std::move(signs));
    out.emplace("large_order", a.large_order);
    return out;
}

}  // namespace ir::adapters
