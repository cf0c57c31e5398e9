#include "ir/base/text.hpp"
#include "ir/router/engine.hpp"

#include <algorithm>
#include <cctype>

#include "engine_internal.hpp"

namespace ir::router {
namespace {

using detail::thread_hash;
using detail::tier_of;

sla::SlaPolicy with_accounts(sla::SlaPolicy policy, sla::AccountNames& names,
                             const std::map<std::string, sla::SlaOverride>& per_account) {
    for (const auto& [name, o] : per_account) policy.accounts[names.intern(name)] = o;
    return policy;
}

// Used when the setup names no clock: every zone reads as UTC.
const routing::FixedOffsetClock& utc_clock() {
    static const routing::FixedOffsetClock clock;
    return clock;
}

routing::Identity identity_of(const Sender& s) {
    routing::Identity id;
    id.email = s.email;
    id.phone = s.phone;
    if (s.im.starts_with("whatsapp:")) id.whatsapp = s.im.substr(9);
    if (s.im.starts_with("telegram:")) id.telegram = s.im.substr(9);
    return id;
}

}  // namespace

const StoredInquiry* StepResult::find(InquiryId id) const {
    for (const auto& s : inquiries)
        if (s.record.id == id) return &s;
    return nullptr;
}

const routing::CustomerRecord* StepResult::find_customer(CustomerId id) const {
    for (const auto& c : customers)
        if (c.id == id) return &c;
    return nullptr;
}

bool StepResult::empty() const {
    return inquiries.empty() && details.empty() && alerts.empty() && customers.empty() && merged.empty() &&
           replies.empty() && presence.empty() && forgotten.empty();
}

AssessmentSummary summary_of(const Assessment& a) {
    return {a.tier, a.suspect, a.score, a.language, a.large_order};
}

Engine::Engine(const Assessor& assessor, sla::SlaPolicy policy,
               const std::map<std::string, sla::SlaOverride>& per_account, RoutingSetup routing, sla::TimePoint now)
    : assessor_(assessor),
      policy_(with_accounts(std::move(policy), accounts_, per_account)),
      sla_(policy_),
      routing_(std::move(routing)),
      routing_on_(!routing_.roster.empty()) {
    if (!routing_.clock) routing_.clock = &utc_clock();
    dispatcher_ = std::make_unique<routing::Dispatcher>(routing_.roster, routing_.policy, *routing_.clock, now);
}

Engine::~Engine() = default;

InquiryRecord* Engine::find_thread(std::string_view account, Channel channel, std::string_view thread) {
    auto [lo, hi] = by_thread_.equal_range(thread_hash(account, channel, thread));
    for (auto it = lo; it != hi; ++it) {
        InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(it->second));
        if (r && r->channel == channel && r->account == account && r->thread_id == thread) return r;
    }
    return nullptr;
}

void Engine::index_thread(const InquiryRecord& r) {
    by_thread_.emplace(thread_hash(r.account.str(), r.channel, r.thread_id), r.id);
}

void Engine::unindex_thread(const InquiryRecord& r) {
    auto [lo, hi] = by_thread_.equal_range(thread_hash(r.account.str(), r.channel, r.thread_id));
    for (auto it = lo; it != hi; ++it)
        if (it->second == r.id) {
            by_thread_.erase(it);
            return;
        }
}

InquiryRecord* Engine::find_mutable(std::uint64_t id) {
    auto it = inquiries_.find(id);
    return it == inquiries_.end() ? nullptr : &it->second;
}

const InquiryRecord* Engine::find(InquiryId id) const {
    auto it = inquiries_.find(static_cast<std::uint64_t>(id));
    return it == inquiries_.end() ? nullptr : &it->second;
}

std::optional<sla::ClockState> Engine::clock(InquiryId id) const {
    const InquiryRecord* r = find(id);
    return r ? sla_.export_clock(clock_of(*r)) : std::nullopt;
}

std::optional<routing::ItemRecord> Engine::routing_of(InquiryId id) const {
    if (!routing_on_) return std::nullopt;
    return dispatcher_->find(static_cast<std::uint64_t>(id));
}

bool Engine::knows_agent(const std::string& id) const {
    return std::any_of(routing_.roster.begin(), routing_.roster.end(), [&](const auto& a) { return a.id == id; });
}

std::optional<sla::TimePoint> Engine::next_deadline() const {
    auto a = sla_.next_deadline();
    auto b = routing_on_ ? dispatcher_->next_deadline() : std::nullopt;
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

sla::Subject Engine::subject_of(const InquiryRecord& r) const {
    sla::Subject s;
    s.clock = clock_of(r);
    s.inquiry = r.id;
    s.account = accounts_.find(r.account).value_or(sla::AccountId{});
    s.tier = tier_of(r);
    // DOMAIN.md: a large buyer who shows little interest yet (tier 3 or 4) is followed up
    // again within 1-3 days; tiers 1 and 2 are followed up by their own rules.
    s.weak_large_buyer = r.assessment.large_order && s.tier >= sla::Tier::three;
    return s;
}

StepResult Engine::seal(Draft&& draft) const {
    StepResult out = std::move(static_cast<StepResult&>(draft));
    out.inquiries.reserve(draft.changed.size());
    for (const InquiryId id : draft.changed) {
        if (const InquiryRecord* r = find(id)) {
            out.inquiries.push_back({*r, clock(id), routing_of(id)});
            continue;
        }
        for (const auto& retired : draft.retired)  // left the engine: no clock, no routing
            if (retired.id == id) out.inquiries.push_back({retired, std::nullopt, routing_of(id)});
    }
    for (const CustomerId id : draft.customer_ids)
        if (auto c = customers_.get(id)) out.customers.push_back(std::move(*c));
    return out;
}

void Engine::note_changed(InquiryId id, Draft& out) const {
    if (std::find(out.changed.begin(), out.changed.end(), id) == out.changed.end()) out.changed.push_back(id);
}

void Engine::note_customer(routing::CustomerId id, Draft& out) const {
    if (std::find(out.customer_ids.begin(), out.customer_ids.end(), id) == out.customer_ids.end())
        out.customer_ids.push_back(id);
}

sla::ClockId Engine::clock_of(const InquiryRecord& r) const {
    return sla::ClockId{r.shared_clock ? r.shared_clock : static_cast<std::uint64_t>(r.id)};
}

// A new inquiry on a buyer-scoped account joins the buyer's clock on that account. Keys of
// shared clocks have the top bit set, so they never meet an inquiry id.
void Engine::share_clock(InquiryRecord& r) {
    if (!buyer_scope_.contains(r.account) || r.customer == 0) return;
    const auto account = static_cast<std::uint64_t>(sla::raw(accounts_.find(r.account).value_or(sla::AccountId{})));
    r.shared_clock = (std::uint64_t{1} << 63) | (account << 40) | (r.customer & ((std::uint64_t{1} << 40) - 1));
    shared_clocks_[r.shared_clock].push_back(r.id);
}

// The inquiry a clock's alerts are about: the one that started it, or - once that one is
// resolved - another open inquiry of the same buyer sharing the clock.
const InquiryRecord* Engine::clock_holder(const sla::Subject& s) const {
    if (const InquiryRecord* r = find(s.inquiry)) return r;
    auto it = shared_clocks_.find(sla::raw(s.clock));
    if (it == shared_clocks_.end() || it->second.empty()) return nullptr;
    return find(it->second.front());
}

sla::TimePoint Engine::fast_deadline(const InquiryRecord& r, sla::TimePoint fallback) const {
    auto c = clock(r.id);
    return c ? c->fast_deadline : fallback;
}

// The product line: the first catalogue product named, else the account's only category.
std::string Engine::category_of(const Event& event, const Assessment& a) const {
    const Catalog* catalog = routing_.catalog;
    if (!catalog) return {};
    for (const auto& sku : a.products)
        if (const auto* p = catalog->find_product(sku)) return p->category;
    if (const auto* account = catalog->find_account(event.account); account && account->categories.size() == 1)
        return account->categories.front();
    return {};
}

std::string Engine::agent_of_reply(const Sender& sender) const {
    if (!sender.email.empty()) {
        auto it = routing_.agent_addresses.find(ascii_lower(sender.email));
        if (it != routing_.agent_addresses.end()) return it->second;
        return sender.email;
    }
    return sender.name;
}

routing::CustomerId Engine::identify(const Sender& sender, const InquiryRecord& inquiry, sla::TimePoint now,
                                     Draft& out) {
    // A sender known only by name (marketplace buyers often are) stays the customer the
    // conversation already has, instead of becoming a new one with each message.
    const auto who = customers_.identify(identity_of(sender), now, routing::CustomerId{inquiry.customer});
    for (auto gone : who.merged_away) {
        out.merged.emplace_back(gone, who.id);
        // Inquiries of the merged-away customer now belong to the survivor.
        for (auto& [id, r] : inquiries_)
            if (r.customer == static_cast<std::uint64_t>(gone)) {
                r.customer = static_cast<std::uint64_t>(who.id);
                note_changed(r.id, out);
            }
    }
    if (who.created || !who.merged_away.empty()) note_customer(who.id, out);  // else nothing changed
    return who.id;
}

InquiryRecord& Engine::open_inquiry(const Event& event, sla::TimePoint now, Draft& out) {
    if (InquiryRecord* existing = find_thread(event.account, event.channel, event.thread_id)) {
        out.inquiry = existing->id;
        return *existing;
    }
    const InquiryId id{next_inquiry_id_++};
    InquiryRecord& r = inquiries_[static_cast<std::uint64_t>(id)];
    r.id = id;
    r.account = names_.intern(event.account);
    r.channel = event.channel;
    r.thread_id = event.thread_id;
    r.queue = r.account;  // routing may place it in a finer queue
    r.opened_at = std::min(event.received_at, now);
    index_thread(r);
    accounts_.intern(event.account);
    ++open_;
    out.inquiry = id;
    out.created = true;
    return r;
}

StepResult Engine::on_event(const Event& event, sla::TimePoint now, const Assessor::Analysis* analysis) {
    Draft out;
    if (event.direction == Direction::outbound) {
        InquiryRecord* found = find_thread(event.account, event.channel, event.thread_id);
        if (!found) return seal(std::move(out));  // our reply to nothing we track: journal only
        InquiryRecord& r = *found;
        out.inquiry = r.id;
        record_reply(r, agent_of_reply(event.sender), std::min(event.received_at, now), now, out);
        return seal(std::move(out));
    }
    InquiryRecord& r = open_inquiry(event, now, out);
    const auto customer = identify(event.sender, r, now, out);
    if ((out.created || r.customer == 0) && customers_.note_conversation(customer)) note_customer(customer, out);
    r.customer = static_cast<std::uint64_t>(customer);
    if (out.created) share_clock(r);
    if (const auto c = customers_.get(customer)) {  // what our records know decides tier 1
        r.context.orders = c->orders;
        r.context.sample_orders = c->sample_orders;
        r.context.visited_company = c->visited_company;
        r.context.local_influence = c->local_influence;
    }
    r.context.customer_messages_in_thread += 1;
    auto assessment = analysis ? assessor_.decide(*analysis, event, r.context) : assessor_.assess(event, r.context);
    const AssessmentSummary before = r.assessment;
    const bool was_replied = r.state == InquiryState::replied;
    r.assessment = summary_of(assessment);
    r.state = InquiryState::open;
    r.updated_at = now;
    note_changed(r.id, out);
    add_sla_effects(sla_.on_buyer_message({subject_of(r), event.received_at}, now), out);
    const std::string category = routing_on_ ? category_of(event, assessment) : std::string();
    out.details.push_back({r.id, std::move(assessment), event.sender});
    route_buyer_message(r, out.created, was_replied, before, category, now, out);
    return seal(std::move(out));
}

void Engine::route_buyer_message(InquiryRecord& r, bool created, bool was_replied, const AssessmentSummary& before,
                                 const std::string& category, sla::TimePoint now, Draft& out) {
    if (!routing_on_) return;
    const auto id = static_cast<std::uint64_t>(r.id);
    const auto deadline = fast_deadline(r, now);
    if (created || !dispatcher_->find(id)) {
        routing::Item item;
        item.inquiry = id;
        item.account = r.account;
        item.category = category;
        item.language = r.assessment.language == "und" ? std::string() : r.assessment.language;
        item.tier = r.assessment.tier;
        item.suspect = r.assessment.suspect;
        if (item.suspect)
            for (const auto& d : out.details)
                if (d.id == r.id) item.reasons = d.assessment.reasons;
        item.fast_deadline = deadline;
        item.preferred_owner = customers_.last_owner(routing::CustomerId{r.customer});
        add_decisions(dispatcher_->enqueue(std::move(item), now), now, out);
        return;
    }
    if (before.tier != r.assessment.tier || before.suspect != r.assessment.suspect)
        add_decisions(dispatcher_->update(id, r.assessment.tier, r.assessment.suspect, deadline, now), now, out);
    if (was_replied) add_decisions(dispatcher_->reopened(id, deadline, now), now, out);
}

void Engine::record_reply(InquiryRecord& r, const std::string& agent, sla::TimePoint at, sla::TimePoint now,
                          Draft& out) {
    r.last_replied_by = names_.intern(agent);
    r.last_reply_at = at;
    r.state = InquiryState::replied;
    r.updated_at = now;
    note_changed(r.id, out);
    auto effects = sla_.on_reply({clock_of(r), agent_ids_.intern(agent), at}, now);
    for (const auto& e : effects)
        if (const auto* rec = std::get_if<sla::ReplyRecorded>(&e))
            out.replies.push_back({r.id, r.account, agent, rec->started_at, rec->replied_at});
    add_sla_effects(std::move(effects), out);
    if (!routing_on_) return;
    add_decisions(dispatcher_->replied(static_cast<std::uint64_t>(r.id), agent, now), now, out);
    // The customer's next conversation goes to whoever holds this one (sticky owner): after
    // the decisions above, a roster agent who replied holds it.
    if (!r.owner.empty() && customers_.last_owner(routing::CustomerId{r.customer}) != r.owner.str() &&
        customers_.set_last_owner(routing::CustomerId{r.customer}, r.owner))
        note_customer(routing::CustomerId{r.customer}, out);
}

StepResult Engine::on_reply(InquiryId id, const std::string& agent, sla::TimePoint now) {
    Draft out;
    InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(id));
    if (!r) return seal(std::move(out));
    out.inquiry = id;
    record_reply(*r, agent, now, now, out);
    return seal(std::move(out));
}

void Engine::close(InquiryRecord& r, sla::TimePoint now, Draft& out) {
    const InquiryId id = r.id;
    r.state = InquiryState::resolved;
    r.updated_at = now;
    unindex_thread(r);
    --open_;
    note_changed(id, out);
    bool last_on_clock = true;  // a shared clock runs on while the buyer has other inquiries open
    if (r.shared_clock) {
        auto& members = shared_clocks_[r.shared_clock];
        std::erase(members, id);
        last_on_clock = members.empty();
        if (last_on_clock) shared_clocks_.erase(r.shared_clock);
    }
    if (last_on_clock) add_sla_effects(sla_.on_resolve({clock_of(r), now}, now), out);
    if (routing_on_) add_decisions(dispatcher_->release(static_cast<std::uint64_t>(id), now), now, out);
    push_alert(out, AlertKind::resolved, r, detail::owner_topic(r)).text = "inquiry resolved";
    out.retired.push_back(std::move(r));
    inquiries_.erase(static_cast<std::uint64_t>(id));
}

StepResult Engine::on_resolve(InquiryId id, sla::TimePoint now) {
    Draft out;
    InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(id));
    if (!r) return seal(std::move(out));
    out.inquiry = id;
    close(*r, now, out);
    return seal(std::move(out));
}

StepResult Engine::on_decline(InquiryId id, const std::string& agent, sla::TimePoint now) {
    Draft out;
    InquiryRecord* r = find_mutable(static_cast<std::uint64_t>(id));
    if (!r) return seal(std::move(out));
    out.inquiry = id;
    if (r->state == InquiryState::open) record_reply(*r, agent, now, now, out);
    close(*r, now, out);
    return seal(std::move(out));
}

StepResult Engine::on_tick(sla::TimePoint now) {
    Draft out;
    add_sla_effects(sla_.on_tick(now), out);
    if (routing_on_) add_decisions(dispatcher_->on_tick(now), now, out);
    return seal(std::move(out));
}

void Engine::add_sla_effects(sla::Effects effects, Draft& out) {
    for (const auto& e : effects) {
        const auto& subject = sla::subject_of(e);
        if (const InquiryRecord* holder = clock_holder(subject)) note_changed(holder->id, out);
        // Every inquiry sharing the clock stores it: a restart must find it the same in each.
        if (auto it = shared_clocks_.find(sla::raw(subject.clock)); it != shared_clocks_.end())
            for (auto id : it->second) note_changed(id, out);
        alert_for(e, out);
    }
    out.sla_effects.insert(out.sla_effects.end(), std::make_move_iterator(effects.begin()),
                           std::make_move_iterator(effects.end()));
}

}  // namespace ir::router
