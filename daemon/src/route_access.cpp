// The access check every route passes before its handler: browser checks (Host, Origin,
// Content-Type), the token (401), the route's rule (403 naming the rule).
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;

namespace {

std::string_view header(const RouteRequest& req, http::field f) {
    auto it = req.message.find(f);
    return it == req.message.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

// The account and owner of the inquiry `{id}` names: from the engine while it is open,
// else from the store. nullopt when there is no such inquiry (the handler answers 404).
std::optional<access::InquiryFacts> inquiry_facts(RouteContext& c, const RouteRequest& req) {
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return std::nullopt;
    if (const auto* r = c.pipeline.engine().find(InquiryId{static_cast<std::uint64_t>(*id)}))
        return access::InquiryFacts{r->account.str(), r->owner.str()};
    auto row = c.reader.inquiry(*id);
    if (!row || !*row) return std::nullopt;
    auto view = view_of(**row);
    if (!view) return std::nullopt;
    return access::InquiryFacts{view->stored.record.account.str(), view->stored.record.owner.str()};
}

bool about_inquiry(access::Rule rule) {
    return rule == access::Rule::read_inquiry || rule == access::Rule::act_on_inquiry ||
           rule == access::Rule::accept_inquiry || rule == access::Rule::label_inquiry;
}

}  // namespace

bool admit(RouteContext& c, access::Rule rule, bool browser_checks, RouteRequest& req, Responder& respond) {
    const std::string what = std::string(req.message.method_string()) + " " + std::string(req.message.target());
    if (browser_checks)
        if (auto no = check_browser(c.browser, req.message)) {
            c.access.refused(no->reason, what);
            respond(error_response(http::status::forbidden, no->message, no->field));
            return false;
        }
    if (rule == access::Rule::open) return true;
    auto who = c.access.authenticate(header(req, http::field::authorization), c.pipeline.now());
    if (auto* no = std::get_if<Unauthenticated>(&who)) {
        c.access.refused(no->reason, what);
        respond(error_response(http::status::unauthorized, no->message, "Authorization",
                               {{"WWW-Authenticate", "Bearer realm=\"inquiryd\""}}));
        return false;
    }
    req.caller = std::get<access::Caller>(who);
    std::optional<access::InquiryFacts> facts;
    if (about_inquiry(rule)) {
        facts = inquiry_facts(c, req);
        if (!facts) return true;  // no such inquiry: the handler says 404
    }
    const access::Identity* target = rule == access::Rule::presence ? c.access.identity(req.param("id")) : nullptr;
    if (rule == access::Rule::presence && !target && !req.caller.may_everything()) return true;  // unknown agent: 404
    if (auto no = access::check(rule, req.caller, facts ? &*facts : nullptr, target)) {
        c.access.refused("forbidden", what + " by " + caller_id(req) + ": " + no->message);
        respond(error_response(http::status::forbidden, no->message, "access." + std::string(to_string(no->rule))));
        return false;
    }
    return true;
}

std::string caller_id(const RouteRequest& req) {
    return req.caller.identity ? req.caller.identity->id : std::string();
}

std::variant<std::string, HttpResponse> acting_agent(const RouteRequest& req) {
    if (req.caller.may_everything()) return body_string(req, "agent_id");  // an admin names who acted
    auto named = body_string(req, "agent_id");
    const std::string own = caller_id(req);
    if (const auto* given = std::get_if<std::string>(&named); given && *given != own)
        return error_response(http::status::forbidden, "agent_id must be your own (" + own + ")",
                              "access.act_on_inquiry");
    return own;
}

}  // namespace ir::daemon::routes
