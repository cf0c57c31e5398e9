#pragma once
// A policy resolved once for every (account, tier) it can tell apart, so that the engine's
// hot path finds its rules with one hash lookup instead of merging overrides each time.
#include <array>
#include <unordered_map>

#include "ir/sla/policy.hpp"

namespace ir::sla {

class RulesTable {
public:
    explicit RulesTable(const SlaPolicy& policy);

    // The resolved rules; accounts the policy does not name share the per-tier defaults.
    const SlaRules& rules(AccountId account, Tier tier) const;
    Duration late_tolerance() const { return late_tolerance_; }

private:
    using PerTier = std::array<SlaRules, tier_count>;
    static PerTier resolve_all(const SlaPolicy& policy, AccountId account);

    PerTier base_;
    std::unordered_map<AccountId, PerTier> accounts_;
    Duration late_tolerance_;
};

}  // namespace ir::sla
