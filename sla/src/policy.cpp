#include "ir/sla/policy.hpp"

#include <algorithm>
#include <set>

#include "ir/sla/duration.hpp"

namespace ir::sla {

bool EscalateOn::on(Stage s) const {
    switch (s) {
        case Stage::fast_warning:
            return fast_warning;
        case Stage::fast_breach:
            return fast_breach;
        case Stage::timely_warning:
            return timely_warning;
        case Stage::timely_breach:
            return timely_breach;
        case Stage::follow_up:
            return false;
    }
    return false;
}

Duration FollowUpPlan::interval(std::size_t step) const {
    return intervals[std::min(step, intervals.size() - 1)];
}

void SlaOverride::apply_to(SlaRules& rules) const {
    if (fast) rules.fast = *fast;
    if (timely) rules.timely = *timely;
    if (fast_warning) rules.fast_warning = *fast_warning;
    if (timely_warning) rules.timely_warning = *timely_warning;
    if (escalate_on) rules.escalate_on = *escalate_on;
    if (follow_up) rules.follow_up = *follow_up;
    if (weak_large_buyer_follow_up) rules.weak_large_buyer_follow_up = *weak_large_buyer_follow_up;
}

std::map<Tier, SlaOverride> standard_tier_overrides() {
    std::map<Tier, SlaOverride> tiers;
    tiers[Tier::one].escalate_on = EscalateOn{true, true, true, true};
    tiers[Tier::two].escalate_on = EscalateOn{false, true, false, true};
    tiers[Tier::two].follow_up = FollowUpPlan{{std::chrono::days{3}, std::chrono::days{7}}, true};
    return tiers;
}

SlaRules SlaPolicy::resolve(Tier tier) const {
    SlaRules rules = defaults;
    if (auto it = tiers.find(tier); it != tiers.end()) it->second.apply_to(rules);
    return rules;
}

SlaRules SlaPolicy::resolve(AccountId account, Tier tier) const {
    SlaRules rules = resolve(tier);
    if (auto it = accounts.find(account); it != accounts.end()) it->second.apply_to(rules);
    if (auto it = account_tiers.find({account, tier}); it != account_tiers.end()) it->second.apply_to(rules);
    return rules;
}

namespace {

void check_budget(const std::string& where, const char* name, Duration budget, const char* lead_name, Duration lead,
                  std::vector<std::string>& out) {
    if (budget <= Duration::zero()) {
        out.push_back(where + ": " + name + " must be positive");
    } else if (lead < Duration::zero() || lead >= budget) {
        out.push_back(where + ": " + lead_name + " (" + format_duration(lead) +
                      ") must be at least 0 and shorter than " + name + " (" + format_duration(budget) + ")");
    }
}

void check_plan(const std::string& where, const char* name, const FollowUpPlan& plan, std::vector<std::string>& out) {
    for (Duration d : plan.intervals) {
        if (d <= Duration::zero()) {
            out.push_back(where + ": " + name + " intervals must be positive");
            return;
        }
    }
}

void check_rules(const std::string& where, const SlaRules& r, std::vector<std::string>& out) {
    check_budget(where, "fast", r.fast, "fast_warning", r.fast_warning, out);
    check_budget(where, "timely", r.timely, "timely_warning", r.timely_warning, out);
    check_plan(where, "follow_up", r.follow_up, out);
    check_plan(where, "weak_large_buyer_follow_up", r.weak_large_buyer_follow_up, out);
}

}  // namespace

// Problems of an account's layers are reported only when its tier alone does not have them.
std::vector<std::string> validate(const SlaPolicy& policy) {
    std::vector<std::string> out;
    if (policy.late_tolerance < Duration::zero()) out.push_back("late_tolerance must not be negative");
    std::set<AccountId> accounts;
    for (const auto& [account, o] : policy.accounts) accounts.insert(account);
    for (const auto& [key, o] : policy.account_tiers) accounts.insert(key.account);
    for (std::size_t i = 0; i < tier_count; ++i) {
        const std::string where = "tier " + std::to_string(i + 1);
        std::vector<std::string> base;
        check_rules(where, policy.resolve(tier_from_index(i)), base);
        out.insert(out.end(), base.begin(), base.end());
        for (AccountId account : accounts) {
            std::vector<std::string> own;
            check_rules(where, policy.resolve(account, tier_from_index(i)), own);
            for (const std::string& problem : own) {
                if (std::find(base.begin(), base.end(), problem) == base.end()) {
                    out.push_back("account " + std::to_string(raw(account)) + " " + problem);
                }
            }
        }
    }
    return out;
}

}  // namespace ir::sla
