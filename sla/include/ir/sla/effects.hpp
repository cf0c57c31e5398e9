#pragma once
// What the engine decided, as values. The daemon persists them, turns alarms into alerts
// with sequence numbers, and publishes them; the engine never does any of that itself.
//
// Every change to a clock's stored state comes with at least one effect naming that clock
// (subject.clock), so after each step the daemon can upsert SlaEngine::export_clock(id) for
// the clocks the effects name (nullopt means delete the row).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/sla/stage.hpp"
#include "ir/sla/subject.hpp"
#include "ir/sla/time.hpp"

namespace ir::sla {

// A buyer message started a reply clock.
struct ClockStarted {
    Subject subject;
    TimePoint started_at;
    TimePoint fast_deadline;
    TimePoint timely_deadline;
    bool operator==(const ClockStarted&) const = default;
};

// A message stamped earlier than the running clock's start arrived late: the clock now
// starts at that earlier message (alarms already fired stay fired).
struct ClockMoved {
    Subject subject;
    TimePoint started_at;
    TimePoint fast_deadline;
    TimePoint timely_deadline;
    bool operator==(const ClockMoved&) const = default;
};

// The conversation's tier or weak-large-buyer flag changed; escalation follows the new one.
struct Retiered {
    Subject subject;  // as it is now
    Tier previous_tier;
    bool previous_weak_large_buyer;
    bool operator==(const Retiered&) const = default;
};

// The `late` flag on alarms: fired more than the policy's late_tolerance after due_at.
struct Warning {
    Subject subject;
    DeadlineKind kind;
    TimePoint due_at;    // the warning's own moment (deadline minus lead time)
    TimePoint deadline;  // the deadline it warns about
    TimePoint fired_at;
    bool late;
    bool operator==(const Warning&) const = default;
};

struct Breach {
    Subject subject;
    DeadlineKind kind;
    TimePoint deadline;
    TimePoint fired_at;
    bool late;
    bool operator==(const Breach&) const = default;
};

// Follows the Warning or Breach it belongs to when the policy escalates that stage for
// the conversation's tier at the time it fires.
struct Escalation {
    Subject subject;
    Stage stage;
    TimePoint due_at;
    TimePoint deadline;
    TimePoint fired_at;
    bool late;
    bool operator==(const Escalation&) const = default;
};

// Our reply stopped the clock: what the platform will count.
struct ReplyRecorded {
    Subject subject;
    AgentId agent;
    TimePoint started_at;
    TimePoint replied_at;
    Duration response_time;
    bool fast_met;
    bool timely_met;
    bool operator==(const ReplyRecorded&) const = default;
};

struct FollowUpScheduled {
    Subject subject;
    TimePoint due_at;
    bool operator==(const FollowUpScheduled&) const = default;
};

struct FollowUpDue {
    Subject subject;
    TimePoint due_at;
    TimePoint fired_at;
    bool late;
    std::optional<TimePoint> last_reply_at;
    bool operator==(const FollowUpDue&) const = default;
};

// The plan no longer applies (re-tiered to a tier without follow-ups).
struct FollowUpCancelled {
    Subject subject;
    bool operator==(const FollowUpCancelled&) const = default;
};

// Resolved or closed: every clock and follow-up of the conversation stopped, state removed.
struct Resolved {
    Subject subject;
    TimePoint at;
    bool reply_pending;  // a buyer message was still unanswered
    bool operator==(const Resolved&) const = default;
};

using Effect = std::variant<ClockStarted, ClockMoved, Retiered, Warning, Breach, Escalation, ReplyRecorded,
                            FollowUpScheduled, FollowUpDue, FollowUpCancelled, Resolved>;
using Effects = std::vector<Effect>;

// The clock an effect is about.
const Subject& subject_of(const Effect& e);

// One line, for debug logs and test failure messages; instants as Unix milliseconds.
std::string to_string(const Effect& e);

}  // namespace ir::sla
