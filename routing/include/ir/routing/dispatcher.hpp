#pragma once
// The dispatcher: who holds which inquiry, and what waits in which queue. Driven only by
// calls that carry the time; no clocks, threads or I/O, so the same calls give the same
// decisions (tests use plain TimePoints; a restore replays exactly).
//
// Driving it (the daemon, one thread):
//     Dispatcher d{roster, policy, local_clock, now};      // then d.restore(stored, now)
//     auto ds = d.enqueue(item, now);   ... persist, publish ...
//     if (auto at = d.next_deadline()) timer.expires_at(*at);   // one timer
//     on timer: ds = d.on_tick(now);
//
// Rules (issue 5):
// - Queue order: tier (1 first), then earliest fast deadline, then inquiry id.
// - An agent can take an inquiry when available, on shift and below capacity, has its
//   account and its category (suspects: the account only), and - for tier 1 and suspects -
//   is a senior or a supervisor. Load = unanswered inquiries held (reserved or accepted);
//   answered ones stay with their owner (for the customer's next message) but free the slot.
// - Choice: the customer's previous owner (Item::preferred_owner) if they can take it and
//   stay on shift until the fast deadline (sticky); else, among those who can take it, by
//   role (tier 1 and suspects: seniors before supervisors; others: agents and seniors before
//   supervisors), then speakers of the language before others (never left queued for want
//   of a speaker), then least load, then agent id. Nobody can take it: it is queued.
// - Tier 1 (new, or re-tiered to 1) notifies the account's supervisors.
// - Reservations: accept within reservation_window(); a reply by the owner accepts. On
//   expiry the agent is told (Unassigned) and it goes to another agent who can take it and
//   has not let it expire yet; when all of those have, the round starts again.
// - Presence: offline hands every unanswered inquiry back at once and re-routes them
//   (answered ones keep their owner); away keeps everything and takes nothing new (its
//   reservations still expire); available pulls from the queues up to capacity.
// - Working hours: off shift behaves like away; a shift start behaves like available.
// - Re-tier (update) to tier 1 or to suspect while held unanswered by a plain agent: taken
//   from them (needs_senior) and routed to a senior. Answered inquiries keep their owner; the
//   role is checked again when the buyer writes (reopened).
// - A freed slot (reply, release, transfer, expiry, re-tier) pulls the best queued
//   inquiry that agent can take, across every queue they serve.
// - Strategy (RoutingPolicy::strategy, policy.hpp): everything above is `ours`, the default
//   and what the daemon runs. round_robin, least_loaded and none exist to measure it against
//   in a replay: an agent can take any inquiry of their accounts (no roles, skills, languages
//   or previous owner, and a re-tier takes nothing away); round_robin gives it to the free
//   agent whose turn on that account is longest ago, least_loaded to the least loaded, none
//   to nobody (it is queued; a freed agent takes one at a time). Queue order is the same.
// Decisions come in a fixed order; ties are broken by agent id (roster order) or inquiry id.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/routing/agent.hpp"
#include "ir/routing/decisions.hpp"
#include "ir/routing/item.hpp"
#include "ir/routing/local_clock.hpp"
#include "ir/routing/policy.hpp"
#include "ir/sla/time.hpp"

namespace ir::routing {

// GET /v1/queues: one row per queue holding an inquiry now, sorted by name (queues exist
// only while something waits in them, so a restore gives the same list).
struct QueueView {
    std::string name;
    std::size_t depth = 0;
    std::optional<sla::TimePoint> oldest_deadline;  // earliest fast deadline waiting
    bool operator==(const QueueView&) const = default;
};

// GET /v1/agents: roster order (sorted by id). on_shift as of the last call that had a time.
struct AgentView {
    std::string id;
    std::string name;
    Role role = Role::agent;
    Presence presence = Presence::available;
    bool on_shift = true;
    std::uint32_t load = 0;  // unanswered inquiries held
    std::uint32_t capacity = 0;
    std::uint32_t owned = 0;  // every inquiry held, answered or not
    bool operator==(const AgentView&) const = default;
};

// One inquiry's routing state. Also the unit of export/restore.
struct ItemRecord {
    Item item;
    std::string owner;                             // "" = none
    std::optional<sla::TimePoint> reserved_until;  // assigned but not accepted yet
    bool answered = false;                         // replied to; waits for the buyer
    bool queued = false;
    std::vector<std::string> tried;  // agents who let its reservation expire this round
    bool operator==(const ItemRecord&) const = default;
};

struct AgentRecord {
    std::string id;
    Presence presence = Presence::available;
    bool on_shift = true;
    std::optional<sla::TimePoint> next_shift_change;
    bool operator==(const AgentRecord&) const = default;
};

// Everything the dispatcher knows beyond its configuration, as plain values.
struct DispatcherState {
    std::vector<AgentRecord> agents;  // sorted by id
    std::vector<ItemRecord> items;    // sorted by inquiry
    bool operator==(const DispatcherState&) const = default;
};

class Dispatcher {
public:
    // The roster's ids must be unique (the daemon's config check); a repeated id keeps the
    // first. `clock` must outlive the dispatcher. `now` decides who is on shift at start.
    Dispatcher(std::vector<AgentSpec> roster, RoutingPolicy policy, const LocalClock& clock, sla::TimePoint now);
    ~Dispatcher();
    Dispatcher(Dispatcher&&) noexcept;
    Dispatcher& operator=(Dispatcher&&) noexcept;

    // A new inquiry: routed now or queued. An inquiry already known is treated as
    // update() plus, if it was answered, reopened().
    Decisions enqueue(Item item, sla::TimePoint now);
    // New tier, suspect flag or fast deadline (re-tiering). Unknown inquiry: nothing.
    Decisions update(std::uint64_t inquiry, int tier, bool suspect, sla::TimePoint fast_deadline, sla::TimePoint now);
    // The assigned agent takes it: the reservation ends.
    Outcome accept(std::uint64_t inquiry, std::string_view agent, sla::TimePoint now);
    // Someone replied. The owner: accepted and answered, slot freed. Another roster agent:
    // they become the owner (Unassigned{transferred} to the old one). Someone unknown: it
    // is answered and leaves its queue, the owner (if any) stays.
    Decisions replied(std::uint64_t inquiry, std::string_view agent, sla::TimePoint now);
    // The buyer wrote again after a reply. The owner takes the slot again (Assigned with no
    // reservation) if they can take it now, never above capacity; else it is routed afresh
    // with the owner as preferred. Not answered yet: only the deadline moves.
    Decisions reopened(std::uint64_t inquiry, sla::TimePoint fast_deadline, sla::TimePoint now);
    // Resolved or declined: leaves routing (Unassigned{released} to the owner, if any).
    Decisions release(std::uint64_t inquiry, sla::TimePoint now);
    // By hand, to anyone on the roster who is not offline and below capacity (skills, role
    // and shift are the person's call). Needs accepting like any assignment.
    Outcome transfer(std::uint64_t inquiry, std::string_view to_agent, sla::TimePoint now);
    Outcome set_presence(std::string_view agent, Presence p, sla::TimePoint now);
    // Reservation expiries and shift starts/ends due at or before now.
    Decisions on_tick(sla::TimePoint now);
    // The earliest reservation expiry or shift change: arm the one timer for it.
    std::optional<sla::TimePoint> next_deadline() const;

    std::vector<QueueView> queues() const;
    std::vector<AgentView> agents() const;
    std::optional<ItemRecord> find(std::uint64_t inquiry) const;
    std::string owner_of(std::uint64_t inquiry) const;  // "" = none
    std::size_t size() const;                           // inquiries tracked

    DispatcherState export_state() const;
    // Onto a freshly constructed dispatcher: presence, shifts, owners, reservations and
    // queues exactly as exported. Inquiries whose owner left the roster are routed again
    // (those decisions are returned), and agents with free slots pull from the queues.
    Decisions restore(const DispatcherState& state, sla::TimePoint now);

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace ir::routing
