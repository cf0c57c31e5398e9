// The web console's files and its stream of committed alerts (Server-Sent Events).
#include <algorithm>
#include <boost/json.hpp>

#include "ir/access/rules.hpp"
#include "ir/adapters/alert_json.hpp"
#include "ir/console/assets.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// No external resource, no inline script or style: only this origin's own files.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

HttpResponse asset(std::string_view body, std::string_view type) {
    auto res = text_response(http::status::ok, std::string(body), type);
    res.set("Content-Security-Policy", kCsp);
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    return res;
}

// The resume point: Last-Event-ID (set by a reconnecting client) wins over ?since=.
std::optional<std::int64_t> resume_seq(const RouteRequest& req) {
    std::string_view s;
    if (auto it = req.message.find("Last-Event-ID"); it != req.message.end())
        s = it->value();
    else if (auto q = req.query_value("since"))
        s = *q;
    if (s.empty()) return 0;
    return parse_int(s, 0, INT64_MAX);
}

}  // namespace

HttpResponse console_page(RouteContext&, const RouteRequest&) {
    return asset(console::index_html(), "text/html; charset=utf-8");
}
HttpResponse console_js(RouteContext&, const RouteRequest&) {
    return asset(console::app_js(), "text/javascript; charset=utf-8");
}
HttpResponse console_css(RouteContext&, const RouteRequest&) {
    return asset(console::style_css(), "text/css; charset=utf-8");
}

// Every committed alert after the resume point on the topics the caller may read, as
// `id: seq` events; the answer ends after the backlog and `retry:` makes the client
// reconnect with Last-Event-ID, so a restart of the daemon loses nothing and repeats nothing.
HttpResponse stream(RouteContext& c, const RouteRequest& req) {
    const auto since = resume_seq(req);
    if (!since) return error_response(http::status::bad_request, "must be a sequence number", "since");
    if (!req.caller.identity && !req.caller.unrestricted)
        return error_response(http::status::forbidden, "the stream needs a named identity", "access.caller");
    std::vector<std::string> topics;
    if (req.caller.identity) topics = access::readable_topics(*req.caller.identity, c.access.identities());
    std::vector<store::AlertRow> rows;
    for (const auto& topic : topics) {
        auto got = c.reader.alerts_since(*since, topic, 500);
        if (!got) return store_error(got.error());
        rows.insert(rows.end(), got->begin(), got->end());
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    rows.erase(std::unique(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.seq == b.seq; }),
               rows.end());
    // Who the page speaks for: it shows an agent only their own inquiries.
    json::object hello{
        {"id", req.caller.identity ? req.caller.identity->id : std::string("*")},
        {"role", req.caller.identity ? std::string(access::to_string(req.caller.identity->role)) : "admin"}};
    std::string body = "retry: 500\n\nevent: hello\ndata: " + json::serialize(hello) + "\n\n";
    for (const auto& row : rows) {
        inquiry::v1::Alert a;
        if (!a.ParseFromString(row.payload)) continue;
        body += "id: " + std::to_string(row.seq) +
                "\nevent: alert\ndata: " + json::serialize(adapters::alert_to_json(a)) + "\n\n";
    }
    body += ": end of backlog\n\n";
    auto res = text_response(http::status::ok, std::move(body), "text/event-stream");
    res.set(http::field::cache_control, "no-store");
    return res;
}

}  // namespace ir::daemon::routes
