#pragma once
// The SLA policy: budgets, warning lead times, escalation and follow-up plans, with
// defaults and overrides per tier, per account and per (account, tier).
//
// Precedence, field by field, most specific wins:
//     account_tiers[{account, tier}]  >  accounts[account]  >  tiers[tier]  >  defaults
// An override only replaces the fields it sets (std::optional); unset fields fall through
// to the next, less specific layer. A default-constructed SlaPolicy is DOMAIN.md's policy:
//   - every tier: fast 5m (warning 2m before), timely 24h (warning 4h before),
//     escalate on the timely breach, weak large buyers followed up 2 days after each reply;
//   - tiers[1]: escalate on every warning and breach;
//   - tiers[2]: escalate on both breaches; follow up 3 days after the first reply, then
//     weekly (each of our replies re-bases the plan).
// Note the built-in tier overrides sit above `defaults`: a config that sets
// defaults.escalate_on does not change tiers 1 and 2 unless it also sets theirs.
//
// There is no business-hours pause: the marketplaces count around the clock.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/sla/ids.hpp"
#include "ir/sla/stage.hpp"
#include "ir/sla/time.hpp"

namespace ir::sla {

// Which alarms also go to a supervisor.
struct EscalateOn {
    bool fast_warning = false;
    bool fast_breach = false;
    bool timely_warning = false;
    bool timely_breach = true;
    bool operator==(const EscalateOn&) const = default;
    bool on(Stage s) const;
};

// Follow-up reminders while the buyer is silent after our reply. The first reminder is
// intervals[0] after our reply; every later reply or reminder moves one step along the list
// (the last interval is reused). After the last step a reminder repeats only if
// repeat_last; otherwise the plan waits for our next reply. Empty: no follow-ups.
struct FollowUpPlan {
    std::vector<Duration> intervals;
    bool repeat_last = false;
    bool operator==(const FollowUpPlan&) const = default;
    bool empty() const { return intervals.empty(); }
    Duration interval(std::size_t step) const;  // the last one past the end; needs !empty()
};

// One fully resolved set of rules, for one (account, tier).
struct SlaRules {
    Duration fast = std::chrono::minutes{5};
    Duration timely = std::chrono::hours{24};
    // Lead times: the warning fires this long before its deadline; 0 means no warning.
    Duration fast_warning = std::chrono::minutes{2};
    Duration timely_warning = std::chrono::hours{4};
    EscalateOn escalate_on{};
    FollowUpPlan follow_up{};
    FollowUpPlan weak_large_buyer_follow_up{{std::chrono::days{2}}, false};
    bool operator==(const SlaRules&) const = default;

    const FollowUpPlan& plan_for(bool weak_large_buyer) const {
        return weak_large_buyer ? weak_large_buyer_follow_up : follow_up;
    }
};

// A layer of the policy: only what it sets.
struct SlaOverride {
    std::optional<Duration> fast;
    std::optional<Duration> timely;
    std::optional<Duration> fast_warning;
    std::optional<Duration> timely_warning;
    std::optional<EscalateOn> escalate_on;
    std::optional<FollowUpPlan> follow_up;
    std::optional<FollowUpPlan> weak_large_buyer_follow_up;
    bool operator==(const SlaOverride&) const = default;
    void apply_to(SlaRules& rules) const;
};

struct AccountTier {
    AccountId account{};
    Tier tier = Tier::four;
    auto operator<=>(const AccountTier&) const = default;
};

std::map<Tier, SlaOverride> standard_tier_overrides();

struct SlaPolicy {
    SlaRules defaults{};
    std::map<Tier, SlaOverride> tiers = standard_tier_overrides();
    std::map<AccountId, SlaOverride> accounts{};
    std::map<AccountTier, SlaOverride> account_tiers{};
    // An alarm fired more than this after its moment is marked `late`.
    Duration late_tolerance = std::chrono::seconds{1};
    bool operator==(const SlaPolicy&) const = default;

    // The rules for one (account, tier), all layers merged.
    SlaRules resolve(AccountId account, Tier tier) const;
    // defaults and tiers[tier] only: what an account without overrides gets.
    SlaRules resolve(Tier tier) const;
};

// Every problem in the policy, one readable line each; empty when it is usable.
// Budgets must be positive; a warning lead must be shorter than its budget; follow-up
// intervals must be positive; the late tolerance must not be negative.
std::vector<std::string> validate(const SlaPolicy& policy);

}  // namespace ir::sla
