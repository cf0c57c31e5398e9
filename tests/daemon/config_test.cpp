// inquiryd's config: defaults, every problem reported with file, line and key.
#include <catch2/catch.hpp>

#include "ir/daemon/config.hpp"

using namespace ir::daemon;
using namespace std::chrono_literals;

TEST_CASE("an empty config is the embedded defaults, all on loopback") {
    auto r = parse_config("", "empty.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.http.host == "127.0.0.1");
    CHECK(r.config.http.port == 8080);
    CHECK(r.config.pub_endpoint == "tcp://127.0.0.1:5556");
    CHECK(r.config.sla.fast == 5min);
    CHECK(r.config.sla.timely == 24h);
}

TEST_CASE("the shipped default config parses to the same defaults") {
    auto r = parse_config(default_config_toml(), "deploy/inquiryd.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.http.max_body_bytes == 1048576);
    CHECK(r.config.sla.fast_warning == 2min);
    CHECK(r.config.sla.timely_warning == 4h);
}

TEST_CASE("every problem is reported at once with file, line and key") {
    auto r = parse_config(
        "catalgo = \"x\"\n"
        "[http]\n"
        "listen = \"localhost\"\n"
        "[sla]\n"
        "fast = \"5 minutes\"\n"
        "timely = \"2s\"\n",
        "/etc/inquiryd/inquiryd.toml");
    REQUIRE(r.errors.size() >= 3);
    CHECK(r.errors[0] == "/etc/inquiryd/inquiryd.toml:1: catalgo: unknown key");
    CHECK(r.errors[1].rfind("/etc/inquiryd/inquiryd.toml:3: http.listen: must be HOST:PORT", 0) == 0);
    CHECK(r.errors[2].rfind("/etc/inquiryd/inquiryd.toml:5: sla.fast: must be a duration", 0) == 0);
}

TEST_CASE("a warning lead must be shorter than its deadline") {
    auto r = parse_config("[sla]\nfast = \"1m\"\nfast_warning = \"2m\"\n", "c.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].find("sla.fast_warning: must be shorter than sla.fast") != std::string::npos);
}

TEST_CASE("per-account and per-tier overrides and the clock scope") {
    auto r = parse_config(
        "[sla.accounts.\"aliexpress-jewelry\"]\nfast = \"3m\"\nscope = \"conversation\"\n"
        "[sla.tiers.1]\nfast_warning = \"3m\"\n",
        "c.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.sla.accounts.at("aliexpress-jewelry").fast == 3min);
    CHECK(r.config.sla.clock_scope.at("aliexpress-jewelry") == "conversation");
    CHECK(parse_config("[sla.accounts.a]\nscope = \"buyer\"\n", "c.toml").config.sla.clock_scope.at("a") == "buyer");
    CHECK(parse_config("[sla.accounts.a]\nscope = \"shop\"\n", "c.toml").errors.size() == 1);
    CHECK(r.config.sla.tiers.at(1).fast_warning == 3min);
    CHECK_FALSE(parse_config("[sla.tiers.7]\nfast = \"1m\"\n", "c.toml").errors.empty());
}

TEST_CASE("TOML syntax errors carry the line") {
    auto r = parse_config("[http\nlisten = 1\n", "c.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].rfind("c.toml:1: ", 0) == 0);
}

TEST_CASE("listen addresses") {
    CHECK(parse_listen("127.0.0.1:8080") == std::pair<std::string, std::uint16_t>{"127.0.0.1", 8080});
    CHECK(parse_listen("[::1]:0") == std::pair<std::string, std::uint16_t>{"::1", 0});
    CHECK_FALSE(parse_listen("127.0.0.1").has_value());
    CHECK_FALSE(parse_listen("127.0.0.1:99999").has_value());
    CHECK_FALSE(parse_listen(":80").has_value());
}

TEST_CASE("an email adapter's cur_lookback defaults to 14 days and is a duration") {
    const std::string base = "[[adapters.email]]\naccount = \"a\"\nmaildir = \"/var/mail/a\"\n";
    auto r = parse_config(base, "c.toml");
    REQUIRE(r.errors.empty());
    REQUIRE(r.config.adapters.email.size() == 1);
    CHECK(r.config.adapters.email[0].cur_lookback == 24h * 14);
    CHECK(parse_config(base + "cur_lookback = \"2d\"\n", "c.toml").config.adapters.email[0].cur_lookback == 48h);
    auto bad = parse_config(base + "cur_lookback = \"two weeks\"\n", "c.toml");
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0].rfind("c.toml:4: adapters.email[0].cur_lookback: must be a duration", 0) == 0);
}

TEST_CASE("a [simulate] table is accepted and ignored: inquiryctl simulate reads it") {
    auto r = parse_config("[simulate]\nseed = 7\nmiss_rate = 0.1\n[simulate.reply_median]\nagent = \"4m\"\n", "c.toml");
    CHECK(r.errors.empty());
    auto bad = parse_config("simulate = 3\n", "c.toml");
    REQUIRE(bad.errors.size() == 1);
    CHECK(bad.errors[0] == "c.toml:1: simulate: must be a table");
}

TEST_CASE("TLS: a certificate and its key go together") {
    auto both =
        parse_config("[http]\ntls_cert = \"/etc/inquiryd/tls.crt\"\ntls_key = \"/etc/inquiryd/tls.key\"\n", "t.toml");
    REQUIRE(both.errors.empty());
    CHECK(both.config.http.tls());
    CHECK(both.config.http.tls_key == "/etc/inquiryd/tls.key");
    CHECK_FALSE(parse_config("", "t.toml").config.http.tls());
    auto alone = parse_config("[http]\ntls_cert = \"/etc/inquiryd/tls.crt\"\n", "t.toml");
    REQUIRE(alone.errors.size() == 1);
    CHECK(alone.errors[0].find("tls_cert and tls_key go together") != std::string::npos);
}

TEST_CASE("retention is off by default, a day or more when given") {
    CHECK_FALSE(parse_config("", "c.toml").config.retention.resolved_after);
    CHECK_FALSE(parse_config(default_config_toml(), "deploy/inquiryd.toml").config.retention.resolved_after);
    auto r = parse_config("[retention]\nresolved_after = \"180d\"\n", "c.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.retention.resolved_after == std::chrono::hours(24 * 180));
    auto short_one = parse_config("[retention]\nresolved_after = \"6h\"\n", "c.toml");
    REQUIRE(short_one.errors.size() == 1);
    CHECK(short_one.errors[0].find("retention.resolved_after: must be a day or more") != std::string::npos);
    CHECK(parse_config("[retention]\nkeep = \"1d\"\n", "c.toml").errors.size() == 1);
}

TEST_CASE("limits: per-client connections and rate, and the bytes queued, with their defaults") {
    auto d = parse_config("", "empty.toml");
    REQUIRE(d.errors.empty());
    CHECK(d.config.http.max_connections_per_client == 64);
    CHECK(d.config.http.rate_per_client == 1000);
    CHECK_FALSE(d.config.max_queued_bytes);
    CHECK(d.config.queued_bytes() == default_max_queued_bytes());
    CHECK(default_max_queued_bytes() >= (16u << 20));
    CHECK(default_max_queued_bytes() <= (256u << 20));
    auto r = parse_config(
        "[http]\nmax_connections_per_client = 0\nrate_per_client = 5\n[ingest]\nmax_queued_bytes = 1048576\n", "x.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.http.max_connections_per_client == 0);
    CHECK(r.config.http.rate_per_client == 5);
    CHECK(r.config.queued_bytes() == 1048576);
    auto bad = parse_config("[http]\nrate_per_client = -1\n[ingest]\nmax_queued_bytes = 10\n", "x.toml");
    REQUIRE(bad.errors.size() == 2);
    CHECK(bad.errors[0].rfind("x.toml:2: http.rate_per_client: must be a whole number", 0) == 0);
    CHECK(bad.errors[1].rfind("x.toml:4: ingest.max_queued_bytes: must be a whole number", 0) == 0);
}
