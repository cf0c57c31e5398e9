// [notify] in inquiryd's config.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "../store/store_fixture.hpp"
#include "ir/daemon/config.hpp"

using namespace ir::daemon;
using namespace std::chrono_literals;

TEST_CASE("destinations, filters, limits and agents' contacts are read") {
    auto r = parse_config(R"(
[[agents]]
id = "lena"
mobile = "13800001111"
language = "zh"

[notify]
console_url = "https://console.example"

[[notify.destinations]]
name = "ding"
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=T"
secret = "SEC1"
format = "actionCard"
kinds = ["BREACH", "ESCALATION"]
tiers = [1, 2]
rate_limit = ["5/1s", "20/1m"]
retry_max = "30s"

[[notify.destinations]]
name = "local"
kind = "slack"
url = "http://127.0.0.1:9999/hook"
allow_plain_http = true
rate_limit = "off"
)",
                          "n.toml");
    INFO((r.errors.empty() ? std::string() : r.errors.front()));
    REQUIRE(r.errors.empty());
    const auto& n = r.config.notify;
    CHECK(n.console_url == "https://console.example");
    REQUIRE(n.destinations.size() == 2);
    const auto& d = n.destinations[0].spec;
    CHECK(d.kind == ir::notify::Kind::dingtalk);
    CHECK(d.format == "actionCard");
    CHECK(d.filter.kinds == std::vector<std::string>{"BREACH", "ESCALATION"});
    CHECK(d.filter.tiers == std::vector<std::uint32_t>{1, 2});
    CHECK(d.rate_limits.size() == 2);
    CHECK(d.retry_max == 30s);
    CHECK(n.destinations[0].secret.value == "SEC1");
    CHECK(n.destinations[1].spec.unlimited);
    CHECK(r.config.routing.contacts.at("lena") == ir::notify::AgentContact{"13800001111", "zh"});
}

TEST_CASE("every problem of a destination is reported with its key") {
    auto r = parse_config(R"(
[[notify.destinations]]
name = "a"
kind = "dingtalk"
url = "http://example.com/robot"

[[notify.destinations]]
name = "b"
kind = "pager"

[[notify.destinations]]
name = "c"
kind = "slack"
url = "http://10.1.2.3:80/hook"
allow_plain_http = true
secret = "x"
kinds = ["SOMETHING"]
)",
                          "bad.toml");
    auto has = [&](std::string_view s) {
        return std::any_of(r.errors.begin(), r.errors.end(), [&](const std::string& e) { return e.find(s) != e.npos; });
    };
    CHECK(has("notify.destinations[0].secret: is required for kind dingtalk"));
    CHECK(has("notify.destinations[0].url: plain http:// is refused"));
    CHECK(has("notify.destinations[1].kind: must be one of"));
    CHECK(has("notify.destinations[2].url: with allow_plain_http, only http://127.0.0.1:PORT"));
    CHECK(has("notify.destinations[2].secret: is not used by kind slack"));
    CHECK(has("notify.destinations[2].kinds: \"SOMETHING\" is not an alert kind"));
}

TEST_CASE("the shipped default config has no destinations") {
    auto r = parse_config(default_config_toml(), "deploy/inquiryd.toml");
    REQUIRE(r.errors.empty());
    CHECK(r.config.notify.destinations.empty());
}

TEST_CASE(
    "a destination's secret follows the webhook secrets' rules: a credential, and never inline in a file all may "
    "read") {
    const std::string config = R"(
[[notify.destinations]]
name = "ding"
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=T"
secret = "SEC1"

[[notify.destinations]]
name = "fs"
kind = "feishu"
url = "https://open.feishu.cn/open-apis/bot/v2/hook/H"
secret_credential = "feishu-secret"
)";
    const auto parsed = parse_config(config, "n.toml");
    REQUIRE(parsed.errors.empty());
    CHECK(parsed.config.notify.destinations[1].secret.credential == "feishu-secret");
    CHECK(parsed.config.notify.destinations[1].secret.key == "notify.destinations[1].secret");

    ir::store::test::TempDir dir;
    const auto path = dir.file("inquiryd.toml");
    std::ofstream(path) << "state_dir = \"" << dir.path().string() << "\"\n" << config;
    ::chmod(path.c_str(), 0644);
    const auto loose = load_config(path);
    REQUIRE(loose.errors.size() == 1);
    CHECK(loose.errors[0].find("holds notify.destinations[0].secret inline, but every user may read the file") !=
          std::string::npos);
    CHECK(loose.errors[0].find("SEC1") == std::string::npos);
    ::chmod(path.c_str(), 0600);
    CHECK(load_config(path).errors.empty());

    const auto both = parse_config(R"(
[[notify.destinations]]
name = "ding"
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=T"
secret = "SEC1"
secret_credential = "ding"
)",
                                   "both.toml");
    REQUIRE(both.errors.size() == 1);
    CHECK(both.errors[0].find("give one of secret, secret_file or secret_credential") != std::string::npos);
}
