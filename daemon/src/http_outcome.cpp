#include "http_outcome.hpp"

#include <boost/json.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/daemon/http_json.hpp"

namespace ir::daemon {
namespace http = boost::beast::http;
namespace json = boost::json;

HttpResponse refusal_response(Refusal r, std::string_view detail) {
    std::string message(describe(r));
    if (!detail.empty()) message.append(": ").append(detail);
    switch (r) {
        case Refusal::unknown_account:
            return error_response(http::status::unprocessable_entity, message, "account");
        case Refusal::in_flight:
            return error_response(http::status::service_unavailable, message, "message_id", {{"Retry-After", "1"}});
        case Refusal::stopping:
            return error_response(http::status::service_unavailable, message, "", {{"Retry-After", "5"}});
        case Refusal::store_full:  // room comes back when someone frees it: not within a second
            return error_response(http::status::service_unavailable, message, "", {{"Retry-After", "10"}});
        default:
            return error_response(http::status::service_unavailable, message, "", {{"Retry-After", "1"}});
    }
}

HttpResponse ingest_response(const IngestOutcome& o) {
    const json::value inquiry = o.inquiry ? json::value(raw(*o.inquiry)) : json::value(nullptr);
    switch (o.kind) {
        case IngestOutcome::Kind::duplicate:
            return json_response(http::status::ok,
                                 {{"inquiry_id", inquiry}, {"duplicate", true}, {"event_seq", o.event_seq}});
        case IngestOutcome::Kind::accepted: {
            // The answer's JSON lives only until it is serialized: one arena, freed at once.
            unsigned char arena[4096];
            json::monotonic_resource memory(arena, sizeof arena);
            json::object out(3, &memory);
            out.emplace("inquiry_id", inquiry);
            out.emplace("duplicate", false);
            if (o.assessment) out.emplace("assessment", adapters::to_json(*o.assessment, &memory));
            return json_response(http::status::accepted, out);
        }
        case IngestOutcome::Kind::rejected:
        case IngestOutcome::Kind::retry_later:
            break;
    }
    return refusal_response(o.refusal.value_or(Refusal::commit_failed), o.detail);
}

}  // namespace ir::daemon
