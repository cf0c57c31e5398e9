#pragma once
// A core step as the rows that store it: pure (no engine, no clock, no I/O), so what a
// step stores is decided by the step alone. Every protobuf is serialized here, once: the
// alert rows' payloads are also what is published.
#include <cstdint>
#include <optional>

#include "ir/router/engine.hpp"
#include "ir/router/event.hpp"
#include "ir/store/rows.hpp"

namespace ir::daemon {

// The meta key of an agent's presence ("presence/<id>").
inline constexpr std::string_view kPresencePrefix = "presence/";

// The event that caused the step, journaled with it.
struct JournaledEvent {
    const router::Event& event;
    std::int64_t seq;  // the journal seq the daemon gave it
    sla::TimePoint accepted_at;
};

// Appends the step's rows (and the event's, if any) to `change`, which may already hold
// rows of the same transaction (an order id, say).
void append_step_rows(const router::StepResult& step, std::optional<JournaledEvent> event, store::Change& change);

}  // namespace ir::daemon
