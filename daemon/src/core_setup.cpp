#include "ir/daemon/core_setup.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "ir/routing/tzdb_local_clock.hpp"

namespace ir::daemon {
namespace {

std::optional<std::string> read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return path + ": cannot read";
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return std::nullopt;
}

sla::SlaOverride override_of(const SlaDurations& d) {
    sla::SlaOverride o;
    o.fast = d.fast, o.timely = d.timely, o.fast_warning = d.fast_warning, o.timely_warning = d.timely_warning;
    return o;
}

std::optional<std::string> load_assessor(const Config& config, Core& out) {
    if (!config.catalog_path.empty()) {
        std::string text;
        if (auto e = read_text(config.catalog_path, text)) return e;
        auto c = router::parse_catalog_json(text);
        if (!c) return config.catalog_path + ": " + c.error().message + " " + c.error().field;
        out.catalog = std::move(*c);
        for (const auto& a : out.catalog.accounts) out.accounts.insert(a.id);
    }
    std::string rules_text(router::default_rules_toml());
    if (!config.rules_path.empty())
        if (auto e = read_text(config.rules_path, rules_text)) return e;
    auto rules = router::parse_rules_toml(rules_text, config.rules_path.empty() ? "built-in rules" : config.rules_path);
    if (!rules) return rules.error().message;
    auto assessor = router::Assessor::create(out.catalog, *rules);
    if (!assessor) return assessor.error().message + " (" + assessor.error().field + ")";
    out.assessor = std::make_unique<router::Assessor>(std::move(*assessor));
    return std::nullopt;
}

}  // namespace

sla::SlaPolicy sla_policy_of(const SlaConfig& config) {
    sla::SlaPolicy policy;
    policy.defaults.fast = config.fast;
    policy.defaults.timely = config.timely;
    policy.defaults.fast_warning = config.fast_warning;
    policy.defaults.timely_warning = config.timely_warning;
    policy.late_tolerance = config.late_tolerance;
    for (const auto& [tier, d] : config.tiers) policy.tiers[static_cast<sla::Tier>(tier)] = override_of(d);
    return policy;
}

std::map<std::string, sla::SlaOverride> sla_account_overrides_of(const SlaConfig& config) {
    std::map<std::string, sla::SlaOverride> per_account;
    for (const auto& [account, d] : config.accounts) per_account[account] = override_of(d);
    return per_account;
}

std::optional<std::string> build_core(const Config& config, sla::TimePoint now, Core& out) {
    if (auto e = load_assessor(config, out)) return e;
    auto policy = sla_policy_of(config.sla);
    if (auto problems = sla::validate(policy); !problems.empty()) return "sla: " + problems.front();
    router::RoutingSetup routing;
    routing.roster = config.routing.agents;
    routing.policy = config.routing.policy;
    routing.catalog = &out.catalog;
    routing.agent_addresses = config.routing.agent_addresses;
    if (!routing.roster.empty()) {
        try {
            out.local_clock = std::make_unique<routing::TzdbLocalClock>();
        } catch (const std::exception& e) {
            return std::string("cannot read the tz database for the agents' working hours: ") + e.what();
        }
        routing.clock = out.local_clock.get();
    }
    out.engine = std::make_unique<router::Engine>(*out.assessor, std::move(policy),
                                                  sla_account_overrides_of(config.sla), std::move(routing), now);
    std::set<std::string> buyer_scope;
    for (const auto& [account, scope] : config.sla.clock_scope)
        if (scope == "buyer") buyer_scope.insert(account);
    out.engine->set_buyer_scope(std::move(buyer_scope));
    return std::nullopt;
}

}  // namespace ir::daemon
