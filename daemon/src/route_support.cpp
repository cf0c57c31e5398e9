// What the route handlers share: parsing path and body fields, and inquiry answers.
#include <boost/json.hpp>

#include <charconv>

#include "ir/daemon/api_json.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

std::optional<std::int64_t> parse_int(std::string_view s, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

std::variant<std::string, HttpResponse> body_string(const RouteRequest& req, std::string_view key) {
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    const json::value* v = (!ec && body.is_object()) ? body.as_object().if_contains(key) : nullptr;
    if (!v || !v->is_string() || v->as_string().empty())
        return error_response(http::status::bad_request, "needs {\"" + std::string(key) + "\": \"...\"}", key);
    return std::string(v->as_string());
}

void on_read_thread(RouteContext& c, Read read, RouteRequest&& req, Responder respond) {
    // std::function needs a copyable callable: the request and the answer travel shared.
    auto request = std::make_shared<RouteRequest>(std::move(req));
    auto answer = std::make_shared<Responder>(std::move(respond));
    if (!c.reads.submit([&c, read, request, answer](store::Database& db) { (*answer)(read(c, *request, db)); }))
        (*answer)(error_response(http::status::service_unavailable, "too many reads are waiting", "",
                                 {{"Retry-After", "1"}}));
}

HttpResponse store_error(const Error& e) {
    return error_response(http::status::service_unavailable, "the store cannot be read: " + e.message);
}

HttpResponse routing_refusal(routing::Refusal r) {
    const auto status = r == routing::Refusal::unknown_agent || r == routing::Refusal::unknown_inquiry
                            ? http::status::not_found
                            : http::status::conflict;
    return error_response(status, routing::to_string(r), r == routing::Refusal::unknown_inquiry ? "id" : "agent_id");
}

HttpResponse inquiry_response(RouteContext& c, const store::InquiryRow& row) {
    auto view = view_of(row);
    if (!view) return error_response(http::status::internal_server_error, "inquiry is stored unreadably");
    return json_response(http::status::ok, inquiry_json(*view, c.pipeline.now()));
}

HttpResponse inquiry_response(RouteContext& c, const router::StoredInquiry& inquiry) {
    auto detail = c.reader.detail(static_cast<std::int64_t>(inquiry.record.id));
    if (!detail) return store_error(detail.error());
    return json_response(http::status::ok, inquiry_json(view_of(inquiry, *detail), c.pipeline.now()));
}

}  // namespace ir::daemon::routes
