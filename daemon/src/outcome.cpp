#include "ir/daemon/outcome.hpp"

namespace ir::daemon {

std::string_view describe(Refusal r) {
    switch (r) {
        case Refusal::stopping:
            return "shutting down";
        case Refusal::recovering:
            return "the store could not commit; recovering";
        case Refusal::store_full:
            return "the store is at its size limit or its disk is nearly full: events are refused until there "
                   "is room ([store] max_bytes, min_free_bytes; GET /healthz says which)";
        case Refusal::saturated:
            return "too many events waiting for their commit";
        case Refusal::in_flight:
            return "the same event is being committed; retry";
        case Refusal::store_unreadable:
            return "the journal cannot be read";
        case Refusal::unknown_account:
            return "unknown account";
        case Refusal::commit_failed:
            return "could not be stored; nothing was kept";
    }
    return "refused";
}

bool retryable(Refusal r) {
    return r != Refusal::unknown_account;
}

IngestOutcome IngestOutcome::refused(Refusal r, std::string detail) {
    IngestOutcome o;
    o.kind = retryable(r) ? Kind::retry_later : Kind::rejected;
    o.refusal = r;
    o.detail = std::move(detail);
    return o;
}

}  // namespace ir::daemon
