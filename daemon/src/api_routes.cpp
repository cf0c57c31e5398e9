// The HTTP API's routes: reads come from the store (what is durable), writes go through
// the core and the commit path.
#include <boost/json.hpp>
#include <charconv>
#include <filesystem>
#include <variant>

#include "ir/adapters/alert_json.hpp"
#include "ir/daemon/api_json.hpp"
#include "ir/daemon/app.hpp"
#include "ir/daemon/http_json.hpp"
#include "ir/daemon/proto_convert.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::optional<std::int64_t> parse_int(std::string_view s, std::int64_t lo, std::int64_t hi) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

HttpResponse store_error(const Error& e) {
    return error_response(http::status::service_unavailable, "the store cannot be read: " + e.message);
}

}  // namespace

void App::add_routes() {
    router_.add(http::verb::post, "/v1/events",
                [this](RouteRequest&& r, Responder p) { handle_event(std::move(r), std::move(p)); });
    router_.add(http::verb::get, "/v1/inquiries/{id}", [this](const RouteRequest& r) { return get_inquiry(r); });
    router_.add(http::verb::get, "/v1/inquiries", [this](const RouteRequest& r) { return list_inquiries(r); });
    router_.add(http::verb::post, "/v1/inquiries/{id}/reply", [this](RouteRequest&& r, Responder p) {
        handle_inquiry_request(std::move(r), std::move(p), &router::Engine::on_reply, false);
    });
    router_.add(http::verb::post, "/v1/inquiries/{id}/resolve",
                [this](RouteRequest&& r, Responder p) { handle_resolve(std::move(r), std::move(p)); });
    router_.add(http::verb::get, "/v1/alerts", [this](const RouteRequest& r) { return list_alerts(r); });
    add_routing_routes();
    add_webhook_routes();
    router_.add(http::verb::get, "/healthz", [this](const RouteRequest&) {
        const bool unwell = stopping_ || degraded_ || last_commit_failed_;
        const char* status = stopping_ ? "stopping" : unwell ? "degraded" : "ok";
        json::object body{{"status", status}, {"open_inquiries", engine_->open_count()}};
        if (last_commit_failed_) body["reason"] = "the last commit failed: events are refused until one succeeds";
        if (auto failing = failing_destinations(); !failing.empty()) body["notify_failing"] = std::move(failing);
        return json_response(unwell ? http::status::service_unavailable : http::status::ok, body);
    });
    router_.add(http::verb::get, "/metrics", [this](const RouteRequest&) {
        metrics_.open_inquiries->set(static_cast<double>(engine_->open_count()));
        std::error_code ec;  // no WAL file (yet): 0
        const auto wal = std::filesystem::file_size(database_path().string() + "-wal", ec);
        metrics_.wal_bytes->set(ec ? 0.0 : static_cast<double>(wal));
        mirror_mail_counts();
        mirror_notify_metrics();
        return text_response(http::status::ok, registry_.render(), metrics::Registry::content_type);
    });
}

HttpResponse App::get_inquiry(const RouteRequest& req) {
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    auto row = reader_->inquiry(*id);
    if (!row) return store_error(row.error());
    if (!*row) return error_response(http::status::not_found, "no such inquiry", "id");
    auto view = view_of(**row);
    if (!view) return error_response(http::status::internal_server_error, "inquiry is stored unreadably");
    return json_response(http::status::ok, inquiry_json(*view, now()));
}

HttpResponse App::list_inquiries(const RouteRequest& req) {
    store::InquiryFilter filter;
    if (auto s = req.query_value("state")) {
        if (!router::parse_inquiry_state(*s))
            return error_response(http::status::bad_request, "must be open, replied or resolved", "state");
        filter.state = std::string(*s);
    }
    if (auto a = req.query_value("account")) filter.account = std::string(*a);
    if (auto l = req.query_value("limit")) {
        auto v = parse_int(*l, 1, 1000);
        if (!v) return error_response(http::status::bad_request, "must be from 1 to 1000", "limit");
        filter.limit = static_cast<std::size_t>(*v);
    } else {
        filter.limit = 100;
    }
    if (auto a = req.query_value("after")) {
        auto v = parse_int(*a, 0, INT64_MAX);
        if (!v) return error_response(http::status::bad_request, "must be an inquiry id", "after");
        filter.after_id = *v;
    }
    auto rows = reader_->inquiries(filter);
    if (!rows) return store_error(rows.error());
    json::array out;
    const auto at = now();
    for (const auto& row : *rows)
        if (auto v = view_of(row)) out.push_back(inquiry_json(*v, at));
    json::value next = rows->size() == filter.limit ? json::value(rows->back().id) : json::value(nullptr);
    return json_response(http::status::ok, {{"inquiries", std::move(out)}, {"next_after", next}});
}

// Alerts a subscriber missed: everything after `since` on topics starting with `topic`.
HttpResponse App::list_alerts(const RouteRequest& req) {
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
    // last_seq is read first: every alert up to it is either in this answer (when it is on
    // the topic and within the limit) or not on the topic.
    auto last = reader_->max_alert_seq();
    auto rows = reader_->alerts_since(since, topic, limit);
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

// Reply and resolve end alike: store the step, then answer with the inquiry as it now is.
void App::commit_and_show(router::StepResult step, router::InquiryId inquiry, Responder respond) {
    auto shared = std::make_shared<Responder>(std::move(respond));
    commit(std::move(step), std::nullopt, [this, inquiry, shared](bool ok, const router::StepResult&) {
        if (!ok)
            return (*shared)(
                error_response(http::status::service_unavailable, "could not be stored", "", {{"Retry-After", "1"}}));
        // Committed, so the store shows it as it now is (details included).
        RouteRequest read;
        read.params["id"] = std::to_string(static_cast<std::uint64_t>(inquiry));
        (*shared)(get_inquiry(read));
    });
}

// The open inquiry a write request names, or the response that refuses it.
std::variant<router::InquiryId, HttpResponse> App::open_inquiry_of(const RouteRequest& req) {
    if (auto busy = refuse_if_busy()) return std::move(*busy);
    const auto id = parse_int(req.param("id"), 1, INT64_MAX);
    if (!id) return error_response(http::status::bad_request, "must be a positive whole number", "id");
    const router::InquiryId inquiry{static_cast<std::uint64_t>(*id)};
    const auto* r = engine_->find(inquiry);
    if (!r || r->state == router::InquiryState::resolved)
        return error_response(http::status::not_found, "no open inquiry", "id");
    return inquiry;
}

void App::handle_resolve(RouteRequest&& req, Responder respond) {
    auto target = open_inquiry_of(req);
    if (auto* refused = std::get_if<HttpResponse>(&target)) return respond(std::move(*refused));
    const auto inquiry = std::get<router::InquiryId>(target);
    commit_and_show(engine_->on_resolve(inquiry, now()), inquiry, std::move(respond));
}

}  // namespace ir::daemon
