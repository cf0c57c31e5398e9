// The team's labels: a supervisor says what an inquiry really was (POST
// /v1/inquiries/{id}/label), or an agent declines one as scam. Each goes into the store in
// the transaction of its request, through the pipeline like every other change, and is
// answered once durable; `inquiryctl labels export` turns them into fixture lines.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

#include "http_outcome.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

struct Verdict {
    bool suspect = false;
    int tier = 4;
};

// {"suspect": true|false, "tier": 1-4}, both required and nothing else; or the 400.
std::variant<Verdict, HttpResponse> parse_verdict(const RouteRequest& req) {
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    if (ec || !body.is_object())
        return error_response(http::status::bad_request, "must be a JSON object {\"suspect\": bool, \"tier\": 1-4}");
    const auto& o = body.as_object();
    for (const auto& kv : o)
        if (kv.key() != "suspect" && kv.key() != "tier")
            return error_response(http::status::bad_request, "unknown field", kv.key());
    const auto* suspect = o.if_contains("suspect");
    if (!suspect || !suspect->is_bool())
        return error_response(http::status::bad_request, "needs true or false", "suspect");
    const auto* tier = o.if_contains("tier");
    if (!tier || !tier->is_int64() || tier->as_int64() < 1 || tier->as_int64() > 4)
        return error_response(http::status::bad_request, "needs a whole number from 1 to 4", "tier");
    return Verdict{suspect->as_bool(), static_cast<int>(tier->as_int64())};
}

// Any inquiry still stored may be labelled: open (in the engine) or resolved (in the store).
std::variant<InquiryId, HttpResponse> stored_inquiry_of(RouteContext& c, const RouteRequest& req) {
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    const InquiryId inquiry{static_cast<std::uint64_t>(*id)};
    if (c.pipeline.engine().find(inquiry)) return inquiry;
    auto row = c.reader.inquiry(*id);
    if (!row) return store_error(row.error());
    if (!*row) return error_response(http::status::not_found, "no such inquiry", "id");
    return inquiry;
}

// Who labelled: the token's identity and role; without access control, `acting` (the
// agent a decline names) and no role.
store::LabelRow label_row(const RouteContext& c, const RouteRequest& req, InquiryId inquiry, Verdict v,
                          std::string_view source, std::string acting = {}) {
    const auto* who = req.caller.identity;
    return store::LabelRow{static_cast<std::int64_t>(inquiry),
                           v.suspect,
                           v.tier,
                           who ? who->id : std::move(acting),
                           who ? std::string(access::to_string(who->role)) : std::string(),
                           c.pipeline.now(),
                           std::string(source)};
}

void add_audit(const RouteRequest& req, const store::LabelRow& label, store::Change& change) {
    if (caller_id(req).empty()) return;  // no identity to record (no access control)
    change.audit.push_back(
        {label.at, caller_id(req), "label", label.inquiry_id,
         std::string(label.suspect ? "suspect" : "genuine") + ", tier " + std::to_string(label.tier)});
}

json::object label_json(const store::LabelRow& l) {
    return {{"inquiry_id", l.inquiry_id},
            {"suspect", l.suspect},
            {"tier", l.tier},
            {"labelled_by", l.identity.empty() ? json::value(nullptr) : json::value(l.identity)},
            {"role", l.role.empty() ? json::value(nullptr) : json::value(l.role)},
            {"at", adapters::format_rfc3339(l.at)},
            {"source", l.source}};
}

bool says_scam(const RouteRequest& req) {
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    const json::value* reason = !ec && body.is_object() ? body.as_object().if_contains("reason") : nullptr;
    if (!reason || !reason->is_string()) return false;
    std::string_view text = reason->as_string().subview();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return false;
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    // Typed in the console's free-text reason: "Scam" and " scam " count too.
    constexpr std::string_view kScam = "scam";
    return std::equal(text.begin(), text.end(), kScam.begin(), kScam.end(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

}  // namespace

void label_if_scam(RouteContext& c, const RouteRequest& req, InquiryId inquiry, const std::string& agent,
                   store::Change& change) {
    const auto* r = c.pipeline.engine().find(inquiry);
    if (!r || !says_scam(req)) return;
    change.labels.push_back(label_row(c, req, inquiry, {true, r->assessment.tier}, "decline", agent));
}

void label(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (auto busy = c.pipeline.busy(Pipeline::Work::step)) return respond(refusal_response(*busy));
    auto target = stored_inquiry_of(c, req);
    if (auto* no = std::get_if<HttpResponse>(&target)) return respond(std::move(*no));
    auto verdict = parse_verdict(req);
    if (auto* no = std::get_if<HttpResponse>(&verdict)) return respond(std::move(*no));
    store::Change change;
    change.labels.push_back(label_row(c, req, std::get<InquiryId>(target), std::get<Verdict>(verdict), "label"));
    add_audit(req, change.labels.front(), change);
    auto answer = label_json(change.labels.front());
    auto shared = std::make_shared<Responder>(std::move(respond));
    // No core step: a label changes what the store knows, not what the engine does.
    c.pipeline.apply([](router::Engine&, sla::TimePoint) { return router::StepResult{}; },
                     [shared, answer = std::move(answer)](StepOutcome o) {
                         if (!o.ok()) return (*shared)(refusal_response(*o.refusal));
                         (*shared)(json_response(http::status::ok, answer));
                     },
                     std::move(change));
}

}  // namespace ir::daemon::routes
