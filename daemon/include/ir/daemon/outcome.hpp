#pragma once
// How a request to the pipeline fared, as plain values: the HTTP routes, the webhooks and
// the Maildir sources each turn it into their own answer (http_outcome.hpp for HTTP).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ir/router/assessment.hpp"
#include "ir/router/engine.hpp"

namespace ir::daemon {

// Why the pipeline did not take something.
enum class Refusal : std::uint8_t {
    stopping,          // shutting down (retry elsewhere or later)
    recovering,        // a commit failed: the core is being rebuilt from the store
    store_full,        // the store is at its size limit or its disk nearly full: events wait
    saturated,         // too many changes wait for their commit
    in_flight,         // the same event (or order) is being committed right now
    store_unreadable,  // the journal could not be read to check for a repeat
    unknown_account,   // not an account of the catalogue: retrying will not help
    commit_failed,     // the store refused the commit: nothing of it was kept
};

std::string_view describe(Refusal r);
// Refusals a sender should retry (everything but unknown_account).
bool retryable(Refusal r);

struct IngestOutcome {
    enum class Kind {
        accepted,     // committed
        duplicate,    // seen before: nothing changed
        rejected,     // refused for good: retrying the same event will not help
        retry_later,  // busy, shutting down or the disk failed: nothing was kept
    };
    Kind kind = Kind::accepted;
    std::optional<Refusal> refusal;  // rejected, retry_later
    std::string detail;              // the store's own words, when it failed
    std::optional<InquiryId> inquiry;
    std::int64_t event_seq = 0;                    // duplicate: the journaled original
    std::optional<router::Assessment> assessment;  // accepted: the new message's assessment

    static IngestOutcome refused(Refusal r, std::string detail = {});
};

// A request's core step (reply, accept, presence, order...) after its commit.
struct StepOutcome {
    std::optional<Refusal> refusal;  // set: nothing was stored
    std::string detail;
    router::StepResult step;  // as committed
    bool ok() const { return !refusal; }
};

}  // namespace ir::daemon
