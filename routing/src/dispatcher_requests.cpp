// The calls driven by people and time: accept, transfer, presence, ticks.
#include "dispatcher_impl.hpp"

namespace ir::routing {

Outcome Dispatcher::accept(std::uint64_t inquiry, std::string_view agent, sla::TimePoint /*now*/) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {{}, Refusal::unknown_inquiry};
    const std::uint32_t who = m.agent_of(agent);
    if (who == no_index) return {{}, Refusal::unknown_agent};
    if (s->owner != who) return {{}, Refusal::not_theirs};
    m.clear_reserved(*s);
    return {};
}

Outcome Dispatcher::transfer(std::uint64_t inquiry, std::string_view to_agent, sla::TimePoint now) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {{}, Refusal::unknown_inquiry};
    const std::uint32_t to = m.agent_of(to_agent);
    if (to == no_index) return {{}, Refusal::unknown_agent};
    if (to == s->owner) return {};
    const AgentState& target = m.agents[to];
    if (target.spec.presence == Presence::offline || (!s->answered && target.load >= target.spec.capacity)) {
        return {{}, Refusal::agent_unavailable};
    }
    Outcome r;
    const std::uint32_t was = s->owner;
    const bool freed = was != no_index && !s->answered;
    std::string previous = was == no_index ? "" : m.agents[was].spec.id;
    m.unassign(*s, Unassigned::Why::transferred, r.decisions);
    m.pop_queue(*s);
    m.clear_tried(*s);
    if (s->answered) {  // nothing to accept: the conversation just changes hands
        s->owner = to;
        m.agents[to].owned.insert(inquiry);
        r.decisions.emplace_back(
            Assigned{inquiry, target.spec.id, std::move(previous), std::nullopt, false, "transferred"});
    } else {
        m.assign(*s, to, now, std::move(previous), false, "transferred", r.decisions);
    }
    if (freed) m.pull(was, now, r.decisions);
    return r;
}

Outcome Dispatcher::set_presence(std::string_view agent, Presence p, sla::TimePoint now) {
    Impl& m = *impl_;
    const std::uint32_t who = m.agent_of(agent);
    if (who == no_index) return {{}, Refusal::unknown_agent};
    Outcome r;
    const Presence was = m.agents[who].spec.presence;
    m.agents[who].spec.presence = p;
    if (p == Presence::offline && was != Presence::offline) m.hand_back(who, now, r.decisions);
    if (p == Presence::available) m.pull(who, now, r.decisions);
    return r;
}

// Shift changes first (an agent starting now can take what expires now), then
// reservation expiries, each in (instant, id) order.
Decisions Dispatcher::on_tick(sla::TimePoint now) {
    Impl& m = *impl_;
    Decisions out;
    while (!m.shifts.empty() && m.shifts.begin()->first <= now) m.refresh_shift(m.shifts.begin()->second, now, out);
    while (!m.reservations.empty() && m.reservations.begin()->first <= now) {
        m.expire(m.items.at(m.reservations.begin()->second), now, out);
    }
    return out;
}

std::optional<sla::TimePoint> Dispatcher::next_deadline() const {
    const Impl& m = *impl_;
    std::optional<sla::TimePoint> at;
    if (!m.shifts.empty()) at = m.shifts.begin()->first;
    if (!m.reservations.empty() && (!at || m.reservations.begin()->first < *at)) at = m.reservations.begin()->first;
    return at;
}

}  // namespace ir::routing
