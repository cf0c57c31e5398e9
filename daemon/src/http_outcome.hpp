#pragma once
// The one mapping from the pipeline's outcomes to HTTP answers.
#include "ir/daemon/http_server.hpp"
#include "ir/daemon/outcome.hpp"

namespace ir::daemon {

// 503 with Retry-After for what may be retried, 422 for an unknown account.
HttpResponse refusal_response(Refusal r, std::string_view detail = {});
// POST /v1/events: 202 with the assessment, 200 for a duplicate, else the refusal.
HttpResponse ingest_response(const IngestOutcome& o);

}  // namespace ir::daemon
