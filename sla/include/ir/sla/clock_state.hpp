#pragma once
// Everything the engine knows about one conversation, as plain values: what the daemon
// stores (one row per ClockId) and hands back to SlaEngine's restoring constructor.
// All instants are absolute wall-clock times, so a restart resumes every clock exactly,
// whatever the policy says by then.
#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ir/sla/stage.hpp"
#include "ir/sla/subject.hpp"
#include "ir/sla/time.hpp"

namespace ir::sla {

enum class ReplyState : std::uint8_t {
    waiting,   // the reply clock runs: a buyer message is unanswered
    answered,  // our reply stopped the last clock
};

enum class FollowUpState : std::uint8_t {
    none,     // no plan (the tier has none, or no reply yet)
    pending,  // a reminder is due at follow_up_due
    waiting,  // plan started but nothing armed: paused by a buyer message, or a
              // non-repeating plan that ran out; our next reply re-bases it
};

// Which alarms of the current reply clock already fired (each fires at most once).
struct Fired {
    bool fast_warning = false;
    bool fast_breach = false;
    bool timely_warning = false;
    bool timely_breach = false;
    bool operator==(const Fired&) const = default;
};

struct ClockState {
    Subject subject{};
    ReplyState reply = ReplyState::waiting;
    Fired fired{};
    FollowUpState follow_up = FollowUpState::none;
    std::uint16_t follow_up_step = 0;  // index into the plan's intervals of the last (re)base
    TimePoint started_at{};            // the earliest unanswered buyer message
    TimePoint fast_warning_at{};       // == fast_deadline when there is no warning
    TimePoint fast_deadline{};
    TimePoint timely_warning_at{};  // == timely_deadline when there is no warning
    TimePoint timely_deadline{};
    std::optional<TimePoint> last_reply_at;  // our latest reply the engine acted on
    TimePoint follow_up_due{};               // meaningful when follow_up == pending
    bool operator==(const ClockState&) const = default;
};

// The next alarm of a clock: ordered by instant, then by stage.
struct Alarm {
    TimePoint at{};
    Stage stage = Stage::fast_warning;
    auto operator<=>(const Alarm&) const = default;
};

TimePoint due_at(const ClockState& c, Stage s);
TimePoint deadline_of(const ClockState& c, DeadlineKind k);
bool has_fired(const Fired& f, Stage s);
void mark_fired(Fired& f, Stage s);
// How one of a clock's two deadlines stands at `now`, wherever a clock is shown: met (our
// reply came by it), breached (it passed unanswered, or our reply came after it), or
// running.
enum class ClockStatus : std::uint8_t { running, met, breached };
ClockStatus clock_status(const ClockState& c, DeadlineKind k, TimePoint now);
std::string_view to_string(ClockStatus s);

// The earliest alarm that has not fired yet; nullopt when nothing is left to fire.
std::optional<Alarm> next_alarm(const ClockState& c);

}  // namespace ir::sla
