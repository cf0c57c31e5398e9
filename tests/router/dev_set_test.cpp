// The labelled dev set (read in place from shared/fixtures): the accuracy bar.
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "ir/adapters/event_json.hpp"
#include "ir/router/assessor.hpp"

using namespace ir;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST_CASE("dev set: tier accuracy >= 90%, suspect precision and recall >= 0.9") {
    auto catalog = router::parse_catalog_json(slurp(std::string(IR_FIXTURES_DIR) + "/catalog.json"));
    REQUIRE(catalog.has_value());
    auto rules = router::parse_rules_toml(router::default_rules_toml(), "default");
    REQUIRE(rules.has_value());
    auto assessor = router::Assessor::create(*catalog, *rules);
    REQUIRE(assessor.has_value());

    std::istringstream lines(slurp(std::string(IR_FIXTURES_DIR) + "/inquiries.dev.jsonl"));
    int total = 0, tier_ok = 0, tp = 0, fp = 0, fn = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto v = boost::json::parse(line).as_object();
        auto event = adapters::parse_event(v.at("event"));
        REQUIRE(event.has_value());
        auto ctx = adapters::parse_context(v.contains("context") ? v.at("context") : boost::json::value{});
        REQUIRE(ctx.has_value());
        const auto a = assessor->assess(*event, *ctx);
        const auto& expect = v.at("expect").as_object();
        ++total;
        tier_ok += a.tier == expect.at("tier").as_int64();
        const bool suspect = expect.at("suspect").as_bool();
        tp += a.suspect && suspect;
        fp += a.suspect && !suspect;
        fn += !a.suspect && suspect;
    }
    REQUIRE(total == 64);
    CHECK(tier_ok >= total * 9 / 10);
    CHECK(tp >= 0.9 * (tp + fp));
    CHECK(tp >= 0.9 * (tp + fn));
}
