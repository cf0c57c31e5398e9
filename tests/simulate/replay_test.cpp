// The replay: virtual time, the simulated people, recorded replies, the report's figures.
#include <boost/json.hpp>

#include "ir/routing/reply_report.hpp"
#include "ir/simulate/people_config.hpp"
#include "simulate_test_support.hpp"

using namespace simulate_test;

namespace {

const std::string kAlwaysOn = R"(
[[agents]]
id = "amy"
languages = ["en"]
addresses = ["amy@seller.example"]

[[agents]]
id = "sam"
role = "senior"
languages = ["en"]
addresses = ["sam@seller.example"]
)";

// Two agents in Shanghai working 09:00-18:00 (01:00-10:00 UTC).
const std::string kDayShift = R"(
[[agents]]
id = "amy"
languages = ["en"]
time_zone = "Asia/Shanghai"
hours = ["09:00-18:00"]

[[agents]]
id = "sam"
role = "senior"
languages = ["en"]
time_zone = "Asia/Shanghai"
hours = ["09:00-18:00"]
)";

std::vector<simulate::Input> steady(int count, sla::Duration every, TimePoint from = T0 + 2h) {
    std::vector<simulate::Input> out;
    for (int i = 0; i < count; ++i)
        out.push_back(buyer(from + every * i, "t" + std::to_string(i), "buyer" + std::to_string(i) + "@shop.de"));
    return out;
}

}  // namespace

TEST_CASE("the same inputs and seed give the same report, byte for byte, another seed, other draws") {
    const auto a = replay(kAlwaysOn, steady(40, 3min), "ours");
    const auto b = replay(kAlwaysOn, steady(40, 3min), "ours");
    CHECK(a.json == b.json);
    const auto c = replay(kAlwaysOn, steady(40, 3min), "ours", simulate::PeopleMode::simulated, 2);
    CHECK(c.json != a.json);
    CHECK(c.report.seed == 2);
}

TEST_CASE("simulated people answer every wait, the figures add up") {
    const auto r = replay(kAlwaysOn, steady(30, 4min)).report;
    CHECK(r.overall.inquiries == 30);
    CHECK(r.overall.waits == 30);
    CHECK(r.overall.replies == 30);
    CHECK(r.tiers[2].inquiries == 30);    // a named product: tier 3
    CHECK(r.overall.share_fast() > 0.5);  // replies take minutes, the deadline is 5
    CHECK(r.overall.share_timely() == 1.0);
    CHECK(r.agents.at("amy").replies.replies + r.agents.at("sam").replies.replies == 30);
    CHECK(r.accounts.at("alibaba-electronics").inquiries == 30);
    CHECK(r.accounts.at("alibaba-electronics").replies.replies == 30);
    CHECK(r.people == "simulated");
}

TEST_CASE("people work their hours: a message at night is answered after the shift starts") {
    // 20:00 UTC is 04:00 in Shanghai; the shift starts at 01:00 UTC the next day.
    const auto r = replay(kDayShift, {buyer(T0 + 20h, "night", "a@shop.de")}).report;
    REQUIRE(r.overall.replies == 1);
    CHECK(r.overall.within_fast == 0);
    CHECK(r.overall.fast_breaches == 1);
    CHECK(r.agents.at("amy").replies.median + r.agents.at("sam").replies.median >= 5h);
    CHECK(r.longest_queue_wait >= 5h);  // nobody on shift: it waited in its queue
    const auto day = replay(kDayShift, {buyer(T0 + 26h, "day", "b@shop.de")}).report;  // 10:00 in Shanghai
    CHECK(day.longest_queue_wait == sla::Duration{0});
}

TEST_CASE("recorded people: only the replies the inputs carry, figures as the daemon's report") {
    auto first = buyer(T0 + 1h, "t1", "a@shop.de");
    auto second = buyer(T0 + 1h + 1min, "t2", "b@shop.de");
    auto third = buyer(T0 + 1h + 2min, "t3", "c@shop.de");
    std::vector<simulate::Input> in{first, second, third, our_reply(T0 + 1h + 3min, first, "amy@seller.example"),
                                    our_reply(T0 + 1h + 30min, second, "someone@seller.example")};
    const auto r = replay(kAlwaysOn, in, "ours", simulate::PeopleMode::recorded).report;
    CHECK(r.overall.waits == 3);
    CHECK(r.overall.replies == 2);
    CHECK(r.overall.within_fast == 1);  // the third is never answered: missed
    const std::vector<routing::ReplyRow> rows{
        {"amy", "alibaba-electronics", T0 + 1h, T0 + 1h + 3min},
        {"someone@seller.example", "alibaba-electronics", T0 + 1h + 1min, T0 + 1h + 30min}};
    const auto expected = routing::reply_report(rows);
    CHECK(r.agents.at("amy").replies == expected.agents[0]);
    CHECK(r.agents.at("someone@seller.example").replies == expected.agents[1]);
    CHECK(r.accounts.at("alibaba-electronics").replies == expected.accounts[0]);
    CHECK(r.agents.at("sam").replies.replies == 0);
    CHECK(r.to == T0 + 1h + 30min);  // nobody answers after the last recorded input
}

TEST_CASE("simulated people leave our recorded replies out and answer themselves") {
    auto first = buyer(T0 + 1h, "t1", "a@shop.de");
    const auto r = replay(kAlwaysOn, {first, our_reply(T0 + 3h, first, "amy@seller.example")}).report;
    CHECK(r.ignored_outbound == 1);
    CHECK(r.overall.replies == 1);
    CHECK(r.agents.at("amy").replies.median + r.agents.at("sam").replies.median < 1h);
}

TEST_CASE("what our records knew: a known customer's first message is tier 1, an order later re-tiers") {
    routing::CustomerBookState known;
    routing::CustomerRecord c;
    c.id = routing::CustomerId{1};
    c.keys = routing::identity_keys(routing::Identity{"regular@shop.de", "", "", ""});
    c.orders = 2;
    known.customers.push_back(c);
    known.next_id = 2;
    auto regular = buyer(T0 + 1h, "t1", "regular@shop.de");
    auto newcomer = buyer(T0 + 1h + 1min, "t2", "new@shop.de");
    auto converted = buyer(T0 + 5h, "t3", "new@shop.de");                // the first conversation was resolved by then
    converted.context = router::CustomerContext{1, 1, 0, false, false};  // ordered since
    const auto r = replay(kAlwaysOn + "[simulate]\nresolve_after = \"1h\"\n", {regular, newcomer, converted}, "ours",
                          simulate::PeopleMode::simulated, 1, known)
                       .report;
    CHECK(r.tiers[0].inquiries == 2);  // the regular, and the newcomer's second conversation
    CHECK(r.tiers[2].inquiries == 1);  // the newcomer's first
    // Tier 1 goes to the senior under ours; round robin does not care.
    CHECK(r.agents.at("sam").assigned >= 2);
}

TEST_CASE("each policy runs the same people on the same traffic, none waits for someone to take it") {
    const auto inputs = steady(60, 90s);
    for (const std::string policy : {"ours", "round-robin", "least-loaded", "none"}) {
        const auto r = replay(kAlwaysOn, inputs, policy).report;
        INFO(policy);
        CHECK(r.policy == policy);
        CHECK(r.overall.inquiries == 60);
        CHECK(r.overall.replies == 60);
        if (policy == "none") CHECK(r.missed_offers == 0);  // people take it themselves
    }
}

TEST_CASE("[simulate] defaults, values and errors with file, line and key") {
    const auto d = simulate::parse_people_config("", "c.toml");
    REQUIRE(d.errors.empty());
    CHECK(d.config.seed == 1);
    CHECK(d.config.median_for(routing::Role::agent) == 180s);
    CHECK(d.config.median_for(routing::Role::senior) == 150s);
    CHECK(d.config.miss_rate == 0.05);
    CHECK(d.config.parallel == 1);
    const auto v = simulate::parse_people_config(
        "[sla]\nfast = \"5m\"\n[simulate]\nseed = 9\nmiss_rate = 0.2\nparallel = 2\nresolve_after = \"3d\"\n"
        "[simulate.reply_median]\nagent = \"4m\"\n",
        "c.toml");
    REQUIRE(v.errors.empty());
    CHECK(v.config.seed == 9);
    CHECK(v.config.miss_rate == 0.2);
    CHECK(v.config.parallel == 2);
    CHECK(v.config.resolve_after == 72h);
    CHECK(v.config.median_for(routing::Role::agent) == 4min);
    const auto bad = simulate::parse_people_config(
        "[simulate]\nmis_rate = 0.1\nmiss_rate = 2\nreply_median = { agent = \"soon\" }\n", "/etc/c.toml");
    REQUIRE(bad.errors.size() == 3);
    CHECK(bad.errors[0] == "/etc/c.toml:2: simulate.mis_rate: unknown key");
    CHECK(bad.errors[1].rfind("/etc/c.toml:3: simulate.miss_rate: must be a number from 0 to 1", 0) == 0);
    CHECK(bad.errors[2].rfind("/etc/c.toml:4: simulate.reply_median.agent: must be a duration", 0) == 0);
    CHECK(simulate::parse_people_config("simulate = 1\n", "c.toml").errors ==
          std::vector<std::string>{"c.toml:1: simulate: must be a table"});
}

TEST_CASE("the JSON has the issue's shape: policies, overall, tiers 1-4, agents, shares between 0 and 1") {
    const auto r = replay(kDayShift, steady(50, 17min));
    const auto v = boost::json::parse(r.json);
    const auto& p = v.at("policies").at(0).as_object();
    CHECK(p.at("policy") == "ours");
    CHECK(p.at("seed").to_number<int>() == 1);
    for (const auto* key : {"inquiries", "within_fast", "within_timely", "breaches"}) {
        CHECK(p.at("overall").as_object().contains(key));
        for (const auto* tier : {"1", "2", "3", "4"}) CHECK(p.at("tiers").at(tier).as_object().contains(key));
    }
    for (const auto& [id, a] : p.at("agents").as_object()) {
        INFO(std::string(id));
        CHECK(a.as_object().contains("assigned"));
        const double share = a.at("within_fast").to_number<double>();
        CHECK((share >= 0 && share <= 1));
    }
    const double fast = p.at("overall").at("within_fast").to_number<double>();
    CHECK((fast >= 0 && fast <= 1));
}
