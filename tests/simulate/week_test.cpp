// docs/simulate.md's generated week, as a check: four people in Shanghai 09:00-18:00, one
// senior, buyers worldwide. Our routing answers more of tiers 1 and 2 within 5 minutes than
// round robin on the same traffic and people, and no tier is starved.
#include <fstream>
#include <sstream>

#include "ir/simulate/generator.hpp"
#include "ir/simulate/known_customers.hpp"
#include "ir/simulate/traffic_reader.hpp"
#include "simulate_test_support.hpp"

using namespace simulate_test;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// bench/simulate/week_team.toml, with the catalogue where the tests find it.
std::string week_team() {
    std::string t = slurp(std::string(IR_SOURCE_DIR) + "/bench/simulate/week_team.toml");
    const auto at = t.find("catalog = ");
    REQUIRE(at != std::string::npos);
    t.erase(at, t.find('\n', at) - at);
    return t;
}

simulate::PolicyReport week(const std::string& traffic, const std::string& policy) {
    simulate::KnownCustomers known;
    std::istringstream first(traffic);
    for (std::string line; std::getline(first, line);) known.add_line(line);
    std::istringstream in(traffic);
    simulate::TrafficReader reader(in, "week");
    std::vector<simulate::Input> inputs;
    while (auto i = reader.next()) inputs.push_back(std::move(*i));
    const auto start = inputs.front().at;
    return replay(week_team(), std::move(inputs), policy, simulate::PeopleMode::simulated, 1, known.state(start))
        .report;
}

}  // namespace

TEST_CASE("the generated week: ours beats round robin on tiers 1 and 2 within 5 minutes, no tier starved") {
    auto catalog = router::parse_catalog_json(slurp(std::string(IR_FIXTURES_DIR) + "/catalog.json"));
    REQUIRE(catalog.has_value());
    simulate::TrafficOptions options;  // 7 days from Monday 2 November 2026, seed 1
    options.per_day = 150;
    std::ostringstream traffic;
    REQUIRE(simulate::generate_traffic(*catalog, options, traffic).has_value());
    const auto ours = week(traffic.str(), "ours");
    const auto rr = week(traffic.str(), "round-robin");
    CHECK(ours.overall.inquiries == 1050);
    CHECK(ours.tiers[0].share_fast() > rr.tiers[0].share_fast());
    CHECK(ours.tiers[1].share_fast() > rr.tiers[1].share_fast());
    for (const auto& c : ours.tiers) {
        CHECK(c.waits > 100);
        CHECK(c.share_timely() > 0.95);
    }
}
