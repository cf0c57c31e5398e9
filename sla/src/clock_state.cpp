#include "ir/sla/clock_state.hpp"

namespace ir::sla {

TimePoint due_at(const ClockState& c, Stage s) {
    switch (s) {
        case Stage::fast_warning:
            return c.fast_warning_at;
        case Stage::fast_breach:
            return c.fast_deadline;
        case Stage::timely_warning:
            return c.timely_warning_at;
        case Stage::timely_breach:
            return c.timely_deadline;
        case Stage::follow_up:
            return c.follow_up_due;
    }
    return c.follow_up_due;
}

TimePoint deadline_of(const ClockState& c, DeadlineKind k) {
    return k == DeadlineKind::fast ? c.fast_deadline : c.timely_deadline;
}

ClockStatus clock_status(const ClockState& c, DeadlineKind k, TimePoint now) {
    const TimePoint deadline = deadline_of(c, k);
    if (c.reply == ReplyState::answered)
        return c.last_reply_at && *c.last_reply_at <= deadline ? ClockStatus::met : ClockStatus::breached;
    const bool alarmed = k == DeadlineKind::fast ? c.fired.fast_breach : c.fired.timely_breach;
    return alarmed || now > deadline ? ClockStatus::breached : ClockStatus::running;
}

std::string_view to_string(ClockStatus s) {
    switch (s) {
        case ClockStatus::running:
            return "running";
        case ClockStatus::met:
            return "met";
        case ClockStatus::breached:
            return "breached";
    }
    return "running";
}

bool has_fired(const Fired& f, Stage s) {
    switch (s) {
        case Stage::fast_warning:
            return f.fast_warning;
        case Stage::fast_breach:
            return f.fast_breach;
        case Stage::timely_warning:
            return f.timely_warning;
        case Stage::timely_breach:
            return f.timely_breach;
        case Stage::follow_up:
            return false;
    }
    return false;
}

void mark_fired(Fired& f, Stage s) {
    switch (s) {
        case Stage::fast_warning:
            f.fast_warning = true;
            break;
        case Stage::fast_breach:
            f.fast_breach = true;
            break;
        case Stage::timely_warning:
            f.timely_warning = true;
            break;
        case Stage::timely_breach:
            f.timely_breach = true;
            break;
        case Stage::follow_up:
            break;
    }
}

namespace {

// A warning with no lead time sits on its deadline and never fires.
bool silent(const ClockState& c, Stage s) {
    return is_warning(s) && due_at(c, s) >= deadline_of(c, kind_of(s));
}

}  // namespace

std::optional<Alarm> next_alarm(const ClockState& c) {
    std::optional<Alarm> best;
    auto consider = [&](Stage s) {
        const Alarm a{due_at(c, s), s};
        if (!best || a < *best) best = a;
    };
    if (c.reply == ReplyState::waiting) {
        for (Stage s : deadline_stages) {
            if (!has_fired(c.fired, s) && !silent(c, s)) consider(s);
        }
    }
    if (c.follow_up == FollowUpState::pending) consider(Stage::follow_up);
    return best;
}

}  // namespace ir::sla
