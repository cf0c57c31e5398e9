// Who can take an inquiry, and which of them should.
#include <algorithm>
#include <tuple>

#include "dispatcher_impl.hpp"

namespace ir::routing {
namespace {

bool has(const std::vector<std::uint32_t>& sorted, std::uint32_t id) {
    return std::binary_search(sorted.begin(), sorted.end(), id);
}
bool has_account(const AgentState& a, std::uint32_t account) {
    return a.all_accounts || has(a.accounts, account);
}
// Id 0 is "not known": any agent of the account may take it.
bool has_category(const AgentState& a, std::uint32_t category) {
    return category == 0 || a.categories.empty() || has(a.categories, category);
}
bool speaks(const AgentState& a, std::uint32_t language) {
    return language == 0 || a.languages.empty() || has(a.languages, language);
}

// Tier 1 and suspects: seniors before supervisors (plain agents cannot take them).
// Everything else: agents and seniors before supervisors, who are the last resort.
int role_rank(const AgentState& a, const ItemState& s) {
    if (s.needs_senior()) return a.spec.role == Role::senior ? 0 : 1;
    return a.spec.role == Role::supervisor ? 1 : 0;
}

// The owner will still be on shift when the fast deadline comes (an already missed
// deadline cannot be met by anyone: being on shift now is enough).
bool stays_until(const AgentState& a, sla::TimePoint deadline, sla::TimePoint now) {
    return deadline <= now || !a.next_shift || *a.next_shift >= deadline;
}

std::string describe(const AgentState& a, const ItemState& s, const Names& names) {
    std::string r;
    if (s.suspect) {
        r = a.spec.role == Role::senior ? "verification: senior" : "verification: supervisor (no senior free)";
    } else if (s.tier == 1) {
        r = a.spec.role == Role::senior ? "tier 1: senior" : "tier 1: supervisor (no senior free)";
    } else if (a.spec.role == Role::supervisor) {
        r = "supervisor (nobody else free)";
    }
    if (s.language != 0) {
        if (!r.empty()) r += ", ";
        r += (speaks(a, s.language) ? "speaks " : "no free speaker of ") + names.name(s.language);
    }
    if (!r.empty()) r += ", ";
    r += "least loaded (" + std::to_string(a.load) + "/" + std::to_string(a.spec.capacity) + ")";
    return r;
}

}  // namespace

bool Dispatcher::Impl::free_for_work(const AgentState& a) const {
    return a.spec.presence == Presence::available && a.on_shift && a.load < a.spec.capacity;
}

bool Dispatcher::Impl::can_take(const AgentState& a, const ItemState& s) const {
    if (!free_for_work(a) || !has_account(a, s.account)) return false;
    if (!by_rules()) return true;  // the comparison strategies know only the account
    if (s.needs_senior() && a.spec.role == Role::agent) return false;
    return s.suspect || has_category(a, s.category);  // verification is about the buyer
}

bool Dispatcher::Impl::serves(const AgentState& a, const Queue& q) const {
    if (!has_account(a, q.account)) return false;
    if (!by_rules()) return true;
    if (q.verify) return a.spec.role != Role::agent;
    return has_category(a, q.category);
}

std::optional<Choice> Dispatcher::Impl::choose(const ItemState& s, sla::TimePoint now, bool ignore_tried) const {
    if (!by_rules()) return choose_by_strategy(s, ignore_tried);
    const auto usable = [&](std::uint32_t i) { return can_take(agents[i], s) && (ignore_tried || !has_tried(s, i)); };
    if (s.preferred != 0) {
        const std::uint32_t p = agent_of(names.name(s.preferred));
        if (p != no_index && usable(p) && stays_until(agents[p], s.fast_deadline, now)) {
            return Choice{p, true, "previous owner"};
        }
    }
    std::uint32_t best = no_index;
    std::tuple<int, bool, std::uint32_t, std::uint32_t> best_rank{};
    const auto consider = [&](std::uint32_t i) {
        if (!usable(i)) return;
        const AgentState& a = agents[i];
        const auto rank = std::make_tuple(role_rank(a, s), !speaks(a, s.language), a.load, i);
        if (best == no_index || rank < best_rank) {
            best = i;
            best_rank = rank;
        }
    };
    if (s.account < by_account.size()) {
        for (const std::uint32_t i : by_account[s.account]) consider(i);
    }
    for (const std::uint32_t i : any_account) consider(i);
    if (best == no_index) return std::nullopt;
    return Choice{best, false, describe(agents[best], s, names)};
}

// Round robin, least loaded, none: among the free agents of the account, by the strategy's
// one criterion, then roster order.
std::optional<Choice> Dispatcher::Impl::choose_by_strategy(const ItemState& s, bool ignore_tried) const {
    if (policy.strategy == Strategy::none) return std::nullopt;  // it waits until someone takes it
    const bool by_turn = policy.strategy == Strategy::round_robin;
    std::uint32_t best = no_index;
    std::pair<std::uint64_t, std::uint32_t> best_rank{};
    const auto consider = [&](std::uint32_t i) {
        if (!can_take(agents[i], s) || (!ignore_tried && has_tried(s, i))) return;
        const auto turn = turns.find((std::uint64_t{s.account} << 32U) | i);
        const std::uint64_t key = by_turn ? (turn == turns.end() ? 0 : turn->second) : agents[i].load;
        const auto rank = std::make_pair(key, i);
        if (best == no_index || rank < best_rank) {
            best = i;
            best_rank = rank;
        }
    };
    if (s.account < by_account.size()) {
        for (const std::uint32_t i : by_account[s.account]) consider(i);
    }
    for (const std::uint32_t i : any_account) consider(i);
    if (best == no_index) return std::nullopt;
    const AgentState& a = agents[best];
    return Choice{best, false,
                  by_turn ? "round robin: next in turn"
                          : "least loaded (" + std::to_string(a.load) + "/" + std::to_string(a.spec.capacity) + ")"};
}

void Dispatcher::Impl::note_turn(const ItemState& s, std::uint32_t agent) {
    if (policy.strategy == Strategy::round_robin) turns[(std::uint64_t{s.account} << 32U) | agent] = next_turn++;
}

std::vector<std::string> Dispatcher::Impl::supervisors_of(std::uint32_t account) const {
    std::vector<std::string> out;
    for (const AgentState& a : agents) {
        if (a.spec.role == Role::supervisor && has_account(a, account)) out.push_back(a.spec.id);
    }
    return out;  // roster order is id order
}

}  // namespace ir::routing
