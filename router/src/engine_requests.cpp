// The engine's restore and its routing requests: accept, transfer, presence, orders,
// erasing customers.
#include "engine_internal.hpp"
#include "ir/router/engine.hpp"

namespace ir::router {

StepResult Engine::restore(EngineState state, sla::TimePoint now) {
    std::vector<sla::ClockState> clocks;
    routing::DispatcherState routed;
    inquiries_.clear();
    by_thread_.clear();
    open_ = 0;
    shared_clocks_.clear();
    for (auto& s : state.inquiries) {
        if (s.record.state == InquiryState::resolved) continue;
        InquiryRecord& r = inquiries_[static_cast<std::uint64_t>(s.record.id)] = std::move(s.record);
        // Names read back from the store are pooled again, as the engine's own are.
        r.account = names_.intern(r.account.str());
        r.owner = names_.intern(r.owner.str());
        r.queue = names_.intern(r.queue.str());
        r.last_replied_by = names_.intern(r.last_replied_by.str());
        index_thread(r);
        ++open_;
        if (r.shared_clock) shared_clocks_[r.shared_clock].push_back(r.id);
        if (s.clock) {
            s.clock->subject.account = accounts_.intern(r.account);  // ids are per run, names are not
            clocks.push_back(*s.clock);
        }
        if (s.routing && routing_on_) routed.items.push_back(std::move(*s.routing));
    }
    sla_ = sla::SlaEngine(policy_, clocks);
    customers_ = routing::CustomerBook(state.customers);
    next_inquiry_id_ = std::max<std::uint64_t>(state.next_inquiry_id, 1);
    next_alert_seq_ = std::max<std::uint64_t>(state.next_alert_seq, 1);
    dispatcher_ = std::make_unique<routing::Dispatcher>(routing_.roster, routing_.policy, *routing_.clock, now);
    Draft out;
    if (!routing_on_) return seal(std::move(out));
    // Presence as last set; on_shift from the working hours at this moment.
    for (const auto& view : dispatcher_->agents()) {
        routing::AgentRecord a;
        a.id = view.id;
        auto p = state.presence.find(view.id);
        a.presence = p != state.presence.end() ? p->second : view.presence;
        a.on_shift = view.on_shift;
        for (const auto& spec : routing_.roster)
            if (spec.id == view.id)
                a.next_shift_change = routing::next_shift_change(spec.hours, spec.time_zone, *routing_.clock, now);
        routed.agents.push_back(std::move(a));
    }
    std::sort(routed.items.begin(), routed.items.end(),
              [](const auto& a, const auto& b) { return a.item.inquiry < b.item.inquiry; });
    add_decisions(dispatcher_->restore(routed, now), now, out);
    // Inquiries stored while routing was off (no agents then): routed now, oldest first.
    std::vector<std::uint64_t> unrouted;
    for (const auto& [id, r] : inquiries_)
        if (!dispatcher_->find(id)) unrouted.push_back(id);
    std::sort(unrouted.begin(), unrouted.end());
    for (auto id : unrouted) {
        const InquiryRecord& r = inquiries_.at(id);
        routing::Item item;
        item.inquiry = id;
        item.account = r.account.str();
        item.language = r.assessment.language == "und" ? std::string() : r.assessment.language;
        item.tier = r.assessment.tier;
        item.suspect = r.assessment.suspect;
        item.fast_deadline = fast_deadline(r, now);
        item.preferred_owner = customers_.last_owner(routing::CustomerId{r.customer});
        add_decisions(dispatcher_->enqueue(std::move(item), now), now, out);
    }
    return seal(std::move(out));
}

StepResult Engine::on_accept(InquiryId id, const std::string& agent, sla::TimePoint now) {
    Draft out;
    if (!find(id)) return seal(std::move(out));
    out.inquiry = id;
    auto o = dispatcher_->accept(static_cast<std::uint64_t>(id), agent, now);
    out.refused = o.refused;
    add_decisions(o.decisions, now, out);
    if (o.ok()) {
        InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(id));
        r->updated_at = now;
        note_changed(id, out);
        if (customers_.set_last_owner(routing::CustomerId{r->customer}, agent))
            note_customer(routing::CustomerId{r->customer}, out);
    }
    return seal(std::move(out));
}

StepResult Engine::on_transfer(InquiryId id, const std::string& to_agent, sla::TimePoint now) {
    Draft out;
    InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(id));
    if (!r) return seal(std::move(out));
    out.inquiry = id;
    r->updated_at = now;
    auto o = dispatcher_->transfer(static_cast<std::uint64_t>(id), to_agent, now);
    out.refused = o.refused;
    add_decisions(o.decisions, now, out);
    return seal(std::move(out));
}

StepResult Engine::on_presence(const std::string& agent, routing::Presence presence, sla::TimePoint now) {
    Draft out;
    auto o = dispatcher_->set_presence(agent, presence, now);
    out.refused = o.refused;
    if (o.ok()) out.presence.emplace_back(agent, presence);
    add_decisions(o.decisions, now, out);
    return seal(std::move(out));
}

// DOMAIN.md: a formal or sample order makes a tier 1 customer; their open inquiries are
// re-tiered at once (their clocks take tier 1's rules) and the owner is told.
StepResult Engine::on_order(routing::CustomerId customer, bool sample, sla::TimePoint now) {
    Draft out;
    if (!customers_.note_order(customer, sample)) return seal(std::move(out));
    const auto id = customers_.resolve(customer);
    note_customer(id, out);
    std::vector<std::uint64_t> ids;
    for (const auto& [key, r] : inquiries_)
        if (r.customer == static_cast<std::uint64_t>(id)) ids.push_back(key);
    std::sort(ids.begin(), ids.end());  // the same order every run
    for (auto key : ids) {
        InquiryRecord& r = inquiries_.at(key);
        sample ? ++r.context.sample_orders : ++r.context.orders;
        r.updated_at = now;
        note_changed(r.id, out);
        if (r.assessment.tier == 1) continue;
        const int before = r.assessment.tier;
        r.assessment.tier = 1;
        add_sla_effects(sla_.on_retier({clock_of(r), sla::Tier::one, false, now}, now), out);
        Alert& a = push_alert(out, AlertKind::retiered, r, detail::owner_topic(r));
        a.fired_at = now;
        a.text = "now tier 1 (was " + std::to_string(before) + "): the customer placed " +
                 (sample ? "a sample order" : "an order");
        if (routing_on_)
            add_decisions(dispatcher_->update(key, 1, r.assessment.suspect, fast_deadline(r, now), now), now, out);
    }
    return seal(std::move(out));
}

bool Engine::serves_customer(CustomerId id) const {
    const auto wanted = customers_.resolve(id);
    for (const auto& [key, r] : inquiries_)
        if (r.customer != 0 && customers_.resolve(CustomerId{r.customer}) == wanted) return true;
    return false;
}

StepResult Engine::forget_customers(const std::vector<CustomerId>& ids, sla::TimePoint /*now*/) {
    Draft out;
    std::set<CustomerId> serving;  // customers of open inquiries, as they resolve now
    for (const auto& [key, r] : inquiries_)
        if (r.customer != 0) serving.insert(customers_.resolve(CustomerId{r.customer}));
    for (const CustomerId id : ids) {
        if (serving.contains(customers_.resolve(id))) continue;
        for (const CustomerId gone : customers_.forget(id)) out.forgotten.push_back(gone);
    }
    return seal(std::move(out));
}

}  // namespace ir::router
