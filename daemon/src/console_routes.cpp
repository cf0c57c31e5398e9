// The web console's files, who the caller is, and the stream of committed alerts
// (Server-Sent Events, alert_streams.hpp).
#include <boost/json.hpp>

#include "alert_streams.hpp"
#include "ir/access/rules.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/console/assets.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// Only this origin's own files: no inline script or style, nothing from elsewhere, no frames.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

HttpResponse asset_response(const console::Asset& a, const RouteRequest& req) {
    const bool fresh = req.message[http::field::if_none_match] == a.etag;
    auto res = text_response(fresh ? http::status::not_modified : http::status::ok,
                             fresh ? std::string() : std::string(a.body), a.content_type);
    res.set(http::field::etag, a.etag);
    res.set(http::field::cache_control, "no-cache");  // revalidated: a new build is seen at once
    res.set("Content-Security-Policy", kCsp);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    return res;
}

// The resume point: Last-Event-ID (a reconnecting client) wins over ?since=.
std::optional<std::int64_t> resume_seq(const RouteRequest& req) {
    std::string_view s;
    if (auto it = req.message.find("Last-Event-ID"); it != req.message.end())
        s = it->value();
    else if (auto q = req.query_value("since"))
        s = *q;
    if (s.empty()) return 0;
    return parse_int(s, 0, INT64_MAX);
}

std::string display_name(RouteContext& c, const std::string& id) {
    for (const auto& a : c.pipeline.engine().dispatcher().agents())
        if (a.id == id && !a.name.empty()) return a.name;
    return id;
}

}  // namespace

HttpResponse console_redirect(RouteContext&, const RouteRequest&) {
    auto res = text_response(http::status::permanent_redirect, "");
    res.set(http::field::location, "/console/");
    return res;
}

HttpResponse console_page(RouteContext&, const RouteRequest& req) {
    return asset_response(*console::find_asset("index.html"), req);
}

HttpResponse console_file(RouteContext&, const RouteRequest& req) {
    const auto* a = console::find_asset(req.param("file"));
    if (!a) return error_response(http::status::not_found, "no such file", "file");
    return asset_response(*a, req);
}

// Who the token names, what they may see, the server's clock (the page's countdowns run on
// it) and the last alert seq (the page's lists are at least that recent).
HttpResponse whoami(RouteContext& c, const RouteRequest& req) {
    auto last = c.reader.max_alert_seq();
    if (!last) return store_error(last.error());
    json::object out;
    const auto* who = req.caller.identity;
    out["id"] = who ? json::value(who->id) : json::value(nullptr);
    out["name"] = who ? display_name(c, who->id) : std::string("admin");
    out["role"] = who ? std::string(access::to_string(who->role)) : std::string("admin");
    json::array accounts;
    if (who)
        for (const auto& a : who->accounts) accounts.emplace_back(a);
    else
        accounts.emplace_back("*");
    out["accounts"] = std::move(accounts);
    out["access_control"] = !req.caller.unrestricted;
    out["now"] = adapters::format_rfc3339(c.pipeline.now());
    out["last_seq"] = *last;
    return json_response(http::status::ok, out);
}

// Committed alerts after the resume point on the topics the caller may read, pushed as
// they are committed; `retry:` makes the client reconnect with Last-Event-ID.
void stream(RouteContext& c, RouteRequest&& req, Responder respond) {
    const auto since = resume_seq(req);
    if (!since) return respond(error_response(http::status::bad_request, "must be a sequence number", "since"));
    StreamRequest r;
    r.since = *since;
    const auto* who = req.caller.identity;
    r.topics = req.caller.may_everything() ? std::vector<std::string>{""}
                                           : access::readable_topics(*who, c.access.identities());
    if (!req.caller.unrestricted)  // a revoked or expired token ends the stream at the next ping
        r.allowed = [&c, auth = std::string(req.message[http::field::authorization])] {
            return std::holds_alternative<access::Caller>(c.access.authenticate(auth, c.pipeline.now()));
        };
    r.hello = json::serialize(json::object{{"id", who ? json::value(who->id) : json::value(nullptr)},
                                           {"since", *since},
                                           {"now", adapters::format_rfc3339(c.pipeline.now())}});
    HttpResponse head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream; charset=utf-8");
    head.set(http::field::cache_control, "no-store");
    head.set("X-Accel-Buffering", "no");  // nginx: pass each event on at once
    respond.stream(std::move(head), c.streams.open(std::move(r)));
}

}  // namespace ir::daemon::routes
