// Generated traffic: deterministic, in order, and the dev set's mix as the core tiers it.
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "ir/adapters/event_json.hpp"
#include "ir/router/assessor.hpp"
#include "ir/simulate/generator.hpp"
#include "ir/simulate/traffic_reader.hpp"
#include "simulate_test_support.hpp"

using namespace simulate_test;

namespace {

router::Catalog catalog() {
    std::ifstream in(std::string(IR_FIXTURES_DIR) + "/catalog.json");
    std::ostringstream ss;
    ss << in.rdbuf();
    auto c = router::parse_catalog_json(ss.str());
    REQUIRE(c.has_value());
    return *c;
}

std::string generate(int days, int per_day, std::uint64_t seed) {
    simulate::TrafficOptions o;
    o.days = days;
    o.per_day = per_day;
    o.seed = seed;
    std::ostringstream out;
    const auto summary = simulate::generate_traffic(catalog(), o, out);
    REQUIRE(summary.has_value());
    // Weekdays bring more than weekends; a whole week brings per_day a day on average.
    if (days % 7 == 0) CHECK(summary->conversations == static_cast<std::size_t>(days * per_day));
    return out.str();
}

}  // namespace

TEST_CASE("the same options give the same bytes, another seed other traffic") {
    const std::string a = generate(2, 80, 5);
    CHECK(a == generate(2, 80, 5));
    CHECK(a != generate(2, 80, 6));
}

TEST_CASE("generated traffic reads back in received_at order, every line an event") {
    std::istringstream in(generate(3, 120, 1));
    simulate::TrafficReader r(in, "gen");
    std::size_t n = 0;
    std::map<std::string, int> languages_by_country;
    while (auto line = r.next()) {
        ++n;
        CHECK(line->context.has_value());
        CHECK(line->at >= T0 - std::chrono::days{21});  // 2026-11-02 and after
    }
    CHECK(r.skipped().empty());
    CHECK_FALSE(r.fatal());
    CHECK(n > 360);  // conversations, and follow-ups on top
}

TEST_CASE("the dev set's tier, suspect and channel mix, six languages, buyers writing in their own day") {
    const auto c = catalog();
    auto rules = router::parse_rules_toml(router::default_rules_toml(), "default");
    auto assessor = router::Assessor::create(c, *rules);
    REQUIRE(assessor.has_value());
    std::istringstream in(generate(7, 300, 3));
    simulate::TrafficReader r(in, "gen");
    std::map<int, double> tiers;
    std::map<std::string, double> channels, languages;
    double firsts = 0, suspects = 0, daytime = 0, all = 0;
    while (auto line = r.next()) {
        const auto a = assessor->assess(line->event, *line->context);
        ++all;
        languages[a.language]++;
        const int offset = [&] {  // the buyer's country, for their local hour
            for (const auto& [code, hours] : std::map<std::string, int>{{"US", -5}, {"GB", 0}, {"DE", 1}, {"BR", -3}})
                if (line->event.sender.country == code) return hours;
            return 99;
        }();
        if (offset != 99) {
            const auto local = line->at + std::chrono::hours{offset};
            const auto hour =
                std::chrono::floor<std::chrono::hours>(local - std::chrono::floor<std::chrono::days>(local));
            daytime += hour.count() >= 7 && hour.count() < 23 ? 1 : 0;
        } else {
            daytime += 1;
        }
        if (line->context->customer_messages_in_thread != 1) continue;
        ++firsts;
        tiers[a.tier]++;
        suspects += a.suspect ? 1 : 0;
        channels[std::string(router::to_string(line->event.channel))]++;
    }
    // fixtures/inquiries.dev.jsonl: tiers 10 / 16 / 20 / 18 of 64, 12 suspect; 32 email, 16 chat, 16 marketplace.
    CHECK(tiers[1] / firsts == Approx(10.0 / 64).margin(0.05));
    CHECK(tiers[2] / firsts == Approx(16.0 / 64).margin(0.05));
    CHECK(tiers[3] / firsts == Approx(20.0 / 64).margin(0.05));
    CHECK(tiers[4] / firsts == Approx(18.0 / 64).margin(0.05));
    CHECK(suspects / firsts == Approx(12.0 / 64).margin(0.05));
    CHECK(channels["email"] / firsts == Approx(0.5).margin(0.06));
    CHECK(channels["chat"] / firsts == Approx(0.25).margin(0.06));
    for (const auto* lang : {"en", "es", "pt", "fr", "de", "ru"}) CHECK(languages[lang] > 0);
    CHECK(daytime / all > 0.9);
}

TEST_CASE("a catalogue without accounts cannot be written to") {
    std::ostringstream out;
    const auto r = simulate::generate_traffic(router::Catalog{}, {}, out);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("no accounts") != std::string::npos);
}
