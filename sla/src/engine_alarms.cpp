// SlaEngine: the timer side. Firing warnings, breaches, escalations and follow-up
// reminders, in (instant, clock id, stage) order, each exactly once.
#include "ir/sla/engine.hpp"

namespace ir::sla {

Effects SlaEngine::on_tick(TimePoint now) {
    Effects out;
    drain(now, now, out);
    return out;
}

// The queue holds one entry per clock: its earliest unfired alarm. Firing it and
// re-arming the clock's next one before looking again keeps the global order exact even
// when one clock has several alarms due in a single jump.
void SlaEngine::drain(TimePoint up_to, TimePoint now, Effects& out) {
    while (const auto top = queue_.top()) {
        if (top->at > up_to) break;
        ClockState& c = clocks_.find(top->key)->second;
        const std::optional<Alarm> alarm = next_alarm(c);
        if (alarm && alarm->at <= up_to) fire(c, *alarm, now, out);
        rearm(c);  // the queue always holds the clock's earliest unfired alarm
    }
}

void SlaEngine::rearm(const ClockState& c) {
    if (const auto alarm = next_alarm(c)) {
        queue_.arm(c.subject.clock, alarm->at);
    } else {
        queue_.disarm(c.subject.clock);
    }
}

bool SlaEngine::is_late(TimePoint due, TimePoint now) const {
    return now - due > rules_.late_tolerance();
}

void SlaEngine::fire(ClockState& c, const Alarm& a, TimePoint now, Effects& out) {
    if (a.stage == Stage::follow_up) {
        fire_follow_up(c, a, now, out);
    } else {
        fire_deadline_stage(c, a, now, out);
    }
}

void SlaEngine::fire_deadline_stage(ClockState& c, const Alarm& a, TimePoint now, Effects& out) {
    mark_fired(c.fired, a.stage);
    const DeadlineKind kind = kind_of(a.stage);
    const TimePoint deadline = deadline_of(c, kind);
    const bool late = is_late(a.at, now);
    if (is_warning(a.stage)) {
        out.push_back(Warning{c.subject, kind, a.at, deadline, now, late});
    } else {
        out.push_back(Breach{c.subject, kind, deadline, now, late});
    }
    // Escalation follows the tier the conversation has now, not the one it started with.
    if (rules_for(c).escalate_on.on(a.stage)) {
        out.push_back(Escalation{c.subject, a.stage, a.at, deadline, now, late});
    }
}

// After a reminder the plan moves one step. A late reminder (the daemon was down) bases
// the next one on when it actually fired, so an outage does not produce a burst of stale
// weekly reminders; on time, the cadence stays exact.
void SlaEngine::fire_follow_up(ClockState& c, const Alarm& a, TimePoint now, Effects& out) {
    const bool late = is_late(a.at, now);
    out.push_back(FollowUpDue{c.subject, a.at, now, late, c.last_reply_at});
    const FollowUpPlan& plan = rules_for(c).plan_for(c.subject.weak_large_buyer);
    const bool more = !plan.empty() && (c.follow_up_step + 1u < plan.intervals.size() || plan.repeat_last);
    if (!more) {
        c.follow_up = FollowUpState::waiting;
        return;
    }
    if (c.follow_up_step + 1u < plan.intervals.size()) ++c.follow_up_step;
    const Duration step = plan.interval(c.follow_up_step);
    if (step <= Duration::zero()) {  // refused by validate(); never loop on it
        c.follow_up = FollowUpState::waiting;
        return;
    }
    c.follow_up_due = (late ? now : a.at) + step;
    out.push_back(FollowUpScheduled{c.subject, c.follow_up_due});
}

// Our reply: the first one starts the plan at step 0, each later one moves it a step on
// (so tier 2 gets 3 days after the first reply, then a week after every later contact).
void SlaEngine::follow_up_after_reply(ClockState& c, TimePoint at, Effects& out) {
    const FollowUpPlan& plan = rules_for(c).plan_for(c.subject.weak_large_buyer);
    if (plan.empty()) {
        if (c.follow_up != FollowUpState::none) {
            c.follow_up = FollowUpState::none;
            c.follow_up_step = 0;
            out.push_back(FollowUpCancelled{c.subject});
        }
        return;
    }
    if (c.follow_up == FollowUpState::none) {
        c.follow_up_step = 0;
    } else if (c.follow_up_step + 1u < plan.intervals.size()) {
        ++c.follow_up_step;
    }
    c.last_reply_at = at;
    c.follow_up = FollowUpState::pending;
    c.follow_up_due = at + plan.interval(c.follow_up_step);
    out.push_back(FollowUpScheduled{c.subject, c.follow_up_due});
}

}  // namespace ir::sla
