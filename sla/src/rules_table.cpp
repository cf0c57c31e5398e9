#include "ir/sla/rules_table.hpp"

namespace ir::sla {

RulesTable::PerTier RulesTable::resolve_all(const SlaPolicy& policy, AccountId account) {
    PerTier all;
    for (std::size_t i = 0; i < tier_count; ++i) all[i] = policy.resolve(account, tier_from_index(i));
    return all;
}

RulesTable::RulesTable(const SlaPolicy& policy) : late_tolerance_(policy.late_tolerance) {
    for (std::size_t i = 0; i < tier_count; ++i) base_[i] = policy.resolve(tier_from_index(i));
    for (const auto& [account, o] : policy.accounts) accounts_.try_emplace(account, resolve_all(policy, account));
    for (const auto& [key, o] : policy.account_tiers) {
        accounts_.try_emplace(key.account, resolve_all(policy, key.account));
    }
}

const SlaRules& RulesTable::rules(AccountId account, Tier tier) const {
    if (!accounts_.empty()) {
        if (auto it = accounts_.find(account); it != accounts_.end()) return it->second[tier_index(tier)];
    }
    return base_[tier_index(tier)];
}

}  // namespace ir::sla
