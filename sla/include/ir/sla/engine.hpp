#pragma once
// The SLA engine: reply clocks, warnings, breaches, escalations and follow-up reminders for
// every open conversation, driven only by calls that carry the time. No clocks, threads or
// I/O: the same calls give the same effects, so tests use plain TimePoints and a restart
// or a replay behaves exactly like the first run.
//
// Driving it (the daemon, one thread):
//     SlaEngine engine{policy};                        // or SlaEngine{policy, stored_clocks}
//     auto fx = engine.on_buyer_message({subject, event.received_at}, now);
//     ... persist fx (and export_clock() of each clock fx names), publish alerts ...
//     if (auto at = engine.next_deadline()) timer.expires_after(*at - now);  // one timer
//     on timer: fx = engine.on_tick(now);              // always decided again with a fresh now
//
// Rules:
// - A conversation has at most one running reply clock. It starts at the earliest
//   unanswered buyer message; further buyer messages do not move it. Our reply (stamped at
//   or after the start) stops it and records the response time; a buyer message after that
//   reply starts a new clock. Deadlines and warning moments are fixed, as wall-clock
//   instants, when the clock starts; re-tiering changes who is told (escalation) and the
//   follow-up plan, never the deadlines.
// - Each warning and breach fires at most once, in (instant, clock id, stage) order; an alarm
//   fired more than late_tolerance after its moment is marked late.
// - Follow-ups: our reply starts (or re-bases) the conversation's plan; a buyer message
//   pauses it (the reply clock takes over) until our next reply; resolve stops everything.
//
// Time:
// - `now` is the caller's wall clock. Inputs also carry their own timestamp `at`; an `at`
//   later than now is taken as now. Before applying an input the engine fires every alarm
//   due strictly before `at` (they happened first), so an input never cancels an alarm
//   whose moment had already passed when the input happened; an alarm due at the very
//   instant of a reply does not fire (a reply at the deadline meets it). Alarms due between
//   `at` and now fire at the next on_tick(now).
// - Time going backwards fires nothing (fired alarms are gone from the queue). A forward
//   jump, or a restart from exported state, fires everything due once, in order, late.
//
// Out-of-order inputs (stamped earlier than the state they meet):
// - buyer message earlier than our last reply: that reply answered it; ignored.
// - buyer message earlier than the running clock's start (and after our last reply): the
//   clock moves back to it (ClockMoved); what is now overdue fires at the next tick, late.
// - reply earlier than the running clock's start: it did not answer the pending message;
//   ignored. Reply not later than the last reply we acted on: ignored.
// - reply, re-tier or resolve for an unknown clock: ignored (no effects).
// - after resolve the conversation's state is gone; a later buyer message on the same
//   ClockId starts a new conversation.
#include <cstddef>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ir/sla/clock_state.hpp"
#include "ir/sla/deadline_queue.hpp"
#include "ir/sla/effects.hpp"
#include "ir/sla/policy.hpp"
#include "ir/sla/rules_table.hpp"

namespace ir::sla {

// A buyer's message. `subject` carries the clock key and the router's current view of the
// conversation (tier, weak large buyer); a changed tier re-tiers a running clock.
struct BuyerMessage {
    Subject subject;
    TimePoint at;
};

// One of our people replied.
struct Reply {
    ClockId clock{};
    AgentId agent{};
    TimePoint at;
};

struct Retier {
    ClockId clock{};
    Tier tier = Tier::four;
    bool weak_large_buyer = false;
    TimePoint at;
};

// Resolved or closed: stops every clock and follow-up of the conversation.
struct Resolve {
    ClockId clock{};
    TimePoint at;
};

class SlaEngine {
public:
    explicit SlaEngine(const SlaPolicy& policy);
    // Rebuilds an engine from exported state; a repeated ClockId keeps the last one.
    SlaEngine(const SlaPolicy& policy, const std::vector<ClockState>& clocks);

    Effects on_buyer_message(const BuyerMessage& m, TimePoint now);
    Effects on_reply(const Reply& r, TimePoint now);
    Effects on_retier(const Retier& r, TimePoint now);
    Effects on_resolve(const Resolve& r, TimePoint now);
    // Fires every alarm due at or before now, earliest first.
    Effects on_tick(TimePoint now);

    // The earliest pending alarm: arm the one OS timer for it.
    std::optional<TimePoint> next_deadline() const { return queue_.next(); }

    // State as plain values, sorted by ClockId.
    std::vector<ClockState> export_state() const;
    std::optional<ClockState> export_clock(ClockId clock) const;

    std::size_t size() const { return clocks_.size(); }  // conversations tracked
    void reserve(std::size_t conversations);

private:
    ClockState* find(ClockId clock);
    void drain(TimePoint up_to, TimePoint now, Effects& out);
    void drain_before(TimePoint at, TimePoint now, Effects& out);
    void fire(ClockState& c, const Alarm& a, TimePoint now, Effects& out);
    void fire_deadline_stage(ClockState& c, const Alarm& a, TimePoint now, Effects& out);
    void fire_follow_up(ClockState& c, const Alarm& a, TimePoint now, Effects& out);
    void rearm(const ClockState& c);
    void start_clock(ClockState& c, const Subject& s, TimePoint at, Effects& out);
    void move_clock(ClockState& c, TimePoint at, Effects& out);
    void on_message_for(ClockState& c, const BuyerMessage& m, TimePoint at, Effects& out);
    void stop_clock(ClockState& c, AgentId agent, TimePoint at, Effects& out);
    void retier(ClockState& c, Tier tier, bool weak, TimePoint at, Effects& out);
    void follow_up_after_reply(ClockState& c, TimePoint at, Effects& out);
    const SlaRules& rules_for(const ClockState& c) const;
    bool is_late(TimePoint due, TimePoint now) const;

    RulesTable rules_;
    std::unordered_map<ClockId, ClockState> clocks_;
    DeadlineQueue<ClockId> queue_;
};

}  // namespace ir::sla
