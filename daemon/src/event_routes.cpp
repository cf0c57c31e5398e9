// POST /v1/events: the generic JSON event, for relays and any channel without an adapter.
#include <boost/json.hpp>

#include "http_outcome.hpp"
#include "ir/adapters/event_json.hpp"
#include "ir/daemon/http_json.hpp"
#include "routes.hpp"

namespace ir::daemon::routes {
namespace http = boost::beast::http;
namespace json = boost::json;

void post_event(RouteContext& c, RouteRequest&& req, Responder respond) {
    if (auto busy = c.pipeline.busy()) return respond(refusal_response(*busy));
    boost::system::error_code ec;
    // The parsed body lives only until the event is copied out of it: one arena, freed at once.
    unsigned char arena[8192];
    json::monotonic_resource parse_memory(arena, sizeof arena);
    const json::value body = json::parse(req.message.body(), ec, &parse_memory);
    if (ec) {
        rejected_events(c.registry, "malformed").inc();
        return respond(error_response(http::status::bad_request, "body is not valid JSON: " + ec.message()));
    }
    auto event = adapters::parse_event(body);
    if (!event) {
        const auto& e = event.error();
        rejected_events(c.registry, e.invalid_value ? "invalid" : "malformed").inc();
        return respond(error_response(e.invalid_value ? http::status::unprocessable_entity : http::status::bad_request,
                                      e.message, e.field));
    }
    auto shared = std::make_shared<Responder>(std::move(respond));  // std::function needs copies
    c.pipeline.ingest(std::move(*event), [shared](IngestOutcome o) { (*shared)(ingest_response(o)); });
}

}  // namespace ir::daemon::routes
