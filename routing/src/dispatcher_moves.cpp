// The steps every call is made of: assign, unassign, queue, pull, expire, shift changes.
#include <algorithm>

#include "dispatcher_impl.hpp"

namespace ir::routing {
namespace {

std::uint64_t queue_key(const ItemState& s) {
    const std::uint32_t second = s.suspect ? no_index : s.category;
    return (std::uint64_t{s.account} << 32U) | second;
}

}  // namespace

void Dispatcher::Impl::route(ItemState& s, sla::TimePoint now, Decisions& out, const std::string& previous) {
    auto c = choose(s, now, false);
    if (!c && s.has_tried) {
        // Everyone who can take it now has let it expire once: a new round starts.
        c = choose(s, now, true);
        if (c) clear_tried(s);
    }
    if (c) {
        note_turn(s, c->agent);
        assign(s, c->agent, now, previous, c->sticky, std::move(c->reason), out);
    } else {
        push_queue(s, &out);
    }
}

void Dispatcher::Impl::assign(ItemState& s, std::uint32_t agent, sla::TimePoint now, std::string previous, bool sticky,
                              std::string reason, Decisions& out) {
    pop_queue(s);
    AgentState& a = agents[agent];
    ++a.load;
    a.owned.insert(s.inquiry);
    s.owner = agent;
    set_reserved(s, now + reservation_window(policy, s.fast_deadline, now));
    out.emplace_back(
        Assigned{s.inquiry, a.spec.id, std::move(previous), s.reserved_until(), sticky, std::move(reason)});
}

std::uint32_t Dispatcher::Impl::drop_owner(ItemState& s) {
    const std::uint32_t was = s.owner;
    if (was == no_index) return was;
    AgentState& a = agents[was];
    a.owned.erase(s.inquiry);
    if (!s.answered) --a.load;
    clear_reserved(s);
    s.owner = no_index;
    return was;
}

void Dispatcher::Impl::unassign(ItemState& s, Unassigned::Why why, Decisions& out) {
    if (s.owner == no_index) return;
    out.emplace_back(Unassigned{s.inquiry, agents[s.owner].spec.id, why});
    drop_owner(s);
}

void Dispatcher::Impl::push_queue(ItemState& s, Decisions* out) {
    const std::uint64_t k = queue_key(s);
    auto [it, added] = queue_index.try_emplace(k, static_cast<std::uint32_t>(queues.size()));
    if (added) {
        const std::string& account = names.name(s.account);
        const std::string& category = names.name(s.category);
        std::string name = s.suspect          ? "verify/" + account
                           : category.empty() ? account + "/uncategorised"
                                              : account + "/" + category;  // as queue_name(Item)
        queues.push_back(Queue{std::move(name), s.account, s.category, s.suspect, {}});
    }
    s.queue = it->second;
    queues[s.queue].items.insert(s.key());
    if (out) {
        out->emplace_back(
            Queued{s.inquiry, queues[s.queue].name, s.suspect ? reasons_of(s) : std::vector<std::string>{}});
    }
}

void Dispatcher::Impl::pop_queue(ItemState& s) {
    if (s.queue == no_index) return;
    queues[s.queue].items.erase(s.key());
    s.queue = no_index;
}

// The best queued inquiry this agent can take, over every queue they serve. Queued items
// have nobody else free to take them, so the freed agent simply takes the front. With no
// routing (Strategy::none) people work a shared inbox: one inquiry each time they are free.
void Dispatcher::Impl::pull(std::uint32_t agent, sla::TimePoint now, Decisions& out) {
    AgentState& a = agents[agent];
    const bool plain = by_rules() && a.spec.role == Role::agent;
    const QueueKey first_for_plain{2, sla::TimePoint::min(), 0};  // plain agents skip tier 1
    while (free_for_work(a)) {
        const Queue* from = nullptr;
        const QueueKey* best = nullptr;
        for (const Queue& q : queues) {
            if (q.items.empty() || !serves(a, q)) continue;
            const auto it = plain ? q.items.lower_bound(first_for_plain) : q.items.begin();
            if (it == q.items.end()) continue;
            if (!best || *it < *best) {
                best = &*it;
                from = &q;
            }
        }
        if (!best) return;
        ItemState& s = items.at(best->inquiry);
        assign(s, agent, now, "", false, "next in queue " + from->name, out);
        if (policy.strategy == Strategy::none) return;
    }
}

void Dispatcher::Impl::expire(ItemState& s, sla::TimePoint now, Decisions& out) {
    const std::uint32_t was = s.owner;
    unassign(s, Unassigned::Why::reservation_expired, out);
    add_tried(s, was);
    route(s, now, out, agents[was].spec.id);
    pull(was, now, out);
}

void Dispatcher::Impl::refresh_shift(std::uint32_t agent, sla::TimePoint now, Decisions& out) {
    AgentState& a = agents[agent];
    if (a.next_shift) shifts.erase({*a.next_shift, agent});
    const bool was = a.on_shift;
    a.on_shift = on_shift(a.spec.hours, clock->local(a.spec.time_zone, now));
    a.next_shift = next_shift_change(a.spec.hours, a.spec.time_zone, *clock, now);
    if (a.next_shift) shifts.emplace(*a.next_shift, agent);
    if (a.on_shift && !was) pull(agent, now, out);
}

// Offline: every unanswered inquiry goes back at once, best first, and is routed again.
void Dispatcher::Impl::hand_back(std::uint32_t agent, sla::TimePoint now, Decisions& out) {
    std::vector<ItemState*> back;
    for (const std::uint64_t inquiry : agents[agent].owned) {
        ItemState& s = items.at(inquiry);
        if (!s.answered) back.push_back(&s);
    }
    std::sort(back.begin(), back.end(), [](const ItemState* x, const ItemState* y) { return x->key() < y->key(); });
    for (ItemState* s : back) unassign(*s, Unassigned::Why::agent_offline, out);
    for (ItemState* s : back) route(*s, now, out, agents[agent].spec.id);
}

void Dispatcher::Impl::notify_supervisors(const ItemState& s, Decisions& out) const {
    out.emplace_back(SupervisorsNotified{s.inquiry, supervisors_of(s.account)});
}

}  // namespace ir::routing
