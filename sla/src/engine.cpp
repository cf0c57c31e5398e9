// SlaEngine: the inputs (buyer message, reply, re-tier, resolve) and state export.
// Firing alarms and follow-up plans are in engine_alarms.cpp.
#include <algorithm>

#include "ir/sla/engine.hpp"

namespace ir::sla {

namespace {

// A warning `lead` before `deadline`, never before the clock started; no lead, no warning
// (the moment then sits on the deadline, see next_alarm).
TimePoint warning_moment(TimePoint start, TimePoint deadline, Duration lead) {
    if (lead <= Duration::zero()) return deadline;
    return std::max(start, deadline - lead);
}

}  // namespace

SlaEngine::SlaEngine(const SlaPolicy& policy) : rules_(policy) {}

SlaEngine::SlaEngine(const SlaPolicy& policy, const std::vector<ClockState>& clocks) : rules_(policy) {
    reserve(clocks.size());
    for (const ClockState& c : clocks) {
        clocks_.insert_or_assign(c.subject.clock, c);
        rearm(c);
    }
}

void SlaEngine::reserve(std::size_t conversations) {
    clocks_.reserve(conversations);
    queue_.reserve(conversations);
}

// Alarms due strictly before an input happened fire first; one due at the very instant of
// a reply is pre-empted by it (a reply at the deadline meets it).
void SlaEngine::drain_before(TimePoint at, TimePoint now, Effects& out) {
    drain(at - Duration{1}, now, out);
}

ClockState* SlaEngine::find(ClockId clock) {
    const auto it = clocks_.find(clock);
    return it == clocks_.end() ? nullptr : &it->second;
}

const SlaRules& SlaEngine::rules_for(const ClockState& c) const {
    return rules_.rules(c.subject.account, c.subject.tier);
}

Effects SlaEngine::on_buyer_message(const BuyerMessage& m, TimePoint now) {
    Effects out;
    const TimePoint at = std::min(m.at, now);
    drain_before(at, now, out);
    auto [it, inserted] = clocks_.try_emplace(m.subject.clock);
    ClockState& c = it->second;
    if (inserted) {
        start_clock(c, m.subject, at, out);
    } else {
        on_message_for(c, m, at, out);
    }
    rearm(c);
    return out;
}

void SlaEngine::on_message_for(ClockState& c, const BuyerMessage& m, TimePoint at, Effects& out) {
    const bool answered_before = c.last_reply_at && at <= *c.last_reply_at;
    if (c.reply == ReplyState::answered && !answered_before) {
        start_clock(c, m.subject, at, out);  // takes the message's whole subject
        return;
    }
    retier(c, m.subject.tier, m.subject.weak_large_buyer, at, out);
    if (c.reply == ReplyState::waiting && !answered_before && at < c.started_at) move_clock(c, at, out);
}

void SlaEngine::start_clock(ClockState& c, const Subject& s, TimePoint at, Effects& out) {
    const SlaRules& r = rules_.rules(s.account, s.tier);
    c.subject = s;
    c.reply = ReplyState::waiting;
    c.fired = Fired{};
    c.started_at = at;
    c.fast_deadline = at + r.fast;
    c.timely_deadline = at + r.timely;
    c.fast_warning_at = warning_moment(at, c.fast_deadline, r.fast_warning);
    c.timely_warning_at = warning_moment(at, c.timely_deadline, r.timely_warning);
    if (c.follow_up == FollowUpState::pending) c.follow_up = FollowUpState::waiting;  // paused
    out.push_back(ClockStarted{c.subject, c.started_at, c.fast_deadline, c.timely_deadline});
}

void SlaEngine::move_clock(ClockState& c, TimePoint at, Effects& out) {
    const Duration back = c.started_at - at;
    c.started_at = at;
    c.fast_warning_at -= back;
    c.fast_deadline -= back;
    c.timely_warning_at -= back;
    c.timely_deadline -= back;
    out.push_back(ClockMoved{c.subject, c.started_at, c.fast_deadline, c.timely_deadline});
}

Effects SlaEngine::on_reply(const Reply& r, TimePoint now) {
    Effects out;
    const TimePoint at = std::min(r.at, now);
    drain_before(at, now, out);
    ClockState* c = find(r.clock);
    if (c == nullptr) return out;
    if (c->reply == ReplyState::waiting) {
        if (at < c->started_at) return out;  // predates the question: did not answer it
        stop_clock(*c, r.agent, at, out);
        follow_up_after_reply(*c, at, out);
    } else if (!c->last_reply_at || at > *c->last_reply_at) {
        follow_up_after_reply(*c, at, out);
    }
    rearm(*c);
    return out;
}

void SlaEngine::stop_clock(ClockState& c, AgentId agent, TimePoint at, Effects& out) {
    c.reply = ReplyState::answered;
    c.last_reply_at = at;
    out.push_back(ReplyRecorded{c.subject, agent, c.started_at, at, at - c.started_at, at <= c.fast_deadline,
                                at <= c.timely_deadline});
}

Effects SlaEngine::on_retier(const Retier& r, TimePoint now) {
    Effects out;
    const TimePoint at = std::min(r.at, now);
    drain_before(at, now, out);
    if (ClockState* c = find(r.clock)) {
        retier(*c, r.tier, r.weak_large_buyer, at, out);
        rearm(*c);
    }
    return out;
}

void SlaEngine::retier(ClockState& c, Tier tier, bool weak, TimePoint at, Effects& out) {
    if (c.subject.tier == tier && c.subject.weak_large_buyer == weak) return;
    const Subject before = c.subject;
    c.subject.tier = tier;
    c.subject.weak_large_buyer = weak;
    out.push_back(Retiered{c.subject, before.tier, before.weak_large_buyer});
    const FollowUpPlan& plan = rules_for(c).plan_for(weak);
    if (plan.empty() && c.follow_up != FollowUpState::none) {
        c.follow_up = FollowUpState::none;
        c.follow_up_step = 0;
        out.push_back(FollowUpCancelled{c.subject});
    } else if (!plan.empty() && c.follow_up == FollowUpState::none && c.reply == ReplyState::answered) {
        c.follow_up = FollowUpState::pending;  // a silent conversation now deserves follow-ups
        c.follow_up_step = 0;
        c.follow_up_due = at + plan.interval(0);
        out.push_back(FollowUpScheduled{c.subject, c.follow_up_due});
    }
}

Effects SlaEngine::on_resolve(const Resolve& r, TimePoint now) {
    Effects out;
    const TimePoint at = std::min(r.at, now);
    drain_before(at, now, out);
    if (const ClockState* c = find(r.clock)) {
        out.push_back(Resolved{c->subject, at, c->reply == ReplyState::waiting});
        queue_.disarm(r.clock);
        clocks_.erase(r.clock);
    }
    return out;
}

std::vector<ClockState> SlaEngine::export_state() const {
    std::vector<ClockState> all;
    all.reserve(clocks_.size());
    for (const auto& [id, c] : clocks_) all.push_back(c);
    std::sort(all.begin(), all.end(),
              [](const ClockState& a, const ClockState& b) { return a.subject.clock < b.subject.clock; });
    return all;
}

std::optional<ClockState> SlaEngine::export_clock(ClockId clock) const {
    const auto it = clocks_.find(clock);
    if (it == clocks_.end()) return std::nullopt;
    return it->second;
}

}  // namespace ir::sla
