#pragma once
// The dispatcher's state and the steps every public call is made of. Private to ir_routing.
#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ir/routing/dispatcher.hpp"
#include "names.hpp"

namespace ir::routing {

inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

// Queue order: tier, then earliest fast deadline, then inquiry id.
struct QueueKey {
    int tier = 4;
    sla::TimePoint deadline;
    std::uint64_t inquiry = 0;
    auto operator<=>(const QueueKey&) const = default;
};

struct AgentState {
    AgentSpec spec;
    bool all_accounts = false;
    std::vector<std::uint32_t> accounts;    // sorted name ids
    std::vector<std::uint32_t> categories;  // sorted; empty = all
    std::vector<std::uint32_t> languages;   // sorted; empty = any
    bool on_shift = true;
    std::optional<sla::TimePoint> next_shift;
    std::uint32_t load = 0;  // unanswered inquiries held
    std::unordered_set<std::uint64_t> owned;
};

// One inquiry (56 bytes): the Item's strings are interned name ids, rebuilt by item_of().
// Rare parts live in side maps keyed by inquiry: reasons (suspects) and tried agents.
struct ItemState {
    std::uint64_t inquiry = 0;
    sla::TimePoint fast_deadline;
    sla::TimePoint reserved_at;   // meaningful while `reserved`
    std::int32_t given_tier = 4;  // as the Item said (find() returns it unchanged)
    std::uint32_t account = 0;
    std::uint32_t category = 0;
    std::uint32_t language = 0;
    std::uint32_t preferred = 0;  // name id of Item::preferred_owner; 0 = none
    std::uint32_t owner = no_index;
    std::uint32_t queue = no_index;  // set while queued
    std::uint8_t tier = 4;           // given_tier clamped to 1..4
    bool suspect = false;
    bool answered = false;
    bool reserved = false;     // assigned but not accepted yet
    bool has_tried = false;    // Impl::tried holds agents who let it expire this round
    bool has_reasons = false;  // Impl::reasons holds Item::reasons

    QueueKey key() const { return {tier, fast_deadline, inquiry}; }
    bool needs_senior() const { return tier == 1 || suspect; }
    std::optional<sla::TimePoint> reserved_until() const {
        return reserved ? std::optional<sla::TimePoint>(reserved_at) : std::nullopt;
    }
};

struct Queue {
    std::string name;
    std::uint32_t account = 0;
    std::uint32_t category = 0;  // unused for verification queues
    bool verify = false;
    std::set<QueueKey> items;
};

struct Choice {
    std::uint32_t agent = no_index;
    bool sticky = false;
    std::string reason;
};

struct Dispatcher::Impl {
    RoutingPolicy policy;
    const LocalClock* clock = nullptr;
    Names names;
    std::vector<AgentState> agents;  // sorted by id
    std::unordered_map<std::string, std::uint32_t> agent_index;
    std::vector<std::vector<std::uint32_t>> by_account;  // account name id -> agents
    std::vector<std::uint32_t> any_account;              // agents with "*"
    std::unordered_map<std::uint64_t, ItemState> items;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> tried;  // has_tried only
    std::unordered_map<std::uint64_t, std::vector<std::string>> reasons;  // has_reasons only
    std::vector<Queue> queues;
    std::unordered_map<std::uint64_t, std::uint32_t> queue_index;
    std::set<std::pair<sla::TimePoint, std::uint64_t>> reservations;
    std::set<std::pair<sla::TimePoint, std::uint32_t>> shifts;
    // Round robin: (account << 32 | agent) -> when they last had a turn on that account.
    // Not exported: a restart starts the rotation over (only `ours` runs in the daemon).
    std::unordered_map<std::uint64_t, std::uint64_t> turns;
    std::uint64_t next_turn = 1;

    Impl(std::vector<AgentSpec> roster, RoutingPolicy p, const LocalClock& c, sla::TimePoint now);

    // Lookups.
    std::uint32_t agent_of(std::string_view id) const;
    ItemState* item(std::uint64_t inquiry);
    ItemState make_item(Item item);
    Item item_of(const ItemState& s) const;
    const std::vector<std::string>& reasons_of(const ItemState& s) const;
    bool has_tried(const ItemState& s, std::uint32_t agent) const;
    void add_tried(ItemState& s, std::uint32_t agent);
    void clear_tried(ItemState& s);
    void set_reserved(ItemState& s, sla::TimePoint until);
    void clear_reserved(ItemState& s);  // and its reservation entry
    void erase_item(std::uint64_t inquiry);

    // Who can take what (dispatcher_choose.cpp).
    // The dispatcher's own rules (roles, skills, previous owner), not a comparison strategy.
    bool by_rules() const { return policy.strategy == Strategy::ours; }
    bool free_for_work(const AgentState& a) const;
    bool can_take(const AgentState& a, const ItemState& s) const;
    bool serves(const AgentState& a, const Queue& q) const;
    std::optional<Choice> choose(const ItemState& s, sla::TimePoint now, bool ignore_tried) const;
    std::optional<Choice> choose_by_strategy(const ItemState& s, bool ignore_tried) const;
    void note_turn(const ItemState& s, std::uint32_t agent);
    std::vector<std::string> supervisors_of(std::uint32_t account) const;

    // Moves (dispatcher_moves.cpp).
    void route(ItemState& s, sla::TimePoint now, Decisions& out, const std::string& previous);
    void assign(ItemState& s, std::uint32_t agent, sla::TimePoint now, std::string previous, bool sticky,
                std::string reason, Decisions& out);
    // Removes the owner (load, reservation, owned set); returns who it was.
    std::uint32_t drop_owner(ItemState& s);
    void unassign(ItemState& s, Unassigned::Why why, Decisions& out);
    void push_queue(ItemState& s, Decisions* out);
    void pop_queue(ItemState& s);
    void pull(std::uint32_t agent, sla::TimePoint now, Decisions& out);
    void expire(ItemState& s, sla::TimePoint now, Decisions& out);
    void refresh_shift(std::uint32_t agent, sla::TimePoint now, Decisions& out);
    void hand_back(std::uint32_t agent, sla::TimePoint now, Decisions& out);
    void notify_supervisors(const ItemState& s, Decisions& out) const;
};

}  // namespace ir::routing
