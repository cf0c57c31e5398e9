#include <catch2/catch.hpp>

#include "ir/notify/message.hpp"
#include "notify_fixture.hpp"

using namespace ir::notify;
using namespace ir::notify::test;

TEST_CASE("an alert is told in its agent's language, with buyer, account, tier, time and link") {
    const auto zh = single_message(breach(7, "lena"), context(), "en", now());
    CHECK(zh.language == "zh");
    CHECK(zh.title == "【已超时】极速回复,询盘 #47");
    CHECK(zh.severity == Severity::critical);
    CHECK(zh.mobiles == std::vector<std::string>{"13800001111"});
    CHECK(zh.link == "https://console.example/inquiries/47");
    REQUIRE(zh.facts.size() == 5);
    CHECK(zh.facts[0] == std::pair<std::string, std::string>{"买家", "Jonas Weber (Weber Handel GmbH)"});
    CHECK(zh.facts[4].second == "已超时 30秒");

    const auto en = single_message(breach(8, "omar"), context(), "zh", now());
    CHECK(en.language == "en");
    CHECK(en.title == "[BREACH] fast reply, inquiry #48");
    CHECK(en.summary == "The fast reply deadline passed without a reply.");
    CHECK(en.facts[2].second == "tier 1: placed an order before");
    CHECK(en.facts[4].second == "overdue by 30s");
    CHECK(en.mobiles.empty());
}

TEST_CASE("an alert without an agent takes the destination's language") {
    CHECK(single_message(breach(1, ""), context(), "zh", now()).language == "zh");
    CHECK(single_message(breach(1, ""), context(), "en", now()).language == "en");
}

TEST_CASE("a digest lists every alert and mentions every agent once") {
    const auto d = digest_message({breach(1, "lena"), breach(2, "lena"), breach(3, "omar")}, context(), "en", now());
    CHECK(d.title == "3 alerts");
    CHECK(d.lines.size() == 3);
    CHECK(d.lines[0] ==
          "BREACH fast reply · #41 · Jonas Weber (Weber Handel GmbH) · alibaba-electronics · tier 1 · "
          "lena · overdue by 30s");
    CHECK(d.mobiles == std::vector<std::string>{"13800001111"});
    CHECK(d.footer == "inquiryd · alert 1-3");
}

TEST_CASE("spans read as people write them") {
    using std::chrono::seconds;
    CHECK(format_span(seconds(5), "en") == "5s");
    CHECK(format_span(seconds(65), "en") == "1m 05s");
    CHECK(format_span(seconds(3 * 3600 + 120), "zh") == "3小时02分");
    CHECK(format_span(seconds(2 * 86400 + 3600), "en") == "2d 1h");
}
