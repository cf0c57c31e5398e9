// Every route of the HTTP API, in one table: what a reader needs to see the whole API.
#include <boost/json.hpp>

#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

struct Route {
    http::verb method;
    const char* pattern;
    std::variant<routes::Async, routes::Sync> handler;
};

const Route kRoutes[] = {
    {http::verb::post, "/v1/events", routes::post_event},
    {http::verb::get, "/v1/inquiries", routes::list_inquiries},
    {http::verb::get, "/v1/inquiries/{id}", routes::get_inquiry},
    {http::verb::post, "/v1/inquiries/{id}/reply", routes::reply},
    {http::verb::post, "/v1/inquiries/{id}/resolve", routes::resolve},
    {http::verb::post, "/v1/inquiries/{id}/accept", routes::accept},
    {http::verb::post, "/v1/inquiries/{id}/transfer", routes::transfer},
    {http::verb::post, "/v1/inquiries/{id}/decline", routes::decline},
    {http::verb::get, "/v1/alerts", routes::list_alerts},
    {http::verb::get, "/v1/agents", routes::list_agents},
    {http::verb::put, "/v1/agents/{id}/presence", routes::set_presence},
    {http::verb::get, "/v1/queues", routes::list_queues},
    {http::verb::get, "/v1/customers/{id}", routes::get_customer},
    {http::verb::post, "/v1/customers/{id}/orders", routes::post_order},
    {http::verb::get, "/v1/stats/replies", routes::reply_stats},
    {http::verb::get, "/v1/webhooks/whatsapp", routes::whatsapp_handshake},
    {http::verb::post, "/v1/webhooks/whatsapp", routes::whatsapp},
    {http::verb::post, "/v1/webhooks/telegram", routes::telegram},
    {http::verb::post, "/v1/webhooks/marketplace/{platform}", routes::marketplace},
    {http::verb::get, "/healthz", routes::health},
    {http::verb::get, "/metrics", routes::metrics},
};

}  // namespace

void add_routes(HttpRouter& router, RouteContext& context) {
    for (const Route& r : kRoutes) {
        if (const auto* async = std::get_if<routes::Async>(&r.handler))
            router.add(r.method, r.pattern, RouteHandler([&context, h = *async](RouteRequest&& req, Responder respond) {
                           h(context, std::move(req), std::move(respond));
                       }));
        else
            router.add(r.method, r.pattern,
                       SyncRouteHandler([&context, h = std::get<routes::Sync>(r.handler)](const RouteRequest& req) {
                           return h(context, req);
                       }));
    }
}

namespace routes {

HttpResponse health(RouteContext& c, const RouteRequest&) {
    const auto h = c.pipeline.health();
    const bool unwell = h.stopping || h.recovering || h.last_commit_failed;
    const char* status = h.stopping ? "stopping" : unwell ? "degraded" : "ok";
    json::object body{{"status", status}, {"open_inquiries", h.open_inquiries}};
    if (h.last_commit_failed) body["reason"] = "the last commit failed: events are refused until one succeeds";
    return json_response(unwell ? http::status::service_unavailable : http::status::ok, body);
}

HttpResponse metrics(RouteContext& c, const RouteRequest&) {
    if (c.refresh_metrics) c.refresh_metrics();
    return text_response(http::status::ok, c.registry.render(), metrics::Registry::content_type);
}

}  // namespace routes
}  // namespace ir::daemon
