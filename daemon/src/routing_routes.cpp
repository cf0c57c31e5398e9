// The routing API: agents, their presence and the queues (accept, transfer and decline
// are inquiry routes). Presence goes through the pipeline.
#include <boost/json.hpp>

#include <algorithm>

#include "ir/adapters/event_json.hpp"
#include "http_outcome.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

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

}  // namespace

namespace {

// Whom the caller works with: agents who share one of the caller's accounts.
bool colleague(RouteContext& c, const RouteRequest& req, const std::string& agent) {
    if (req.caller.may_everything()) return true;
    const auto* who = req.caller.identity;
    const auto* other = c.access.identity(agent);
    if (!who || !other) return false;
    if (who->all_accounts() || other->all_accounts()) return true;
    return std::any_of(who->accounts.begin(), who->accounts.end(),
                       [&](const auto& a) { return other->has_account(a); });
}

// A queue is named after its account: "<account>", "<account>/<category>", "verify/<account>".
bool queue_visible(const RouteRequest& req, std::string_view queue) {
    if (req.caller.may_everything()) return true;
    const auto* who = req.caller.identity;
    if (!who) return false;
    const bool verify = queue.starts_with("verify/");
    if (verify) queue.remove_prefix(7);
    const std::string_view account = queue.substr(0, queue.find('/'));
    return verify ? who->oversees(account) : who->has_account(account);
}
}  // namespace

HttpResponse list_agents(RouteContext& c, const RouteRequest& req) {
    json::array out;
    for (const auto& a : c.pipeline.engine().dispatcher().agents()) {
        if (!colleague(c, req, a.id)) continue;
        auto o = agent_json(a);
        if (const auto* who = c.access.identity(a.id))
            o["accounts"] = json::array(who->accounts.begin(), who->accounts.end());
        out.push_back(std::move(o));
    }
    return json_response(http::status::ok, {{"agents", std::move(out)}});
}

HttpResponse list_queues(RouteContext& c, const RouteRequest& req) {
    json::array out;
    for (const auto& q : c.pipeline.engine().dispatcher().queues())
        if (queue_visible(req, q.name))
            out.push_back(json::object{
                {"name", q.name}, {"depth", q.depth}, {"oldest_deadline", time_or_null(q.oldest_deadline)}});
    return json_response(http::status::ok, {{"queues", std::move(out)}});
}

void set_presence(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (!c.pipeline.engine().routing_enabled())
        return respond(error_response(http::status::conflict, "routing is off: no [[agents]] in the config"));
    if (auto busy = c.pipeline.busy(Pipeline::Work::step)) return respond(refusal_response(*busy));
    auto value = body_string(req, "presence");
    if (auto* no = std::get_if<HttpResponse>(&value)) return respond(std::move(*no));
    const auto presence = routing::parse_presence(std::get<std::string>(value));
    if (!presence)
        return respond(error_response(http::status::bad_request, "must be available, away or offline", "presence"));
    const std::string agent(req.param("id"));
    auto shared = std::make_shared<Responder>(std::move(respond));
    c.pipeline.apply(
        [agent, p = *presence](router::Engine& e, sla::TimePoint now) { return e.on_presence(agent, p, now); },
        [&c, agent, shared](StepOutcome o) {
            if (!o.ok()) return (*shared)(refusal_response(*o.refusal));
            if (o.step.refused) return (*shared)(routing_refusal(*o.step.refused));
            for (const auto& a : c.pipeline.engine().dispatcher().agents())
                if (a.id == agent) return (*shared)(json_response(http::status::ok, agent_json(a)));
            (*shared)(error_response(http::status::not_found, "no such agent", "id"));
        });
}

}  // namespace ir::daemon::routes
