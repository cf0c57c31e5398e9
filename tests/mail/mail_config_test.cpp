// The [[adapters.email]] keys of the mail limits: defaults, and a bad value is an error.
#include <catch2/catch.hpp>

#include "ir/daemon/config.hpp"

using namespace ir::daemon;
using namespace std::chrono_literals;

namespace {
const std::string kBase = "[[adapters.email]]\naccount = \"a\"\nmaildir = \"/var/mail/a\"\n";
}

TEST_CASE("an email adapter polls every 30 s besides inotify, and takes Date: within 15 minutes") {
    auto r = parse_config(kBase, "c.toml");
    REQUIRE(r.errors.empty());
    const auto& e = r.config.adapters.email.at(0);
    CHECK(e.poll_interval == 30s);
    CHECK(e.date_skew == 15min);
    CHECK(parse_config(kBase + "date_skew = \"2h\"\n", "c.toml").config.adapters.email[0].date_skew == 2h);
    auto bad = parse_config(kBase + "date_skew = 900\n", "c.toml");
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].rfind("c.toml:4: adapters.email[0].date_skew: must be a duration", 0) == 0);
}

TEST_CASE("an email adapter's parse budget: 1 s in the fast lane, 5 s in the slow lane, 6 slow parses a minute") {
    auto r = parse_config(kBase, "c.toml");
    REQUIRE(r.errors.empty());
    const auto& e = r.config.adapters.email.at(0);
    CHECK(e.parse_budget == 1s);
    CHECK(e.parse_timeout == 5s);
    CHECK(e.slow_parses_per_minute == 6);
    auto set = parse_config(kBase + "parse_budget = \"300ms\"\nslow_parses_per_minute = 2\n", "c.toml");
    REQUIRE(set.errors.empty());
    CHECK(set.config.adapters.email[0].parse_budget == 300ms);
    CHECK(set.config.adapters.email[0].slow_parses_per_minute == 2);
    auto bad = parse_config(kBase + "slow_parses_per_minute = 0\n", "c.toml");
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].find("adapters.email[0].slow_parses_per_minute") != std::string::npos);
}
