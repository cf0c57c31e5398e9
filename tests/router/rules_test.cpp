// The rules file: defaults load, mistakes are reported with file, line and key.
#include <catch2/catch.hpp>

#include "ir/router/assessor.hpp"
#include "ir/router/rules.hpp"

using namespace ir::router;

TEST_CASE("the shipped default rules load and compile") {
    auto rules = parse_rules_toml(default_rules_toml(), "default");
    REQUIRE(rules.has_value());
    CHECK(rules->suspect_min_signs == 2);
    CHECK(rules->signals.size() > 10);
    CHECK(Assessor::create(Catalog{}, *rules).has_value());
}

TEST_CASE("an unknown key names the file, the line and the key") {
    auto rules = parse_rules_toml("[thresholds]\nsuspect_min_signs = 2\nsuspect_min_sings = 3\n", "my.toml");
    REQUIRE_FALSE(rules.has_value());
    CHECK(rules.error().message == "my.toml:3: thresholds.suspect_min_sings: unknown key");
}

TEST_CASE("a wrong type is refused with its key") {
    auto rules = parse_rules_toml("[thresholds]\nlarge_quantity = \"many\"\n", "my.toml");
    REQUIRE_FALSE(rules.has_value());
    CHECK(rules.error().message == "my.toml:2: thresholds.large_quantity: must be a non-negative integer");
}

TEST_CASE("TOML syntax errors carry the line") {
    auto rules = parse_rules_toml("[thresholds\n", "my.toml");
    REQUIRE_FALSE(rules.has_value());
    CHECK(rules.error().message.rfind("my.toml:1: ", 0) == 0);
}

TEST_CASE("a pattern that does not compile is refused when the assessor is built") {
    auto rules =
        parse_rules_toml("[signals.broken]\nkind = \"sign2\"\nreason = \"x\"\npatterns = ['(unclosed']\n", "my.toml");
    REQUIRE(rules.has_value());
    auto built = Assessor::create(Catalog{}, *rules);
    REQUIRE_FALSE(built.has_value());
    CHECK(built.error().field == "signals.broken.patterns[0]");
}

TEST_CASE("a signal needs a known kind, a reason and patterns") {
    CHECK_FALSE(parse_rules_toml("[signals.x]\nkind = \"sign9\"\nreason = \"r\"\npatterns = ['a']\n", "f").has_value());
    CHECK_FALSE(parse_rules_toml("[signals.x]\nkind = \"sign2\"\npatterns = ['a']\n", "f").has_value());
    CHECK_FALSE(parse_rules_toml("[signals.x]\nkind = \"sign2\"\nreason = \"r\"\n", "f").has_value());
}
