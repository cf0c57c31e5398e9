// Inquiries and alerts: reads come from the store (what is durable); reply, resolve,
// accept, transfer and decline go through the pipeline and answer with the inquiry as the
// committed step left it (a decline as scam stores a label with it: label_routes.cpp).
#include <boost/json.hpp>

#include "http_outcome.hpp"
#include "ir/adapters/alert_json.hpp"
#include "ir/daemon/api_json.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// The open inquiry a write request names, or the response that refuses it.
std::variant<InquiryId, HttpResponse> open_inquiry_of(RouteContext& c, const RouteRequest& req) {
    if (auto busy = c.pipeline.busy(Pipeline::Work::step)) return refusal_response(*busy);
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    const InquiryId inquiry{static_cast<std::uint64_t>(*id)};
    const auto* r = c.pipeline.engine().find(inquiry);
    if (!r || r->state == router::InquiryState::resolved)
        return error_response(http::status::not_found, "no open inquiry", "id");
    return inquiry;
}

// Who did it, in the transaction of what they did.
store::Change audit(const RouteContext& c, const RouteRequest& req, std::string_view action, InquiryId inquiry,
                    std::string detail = {}) {
    store::Change change;
    if (caller_id(req).empty()) return change;  // no identity to record (no access control)
    change.audit.push_back(
        {c.pipeline.now(), caller_id(req), std::string(action), static_cast<std::int64_t>(inquiry), std::move(detail)});
    return change;
}

// Commits the step and answers with the inquiry as it then is.
void apply_and_show(RouteContext& c, InquiryId inquiry, const Pipeline::Step& step, store::Change audit,
                    Responder respond) {
    auto shared = std::make_shared<Responder>(std::move(respond));
    c.pipeline.apply(
        step,
        [&c, inquiry, shared](StepOutcome o) {
            if (!o.ok()) return (*shared)(refusal_response(*o.refusal));
            if (o.step.refused) return (*shared)(routing_refusal(*o.step.refused));
            if (const auto* s = o.step.find(inquiry)) return (*shared)(inquiry_response(c, *s));
            auto row = c.reader.inquiry(static_cast<std::int64_t>(inquiry));  // the step left it as it was
            if (!row) return (*shared)(store_error(row.error()));
            (*shared)(*row ? inquiry_response(c, **row)
                           : error_response(http::status::not_found, "no such inquiry", "id"));
        },
        std::move(audit));
}

// What the audit row says: to whom, or as whom (and, for a decline, the reason given).
std::string audit_detail(const RouteRequest& req, std::string_view action, const std::string& who) {
    if (action == "transfer") return "to " + who;
    std::string detail = "as " + who;
    if (action != "decline") return detail;
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    const json::value* reason = !ec && body.is_object() ? body.as_object().if_contains("reason") : nullptr;
    if (reason && reason->is_string() && !reason->as_string().empty())
        detail += ": " + std::string(reason->as_string().subview().substr(0, 200));
    return detail;
}

using AgentStep = router::StepResult (router::Engine::*)(InquiryId, const std::string&, sla::TimePoint);

// On an open inquiry, for an agent: the acting one (reply, accept, decline) or, for a
// transfer, the one it goes to ({"agent_id": "..."}).
void agent_request(RouteContext& c, RouteRequest&& req, Responder respond, AgentStep step, std::string_view action) {
    const bool transfer = action == "transfer";
    if ((transfer || action == "accept") && !c.pipeline.engine().routing_enabled())
        return respond(error_response(http::status::conflict, "routing is off: no [[agents]] in the config"));
    auto target = open_inquiry_of(c, req);
    if (auto* no = std::get_if<HttpResponse>(&target)) return respond(std::move(*no));
    auto agent = transfer ? body_string(req, "agent_id") : acting_agent(req);
    if (auto* no = std::get_if<HttpResponse>(&agent)) return respond(std::move(*no));
    const auto inquiry = std::get<InquiryId>(target);
    const std::string& who = std::get<std::string>(agent);
    auto rows = audit(c, req, action, inquiry, audit_detail(req, action, who));
    if (action == "decline") label_if_scam(c, req, inquiry, who, rows);  // before the step closes it
    apply_and_show(
        c, inquiry,
        [inquiry, step, who](router::Engine& e, sla::TimePoint now) { return (e.*step)(inquiry, who, now); },
        std::move(rows), std::move(respond));
}

// What a caller limited to some accounts may list: one of theirs (named, or their only one).
std::variant<std::optional<std::string>, HttpResponse> account_scope(const RouteRequest& req) {
    auto named = req.query_value("account");
    const auto* who = req.caller.identity;
    if (req.caller.may_everything() || (who && who->all_accounts()))
        return named ? std::optional<std::string>(*named) : std::nullopt;
    if (!who) return error_response(http::status::unauthorized, "needs a token", "Authorization");
    if (!named && who->accounts.size() == 1) return std::optional<std::string>(who->accounts.front());
    if (!named) return error_response(http::status::bad_request, "name one of your accounts", "account");
    if (!who->has_account(*named))
        return error_response(http::status::forbidden, "account " + std::string(*named) + " is not one of yours",
                              "access.caller");
    return std::optional<std::string>(*named);
}

}  // namespace

HttpResponse get_inquiry(RouteContext& c, const RouteRequest& req) {
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    auto row = c.reader.inquiry(*id);
    if (!row) return store_error(row.error());
    if (!*row) return error_response(http::status::not_found, "no such inquiry", "id");
    return inquiry_response(c, **row);
}

HttpResponse list_inquiries(RouteContext& c, const RouteRequest& req, store::Database& db) {
    store::InquiryFilter filter;
    if (auto s = req.query_value("state")) {
        if (!router::parse_inquiry_state(*s))
            return error_response(http::status::bad_request, "must be open, replied or resolved", "state");
        filter.state = std::string(*s);
    }
    auto scope = account_scope(req);
    if (auto* no = std::get_if<HttpResponse>(&scope)) return std::move(*no);
    filter.account = std::get<std::optional<std::string>>(scope);
    filter.limit = 100;
    if (auto l = req.query_value("limit")) {
        auto v = parse_int(*l, 1, 1000);
        if (!v) return error_response(http::status::bad_request, "must be from 1 to 1000", "limit");
        filter.limit = static_cast<std::size_t>(*v);
    }
    if (auto a = req.query_value("after")) {
        auto v = parse_int(*a, 0, INT64_MAX);
        if (!v) return error_response(http::status::bad_request, "must be an inquiry id", "after");
        filter.after_id = *v;
    }
    auto rows = db.inquiries(filter);
    if (!rows) return store_error(rows.error());
    json::array out;
    const auto at = c.pipeline.now();
    const auto owner = req.query_value("owner");  // of the page's rows: next_after pages on
    for (const auto& row : *rows)
        if (auto v = view_of(row); v && (!owner || v->stored.record.owner.str() == *owner))
            out.push_back(inquiry_json(*v, at));
    json::value next = rows->size() == filter.limit ? json::value(rows->back().id) : json::value(nullptr);
    return json_response(http::status::ok, {{"inquiries", std::move(out)}, {"next_after", next}});
}

// Alerts a subscriber missed: everything after `since` on topics starting with `topic`.
HttpResponse list_alerts(RouteContext& c, const RouteRequest& req, store::Database& db) {
    std::int64_t since = 0;
    if (auto s = req.query_value("since")) {
        auto v = parse_int(*s, 0, INT64_MAX);
        if (!v) return error_response(http::status::bad_request, "must be a sequence number", "since");
        since = *v;
    }
    std::size_t limit = 1000;
    if (auto l = req.query_value("limit")) {
        auto v = parse_int(*l, 1, 10000);
        if (!v) return error_response(http::status::bad_request, "must be from 1 to 10000", "limit");
        limit = static_cast<std::size_t>(*v);
    }
    const std::string topic(req.query_value("topic").value_or(""));
    if (!access::may_read_topic(req.caller, topic, c.access.identities()))
        return error_response(http::status::forbidden,
                              topic.empty() ? "name a topic you may read" : "not a topic you may read: " + topic,
                              "access.caller");
    // last_seq is read first: every alert up to it is either in this answer (when it is on
    // the topic and within the limit) or not on the topic.
    auto last = db.max_alert_seq();
    auto rows = db.alerts_since(since, topic, limit);
    if (!rows) return store_error(rows.error());
    if (!last) return store_error(last.error());
    if (!rows->empty() && rows->back().seq > *last) *last = rows->back().seq;
    json::array out;
    for (const auto& row : *rows) {
        inquiry::v1::Alert a;
        if (a.ParseFromString(row.payload)) out.push_back(adapters::alert_to_json(a));
    }
    return json_response(http::status::ok, {{"alerts", std::move(out)}, {"last_seq", *last}});
}

void reply(RouteContext& c, RouteRequest&& req, Responder respond) {
    agent_request(c, std::move(req), std::move(respond), &router::Engine::on_reply, "reply");
}

void accept(RouteContext& c, RouteRequest&& req, Responder respond) {
    agent_request(c, std::move(req), std::move(respond), &router::Engine::on_accept, "accept");
}

void transfer(RouteContext& c, RouteRequest&& req, Responder respond) {
    agent_request(c, std::move(req), std::move(respond), &router::Engine::on_transfer, "transfer");
}

void decline(RouteContext& c, RouteRequest&& req, Responder respond) {
    agent_request(c, std::move(req), std::move(respond), &router::Engine::on_decline, "decline");
}

void resolve(RouteContext& c, RouteRequest&& req, Responder respond) {
    auto target = open_inquiry_of(c, req);
    if (auto* refused = std::get_if<HttpResponse>(&target)) return respond(std::move(*refused));
    const auto inquiry = std::get<InquiryId>(target);
    apply_and_show(
        c, inquiry, [inquiry](router::Engine& e, sla::TimePoint now) { return e.on_resolve(inquiry, now); },
        audit(c, req, "resolve", inquiry), std::move(respond));
}

}  // namespace ir::daemon::routes
