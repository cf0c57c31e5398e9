// Every route of the HTTP API, in one table: what a reader needs to see the whole API.
#include <boost/json.hpp>

#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

using access::Rule;

// Each route, and who may call it (ir/access/rules.hpp says what each rule allows).
struct Route {
    http::verb method;
    const char* pattern;
    Rule rule;
    std::variant<routes::Async, routes::Sync, routes::Read> handler;
};

const Route kRoutes[] = {
    {http::verb::post, "/v1/events", Rule::ingest, routes::post_event},
    {http::verb::get, "/v1/inquiries", Rule::caller, routes::list_inquiries},  // of the caller's accounts
    {http::verb::get, "/v1/inquiries/{id}", Rule::read_inquiry, routes::get_inquiry},
    {http::verb::post, "/v1/inquiries/{id}/reply", Rule::act_on_inquiry, routes::reply},
    {http::verb::post, "/v1/inquiries/{id}/resolve", Rule::act_on_inquiry, routes::resolve},
    {http::verb::post, "/v1/inquiries/{id}/accept", Rule::accept_inquiry, routes::accept},
    {http::verb::post, "/v1/inquiries/{id}/transfer", Rule::act_on_inquiry, routes::transfer},
    {http::verb::post, "/v1/inquiries/{id}/decline", Rule::act_on_inquiry, routes::decline},  // "scam": a label
    {http::verb::post, "/v1/inquiries/{id}/label", Rule::label_inquiry, routes::label},       // what it really was
    {http::verb::get, "/v1/inquiries/{id}/customer", Rule::read_inquiry, routes::inquiry_customer},
    {http::verb::get, "/v1/alerts", Rule::caller, routes::list_alerts},  // topics the caller may read
    {http::verb::get, "/v1/stream", Rule::caller, routes::stream},       // the same, pushed (Server-Sent Events)
    {http::verb::get, "/v1/whoami", Rule::caller, routes::whoami},       // the token's identity, the server's clock
    {http::verb::get, "/v1/agents", Rule::caller, routes::list_agents},  // who shares an account
    {http::verb::put, "/v1/agents/{id}/presence", Rule::presence, routes::set_presence},
    {http::verb::get, "/v1/queues", Rule::caller, routes::list_queues},  // of the caller's accounts
    {http::verb::get, "/v1/customers/{id}", Rule::admin, routes::get_customer},
    {http::verb::post, "/v1/customers/{id}/orders", Rule::admin, routes::post_order},
    {http::verb::delete_, "/v1/customers/{id}", Rule::admin, routes::erase_customer},  // a buyer's erasure
    {http::verb::get, "/v1/stats/replies", Rule::caller, routes::reply_stats},         // own line, or overseen
    {http::verb::get, "/v1/webhooks/whatsapp", Rule::open, routes::whatsapp_handshake},
    {http::verb::post, "/v1/webhooks/whatsapp", Rule::open, routes::whatsapp},
    {http::verb::post, "/v1/webhooks/telegram", Rule::open, routes::telegram},
    {http::verb::post, "/v1/webhooks/marketplace/{platform}", Rule::open, routes::marketplace},
    {http::verb::get, "/healthz", Rule::open, routes::health},
    {http::verb::get, "/console", Rule::open, routes::console_redirect},
    {http::verb::get, "/console/", Rule::open, routes::console_page},  // static files; the API asks for the token
    {http::verb::get, "/console/{file}", Rule::open, routes::console_file},
    {http::verb::get, "/metrics", Rule::caller, routes::metrics},  // open when [access] metrics says so
};

bool is_webhook(const Route& r) {
    return std::string_view(r.pattern).starts_with("/v1/webhooks/");
}

}  // namespace

void add_routes(HttpRouter& router, RouteContext& context, Listener listener) {
    for (const Route& r : kRoutes) {
        if (listener == Listener::webhooks_only && !is_webhook(r)) continue;
        const bool metrics = std::string_view(r.pattern) == "/metrics";
        const Rule rule = metrics && !context.metrics_need_token ? Rule::open : r.rule;
        const bool browser_checks = rule != Rule::open;  // webhooks carry signatures; /healthz says little
        router.add(r.method, r.pattern,
                   RouteHandler([&context, rule, browser_checks, h = r.handler](RouteRequest&& req, Responder respond) {
                       if (!routes::admit(context, rule, browser_checks, req, respond)) return;
                       if (const auto* async = std::get_if<routes::Async>(&h))
                           return (*async)(context, std::move(req), std::move(respond));
                       if (const auto* read = std::get_if<routes::Read>(&h))
                           return routes::on_read_thread(context, *read, std::move(req), std::move(respond));
                       respond(std::get<routes::Sync>(h)(context, req));
                   }));
    }
}

namespace routes {

HttpResponse health(RouteContext& c, const RouteRequest&) {
    const auto h = c.pipeline.health();
    const bool unwell = h.stopping || h.degraded;
    const char* status = h.stopping ? "stopping" : unwell ? "degraded" : "ok";
    json::object body{{"status", status}, {"open_inquiries", h.open_inquiries}};
    body["tokens_required"] = c.access.required();  // the console asks for a token, or not
    if (h.degraded) body["reason"] = *h.degraded;
    if (h.held_alerts != 0) body["held_alerts"] = h.held_alerts;
    if (c.notify_failing)  // reported, never a reason for 503
        if (auto failing = c.notify_failing(); !failing.empty()) body["notify_failing"] = std::move(failing);
    return json_response(unwell ? http::status::service_unavailable : http::status::ok, body);
}

HttpResponse metrics(RouteContext& c, const RouteRequest&) {
    if (c.refresh_metrics) c.refresh_metrics();
    return text_response(http::status::ok, c.registry.render(), metrics::Registry::content_type);
}

}  // namespace routes
}  // namespace ir::daemon
