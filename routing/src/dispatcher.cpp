// Construction, lookups, and the calls driven by inquiries: enqueue, update, replied,
// reopened, release.
#include "ir/routing/dispatcher.hpp"

#include <algorithm>

#include "dispatcher_impl.hpp"

namespace ir::routing {
namespace {

std::vector<std::uint32_t> intern_sorted(Names& names, const std::vector<std::string>& values) {
    std::vector<std::uint32_t> ids;
    for (const std::string& v : values) ids.push_back(names.intern(v));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

int clamp_tier(int tier) {
    return tier >= 1 && tier <= 4 ? tier : 4;
}

}  // namespace

Dispatcher::Impl::Impl(std::vector<AgentSpec> roster, RoutingPolicy p, const LocalClock& c, sla::TimePoint now)
    : policy(p), clock(&c) {
    std::stable_sort(roster.begin(), roster.end(), [](const AgentSpec& x, const AgentSpec& y) { return x.id < y.id; });
    for (AgentSpec& spec : roster) {
        if (agent_index.contains(spec.id)) continue;  // a repeated id keeps the first
        const auto index = static_cast<std::uint32_t>(agents.size());
        agent_index.emplace(spec.id, index);
        AgentState a;
        a.all_accounts = std::find(spec.accounts.begin(), spec.accounts.end(), "*") != spec.accounts.end();
        a.accounts = intern_sorted(names, spec.accounts);
        a.categories = intern_sorted(names, spec.categories);
        a.languages = intern_sorted(names, spec.languages);
        a.spec = std::move(spec);
        agents.push_back(std::move(a));
        if (agents.back().all_accounts) {
            any_account.push_back(index);
        } else {
            for (const std::uint32_t account : agents.back().accounts) {
                if (by_account.size() <= account) by_account.resize(account + 1);
                by_account[account].push_back(index);
            }
        }
    }
    Decisions ignored;  // nothing is queued yet, so nobody pulls
    for (std::uint32_t i = 0; i < agents.size(); ++i) {
        agents[i].on_shift = false;
        refresh_shift(i, now, ignored);
    }
}

std::uint32_t Dispatcher::Impl::agent_of(std::string_view id) const {
    const auto it = agent_index.find(std::string(id));
    return it == agent_index.end() ? no_index : it->second;
}

ItemState* Dispatcher::Impl::item(std::uint64_t inquiry) {
    const auto it = items.find(inquiry);
    return it == items.end() ? nullptr : &it->second;
}

ItemState Dispatcher::Impl::make_item(Item it) {
    ItemState s;
    s.inquiry = it.inquiry;
    s.fast_deadline = it.fast_deadline;
    s.given_tier = it.tier;
    s.tier = static_cast<std::uint8_t>(clamp_tier(it.tier));
    s.suspect = it.suspect;
    s.account = names.intern(it.account);
    s.category = names.intern(it.category);
    s.language = names.intern(it.language);
    s.preferred = names.intern(it.preferred_owner);
    if (!it.reasons.empty()) {
        reasons.insert_or_assign(it.inquiry, std::move(it.reasons));
        s.has_reasons = true;
    }
    return s;
}

Item Dispatcher::Impl::item_of(const ItemState& s) const {
    return Item{s.inquiry, names.name(s.account), names.name(s.category), names.name(s.language), s.given_tier,
                s.suspect, reasons_of(s),         s.fast_deadline,        names.name(s.preferred)};
}

const std::vector<std::string>& Dispatcher::Impl::reasons_of(const ItemState& s) const {
    static const std::vector<std::string> none;
    return s.has_reasons ? reasons.at(s.inquiry) : none;
}

bool Dispatcher::Impl::has_tried(const ItemState& s, std::uint32_t agent) const {
    if (!s.has_tried) return false;
    const std::vector<std::uint32_t>& t = tried.at(s.inquiry);
    return std::find(t.begin(), t.end(), agent) != t.end();
}

void Dispatcher::Impl::add_tried(ItemState& s, std::uint32_t agent) {
    std::vector<std::uint32_t>& t = tried[s.inquiry];
    if (std::find(t.begin(), t.end(), agent) == t.end()) t.push_back(agent);
    s.has_tried = true;
}

void Dispatcher::Impl::clear_tried(ItemState& s) {
    if (s.has_tried) tried.erase(s.inquiry);
    s.has_tried = false;
}

void Dispatcher::Impl::set_reserved(ItemState& s, sla::TimePoint until) {
    clear_reserved(s);
    s.reserved = true;
    s.reserved_at = until;
    reservations.emplace(until, s.inquiry);
}

void Dispatcher::Impl::clear_reserved(ItemState& s) {
    if (s.reserved) reservations.erase({s.reserved_at, s.inquiry});
    s.reserved = false;
    s.reserved_at = {};
}

void Dispatcher::Impl::erase_item(std::uint64_t inquiry) {
    tried.erase(inquiry);
    reasons.erase(inquiry);
    items.erase(inquiry);
}

Dispatcher::Dispatcher(std::vector<AgentSpec> roster, RoutingPolicy policy, const LocalClock& clock, sla::TimePoint now)
    : impl_(std::make_unique<Impl>(std::move(roster), policy, clock, now)) {}
Dispatcher::~Dispatcher() = default;
Dispatcher::Dispatcher(Dispatcher&&) noexcept = default;
Dispatcher& Dispatcher::operator=(Dispatcher&&) noexcept = default;

Decisions Dispatcher::enqueue(Item item, sla::TimePoint now) {
    Impl& m = *impl_;
    if (ItemState* known = m.item(item.inquiry)) {
        const bool answered = known->answered;
        Decisions out = update(item.inquiry, item.tier, item.suspect, item.fast_deadline, now);
        if (answered) {
            Decisions more = reopened(item.inquiry, item.fast_deadline, now);
            out.insert(out.end(), more.begin(), more.end());
        }
        return out;
    }
    const std::uint64_t inquiry = item.inquiry;
    ItemState& s = m.items.emplace(inquiry, m.make_item(std::move(item))).first->second;
    Decisions out;
    m.route(s, now, out, "");
    if (s.tier == 1) m.notify_supervisors(s, out);
    return out;
}

Decisions Dispatcher::update(std::uint64_t inquiry, int tier, bool suspect, sla::TimePoint fast_deadline,
                             sla::TimePoint now) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {};
    Decisions out;
    const bool was_tier_one = s->tier == 1;
    const std::uint32_t old_queue = s->queue;
    m.pop_queue(*s);  // the key changes below
    s->tier = static_cast<std::uint8_t>(clamp_tier(tier));
    s->given_tier = tier;
    s->suspect = suspect;
    s->fast_deadline = fast_deadline;
    if (old_queue != no_index) {
        m.route(*s, now, out, "");
        // Still waiting where it was: nothing new to tell.
        if (s->queue == old_queue && !out.empty() && std::holds_alternative<Queued>(out.back())) out.pop_back();
    } else if (m.by_rules() && s->owner != no_index && !s->answered && s->needs_senior() &&
               m.agents[s->owner].spec.role == Role::agent) {
        const std::uint32_t was = s->owner;
        m.unassign(*s, Unassigned::Why::needs_senior, out);
        m.route(*s, now, out, m.agents[was].spec.id);
        m.pull(was, now, out);
    }
    if (!was_tier_one && s->tier == 1) m.notify_supervisors(*s, out);
    return out;
}

Decisions Dispatcher::replied(std::uint64_t inquiry, std::string_view agent, sla::TimePoint now) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {};
    Decisions out;
    const std::uint32_t who = m.agent_of(agent);
    const std::uint32_t owner = s->owner;
    if (who == no_index || who == owner) {
        // The owner (or someone outside the roster) answered: the owner's slot is free.
        m.pop_queue(*s);
        if (owner != no_index && !s->answered) {
            m.clear_reserved(*s);
            --m.agents[owner].load;
            s->answered = true;
            m.pull(owner, now, out);
        }
        s->answered = true;
        return out;
    }
    // Someone else on the roster answered: the conversation is theirs now.
    std::string previous;
    if (owner != no_index) previous = m.agents[owner].spec.id;
    const bool freed = owner != no_index && !s->answered;
    m.unassign(*s, Unassigned::Why::transferred, out);
    m.pop_queue(*s);
    s->answered = true;
    m.clear_tried(*s);
    s->owner = who;
    m.agents[who].owned.insert(inquiry);
    out.emplace_back(Assigned{inquiry, m.agents[who].spec.id, previous, std::nullopt, false, "replied to the buyer"});
    if (freed) m.pull(owner, now, out);
    return out;
}

Decisions Dispatcher::reopened(std::uint64_t inquiry, sla::TimePoint fast_deadline, sla::TimePoint now) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {};
    if (!s->answered) {  // still waiting for our reply: only the deadline moves
        const bool queued = s->queue != no_index;
        m.pop_queue(*s);
        s->fast_deadline = fast_deadline;
        if (queued) m.push_queue(*s, nullptr);
        return {};
    }
    Decisions out;
    s->fast_deadline = fast_deadline;
    m.clear_tried(*s);
    const std::uint32_t owner = s->owner;
    if (owner != no_index) {
        AgentState& a = m.agents[owner];
        const bool stays = fast_deadline <= now || !a.next_shift || *a.next_shift >= fast_deadline;
        if (m.can_take(a, *s) && stays) {
            s->answered = false;
            ++a.load;
            out.emplace_back(Assigned{inquiry, a.spec.id, a.spec.id, std::nullopt, true, "buyer wrote again"});
            return out;
        }
        m.unassign(*s, Unassigned::Why::owner_unavailable, out);  // answered: no load to free
        s->preferred = m.names.intern(a.spec.id);
    }
    s->answered = false;
    m.route(*s, now, out, "");
    return out;
}

Decisions Dispatcher::release(std::uint64_t inquiry, sla::TimePoint now) {
    Impl& m = *impl_;
    ItemState* s = m.item(inquiry);
    if (!s) return {};
    Decisions out;
    m.pop_queue(*s);
    const std::uint32_t owner = s->owner;
    const bool freed = owner != no_index && !s->answered;
    m.unassign(*s, Unassigned::Why::released, out);
    m.erase_item(inquiry);
    if (freed) m.pull(owner, now, out);
    return out;
}

}  // namespace ir::routing
