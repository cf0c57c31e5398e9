// The policy: escalation by tier, durations per account and tier, precedence, validation.
#include "sla_test_support.hpp"

using namespace sla_test;

namespace {

// Every escalated stage of one clock left unanswered for two days.
std::vector<Stage> escalations(const SlaPolicy& p, const Subject& s) {
    SlaEngine e{p};
    e.on_buyer_message(message(s, T0), T0);
    std::vector<Stage> stages;
    while (const auto at = e.next_deadline()) {
        if (*at > T0 + days{2}) break;
        for (const Escalation& x : only<Escalation>(e.on_tick(*at))) stages.push_back(x.stage);
    }
    return stages;
}

ClockStarted started(const SlaPolicy& p, std::uint32_t account, Tier tier) {
    SlaEngine e{p};
    const Effects fx = e.on_buyer_message(message(subject(1, tier, account), T0), T0);
    REQUIRE(fx.size() == 1);
    return std::get<ClockStarted>(fx[0]);
}

}  // namespace

TEST_CASE("default escalation: tier 1 on everything, tier 2 on fast breach, all on timely breach") {
    const SlaPolicy p;
    using enum Stage;
    CHECK(escalations(p, subject(1, Tier::one)) ==
          std::vector<Stage>{fast_warning, fast_breach, timely_warning, timely_breach});
    CHECK(escalations(p, subject(1, Tier::two)) == std::vector<Stage>{fast_breach, timely_breach});
    CHECK(escalations(p, subject(1, Tier::three)) == std::vector<Stage>{timely_breach});
    CHECK(escalations(p, subject(1, Tier::four)) == std::vector<Stage>{timely_breach});
}

TEST_CASE("an escalation follows the alarm it belongs to") {
    SlaEngine e{SlaPolicy{}};
    const Subject s = subject(1, Tier::one);
    e.on_buyer_message(message(s, T0), T0);
    REQUIRE(e.on_tick(T0 + 3min) ==
            Effects{Warning{s, DeadlineKind::fast, T0 + 3min, T0 + 5min, T0 + 3min, false},
                    Escalation{s, Stage::fast_warning, T0 + 3min, T0 + 5min, T0 + 3min, false}});
}

TEST_CASE("escalation is configurable per tier, per account and per account and tier") {
    SlaPolicy p;
    p.tiers[Tier::three].escalate_on = EscalateOn{false, true, false, true};
    p.accounts[AccountId{2}].escalate_on = EscalateOn{false, false, false, false};
    p.account_tiers[{AccountId{2}, Tier::one}].escalate_on = EscalateOn{false, false, false, true};
    using enum Stage;
    CHECK(escalations(p, subject(1, Tier::three)) == std::vector<Stage>{fast_breach, timely_breach});
    CHECK(escalations(p, subject(1, Tier::three, 2)).empty());
    CHECK(escalations(p, subject(1, Tier::one, 2)) == std::vector<Stage>{timely_breach});
    CHECK(escalations(p, subject(1, Tier::one, 3)).size() == 4);  // other accounts keep the tier's
}

TEST_CASE("budgets per account and per tier: the most specific layer wins, field by field") {
    SlaPolicy p;
    p.tiers[Tier::one].fast = 2min;
    p.tiers[Tier::one].fast_warning = 1min;
    p.accounts[AccountId{2}].timely = 12h;
    p.account_tiers[{AccountId{2}, Tier::one}].fast = 1min;
    p.account_tiers[{AccountId{2}, Tier::one}].fast_warning = 30s;
    REQUIRE(validate(p).empty());
    CHECK(started(p, 1, Tier::one) == ClockStarted{subject(1, Tier::one, 1), T0, T0 + 2min, T0 + 24h});
    CHECK(started(p, 1, Tier::three) == ClockStarted{subject(1, Tier::three, 1), T0, T0 + 5min, T0 + 24h});
    CHECK(started(p, 2, Tier::three) == ClockStarted{subject(1, Tier::three, 2), T0, T0 + 5min, T0 + 12h});
    CHECK(started(p, 2, Tier::one) == ClockStarted{subject(1, Tier::one, 2), T0, T0 + 1min, T0 + 12h});
    const SlaRules r = p.resolve(AccountId{2}, Tier::one);
    CHECK(r.fast_warning == 30s);
    CHECK(r.timely_warning == 4h);
    CHECK(r.escalate_on == EscalateOn{true, true, true, true});  // from the built-in tier 1 layer
}

TEST_CASE("per-account warning lead times move the warnings") {
    SlaPolicy p = quiet_policy();
    p.accounts[AccountId{4}].fast_warning = 4min;
    SlaEngine e{p};
    e.on_buyer_message(message(subject(1, Tier::three, 4), T0), T0);
    e.on_buyer_message(message(subject(2, Tier::three, 1), T0), T0);
    const auto w = only<Warning>(e.on_tick(T0 + 3min));
    REQUIRE(w.size() == 2);
    CHECK(w[0].subject.clock == ClockId{1});
    CHECK(w[0].due_at == T0 + 1min);
    CHECK(w[0].late);  // fired two minutes after its moment, beyond the 1 s tolerance
    CHECK(w[1].due_at == T0 + 3min);
    CHECK_FALSE(w[1].late);
}

TEST_CASE("re-tiering a running clock changes its escalation, not its deadlines") {
    SlaEngine e{SlaPolicy{}};
    const Subject s = subject(1, Tier::three);
    e.on_buyer_message(message(s, T0), T0);
    Subject now_tier1 = s;
    now_tier1.tier = Tier::one;
    REQUIRE(e.on_retier(Retier{s.clock, Tier::one, false, T0 + 1min}, T0 + 1min) ==
            Effects{Retiered{now_tier1, Tier::three, false}});
    CHECK(e.on_retier(Retier{s.clock, Tier::one, false, T0 + 1min}, T0 + 1min).empty());  // no change
    REQUIRE(e.on_tick(T0 + 3min) ==
            Effects{Warning{now_tier1, DeadlineKind::fast, T0 + 3min, T0 + 5min, T0 + 3min, false},
                    Escalation{now_tier1, Stage::fast_warning, T0 + 3min, T0 + 5min, T0 + 3min, false}});
}

TEST_CASE("a buyer message carrying a new tier re-tiers the running clock") {
    SlaEngine e{SlaPolicy{}};
    const Subject s = subject(1, Tier::four);
    e.on_buyer_message(message(s, T0), T0);
    const Subject tier2 = subject(1, Tier::two);
    REQUIRE(e.on_buyer_message(message(tier2, T0 + 1min), T0 + 1min) == Effects{Retiered{tier2, Tier::four, false}});
    e.on_tick(T0 + 3min);
    CHECK(only<Escalation>(e.on_tick(T0 + 5min)).size() == 1);  // tier 2 escalates the fast breach
}

TEST_CASE("validate lists every problem of a policy") {
    CHECK(validate(SlaPolicy{}).empty());
    SlaPolicy p;
    p.defaults.fast_warning = 5min;  // not shorter than fast
    p.tiers[Tier::two].follow_up = FollowUpPlan{{days{3}, 0ms}, true};
    p.accounts[AccountId{3}].timely = 0ms;
    p.late_tolerance = -1ms;
    const auto problems = validate(p);
    CHECK(problems.size() == 1 + 4 + 1 + 4);  // tolerance; 4 tiers; tier 2's plan; account 3 x 4 tiers
    CHECK(problems[0] == "late_tolerance must not be negative");
    CHECK(problems[1] == "tier 1: fast_warning (5m) must be at least 0 and shorter than fast (5m)");
    CHECK(problems[2] == "account 3 tier 1: timely must be positive");
    CHECK(std::count(problems.begin(), problems.end(), "tier 2: follow_up intervals must be positive") == 1);
}
