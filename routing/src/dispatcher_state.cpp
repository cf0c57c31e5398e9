// Views for the API, and export/restore across restarts.
#include <algorithm>

#include "dispatcher_impl.hpp"

namespace ir::routing {
namespace {

ItemRecord record_of(const Dispatcher::Impl& m, const ItemState& s) {
    ItemRecord r{m.item_of(s), "", s.reserved_until(), s.answered, s.queue != no_index, {}};
    if (s.owner != no_index) r.owner = m.agents[s.owner].spec.id;
    if (s.has_tried) {
        for (const std::uint32_t t : m.tried.at(s.inquiry)) r.tried.push_back(m.agents[t].spec.id);
    }
    return r;
}

std::optional<sla::TimePoint> oldest_deadline(const Queue& q) {
    std::optional<sla::TimePoint> oldest;
    for (int tier = 1; tier <= 4; ++tier) {  // the set is ordered by tier first
        const auto it = q.items.lower_bound(QueueKey{tier, sla::TimePoint::min(), 0});
        if (it == q.items.end() || it->tier != tier) continue;
        if (!oldest || it->deadline < *oldest) oldest = it->deadline;
    }
    return oldest;
}

}  // namespace

std::vector<QueueView> Dispatcher::queues() const {
    std::vector<QueueView> out;
    for (const Queue& q : impl_->queues) {
        if (!q.items.empty()) out.push_back({q.name, q.items.size(), oldest_deadline(q)});
    }
    std::sort(out.begin(), out.end(), [](const QueueView& x, const QueueView& y) { return x.name < y.name; });
    return out;
}

std::vector<AgentView> Dispatcher::agents() const {
    std::vector<AgentView> out;
    for (const AgentState& a : impl_->agents) {
        out.push_back({a.spec.id, a.spec.name, a.spec.role, a.spec.presence, a.on_shift, a.load, a.spec.capacity,
                       static_cast<std::uint32_t>(a.owned.size())});
    }
    return out;
}

std::optional<ItemRecord> Dispatcher::find(std::uint64_t inquiry) const {
    const auto it = impl_->items.find(inquiry);
    if (it == impl_->items.end()) return std::nullopt;
    return record_of(*impl_, it->second);
}

std::string Dispatcher::owner_of(std::uint64_t inquiry) const {
    const auto it = impl_->items.find(inquiry);
    if (it == impl_->items.end() || it->second.owner == no_index) return "";
    return impl_->agents[it->second.owner].spec.id;
}

std::size_t Dispatcher::size() const {
    return impl_->items.size();
}

DispatcherState Dispatcher::export_state() const {
    DispatcherState st;
    for (const AgentState& a : impl_->agents)
        st.agents.push_back({a.spec.id, a.spec.presence, a.on_shift, a.next_shift});
    for (const auto& [inquiry, s] : impl_->items) st.items.push_back(record_of(*impl_, s));
    std::sort(st.items.begin(), st.items.end(),
              [](const ItemRecord& x, const ItemRecord& y) { return x.item.inquiry < y.item.inquiry; });
    return st;
}

Decisions Dispatcher::restore(const DispatcherState& st, sla::TimePoint now) {
    Impl& m = *impl_;
    for (const AgentRecord& r : st.agents) {
        const std::uint32_t i = m.agent_of(r.id);
        if (i == no_index) continue;  // left the roster
        AgentState& a = m.agents[i];
        if (a.next_shift) m.shifts.erase({*a.next_shift, i});
        a.spec.presence = r.presence;
        a.on_shift = r.on_shift;
        a.next_shift = r.next_shift_change;
        if (a.next_shift) m.shifts.emplace(*a.next_shift, i);
    }
    std::vector<ItemState*> orphans;  // unanswered, and their owner left the roster
    for (const ItemRecord& r : st.items) {
        m.tried.erase(r.item.inquiry);
        m.reasons.erase(r.item.inquiry);
        ItemState& s = m.items.insert_or_assign(r.item.inquiry, m.make_item(r.item)).first->second;
        s.answered = r.answered;
        for (const std::string& t : r.tried) {
            if (const std::uint32_t i = m.agent_of(t); i != no_index) {
                m.tried[s.inquiry].push_back(i);
                s.has_tried = true;
            }
        }
        const std::uint32_t owner = r.owner.empty() ? no_index : m.agent_of(r.owner);
        if (owner != no_index) {
            s.owner = owner;
            m.agents[owner].owned.insert(r.item.inquiry);
            if (!s.answered) ++m.agents[owner].load;
            if (!s.answered && r.reserved_until) m.set_reserved(s, *r.reserved_until);
        } else if (r.queued && !s.answered) {
            m.push_queue(s, nullptr);
        } else if (!s.answered) {
            orphans.push_back(&s);
        }
    }
    Decisions out;
    std::sort(orphans.begin(), orphans.end(),
              [](const ItemState* x, const ItemState* y) { return x->key() < y->key(); });
    for (ItemState* s : orphans) m.route(*s, now, out, "");
    for (std::uint32_t i = 0; i < m.agents.size(); ++i) m.pull(i, now, out);  // e.g. a capacity raised
    return out;
}

}  // namespace ir::routing
