// The routing API: agents' presence, queues, accept / decline / transfer, customers'
// orders and the response-time report. Writes go through the core and the commit path.
#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/daemon/app.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::optional<routing::Presence> parse_presence(std::string_view s) {
    if (s == "available") return routing::Presence::available;
    if (s == "away") return routing::Presence::away;
    if (s == "offline") return routing::Presence::offline;
    return std::nullopt;
}

json::value time_or_null(std::optional<sla::TimePoint> t) {
    return t ? json::value(adapters::format_rfc3339(*t)) : json::value(nullptr);
}

json::object agent_json(const routing::AgentView& a) {
    return {{"id", a.id},
            {"name", a.name},
            {"role", routing::to_string(a.role)},
            {"presence", routing::to_string(a.presence)},
            {"on_shift", a.on_shift},
            {"load", a.load},
            {"capacity", a.capacity},
            {"owned", a.owned}};
}

HttpResponse refused(routing::Refusal r) {
    const auto status = r == routing::Refusal::unknown_agent || r == routing::Refusal::unknown_inquiry
                            ? http::status::not_found
                            : http::status::conflict;
    return error_response(status, routing::to_string(r), r == routing::Refusal::unknown_inquiry ? "id" : "agent_id");
}

}  // namespace

// A string field of a JSON body, or the 400 that says it is missing.
std::variant<std::string, HttpResponse> App::body_string(const RouteRequest& req, std::string_view key) {
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    const json::value* v = (!ec && body.is_object()) ? body.as_object().if_contains(key) : nullptr;
    if (!v || !v->is_string() || v->as_string().empty())
        return error_response(http::status::bad_request, "needs {\"" + std::string(key) + "\": \"...\"}", key);
    return std::string(v->as_string());
}

std::optional<HttpResponse> App::refuse_without_routing() {
    if (engine_->routing_enabled()) return std::nullopt;
    return error_response(http::status::conflict, "routing is off: no [[agents]] in the config");
}

void App::add_routing_routes() {
    router_.add(http::verb::get, "/v1/agents", [this](const RouteRequest&) {
        json::array out;
        for (const auto& a : engine_->dispatcher().agents()) out.push_back(agent_json(a));
        return json_response(http::status::ok, {{"agents", std::move(out)}});
    });
    router_.add(http::verb::get, "/v1/queues", [this](const RouteRequest&) {
        json::array out;
        for (const auto& q : engine_->dispatcher().queues())
            out.push_back(json::object{
                {"name", q.name}, {"depth", q.depth}, {"oldest_deadline", time_or_null(q.oldest_deadline)}});
        return json_response(http::status::ok, {{"queues", std::move(out)}});
    });
    router_.add(http::verb::put, "/v1/agents/{id}/presence",
                [this](RouteRequest&& r, Responder p) { handle_presence(std::move(r), std::move(p)); });
    router_.add(http::verb::post, "/v1/inquiries/{id}/accept", [this](RouteRequest&& r, Responder p) {
        handle_inquiry_request(std::move(r), std::move(p), &router::Engine::on_accept, true);
    });
    router_.add(http::verb::post, "/v1/inquiries/{id}/transfer", [this](RouteRequest&& r, Responder p) {
        handle_inquiry_request(std::move(r), std::move(p), &router::Engine::on_transfer, true);
    });
    router_.add(http::verb::post, "/v1/inquiries/{id}/decline", [this](RouteRequest&& r, Responder p) {
        handle_inquiry_request(std::move(r), std::move(p), &router::Engine::on_decline, false);
    });
    router_.add(http::verb::post, "/v1/customers/{id}/orders",
                [this](RouteRequest&& r, Responder p) { handle_order(std::move(r), std::move(p)); });
    router_.add(http::verb::get, "/v1/customers/{id}", [this](const RouteRequest& r) { return get_customer(r); });
    router_.add(http::verb::get, "/v1/stats/replies", [this](const RouteRequest& r) { return reply_stats(r); });
}

// accept / transfer / decline: {"agent_id": "..."} on an open inquiry, answered with the
// inquiry as it is after the commit.
void App::handle_inquiry_request(RouteRequest&& req, Responder respond, InquiryRequest step, bool needs_routing) {
    if (needs_routing)
        if (auto off = refuse_without_routing()) return respond(std::move(*off));
    auto target = open_inquiry_of(req);
    if (auto* no = std::get_if<HttpResponse>(&target)) return respond(std::move(*no));
    auto agent = body_string(req, "agent_id");
    if (auto* no = std::get_if<HttpResponse>(&agent)) return respond(std::move(*no));
    const auto inquiry = std::get<router::InquiryId>(target);
    auto result = ((*engine_).*step)(inquiry, std::get<std::string>(agent), now());
    if (result.refused) return respond(refused(*result.refused));
    commit_and_show(std::move(result), inquiry, std::move(respond));
}

void App::handle_presence(RouteRequest&& req, Responder respond) {
    if (auto off = refuse_without_routing()) return respond(std::move(*off));
    if (auto busy = refuse_if_busy()) return respond(std::move(*busy));
    auto value = body_string(req, "presence");
    if (auto* no = std::get_if<HttpResponse>(&value)) return respond(std::move(*no));
    const auto presence = parse_presence(std::get<std::string>(value));
    if (!presence)
        return respond(error_response(http::status::bad_request, "must be available, away or offline", "presence"));
    const std::string agent(req.param("id"));
    auto step = engine_->on_presence(agent, *presence, now());
    if (step.refused) return respond(refused(*step.refused));
    auto shared = std::make_shared<Responder>(std::move(respond));
    commit(std::move(step), std::nullopt, [this, agent, shared](bool ok, const router::StepResult&) {
        if (!ok)
            return (*shared)(
                error_response(http::status::service_unavailable, "could not be stored", "", {{"Retry-After", "1"}}));
        for (const auto& a : engine_->dispatcher().agents())
            if (a.id == agent) return (*shared)(json_response(http::status::ok, agent_json(a)));
        (*shared)(error_response(http::status::not_found, "no such agent", "id"));
    });
}

}  // namespace ir::daemon
