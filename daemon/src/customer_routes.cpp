// Customers (records across channels, their orders) and the response-time report.
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "ir/adapters/event_json.hpp"
#include "http_outcome.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"
#include "ir/daemon/retention.hpp"
#include "ir/routing/reply_report.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::optional<std::uint64_t> parse_id(std::string_view s) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v == 0) return std::nullopt;
    return v;
}

json::object customer_json(const routing::CustomerRecord& c) {
    json::array keys(c.keys.begin(), c.keys.end());
    return {{"id", static_cast<std::uint64_t>(c.id)},
            {"first_seen", adapters::format_rfc3339(c.first_seen)},
            {"identities", std::move(keys)},
            {"conversations", c.conversations},
            {"orders", c.orders},
            {"sample_orders", c.sample_orders},
            {"visited_company", c.visited_company},
            {"local_influence", c.local_influence},
            {"tier_one", c.tier_one()},
            {"last_owner", c.last_owner.empty() ? json::value(nullptr) : json::value(c.last_owner)}};
}

json::object stats_json(const routing::ReplyStats& s) {
    auto seconds = [](sla::Duration d) { return static_cast<double>(d.count()) / 1000.0; };
    return {{"key", s.key},
            {"replies", s.replies},
            {"share_within_5m", s.share_fast},
            {"share_within_24h", s.share_timely},
            {"median_seconds", seconds(s.median)},
            {"p90_seconds", seconds(s.p90)},
            {"below_team_average", s.below_team_average}};
}

json::array stats_json(const std::vector<routing::ReplyStats>& rows) {
    json::array out;
    for (const auto& s : rows) out.push_back(stats_json(s));
    return out;
}

// The team's shares day by day (UTC days of the buyer's message), oldest first: the
// console's chart of the last 30 days.
json::array daily_json(const std::vector<routing::ReplyRow>& replies, sla::TimePoint since, sla::TimePoint now) {
    using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
    const auto first = std::chrono::floor<Days>(since.time_since_epoch()).count();
    const auto last = std::chrono::floor<Days>(now.time_since_epoch()).count();
    if (last < first || last - first > 366) return {};
    std::vector<std::vector<routing::ReplyRow>> by_day(static_cast<std::size_t>(last - first + 1));
    for (const auto& r : replies) {
        const auto day = std::chrono::floor<Days>(r.buyer_at.time_since_epoch()).count();
        if (day >= first && day <= last) by_day[static_cast<std::size_t>(day - first)].push_back(r);
    }
    json::array out;
    for (std::size_t i = 0; i < by_day.size(); ++i) {
        const auto team = routing::reply_report(by_day[i]).team;
        const sla::TimePoint day{Days(first + static_cast<std::int64_t>(i))};
        out.push_back(json::object{{"day", adapters::format_rfc3339(day).substr(0, 10)},
                                   {"replies", team.replies},
                                   {"share_within_5m", team.share_fast},
                                   {"share_within_24h", team.share_timely}});
    }
    return out;
}

// The buyer of inquiry `id`: from the engine while it is open, else from the store; 0 if none.
Expected<std::uint64_t> customer_of(RouteContext& c, std::int64_t id) {
    if (const auto* r = c.pipeline.engine().find(InquiryId{static_cast<std::uint64_t>(id)})) return r->customer;
    auto row = c.reader.inquiry(id);
    if (!row) return row.error();
    if (!*row) return std::uint64_t{0};
    auto view = view_of(**row);
    return view ? view->stored.record.customer : 0;
}

}  // namespace

HttpResponse get_customer(RouteContext& c, const RouteRequest& req) {
    const auto id = parse_id(req.param("id"));
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    auto record = c.pipeline.engine().customers().get(CustomerId{*id});
    if (!record) return error_response(http::status::not_found, "no such customer", "id");
    return json_response(http::status::ok, customer_json(*record));
}

// The customer card of an inquiry's buyer, for whoever may read the inquiry.
HttpResponse inquiry_customer(RouteContext& c, const RouteRequest& req) {
    const auto id = parse_id(req.param("id"));
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    auto customer = customer_of(c, static_cast<std::int64_t>(*id));
    if (!customer) return store_error(customer.error());
    auto record = *customer ? c.pipeline.engine().customers().get(CustomerId{*customer}) : std::nullopt;
    if (!record) return error_response(http::status::not_found, "the buyer of this inquiry is not identified", "id");
    return json_response(http::status::ok, customer_json(*record));
}

// {"order_id": "...", "sample": false}: the same order_id twice counts once (relays retry).
void post_order(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (auto busy = c.pipeline.busy(Pipeline::Work::step)) return respond(refusal_response(*busy));
    const auto id = parse_id(req.param("id"));
    if (!id) return respond(error_response(http::status::bad_request, "must be a positive whole number", "id"));
    const CustomerId customer{*id};
    if (!c.pipeline.engine().customers().get(customer))
        return respond(error_response(http::status::not_found, "no such customer", "id"));
    auto order = body_string(req, "order_id");
    if (auto* no = std::get_if<HttpResponse>(&order)) return respond(std::move(*no));
    boost::system::error_code ec;
    const json::value body = json::parse(req.message.body(), ec);
    const json::value* sample = body.as_object().if_contains("sample");
    if (sample && !sample->is_bool())
        return respond(error_response(http::status::bad_request, "must be true or false", "sample"));
    const std::string key = "order/" + std::get<std::string>(order);
    auto answer = [&c, customer](bool duplicate, const routing::CustomerRecord* record) {
        auto current = record ? std::optional(*record) : c.pipeline.engine().customers().get(customer);
        auto out = customer_json(*current);
        out["duplicate"] = duplicate;
        return json_response(http::status::ok, out);
    };
    auto seen = c.reader.meta(key);
    if (!seen) return respond(store_error(seen.error()));
    if (*seen) return respond(answer(true, nullptr));
    store::Change remember;  // the order id, in the same transaction as what it changed
    remember.meta.emplace_back(key, std::to_string(*id));
    auto shared = std::make_shared<Responder>(std::move(respond));
    c.pipeline.apply([customer, sample = sample && sample->as_bool()](
                         router::Engine& e, sla::TimePoint now) { return e.on_order(customer, sample, now); },
                     [shared, answer](StepOutcome o) {
                         if (o.refusal == Refusal::in_flight)
                             return (*shared)(answer(true, nullptr));  // the same order, still committing
                         if (!o.ok()) return (*shared)(refusal_response(*o.refusal));
                         (*shared)(answer(false, o.step.customers.empty() ? nullptr : &o.step.customers.front()));
                     },
                     std::move(remember), key);
}

namespace {

json::object erasure_body(std::uint64_t id, const RetentionReport& r) {
    json::array ids;
    for (const auto gone : r.customers) ids.push_back(static_cast<std::uint64_t>(gone));
    return {{"customer", id},
            {"erased",
             {{"customers", std::move(ids)},
              {"inquiries", r.erased.inquiries},
              {"events", r.erased.events},
              {"details", r.erased.details},
              {"labels", r.erased.labels},
              {"replies_kept_as_aggregates", r.erased.replies}}}};
}

HttpResponse erasure_response(std::uint64_t id, const RetentionReport& r) {
    if (r.refusal) return refusal_response(*r.refusal);
    auto body = erasure_body(id, r);
    if (r.error) {  // the record is gone, the store failed on some of their inquiries
        body["error"] = "the customer is forgotten, but erasing their inquiries failed (send the request again): " +
                        *r.error;
        return json_response(http::status::internal_server_error, body);
    }
    return json_response(http::status::ok, body);
}

}  // namespace

// DELETE /v1/customers/{id}: a buyer's erasure request (GDPR art. 17). The record, its
// identities and merges go first, then every inquiry stored for them. A repeat finishes
// what a failed or interrupted request left: a forgotten customer's stored inquiries are
// erased, and only a customer with none is 404. Refused (409) while they have an open
// inquiry: resolve it first. Not refused on a full disk (Work::step): erasure frees space.
void erase_customer(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (auto busy = c.pipeline.busy(Pipeline::Work::step)) return respond(refusal_response(*busy));
    const auto id = parse_id(req.param("id"));
    if (!id) return respond(error_response(http::status::bad_request, "must be a positive whole number", "id"));
    auto shared = std::make_shared<Responder>(std::move(respond));
    if (!c.pipeline.engine().customers().get(CustomerId{*id}))
        return c.retention->erase_leftovers(CustomerId{*id}, [shared, id = *id](RetentionReport r) {
            if (r.ok() && r.erased.inquiries == 0)
                return (*shared)(error_response(http::status::not_found, "no such customer", "id"));
            (*shared)(erasure_response(id, r));
        });
    c.retention->erase_customer(CustomerId{*id}, caller_id(req), [shared, id = *id](RetentionReport r) {
        if (r.ok() && r.customers.empty())
            return (*shared)(
                error_response(http::status::conflict, "the customer has an open inquiry: resolve it first", "id"));
        (*shared)(erasure_response(id, r));
    });
}

// GET /v1/stats/replies?since=RFC3339&account=ID: the ranking the platform will show.
HttpResponse reply_stats(RouteContext& c, const RouteRequest& req, store::Database& db) {
    store::ReplyFilter filter;
    filter.since = c.pipeline.now() - std::chrono::days(30);
    if (auto s = req.query_value("since")) {
        auto t = adapters::parse_rfc3339(*s);
        if (!t) return error_response(http::status::bad_request, "must be an RFC 3339 time", "since");
        filter.since = *t;
    }
    if (auto a = req.query_value("account")) filter.account = std::string(*a);
    auto rows = db.replies(filter);
    if (!rows) return error_response(http::status::service_unavailable, rows.error().message);
    std::vector<routing::ReplyRow> replies;
    replies.reserve(rows->size());
    for (const auto& r : *rows) replies.push_back({r.agent, r.account, r.buyer_at, r.replied_at});
    auto report = routing::reply_report(replies);
    // A plain agent sees their own line; who oversees accounts, those accounts and their agents.
    if (const auto* who = req.caller.identity; who && !req.caller.may_everything()) {
        std::erase_if(report.agents, [&](const routing::ReplyStats& s) {
            if (s.key == who->id) return false;
            const auto* other = c.access.identity(s.key);
            return who->role == access::Role::agent || !other ||
                   std::none_of(other->accounts.begin(), other->accounts.end(),
                                [&](const auto& a) { return a == "*" || who->oversees(a); });
        });
        std::erase_if(report.accounts, [&](const routing::ReplyStats& s) { return !who->has_account(s.key); });
    }
    return json_response(http::status::ok, {{"since", adapters::format_rfc3339(filter.since)},
                                            {"account", filter.account ? json::value(*filter.account) : nullptr},
                                            {"team", stats_json(report.team)},
                                            {"agents", stats_json(report.agents)},
                                            {"accounts", stats_json(report.accounts)},
                                            {"daily", daily_json(replies, filter.since, c.pipeline.now())}});
}

}  // namespace ir::daemon::routes
