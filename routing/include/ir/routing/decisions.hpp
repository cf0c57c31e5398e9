#pragma once
// What the dispatcher decided, as values. The daemon persists them, turns them into alerts
// (ASSIGNED on agent/<id>/, queue/<queue>/, escalation/<account>/) and publishes them; the
// dispatcher does none of that itself.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/sla/time.hpp"

namespace ir::routing {

// The inquiry now belongs to `agent`.
struct Assigned {
    std::uint64_t inquiry = 0;
    std::string agent;
    std::string previous;  // the agent it moved from; "" if it came from a queue or is new
    // Accept (or reply) before this, or it moves on. nullopt: nothing to accept, the agent
    // already holds the conversation (a buyer wrote again to its owner; an answered transfer).
    std::optional<sla::TimePoint> reserved_until;
    bool sticky = false;  // went to the customer's previous owner
    std::string reason;   // why this agent, in words
    bool operator==(const Assigned&) const = default;
};

// The inquiry no longer belongs to `agent` (always told, always before where it went next).
struct Unassigned {
    enum class Why : std::uint8_t {
        reservation_expired,  // not accepted in time
        agent_offline,        // handed back by going offline
        transferred,          // moved by hand (transfer) or answered by someone else
        released,             // resolved or declined: it left routing
        owner_unavailable,    // the buyer wrote again and the owner cannot take it now
        needs_senior,         // re-tiered to tier 1 or found suspect: a plain agent cannot keep it
    };
    std::uint64_t inquiry = 0;
    std::string agent;
    Why why = Why::released;
    bool operator==(const Unassigned&) const = default;
};

// Nobody eligible can take it now: it waits in `queue` (its reply clocks keep running).
struct Queued {
    std::uint64_t inquiry = 0;
    std::string queue;
    std::vector<std::string> reasons;  // a suspect's reasons, for the verification queue
    bool operator==(const Queued&) const = default;
};

// A tier 1 inquiry arrived (or an inquiry became tier 1): the account's supervisors help.
struct SupervisorsNotified {
    std::uint64_t inquiry = 0;
    std::vector<std::string> supervisors;  // sorted ids; may be empty if the account has none
    bool operator==(const SupervisorsNotified&) const = default;
};

using Decision = std::variant<Assigned, Unassigned, Queued, SupervisorsNotified>;
using Decisions = std::vector<Decision>;

std::string_view to_string(Unassigned::Why why);
// One line, for debug logs and test failure messages; instants as Unix milliseconds.
std::string to_string(const Decision& d);

// Why a request was refused; nothing changed.
enum class Refusal : std::uint8_t {
    unknown_inquiry,
    unknown_agent,
    not_theirs,         // accept by someone the inquiry is not assigned to
    agent_unavailable,  // transfer to an agent who is offline or at capacity
};
std::string_view to_string(Refusal r);

// The result of a request that can be refused.
struct Outcome {
    Decisions decisions;
    std::optional<Refusal> refused;
    bool ok() const { return !refused; }
    bool operator==(const Outcome&) const = default;
};

}  // namespace ir::routing
