#pragma once
// The HTTP API's handlers: thin, over the pipeline (every change) and a store reader
// (what is durable). route_table.cpp lists every route in one table.
#include <boost/json/array.hpp>

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "ir/daemon/http_router.hpp"
#include "ir/daemon/metrics.hpp"
#include "ir/daemon/pipeline.hpp"
#include "access_control.hpp"
#include "http_guard.hpp"
#include "read_thread.hpp"
#include "ir/store/database.hpp"
#include "webhooks.hpp"

namespace ir::daemon {

class AlertStreams;
class Retention;

struct RouteContext {
    Pipeline& pipeline;
    store::Database& reader;  // point reads on the io thread (by id: their cost does not grow)
    ReadThread& reads;        // the reads whose cost grows with the store: off the io thread
    AlertStreams& streams;    // GET /v1/stream
    metrics::Registry& registry;
    const Webhooks& webhooks;
    AccessControl& access;
    BrowserRules browser;
    bool metrics_need_token = false;
    std::function<void()> refresh_metrics;               // the shell's gauges, before /metrics renders
    std::function<boost::json::array()> notify_failing;  // destinations failing, for /healthz
    Retention* retention = nullptr;                      // erasure on request (DELETE /v1/customers/{id})
};

enum class Listener { api, webhooks_only };
// Every route of the table (or only the webhooks), each behind its access rule.
void add_routes(HttpRouter& router, RouteContext& context, Listener listener = Listener::api);

namespace routes {

using Async = void (*)(RouteContext&, RouteRequest&&, Responder);
using Sync = HttpResponse (*)(RouteContext&, const RouteRequest&);
// Runs on the read thread with its connection: may touch only what is safe from any thread
// (the request, the store connection given, the identities, the clock).
using Read = HttpResponse (*)(RouteContext&, const RouteRequest&, store::Database&);
// Queues a Read (503 when too many wait) and answers from the read thread.
void on_read_thread(RouteContext& c, Read read, RouteRequest&& req, Responder respond);

// Events (event_routes.cpp).
void post_event(RouteContext& c, RouteRequest&& req, Responder respond);
// Inquiries and alerts (inquiry_routes.cpp).
HttpResponse get_inquiry(RouteContext& c, const RouteRequest& req);
HttpResponse list_inquiries(RouteContext& c, const RouteRequest& req, store::Database& db);
HttpResponse list_alerts(RouteContext& c, const RouteRequest& req, store::Database& db);
void reply(RouteContext& c, RouteRequest&& req, Responder respond);
void resolve(RouteContext& c, RouteRequest&& req, Responder respond);
void accept(RouteContext& c, RouteRequest&& req, Responder respond);
void transfer(RouteContext& c, RouteRequest&& req, Responder respond);
void decline(RouteContext& c, RouteRequest&& req, Responder respond);
// The team's labels (label_routes.cpp): POST .../label, and a decline whose reason is
// "scam", which labels the open inquiry suspect at its current tier (into `change`).
void label(RouteContext& c, RouteRequest&& req, Responder respond);
void label_if_scam(RouteContext& c, const RouteRequest& req, InquiryId inquiry, const std::string& agent,
                   store::Change& change);
// Agents and queues (routing_routes.cpp).
HttpResponse list_agents(RouteContext& c, const RouteRequest& req);
HttpResponse list_queues(RouteContext& c, const RouteRequest& req);
void set_presence(RouteContext& c, RouteRequest&& req, Responder respond);
// Customers and the ranking (customer_routes.cpp).
HttpResponse get_customer(RouteContext& c, const RouteRequest& req);
HttpResponse inquiry_customer(RouteContext& c, const RouteRequest& req);  // the card of an inquiry's buyer
void post_order(RouteContext& c, RouteRequest&& req, Responder respond);
void erase_customer(RouteContext& c, RouteRequest&& req, Responder respond);
HttpResponse reply_stats(RouteContext& c, const RouteRequest& req, store::Database& db);
// Webhooks (webhook_routes.cpp).
HttpResponse whatsapp_handshake(RouteContext& c, const RouteRequest& req);
void whatsapp(RouteContext& c, RouteRequest&& req, Responder respond);
void telegram(RouteContext& c, RouteRequest&& req, Responder respond);
void marketplace(RouteContext& c, RouteRequest&& req, Responder respond);
// The console (console_routes.cpp).
HttpResponse console_redirect(RouteContext& c, const RouteRequest& req);
HttpResponse console_page(RouteContext& c, const RouteRequest& req);
HttpResponse console_file(RouteContext& c, const RouteRequest& req);
HttpResponse whoami(RouteContext& c, const RouteRequest& req);
void stream(RouteContext& c, RouteRequest&& req, Responder respond);
// The daemon itself (route_table.cpp).
HttpResponse health(RouteContext& c, const RouteRequest& req);
HttpResponse metrics(RouteContext& c, const RouteRequest& req);

// Before a handler runs (route_access.cpp): the browser checks, the token, the rule.
// Answers 401/403 itself and returns false when the request may not go on.
bool admit(RouteContext& c, access::Rule rule, bool browser_checks, RouteRequest& req, Responder& respond);
// Who acts: the caller's own id, or (without access control, or for an admin) the
// body's agent_id; else the 400/403 that refuses it.
std::variant<std::string, HttpResponse> acting_agent(const RouteRequest& req);
// The identity a request acts as, for the audit rows ("" without access control).
std::string caller_id(const RouteRequest& req);

// Shared by the handlers (route_support.cpp).
std::optional<std::int64_t> parse_int(std::string_view s, std::int64_t lo, std::int64_t hi);
// A string field of a JSON body, or the 400 that says it is missing.
std::variant<std::string, HttpResponse> body_string(const RouteRequest& req, std::string_view key);
HttpResponse store_error(const Error& e);
// 404 for an unknown agent or inquiry, 409 for a request routing refused.
HttpResponse routing_refusal(routing::Refusal r);
// The inquiry as the API shows it, from the store's snapshot row.
HttpResponse inquiry_response(RouteContext& c, const store::InquiryRow& row);
// The inquiry as a committed step left it (with its details from the store).
HttpResponse inquiry_response(RouteContext& c, const router::StoredInquiry& inquiry);

}  // namespace routes
}  // namespace ir::daemon
